// A Worker that runs the JS suites inside workerd: POST { emulatorUrl, recordings,
// featureRecordings, invokeRecordings, only } and it answers with the results as JSON.
import * as pkg from "bedrock-edge";
import { secretScanCase, watchErrors } from "../js/secret-scan.mjs";
import { allCases as allFeatureCases } from "../js/suite-features.mjs";
import { allCases as allReliabilityCases } from "../js/suite-reliability.mjs";
import { allCases as allInvokeCases } from "../js/suite-invoke.mjs";
import { allCases as allLangChainCases } from "../js/suite-langchain.mjs";
import { allCases as allCountTokensCases } from "../js/suite-count-tokens.mjs";
import { allCases as allAiGatewayCases } from "../js/suite-ai-gateway.mjs";
import { allCases as allEmbeddingsCases } from "../js/suite-embeddings.mjs";
import { allCases as allLargeReadCases } from "../js/suite-large-reads.mjs";
import { runCaseList } from "../js/suite-helpers.mjs";
import { allCases } from "../js/suite.mjs";

export default {
  async fetch(request) {
    if (request.method !== "POST") return new Response("POST the suite context", { status: 405 });
    const { emulatorUrl, recordings, featureRecordings, invokeRecordings, only } = await request.json();
    const watched = watchErrors(pkg);
    const ctx = { pkg: watched.pkg, emulatorUrl, recordings, featureRecordings, invokeRecordings, runtime: "workerd", gc: globalThis.gc };
    const results = await runCaseList(ctx, [...allCases(ctx), ...allFeatureCases(ctx), ...allReliabilityCases(ctx), ...allInvokeCases(ctx), ...allLangChainCases(ctx), ...allCountTokensCases(ctx), ...allAiGatewayCases(ctx), ...allEmbeddingsCases(ctx), ...allLargeReadCases(ctx), secretScanCase(watched.errors)], only);
    return Response.json(results);
  },
};
