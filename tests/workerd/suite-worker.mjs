// A Worker that runs the JS suite inside workerd: POST { emulatorUrl, recordings, only }
// and it answers with the results as JSON.
import * as pkg from "bedrock-edge";
import { runCases } from "../js/suite.mjs";

export default {
  async fetch(request) {
    if (request.method !== "POST") return new Response("POST the suite context", { status: 405 });
    const { emulatorUrl, recordings, only } = await request.json();
    const results = await runCases({ pkg, emulatorUrl, recordings, runtime: "workerd" }, only);
    return Response.json(results);
  },
};
