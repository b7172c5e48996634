// `make demo`: streams the seed example through the demo Worker in workerd and prints each
// content block as it arrives, then the usage. Real Bedrock when AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY are set (region AWS_REGION, model BEDROCK_MODEL, optional endpoint
// override BEDROCK_ENDPOINT), else the emulator at BEDROCK_EMULATOR_URL. Then, only when run from a terminal (never in CI), serves www/.
import { resolve } from "node:path";
import { startWorker } from "../workerd/harness.mjs";
import { serveChatPage } from "./serve-www.mjs";

const env = process.env;
const real = Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);
const model = env.BEDROCK_MODEL || "anthropic.claude-3-5-sonnet-20240620-v1:0";
const region = env.AWS_REGION || "us-east-1";
if (!real && !env.BEDROCK_EMULATOR_URL) throw new Error("no AWS credentials and no BEDROCK_EMULATOR_URL");

const endpoint = real ? env.BEDROCK_ENDPOINT : env.BEDROCK_EMULATOR_URL;
const textBindings = { BEDROCK_MODEL: model, AWS_REGION: region, BEDROCK_ENDPOINT: endpoint ?? "" };
const envBindings = [];
if (real) {
  // Secrets stay in the environment: workerd reads them itself (fromEnvironment bindings).
  envBindings.push("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
  if (env.AWS_SESSION_TOKEN) envBindings.push("AWS_SESSION_TOKEN");
} else {
  Object.assign(textBindings, {
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  });
}

console.log(`model:   ${model}`);
console.log(`backend: ${real ? `Amazon Bedrock, ${region}${endpoint ? ` via ${endpoint}` : ""}` : `local emulator at ${endpoint}`}`);
console.log("runtime: a Worker in workerd, importing bedrock-edge (workerd export condition)");
console.log('prompt:  system "You are a helpful assistant that translates English to French. Translate the user sentence."');
console.log('         human  "I love programming."\n');

const worker = await startWorker({
  entry: resolve(import.meta.dirname, "worker.mjs"),
  outDir: resolve(import.meta.dirname, "../.work/workerd-demo"),
  textBindings,
  envBindings,
  allow: !real ? ["local"] : endpoint ? ["public", "local"] : ["public"],
});
let failed = false;
try {
  const started = Date.now();
  const response = await fetch(worker.url);
  const decoder = new TextDecoder();
  let buffered = "";
  let text = "";
  let last;
  for await (const bytes of response.body) {
    buffered += decoder.decode(bytes, { stream: true });
    const lines = buffered.split("\n");
    buffered = lines.pop();
    for (const line of lines.filter(Boolean)) {
      const { chunk, error } = JSON.parse(line);
      const at = `+${String(Date.now() - started).padStart(4)} ms`;
      if (error) {
        failed = true;
        console.log(`${at}  error ${error.name} (status ${error.status}, request ${error.requestId}): ${error.message}`);
        continue;
      }
      for (const { type, index, ...rest } of chunk.content ?? []) {
        console.log(`${at}  block ${index} ${type}: ${JSON.stringify(rest.text ?? rest)}`);
      }
      if (chunk.response_metadata?.stopReason) console.log(`${at}  stopReason: ${chunk.response_metadata.stopReason}`);
      text += chunk.text ?? "";
      last = chunk;
    }
  }
  const usage = last?.usage_metadata;
  if (usage) {
    const details = usage.input_token_details ?? {};
    console.log(
      `\nusage:   ${usage.input_tokens} input + ${usage.output_tokens} output = ${usage.total_tokens} tokens` +
        ` (cache read ${details.cache_read ?? 0}, cache creation ${details.cache_creation ?? 0})`,
    );
  }
  if (last?.response_metadata?.metrics) console.log(`latency: ${last.response_metadata.metrics.latencyMs} ms (Bedrock metrics)`);
  console.log(`answer:  ${text}`);
  if (!usage) failed = true;
} finally {
  await worker.stop();
}
process.exitCode = failed ? 1 : 0;

const interactive = process.stdin.isTTY && process.stdout.isTTY && !env.CI && env.DEMO_SERVE !== "0";
if (!failed && !interactive) console.log("\n(run `make demo` from a terminal to also serve the www/ chat page)");
if (!failed && interactive) {
  // Secrets are never written into the page: with real AWS the user types them in.
  await serveChatPage(
    real
      ? { region, model, endpoint: endpoint ?? "" }
      : {
          region,
          model,
          endpoint,
          accessKeyId: textBindings.AWS_ACCESS_KEY_ID,
          secretAccessKey: textBindings.AWS_SECRET_ACCESS_KEY,
        },
  );
}
