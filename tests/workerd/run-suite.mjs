// Runs the JS suites (suite.mjs, suite-features.mjs, suite-reliability.mjs, suite-invoke.mjs) inside workerd against the emulator
// (BEDROCK_EMULATOR_URL) and prints the results; exits non-zero on any failure. Needs the package
// installed by tests/js/install-package.sh.
import { resolve } from "node:path";
import { loadFeatureRecordings, loadInvokeRecordings, loadRecordings } from "../js/recordings.mjs";
import { onlyFromArgv, printResults } from "../js/report.mjs";
import { startWorker } from "./harness.mjs";

const emulatorUrl = process.env.BEDROCK_EMULATOR_URL;
if (!emulatorUrl) throw new Error("BEDROCK_EMULATOR_URL is not set");

const worker = await startWorker({
  entry: resolve(import.meta.dirname, "suite-worker.mjs"),
  outDir: resolve(import.meta.dirname, "../.work/workerd-suite"),
});
let failed = 1;
try {
  const response = await fetch(worker.url, {
    method: "POST",
    body: JSON.stringify({
      emulatorUrl,
      recordings: loadRecordings(),
      featureRecordings: loadFeatureRecordings(),
      invokeRecordings: loadInvokeRecordings(),
      only: onlyFromArgv(),
    }),
  });
  if (!response.ok) throw new Error(`the suite worker answered ${response.status}: ${await response.text()}`);
  failed = printResults("workerd", await response.json());
} finally {
  await worker.stop();
}
process.exitCode = failed ? 1 : 0;
