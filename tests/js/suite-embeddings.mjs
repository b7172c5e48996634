// End-to-end cases of `BedrockEmbeddings` (Titan Text Embeddings v1/v2, Cohere Embed v3/v4, Nova
// Multimodal Embeddings' text over InvokeModel) and of `bedrock-edge/langchain`'s `BedrockEmbeddings` as a LangChain Embeddings.
// Web-standard globals only; run in Node, workerd and Chromium next to the other suites. Every
// case checks the requests the emulator got (or that none was sent) and the vectors returned.
import { Embeddings } from "@langchain/core/embeddings";
import { BedrockEmbeddings as LangChainEmbeddings } from "bedrock-edge/langchain";
import * as assert from "./assert.mjs";
import { CREDENTIALS, assertBedrockError, clearRequests, failure, runCaseList, sentRequests } from "./suite-helpers.mjs";

const TITAN_V1 = "amazon.titan-embed-text-v1";
const TITAN_V2 = "amazon.titan-embed-text-v2:0";
const COHERE_V3 = "cohere.embed-multilingual-v3";
const COHERE_V4 = "us.cohere.embed-v4:0";
const NOVA = "amazon.nova-2-multimodal-embeddings-v1:0";
const DOCS = ["Paris is the capital of France", "Bananas are a yellow fruit", "The stock market fell sharply today", "Berlin is the capital of Germany"];

const embeddingsOf = (ctx, model, options = {}, Class = ctx.pkg.BedrockEmbeddings) =>
  new Class({ model, region: "us-east-1", endpoint: ctx.emulatorUrl, credentials: CREDENTIALS, ...options });

/** Runs `call` on fresh request logs; its result and the InvokeModel requests the emulator saw. */
async function requestsOf(ctx, call) {
  await clearRequests(ctx);
  const result = await call();
  return { result, requests: await sentRequests(ctx) };
}

const words = (text) => text.split(/\s+/).filter(Boolean).length;
const dot = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0);
const cosine = (a, b) => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));

function assertVectors(vectors, count, dimensions, what) {
  assert.ok(Array.isArray(vectors), `${what}: an array`);
  assert.equal(vectors.length, count, `${what}: one vector per text`);
  for (const vector of vectors) {
    assert.ok(Array.isArray(vector), `${what}: each vector a plain array`);
    assert.equal(vector.length, dimensions, `${what}: dimensions`);
    assert.ok(vector.every((x) => typeof x === "number" && Number.isFinite(x)), `${what}: numbers`);
  }
}

/**
 * A `fetch` that counts the requests in flight (the most at once in `stats.most`) and holds each
 * Titan request back by `delay(inputText)` ms before sending it on.
 */
function countingFetch(stats, delay = () => 0) {
  return async (input, init) => {
    stats.inFlight += 1;
    stats.most = Math.max(stats.most, stats.inFlight);
    try {
      const { inputText } = JSON.parse(new TextDecoder().decode(init.body));
      await new Promise((resolve) => setTimeout(resolve, delay(inputText)));
      return await fetch(input, init);
    } finally {
      stats.inFlight -= 1;
    }
  };
}

const bodyText = (init) => JSON.parse(new TextDecoder().decode(init.body)).inputText;

