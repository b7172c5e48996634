// `make demo`: starts the demo Worker in workerd (worker.mjs: the www/ chat page, the package, and
// the seed example at /seed), streams the seed example through it and prints each content block
// as it arrives, then the usage, then the chat page's URL. Real Bedrock when AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY are set (region AWS_REGION, model BEDROCK_MODEL, optional endpoint
// override BEDROCK_ENDPOINT), else the emulator at BEDROCK_EMULATOR_URL. From a terminal it then
// keeps serving the page until Ctrl-C; otherwise (CI, a pipe) it checks that the page and the
// package are served and exits, unless DEMO_SERVE=1 (DEMO_SERVE=0: never wait).
import { demoSettings, startDemoWorker, untilSignal } from "./serve-www.mjs";

const env = process.env;
const settings = demoSettings(env);
const { real, model, region, endpoint } = settings;

console.log(`model:   ${model}`);
console.log(`backend: ${real ? `Amazon Bedrock, ${region}${endpoint ? ` via ${endpoint}` : ""}` : `local emulator at ${endpoint}`}`);
console.log("runtime: a Worker in workerd, importing bedrock-edge (workerd export condition)");
console.log('prompt:  system "You are a helpful assistant that translates English to French. Translate the user sentence."');
console.log('         human  "I love programming."\n');

const worker = await startDemoWorker(settings);
let failed = false;
try {
  const started = Date.now();
  const response = await fetch(`${worker.url}/seed`);
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
  if (!failed) failed = !(await checkPage(worker.url));
  if (!failed) {
    console.log(`\nchat page: ${worker.url}/`);
    const serve = env.DEMO_SERVE === "1" || (env.DEMO_SERVE !== "0" && process.stdin.isTTY && process.stdout.isTTY && !env.CI);
    if (serve) {
      console.log(real ? "           (type your AWS keys into its Settings; they stay in the browser)" : "           (against the emulator)");
      console.log("           serving until Ctrl-C");
      await untilSignal();
    } else {
      console.log("           (not a terminal: checked and stopped; `make demo` from a terminal, or DEMO_SERVE=1, keeps serving it)");
    }
  }
} finally {
  await worker.stop();
}
process.exitCode = failed ? 1 : 0;

// The page, its settings and the package's browser entry and wasm are served.
async function checkPage(base) {
  const wanted = ["/", "/config.json", "/pkg/browser.js", "/pkg/bedrock_edge_bg.wasm"];
  const sizes = [];
  for (const path of wanted) {
    const response = await fetch(`${base}${path}`);
    const size = (await response.arrayBuffer()).byteLength;
    if (!response.ok) {
      console.log(`chat page: ${path} answered HTTP ${response.status}`);
      return false;
    }
    sizes.push(`${path} ${size} B`);
  }
  console.log(`served:  ${sizes.join(", ")}`);
  return true;
}
