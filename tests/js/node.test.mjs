// The suites under `node --test`, importing "bedrock-edge" by name from a consumer project that
// installed the `npm pack` tarball (so the package's `node` export condition is what loads).
// The harness copies this folder next to that install; BEDROCK_EMULATOR_URL names the emulator.
import { readFileSync } from "node:fs";
import { test } from "node:test";
import * as pkg from "bedrock-edge";
import { secretScanCase, watchErrors } from "./secret-scan.mjs";
import { allCases } from "./suite.mjs";
import { allCases as allFeatureCases } from "./suite-features.mjs";
import { allCases as allReliabilityCases } from "./suite-reliability.mjs";
import { allCases as allInvokeCases } from "./suite-invoke.mjs";
import { allCases as allLangChainCases } from "./suite-langchain.mjs";
import { allCases as allCountTokensCases } from "./suite-count-tokens.mjs";

const emulatorUrl = process.env.BEDROCK_EMULATOR_URL;
if (!emulatorUrl) throw new Error("BEDROCK_EMULATOR_URL is not set");
const readJson = (name) => JSON.parse(readFileSync(new URL(name, import.meta.url), "utf8"));
const recordings = readJson("./recordings.json");
const featureRecordings = readJson("./feature-recordings.json");
const invokeRecordings = readJson("./invoke-recordings.json");
const watched = watchErrors(pkg);
const ctx = { pkg: watched.pkg, emulatorUrl, recordings, featureRecordings, invokeRecordings, runtime: "node" };

for (const testCase of [...allCases(ctx), ...allFeatureCases(ctx), ...allReliabilityCases(ctx), ...allInvokeCases(ctx), ...allLangChainCases(ctx), ...allCountTokensCases(ctx), secretScanCase(watched.errors)]) {
  test(testCase.name, { timeout: 20_000 }, () => testCase.run(ctx));
}