export const cases = [
  {
    name: "BedrockEmbeddings (Titan v2): embedDocuments sends one InvokeModel per text with dimensions and normalize, at most maxConcurrency at once, and returns the vectors in input order",
    async run(ctx) {
      const texts = Array.from({ length: 12 }, (_, i) => `document number ${i} about topic ${i % 3}`);
      const stats = { inFlight: 0, most: 0 };
      // Earlier texts are held back longer, so replies arrive out of order.
      const fetch = countingFetch(stats, (text) => 40 - 3 * Number(text.split(" ")[2]));
      const embeddings = embeddingsOf(ctx, TITAN_V2, { dimensions: 256, normalize: false, maxConcurrency: 3, fetch });
      const { result, requests } = await requestsOf(ctx, () => embeddings.embedDocumentsWithUsage(texts));
      assert.equal(requests.length, texts.length, "one request per text");
      for (const request of requests) {
        assert.equal(request.path, `/model/${encodeURIComponent(TITAN_V2)}/invoke`, "InvokeModel path");
        assert.equal(request.method, "POST", "POST");
        assert.ok(request.headers.authorization.startsWith("AWS4-HMAC-SHA256 "), "SigV4");
        assert.deepEqual(Object.keys(request.body), ["inputText", "dimensions", "normalize"], "body members");
        assert.equal(request.body.dimensions, 256, "dimensions");
        assert.equal(request.body.normalize, false, "normalize");
      }
      assert.deepEqual(requests.map((r) => r.body.inputText).sort(), [...texts].sort(), "each text sent once");
      assert.equal(stats.most, 3, `at most maxConcurrency (3) in flight, and that many: ${stats.most}`);
      assertVectors(result.embeddings, texts.length, 256, "embeddings");
      assert.equal(result.inputTokens, texts.reduce((n, t) => n + words(t), 0), "inputTokens: the replies' inputTextTokenCount summed");
      // Each vector is its own text's: embed each alone and compare.
      const one = embeddingsOf(ctx, TITAN_V2, { dimensions: 256, normalize: false });
      for (const i of [0, 5, 11]) assert.deepEqual(await one.embedQuery(texts[i]), result.embeddings[i], `vector ${i} is text ${i}'s`);
      assert.ok(JSON.stringify(result.embeddings[0]) !== JSON.stringify(result.embeddings[1]), "different texts, different vectors");
    },
  },
  {
    name: "BedrockEmbeddings (Titan v1): {inputText} only, 1536 dimensions; maxConcurrency defaults to 8; cosine retrieval finds the right document",
    async run(ctx) {
      const stats = { inFlight: 0, most: 0 };
      const embeddings = embeddingsOf(ctx, TITAN_V1, { fetch: countingFetch(stats, () => 20) });
      const texts = Array.from({ length: 20 }, (_, i) => `text ${i}`);
      const { requests } = await requestsOf(ctx, () => embeddings.embedDocuments(texts));
      assert.equal(requests.length, 20, "20 requests");
      assert.equal(stats.most, 8, `at most 8 in flight by default, got ${stats.most}`);
      const docs = await requestsOf(ctx, () => embeddings.embedDocuments(DOCS));
      assert.deepEqual(docs.requests.map((r) => r.body).sort((a, b) => a.inputText.localeCompare(b.inputText)), [...DOCS].sort().map((inputText) => ({ inputText })), "bodies");
      assertVectors(docs.result, DOCS.length, 1536, "Titan v1");
      const query = await embeddings.embedQuery("What is the capital of France?");
      const ranked = docs.result.map((v, i) => [cosine(query, v), i]).sort((a, b) => b[0] - a[0]);
      assert.equal(ranked[0][1], 0, "the France document ranks first");
      assert.deepEqual(JSON.parse(JSON.stringify(embeddings)), {
        model: TITAN_V1, region: "us-east-1", endpoint: ctx.emulatorUrl, maxRetries: 2, auth: "sigv4", maxConcurrency: 8,
      }, "toJSON: no secret");
    },
  },
  {
    name: "BedrockEmbeddings (Cohere v3): texts in batches of 96 with input_type search_document; embedQuery sends search_query; vectors in input order",
    async run(ctx) {
      const texts = Array.from({ length: 200 }, (_, i) => `passage ${i} of the corpus`);
      const embeddings = embeddingsOf(ctx, COHERE_V3, { truncate: "END" });
      const { result, requests } = await requestsOf(ctx, () => embeddings.embedDocumentsWithUsage(texts));
      assert.deepEqual(requests.map((r) => r.body.texts.length).sort((a, b) => b - a), [96, 96, 8], "batches of at most 96");
      assert.deepEqual(requests.flatMap((r) => r.body.texts).sort(), [...texts].sort(), "every text once");
      for (const request of requests) {
        assert.deepEqual(request.body, { texts: request.body.texts, input_type: "search_document", truncate: "END" }, "body");
        const first = texts.indexOf(request.body.texts[0]);
        assert.deepEqual(request.body.texts, texts.slice(first, first + request.body.texts.length), "a batch is a run of consecutive texts");
      }
      assertVectors(result.embeddings, 200, 1024, "Cohere v3");
      assert.equal(result.inputTokens, texts.reduce((n, t) => n + words(t), 0), "inputTokens from X-Amzn-Bedrock-Input-Token-Count");
      const query = await requestsOf(ctx, () => embeddings.embedQuery(texts[150]));
      assert.equal(query.requests.length, 1, "one request");
      assert.deepEqual(query.requests[0].body, { texts: [texts[150]], input_type: "search_query", truncate: "END" }, "query body");
      assert.deepEqual(query.result, result.embeddings[150], "the 151st vector is the 151st text's");
      const empty = await requestsOf(ctx, () => embeddings.embedDocuments([]));
      assert.deepEqual(empty.result, [], "no texts, no vectors");
      assert.equal(empty.requests.length, 0, "nothing sent for no texts");
    },
  },
  {
    name: "BedrockEmbeddings (Cohere v4): embedding_types [float] and output_dimension from dimensions; the reply's embeddings.float are the vectors",
    async run(ctx) {
      const embeddings = embeddingsOf(ctx, COHERE_V4, { dimensions: 512, truncate: "RIGHT" });
      const { result, requests } = await requestsOf(ctx, () => embeddings.embedDocuments(DOCS));
      assert.equal(requests.length, 1, "one request");
      assert.equal(requests[0].path, `/model/${encodeURIComponent(COHERE_V4)}/invoke`, "the profile id in the path");
      assert.deepEqual(requests[0].body, { texts: DOCS, input_type: "search_document", truncate: "RIGHT", embedding_types: ["float"], output_dimension: 512 }, "body");
      assertVectors(result, DOCS.length, 512, "Cohere v4");
      const query = await embeddings.embedQuery("capital of Germany");
      const ranked = result.map((v, i) => [cosine(query, v), i]).sort((a, b) => b[0] - a[0]);
      assert.equal(ranked[0][1], 3, "the Germany document ranks first");
    },
  },
  {
    name: "BedrockEmbeddings (Nova Multimodal Embeddings): one SINGLE_EMBEDDING request per text, GENERIC_INDEX for documents and GENERIC_RETRIEVAL for queries, embeddingDimension and truncationMode; each entry's embedding is a vector",
    async run(ctx) {
      const embeddings = embeddingsOf(ctx, NOVA, { dimensions: 384, truncate: "START" });
      const { result, requests } = await requestsOf(ctx, () => embeddings.embedDocumentsWithUsage(DOCS));
      assert.equal(requests.length, DOCS.length, "one request per text");
      const params = (value, purpose, extra = { embeddingDimension: 384 }, truncationMode = "START") =>
        ({ taskType: "SINGLE_EMBEDDING", singleEmbeddingParams: { embeddingPurpose: purpose, ...extra, text: { truncationMode, value } } });
      for (const request of requests) {
        assert.equal(request.path, `/model/${encodeURIComponent(NOVA)}/invoke`, "InvokeModel path");
        assert.deepEqual(request.body, params(request.body.singleEmbeddingParams.text.value, "GENERIC_INDEX"), "document body");
      }
      assert.deepEqual(requests.map((r) => r.body.singleEmbeddingParams.text.value).sort(), [...DOCS].sort(), "each text once");
      assertVectors(result.embeddings, DOCS.length, 384, "Nova");
      assert.equal(result.inputTokens, DOCS.reduce((n, t) => n + words(t), 0), "inputTokens from X-Amzn-Bedrock-Input-Token-Count");
      const query = await requestsOf(ctx, () => embeddings.embedQuery("capital of Germany"));
      assert.deepEqual(query.requests.map((r) => r.body), [params("capital of Germany", "GENERIC_RETRIEVAL")], "query body");
      const ranked = result.embeddings.map((v, i) => [cosine(query.result, v), i]).sort((a, b) => b[0] - a[0]);
      assert.equal(ranked[0][1], 3, "the Germany document ranks first");

      const plain = await requestsOf(ctx, () => embeddingsOf(ctx, NOVA).embedQuery("two words"));
      assert.deepEqual(plain.requests.map((r) => r.body), [params("two words", "GENERIC_RETRIEVAL", {}, "END")], "no embeddingDimension unless set; truncationMode END by default");
      assert.equal(plain.result.length, 3072, "Nova's default 3072 dimensions");

      // An entry without its embedding is not Bedrock's reply.
      const broken = embeddingsOf(ctx, NOVA, { fetch: async () => new Response(JSON.stringify({ embeddings: [{ embeddingType: "TEXT" }] }), { status: 200 }) });
      const error = await failure(() => broken.embedQuery("x"), "an entry without embedding");
      assertBedrockError(ctx, error, {});
      assert.ok(error.message.includes("no 1 vectors of numbers in embeddings"), `says what is missing: ${error.message}`);
    },
  },
  {
    name: "BedrockEmbeddings errors: a failed request rejects the call with its BedrockError and no further request starts; a throttled one is retried; abort and timeout",
    async run(ctx) {
      const calls = [];
      const fetch = async (input, init) => {
        const text = bodyText(init);
        calls.push(text);
        if (text === "poison") {
          return new Response(JSON.stringify({ message: "Malformed input request: poison" }), { status: 400, headers: { "x-amzn-errortype": "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/", "x-amzn-requestid": "req-poison" } });
        }
        if (text === "flaky" && calls.filter((t) => t === "flaky").length === 1) {
          return new Response(JSON.stringify({ message: "Too many requests" }), { status: 429, headers: { "x-amzn-errortype": "ThrottlingException" } });
        }
        return globalThis.fetch(input, init);
      };
      const embeddings = embeddingsOf(ctx, TITAN_V2, { maxConcurrency: 1, fetch });
      await clearRequests(ctx);
      const error = await failure(() => embeddings.embedDocuments(["one", "two", "poison", "four", "five"]), "poison");
      assertBedrockError(ctx, error, { name: "ValidationException", status: 400, retryable: false });
      assert.equal(error.requestId, "req-poison", "requestId");
      assert.deepEqual(calls, ["one", "two", "poison"], "nothing started after the failure");
      assert.equal((await sentRequests(ctx)).length, 2, "the emulator saw the two before it");

      calls.length = 0;
      const { result, requests } = await requestsOf(ctx, () => embeddings.embedDocuments(["flaky", "fine"]));
      assert.deepEqual(calls, ["flaky", "flaky", "fine"], "the throttled request was retried");
      assert.equal(requests[0].headers["amz-sdk-request"], "attempt=2; max=3", "the retry's attempt header");
      assertVectors(result, 2, 1024, "after the retry");

      const aborted = embeddingsOf(ctx, TITAN_V2);
      await clearRequests(ctx);
      const abort = await failure(() => aborted.embedDocuments(["a", "b"], { signal: AbortSignal.abort() }), "aborted");
      assertBedrockError(ctx, abort, { name: "AbortError" });
      const hanging = embeddingsOf(ctx, TITAN_V2, { timeout: 50, fetch: (input, init) => new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason))) });
      const timeout = await failure(() => hanging.embedQuery("never answered"), "timeout");
      assertBedrockError(ctx, timeout, { name: "TimeoutError" });
      assert.equal((await sentRequests(ctx)).length, 0, "nothing reached the emulator");
    },
  },
  {
    name: "BedrockEmbeddings: each request gets an AbortSignal of its own (Node's fetch keeps a listener on a request's signal until the request is garbage-collected), aborted with the call's signal",
    async run(ctx) {
      const signals = [];
      const recording = (input, init) => {
        signals.push(init.signal);
        return fetch(input, init);
      };
      const caller = new AbortController();
      const embeddings = embeddingsOf(ctx, TITAN_V2, { dimensions: 256, maxConcurrency: 2, fetch: recording });
      const texts = ["one text", "two texts", "three texts", "four texts"];
      const { result, requests } = await requestsOf(ctx, () => embeddings.embedDocuments(texts, { signal: caller.signal }));
      assert.equal(requests.length, 4, "four requests");
      assertVectors(result, 4, 256, "vectors");
      assert.equal(signals.length, 4, "four fetches");
      assert.equal(new Set(signals).size, 4, "four different signals, one per request");
      assert.ok(signals.every((s) => s instanceof AbortSignal && s !== caller.signal), "each an AbortSignal, none the caller's own");

      // Requests that never answer: the caller's abort reaches each one in flight.
      const held = [];
      const hanging = embeddingsOf(ctx, TITAN_V2, { maxConcurrency: 2, fetch: (input, init) => {
        held.push(init.signal);
        return new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason)));
      } });
      await clearRequests(ctx);
      const call = hanging.embedDocuments(texts, { signal: caller.signal });
      while (held.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      caller.abort();
      assertBedrockError(ctx, await failure(() => call, "aborted in flight"), { name: "AbortError" });
      assert.equal(held.length, 2, "no request started after the abort");
      assert.ok(held[0] !== held[1] && held.every((s) => s.aborted), "both in-flight signals aborted");
      assert.equal((await sentRequests(ctx)).length, 0, "nothing reached the emulator");
    },
  },
  {
    name: "BedrockEmbeddings bad input: a TypeError naming the field, nothing sent (empty text, non-string, wrong dimensions, unknown model, unknown or chat options)",
    async run(ctx) {
      await clearRequests(ctx);
      const embeddings = embeddingsOf(ctx, TITAN_V2);
      for (const [call, field] of [
        [() => embeddings.embedQuery(""), "text is empty"],
        [() => embeddings.embedQuery(42), "text must be a string"],
        [() => embeddings.embedDocuments(["fine", ""]), "texts[1] is empty"],
        [() => embeddings.embedDocuments(["fine", null]), "texts[1] must be a string"],
        [() => embeddings.embedDocuments("not an array"), "texts must be an array of strings"],
        [() => embeddings.embedDocuments(["a"], { dimensions: 256 }), "`dimensions` is not a call option"],
        [() => embeddings.embedDocuments(["a"], { signal: "stop" }), "signal must be an AbortSignal"],
        [() => embeddings.embedDocuments(["a"], "fast"), "call options must be an object"],
        [() => embeddingsOf(ctx, TITAN_V2, { dimensions: 300 }), "dimensions: must be one of 256, 512, 1024"],
        [() => embeddingsOf(ctx, TITAN_V1, { dimensions: 256 }), "dimensions: Titan Text Embeddings v1 has no such option"],
        [() => embeddingsOf(ctx, COHERE_V3, { truncate: "LEFT" }), "truncate: must be one of NONE, START, END"],
        [() => embeddingsOf(ctx, NOVA, { dimensions: 512 }), "dimensions: must be one of 256, 384, 1024, 3072"],
        [() => embeddingsOf(ctx, "amazon.titan-text-express-v1"), "model \"amazon.titan-text-express-v1\" is not an embedding model"],
        [() => embeddingsOf(ctx, TITAN_V2, { dimension: 256 }), "unknown option `dimension`; did you mean `dimensions`?"],
        [() => embeddingsOf(ctx, TITAN_V2, { temperature: 0 }), "`temperature` is not an option of BedrockEmbeddings"],
        [() => embeddingsOf(ctx, TITAN_V2, { maxConcurrency: 0 }), "maxConcurrency must be a positive integer"],
      ]) {
        const error = await failure(call, field);
        assert.ok(error instanceof TypeError, `${field}: a TypeError, got ${error?.name}: ${error?.message}`);
        assert.ok(error.message.includes(field), `${field}: got ${error.message}`);
      }
      assert.equal((await sentRequests(ctx)).length, 0, "nothing sent");
    },
  },
  {
    name: "langchain BedrockEmbeddings: an @langchain/core Embeddings whose embedQuery and embedDocuments are the core's; a small retrieval over them",
    async run(ctx) {
      const embeddings = embeddingsOf(ctx, COHERE_V3, {}, LangChainEmbeddings);
      assert.ok(embeddings instanceof Embeddings, "an Embeddings");
      assert.equal(embeddings.model, COHERE_V3, "model");
      const docs = await requestsOf(ctx, () => embeddings.embedDocuments(DOCS));
      assert.equal(docs.requests.length, 1, "one batch");
      assert.equal(docs.requests[0].body.input_type, "search_document", "documents");
      assertVectors(docs.result, DOCS.length, 1024, "documents");
      const query = await requestsOf(ctx, () => embeddings.embedQuery("Which fruit is yellow?"));
      assert.equal(query.requests[0].body.input_type, "search_query", "query");
      const best = docs.result.map((v, i) => [cosine(query.result, v), DOCS[i]]).sort((a, b) => b[0] - a[0])[0][1];
      assert.equal(best, DOCS[1], "retrieves the banana document");
      const bad = await failure(() => embeddingsOf(ctx, COHERE_V3, { onFailedAttempt: () => {} }, LangChainEmbeddings), "onFailedAttempt");
      assert.ok(bad instanceof TypeError && bad.message.includes("onFailedAttempt"), `LangChain's caller options are not taken: ${bad?.message}`);
      assert.ok(!JSON.stringify(embeddings).includes(CREDENTIALS.secretAccessKey), "no secret in JSON");
    },
  },
];

/** The cases; `ctx` is the runner's (only `emulatorUrl` and `pkg` are read). */
export const allCases = () => cases;

/** Runs every case; returns [{ name, ok, error?, ms }]. */
export const runSuite = (ctx, only) => runCaseList(ctx, cases, only);
