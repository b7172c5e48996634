// Runs the JS suites (suite.mjs, suite-features.mjs, suite-reliability.mjs, suite-invoke.mjs) in headless Chromium: bundles suite-page.mjs
// with esbuild under the `browser` export condition (as a user's bundler would), serves it from
// 127.0.0.1, and calls runSuite() in the page. Prints the results and exits non-zero on any failure.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { consumerPackages } from "../harness/consumer-packages.mjs";
import { loadFeatureRecordings, loadInvokeRecordings, loadRecordings } from "../js/recordings.mjs";
import { onlyFromArgv, printResults } from "../js/report.mjs";
import { launchChromium } from "./chromium.mjs";
import { serveDirectory } from "./static-server.mjs";

const emulatorUrl = process.env.BEDROCK_EMULATOR_URL;
if (!emulatorUrl) throw new Error("BEDROCK_EMULATOR_URL is not set");
const consumerModules = resolve(import.meta.dirname, "../.work/consumer/node_modules");
const outDir = resolve(import.meta.dirname, "../.work/browser-suite");
const LOAD_TIMEOUT_MS = 30_000;

mkdirSync(outDir, { recursive: true });
await build({
  entryPoints: [resolve(import.meta.dirname, "suite-page.mjs")],
  outfile: join(outDir, "suite-page.js"),
  bundle: true,
  format: "esm",
  platform: "browser",
  conditions: ["browser"],
  nodePaths: [consumerModules],
  plugins: [consumerPackages(consumerModules)],
  logLevel: "warning",
});
// browser.js finds the wasm with new URL("./bedrock_edge_bg.wasm", import.meta.url): ship it alongside.
copyFileSync(join(consumerModules, "bedrock-edge/bedrock_edge_bg.wasm"), join(outDir, "bedrock_edge_bg.wasm"));
writeFileSync(
  join(outDir, "index.html"),
  '<!doctype html><meta charset="utf-8"><title>bedrock-edge suite</title><link rel="icon" href="data:,"><script type="module" src="./suite-page.js"></script>\n',
);

const server = await serveDirectory(outDir);
const browser = await launchChromium();
let failed = 1;
try {
  const page = await browser.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error.stack ?? String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(`console: ${message.text()}`);
  });
  await page.goto(server.url);
  try {
    await page.waitForFunction(() => typeof globalThis.runSuite === "function", null, { timeout: LOAD_TIMEOUT_MS });
  } catch (error) {
    throw new Error(`the suite page did not load:\n${pageErrors.join("\n") || error.message}`);
  }
  const results = await page.evaluate((ctx) => globalThis.runSuite(ctx), {
    emulatorUrl,
    recordings: loadRecordings(),
    featureRecordings: loadFeatureRecordings(),
    invokeRecordings: loadInvokeRecordings(),
    only: onlyFromArgv(),
  });
  console.log(`chromium ${browser.version()}`);
  // Errors the page logged (unhandled rejections among them) do not fail a case; show them.
  for (const error of pageErrors) console.log(`  page error: ${error}`);
  failed = printResults("chromium", results);
} finally {
  await browser.close();
  await server.close();
}
process.exitCode = failed ? 1 : 0;
