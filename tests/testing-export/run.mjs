// `bedrock-edge/testing` as a user gets it: the packed package (tests/.work/consumer, installed by
// tests/js/install-package.sh) used by checks.mjs in Node, then the same checks inside workerd
// (tests/workerd/harness.mjs); the user's Worker is TESTING.md's. No emulator server, no network: the emulator is the fetch handler.
// Prints one line per check and `N passed, N failed`.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { startWorker } from "../workerd/harness.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const CONSUMER = join(ROOT, "tests/.work/consumer");
const STAGE = join(CONSUMER, "testing-export"); // inside the consumer, so `bedrock-edge` resolves
const OUT = join(ROOT, "tests/.work/testing-export-workerd");

mkdirSync(STAGE, { recursive: true });
copyFileSync(join(import.meta.dirname, "checks.mjs"), join(STAGE, "checks.mjs"));
// The Worker of pkg-template/TESTING.md, exactly as printed, is the user's Worker under test.
const guide = readFileSync(join(ROOT, "pkg-template/TESTING.md"), "utf8");
const workerCode = guide.split("## Unit-testing a Worker")[1]?.match(/```js\n([\s\S]*?)```/)?.[1];
if (!workerCode) throw new Error("pkg-template/TESTING.md has no js block under '## Unit-testing a Worker'");
writeFileSync(join(STAGE, "user-worker.mjs"), workerCode);

let passed = 0;
let failed = 0;
function report(runtime, results) {
  for (const { name, ok, detail } of results) {
    if (ok) passed++;
    else failed++;
    console.log(`  ${ok ? "ok  " : "FAIL"}  [${runtime}] ${name}`);
    if (!ok) console.log(detail.replace(/^/gm, "        "));
  }
}

const { runChecks } = await import(pathToFileURL(join(STAGE, "checks.mjs")).href);
report("node", await runChecks());

const entry = join(STAGE, "worker-entry.mjs");
writeFileSync(entry, `import { runChecks } from "./checks.mjs";
export default { async fetch() { return Response.json(await runChecks()); } };
`);
const worker = await startWorker({ entry, outDir: OUT, allow: [] });
try {
  const response = await fetch(worker.url);
  if (response.status !== 200) throw new Error(`workerd answered ${response.status}: ${await response.text()}`);
  report("workerd", await response.json());
} finally {
  await worker.stop();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
