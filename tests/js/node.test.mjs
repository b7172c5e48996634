// The suite under `node --test`, importing "bedrock-edge" by name from a consumer project that
// installed the `npm pack` tarball (so the package's `node` export condition is what loads).
// The harness copies this folder next to that install; BEDROCK_EMULATOR_URL names the emulator.
import { readFileSync } from "node:fs";
import { test } from "node:test";
import * as pkg from "bedrock-edge";
import { allCases } from "./suite.mjs";

const emulatorUrl = process.env.BEDROCK_EMULATOR_URL;
if (!emulatorUrl) throw new Error("BEDROCK_EMULATOR_URL is not set");
const recordings = JSON.parse(readFileSync(new URL("./recordings.json", import.meta.url), "utf8"));
const ctx = { pkg, emulatorUrl, recordings, runtime: "node" };

for (const testCase of allCases(ctx)) {
  test(testCase.name, { timeout: 20_000 }, () => testCase.run(ctx));
}
