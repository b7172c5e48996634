// Runs the README's "A Worker in ten lines" exactly as printed, in workerd, against the
// emulator (reached through the AWS_ENDPOINT_URL_BEDROCK_RUNTIME binding), so the example a
// user copies is known to work; then its "Cloudflare AI Gateway" Worker (BYOK) against the
// emulator's gateway route. Prints `N passed, N failed`.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startWorker } from "./harness.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const OUT = join(ROOT, "tests/.work/readme-worker");
const emulatorUrl = process.env.BEDROCK_EMULATOR_URL;
if (!emulatorUrl) throw new Error("BEDROCK_EMULATOR_URL is not set");

const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const section = readme.split("## A Worker in ten lines")[1];
const code = section?.match(/```js\n([\s\S]*?)```/)?.[1];
if (!code) throw new Error("README.md has no js block under '## A Worker in ten lines'");
const lines = code.trim().split("\n").length;

mkdirSync(OUT, { recursive: true });
const entry = join(OUT, "entry.mjs");
writeFileSync(entry, code);
const worker = await startWorker({
  entry,
  outDir: OUT,
  textBindings: {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: emulatorUrl,
  },
});
let failed = 0;
try {
  const response = await fetch(worker.url, { method: "POST", body: "I love programming." });
  const text = await response.text();
  const ok = response.status === 200 && text === "J'adore la programmation.";
  if (!ok) failed++;
  console.log(`  ${ok ? "ok  " : "FAIL"}  README Worker example (${lines} lines): ${response.status} ${JSON.stringify(text)}`);
  const tooLong = lines > 10;
  if (tooLong) failed++;
  console.log(`  ${tooLong ? "FAIL" : "ok  "}  README Worker example is at most ten lines`);
} finally {
  await worker.stop();
}

// The "Cloudflare AI Gateway" Worker (BYOK): as printed but for `baseUrl`, which points the gateway
// at the emulator's gateway route; its bindings hold no AWS key, only the gateway's.
const gatewaySection = readme.split("## Cloudflare AI Gateway")[1];
const printed = gatewaySection?.match(/```js\n([\s\S]*?)```/)?.[1];
if (!printed?.includes("byok: true }")) throw new Error("README.md has no BYOK js block under '## Cloudflare AI Gateway'");
const gatewayOut = join(OUT, "ai-gateway");
mkdirSync(gatewayOut, { recursive: true });
const gatewayEntry = join(gatewayOut, "entry.mjs");
writeFileSync(gatewayEntry, printed.replace("byok: true }", "byok: true, baseUrl: env.TEST_GATEWAY_BASE_URL }"));
const gatewayWorker = await startWorker({
  entry: gatewayEntry,
  outDir: gatewayOut,
  textBindings: { CF_ACCOUNT_ID: "0123456789abcdef", CF_GATEWAY_ID: "emulator-byok", CF_AIG_TOKEN: "emulator-gateway-token", TEST_GATEWAY_BASE_URL: emulatorUrl },
});
try {
  await fetch(`${emulatorUrl}/_emulator/requests`, { method: "DELETE" });
  const response = await fetch(gatewayWorker.url, { method: "POST", body: "I love programming." });
  const text = await response.text();
  const [request] = await (await fetch(`${emulatorUrl}/_emulator/requests`)).json();
  const viaGateway = request?.path.startsWith("/v1/0123456789abcdef/emulator-byok/aws-bedrock/bedrock-runtime/us-east-1/model/")
    && !Object.keys(request.headers).some((h) => h === "authorization" || h.startsWith("x-amz-"));
  const ok = response.status === 200 && text === "J'adore la programmation." && viaGateway;
  if (!ok) failed++;
  console.log(`  ${ok ? "ok  " : "FAIL"}  README AI Gateway Worker (BYOK, no AWS key): ${response.status} ${JSON.stringify(text)} via ${request?.path}`);
} finally {
  await gatewayWorker.stop();
}
console.log(`${3 - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
