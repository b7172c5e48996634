// The browser side of the suite: imports "bedrock-edge" (browser condition, top-level await
// init) and exposes runSuite(ctx) for the Playwright runner to call.
import * as pkg from "bedrock-edge";
import { runCases } from "../js/suite.mjs";

globalThis.runSuite = ({ emulatorUrl, recordings, only }) =>
  runCases({ pkg, emulatorUrl, recordings, runtime: "chromium" }, only);
