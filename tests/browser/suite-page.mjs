// The browser side of the suites: imports "bedrock-edge" (browser condition, top-level await
// init) and exposes runSuite(ctx) for the Playwright runner to call.
import * as pkg from "bedrock-edge";
import { allCases as allFeatureCases } from "../js/suite-features.mjs";
import { runCaseList } from "../js/suite-helpers.mjs";
import { allCases } from "../js/suite.mjs";

globalThis.runSuite = ({ emulatorUrl, recordings, featureRecordings, only }) => {
  const ctx = { pkg, emulatorUrl, recordings, featureRecordings, runtime: "chromium" };
  return runCaseList(ctx, [...allCases(ctx), ...allFeatureCases(ctx)], only);
};
