// What a user of `bedrock-edge/testing` does, checked with web-standard globals only, so the same
// module runs in Node and inside workerd (run.mjs). Returns [{name, ok, detail?}].
import { BedrockError, ChatBedrockConverse } from "bedrock-edge";
import { createEmulator } from "bedrock-edge/testing";
import worker from "./user-worker.mjs";

const MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const SYSTEM = "You are a helpful assistant that translates English to French. Translate the user sentence.";
const SEED = [["system", SYSTEM], ["human", "I love programming."]];
const SEED_ANSWER = "J'adore la programmation.";

function equal(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

export async function runChecks() {
  const results = [];
  const check = async (name, fn) => {
    try {
      await fn();
      results.push({ name, ok: true });
    } catch (err) {
      results.push({ name, ok: false, detail: String(err?.stack ?? err) });
    }
  };
  const emulator = createEmulator();
  const llmFor = (options = {}) => new ChatBedrockConverse({
    model: MODEL,
    region: "us-east-1",
    endpoint: "https://bedrock.test",
    fetch: emulator.fetch,
    credentials: emulator.credentials,
    ...options,
  });

  await check("ChatBedrockConverse.invoke with fetch: emulator.fetch gets the seed answer", async () => {
    const message = await llmFor().invoke(SEED);
    equal(message.content, SEED_ANSWER, "content");
  });
  await check("ChatBedrockConverse.stream through the fetch handler", async () => {
    let text = "";
    for await (const chunk of llmFor().stream(SEED)) text += chunk.text ?? "";
    equal(text, SEED_ANSWER, "streamed text");
  });
  await check("the request log shows both calls, signed and redacted", () => {
    const log = emulator.requests();
    equal(log.map((r) => [r.operation, r.modelId, r.status]), [["Converse", MODEL, 200], ["ConverseStream", MODEL, 200]], "log");
    if (!/Signature=REDACTED$/.test(log[0].headers.authorization)) throw new Error(`authorization: ${log[0].headers.authorization}`);
    equal(log[0].body.messages[0].content, [{ text: "I love programming." }], "logged body");
  });
  await check("the API key works too", async () => {
    const message = await llmFor({ credentials: undefined, apiKey: emulator.apiKey }).invoke(SEED);
    equal(message.content, SEED_ANSWER, "content");
  });
  await check("AI Gateway (BYOK) through the fetch handler: the gateway route, its token, no AWS authorization", async () => {
    emulator.reset();
    const { accountId, byokGatewayId, token } = emulator.aiGateway;
    const llm = new ChatBedrockConverse({
      model: MODEL, region: "us-east-1", env: {}, fetch: emulator.fetch,
      aiGateway: { accountId, gatewayId: byokGatewayId, token, byok: true, baseUrl: "https://gateway.test" },
    });
    equal((await llm.invoke(SEED)).content, SEED_ANSWER, "content");
    const [call] = emulator.requests();
    equal(call.path, `/v1/${accountId}/${byokGatewayId}/aws-bedrock/bedrock-runtime/us-east-1/model/${encodeURIComponent(MODEL)}/converse`, "path");
    equal([call.headers["cf-aig-authorization"], call.headers.authorization], ["Bearer REDACTED", undefined], "headers");
  });
  await check("fault:throttle fails as ThrottlingException after the retries", async () => {
    emulator.reset();
    try {
      await llmFor({ model: "fault:throttle", maxRetries: 1 }).invoke("hi");
      throw new Error("no error");
    } catch (err) {
      if (!(err instanceof BedrockError)) throw err;
      equal([err.name, err.status], ["ThrottlingException", 429], "error");
    }
    equal(emulator.requests().length, 2, "attempts");
  });
  await check("fault:flaky:1:throttle is retried and answers", async () => {
    const message = await llmFor({ model: "fault:flaky:1:throttle" }).invoke(SEED);
    equal(message.content, SEED_ANSWER, "content");
  });
  await check("a wrong secret is refused (InvalidSignatureException)", async () => {
    try {
      await llmFor({ credentials: { ...emulator.credentials, secretAccessKey: "wrong" } }).invoke("hi");
      throw new Error("no error");
    } catch (err) {
      if (!(err instanceof BedrockError)) throw err;
      equal([err.name, err.status], ["InvalidSignatureException", 403], "error");
    }
  });
  await check("fault:cut mid-stream fails the stream", async () => {
    try {
      for await (const _chunk of llmFor({ model: "fault:cut", maxRetries: 0 }).stream(SEED));
      throw new Error("no error");
    } catch (err) {
      if (!(err instanceof BedrockError)) throw err;
    }
  });
  // The two tests of TESTING.md's example, on its Worker (run.mjs stages it as user-worker.mjs).
  const env = {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: "https://bedrock.test",
    BEDROCK_FETCH: emulator.fetch,
  };
  await check("TESTING.md: the Worker translates", async () => {
    emulator.reset();
    const response = await worker.fetch(new Request("https://example.com/", { method: "POST", body: "I love programming." }), env);
    equal(await response.text(), SEED_ANSWER, "worker response");
    const [call] = emulator.requests();
    equal(call.operation, "ConverseStream", "operation");
    equal(call.body.messages[0].content, [{ text: "I love programming." }], "logged body");
  });
  await check("TESTING.md: the Worker survives throttling", async () => {
    const response = await worker.fetch(new Request("https://example.com/", { method: "POST", body: "hi" }), {
      ...env,
      MODEL_ID: "fault:flaky:1:throttle",
    });
    equal(await response.text(), "Echo: hi", "worker response");
  });
  return results;
}
