// A small real program against the public types, checked with `tsc --strict --noEmit` in a
// consumer project that installed the package (see tsconfig.json). Not executed. It uses every
// option, input block, tool form and output block, so a change to index.d.ts that breaks one of
// them fails the check.
import {
  BedrockEmbeddings,
  BedrockError,
  ChatAnthropicBedrock,
  ChatBedrock,
  ChatBedrockConverse,
  concat,
  type AIMessage,
  type AIMessageChunk,
  type BedrockModelSettings,
  type CallOptions,
  type ChatBedrockConverseInput,
  type ChatBedrockInput,
  type InvokeCallOptions,
  type Citation,
  type ContentBlock,
  type InputContentBlock,
  type MessageInput,
  type StructuredOutputRunnable,
  type ToolChoice,
  type ToolInput,
} from "bedrock-edge";

interface Env {
  AWS_REGION: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
}

const messages: MessageInput[] = [
  ["system", "You are a helpful assistant that translates English to French. Translate the user sentence."],
  ["human", "I love programming."],
  { role: "assistant", content: "J'adore la programmation." },
  { role: "user", content: [{ type: "text", text: "And I love Rust." }, { cachePoint: { type: "default" } }] },
];

// A Cloudflare Worker: stream the answer to the client as text.
export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    const llm = new ChatBedrockConverse({ model: "anthropic.claude-3-5-sonnet-20240620-v1:0", env, maxTokens: 256 });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        for await (const chunk of llm.stream(messages)) controller.enqueue(encoder.encode(chunk.text));
        controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/plain; charset=utf-8" } });
  },
};

export async function translate(options: ChatBedrockConverseInput, signal: AbortSignal): Promise<string> {
  const llm = new ChatBedrockConverse({
    ...options,
    credentials: async () => ({ accessKeyId: "AKID", secretAccessKey: "secret", sessionToken: "token" }),
    fetch: (input, init) => fetch(input, init),
  });
  const modelName: string = llm.model;
  try {
    const message: AIMessage = await llm.invoke(messages, { signal });
    const usage = message.usage_metadata;
    const cacheRead: number | undefined = usage?.input_token_details?.cache_read;
    const requestId: string | undefined = message.response_metadata.ResponseMetadata?.RequestId;
    const content: string = typeof message.content === "string" ? message.content : message.text;
    for (const block of message.contentBlocks) {
      if (block.type === "text") console.log(block.text);
      else if (block.type === "tool_call") console.log(block.name, block.args);
    }
    console.log(modelName, cacheRead, requestId, JSON.stringify(llm));
    return content;
  } catch (error) {
    if (error instanceof BedrockError && error.retryable) {
      console.log(error.name, error.code, error.status, error.requestId);
    }
    if (error instanceof BedrockError && error.name === "TimeoutError") console.log("too slow");
    throw error;
  }
}

export async function fold(llm: ChatBedrockConverse): Promise<AIMessageChunk> {
  const chunks: AIMessageChunk[] = [];
  const stream = llm.stream(messages);
  for await (const chunk of stream) {
    for (const block of chunk.content) if (block.type === "text") console.log(block.index, block.text);
    chunks.push(chunk);
  }
  const reader = llm.stream(messages).getReader();
  await reader.cancel();
  return chunks.reduce(concat);
}

// ---- every option ---------------------------------------------------------------------------

const weatherSchema = {
  type: "object",
  properties: { city: { type: "string" }, unit: { type: "string", enum: ["C", "F"] } },
  required: ["city"],
} as const;

const tools: ToolInput[] = [
  { name: "get_weather", description: "Current weather of a city.", schema: weatherSchema },
  { type: "function", function: { name: "get_time", description: "Local time.", parameters: { type: "object" } } },
  { toolSpec: { name: "get_news", description: "Headlines.", inputSchema: { json: { type: "object" } } } },
  { name: "search_a", parameters: { type: "object" } },
  { name: "search_b", description: "Anthropic style.", input_schema: { type: "object" } },
  { name: "search_c", inputSchema: { type: "object" } },
  { cachePoint: { type: "default" } },
  { systemTool: { name: "nova_grounding" } },
];

const throughGateway = new ChatBedrockConverse({
  model: "anthropic.claude-sonnet-4-20250514-v1:0",
  region: "us-east-1",
  aiGateway: { accountId: "0123abcd", gatewayId: "prod", byok: true, cacheTtl: 3600, skipCache: false, metadata: { user: "u-1", tier: 2, beta: true } },
});
void throughGateway;
// @ts-expect-error metadata values are strings, numbers or booleans
new ChatBedrockConverse({ model: "m", aiGateway: { accountId: "a", gatewayId: "g", metadata: { nested: { a: 1 } } } });
// @ts-expect-error accountId and gatewayId are required
new ChatBedrockConverse({ model: "m", aiGateway: { gatewayId: "g" } });

const everyOption: ChatBedrockConverseInput = {
  model: "anthropic.claude-sonnet-4-20250514-v1:0",
  region: "us-east-1",
  credentials: { accessKeyId: "AKID", secretAccessKey: "secret" },
  endpoint: "http://127.0.0.1:4010",
  env: { AWS_REGION: "us-west-2" },
  temperature: 0.2,
  maxTokens: 1024,
  maxRetries: 4,
  timeout: 30_000,
  streamIdleTimeout: 10_000,
  topP: 0.9,
  stopSequences: ["\n\nHuman:"],
  additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } },
  additionalModelResponseFieldPaths: ["/stop_sequence"],
  guardrailConfig: { guardrailIdentifier: "gr-123", guardrailVersion: "1", trace: "enabled_full", streamProcessingMode: "async" },
  performanceConfig: { latency: "optimized" },
  requestMetadata: { team: "search", env: "prod" },
  serviceTier: { type: "flex" },
  promptVariables: { topic: { text: "owls" } },
  outputConfig: {
    textFormat: { type: "json_schema", structure: { jsonSchema: { schema: JSON.stringify(weatherSchema), name: "weather" } } },
  },
  tools,
  toolChoice: "auto",
};

export const byApiKey = new ChatBedrockConverse({ modelId: "amazon.nova-lite-v1:0", apiKey: "bedrock-api-key", serviceTier: "priority" });

// The shared settings are one set: ChatAnthropicBedrock's options work on ChatBedrockConverse too.
const sharedSettings: BedrockModelSettings = {
  maxTokens: 2048,
  temperature: 1,
  topP: 0.9,
  topK: 40,
  stop: ["\n\nHuman:"],
  thinking: { type: "enabled", budget_tokens: 1024 },
  betas: ["interleaved-thinking-2025-05-14"],
  modelKwargs: { metadata: { user_id: "u-1" } },
};
export const sameSettings = [
  new ChatBedrockConverse({ model: "anthropic.claude-sonnet-4-20250514-v1:0", ...sharedSettings }),
  new ChatBedrock({ model: "anthropic.claude-sonnet-4-20250514-v1:0", ...sharedSettings }),
  new ChatAnthropicBedrock({ model: "anthropic.claude-sonnet-4-20250514-v1:0", ...sharedSettings }),
] as const;
export const perCallSettings: [CallOptions, InvokeCallOptions] = [sharedSettings, sharedSettings];
const choices: ToolChoice[] = ["auto", "any", "required", "get_weather"];

// ---- every input block ----------------------------------------------------------------------

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
const pdf: ArrayBuffer = new ArrayBuffer(8);

const standardBlocks: InputContentBlock[] = [
  { type: "text", text: "Compare these." },
  { type: "image", mimeType: "image/png", data: png },
  { type: "image", mimeType: "image/png", data: pdf },
  { type: "image", mime_type: "image/jpeg", data: "/9j/4AAQ", source_type: "base64" },
  { type: "image", mimeType: "image/webp", base64: "UklGRg==" },
  { type: "image", url: "data:image/gif;base64,R0lGOD==" },
  { type: "image", mimeType: "image/png", url: "s3://bucket/cat.png", source_type: "url", bucketOwner: "111122223333" },
  { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0K" } },
  { type: "image_url", image_url: "data:image/png;base64,iVBORw0K" },
  { type: "file", mimeType: "application/pdf", data: png, filename: "Q3 report.pdf", citations: true, context: "Quarterly numbers" },
  { type: "file", mimeType: "text/csv", data: "YSxiCjEsMg==", name: "table", citations: { enabled: true } },
  { type: "file", mimeType: "video/mp4", url: "s3://bucket/clip.mp4" },
  { type: "text-plain", text: "Plain notes.", mimeType: "text/plain", filename: "notes" },
  { type: "video", mimeType: "video/webm", data: png },
];

const nativeBlocks: InputContentBlock[] = [
  { text: "Native text." },
  { image: { format: "png", source: { bytes: png } } },
  { image: { format: "jpeg", source: { bytes: "/9j/4AAQ" } } },
  { image: { format: "gif", source: { s3Location: { uri: "s3://bucket/a.gif", bucketOwner: "111122223333" } } } },
  { document: { format: "pdf", name: "Report", source: { bytes: png }, citations: { enabled: true }, context: "Q3" } },
  { document: { format: "txt", name: "Notes", source: { text: "hello" } } },
  { document: { format: "txt", name: "Chunks", source: { content: [{ text: "one" }, { text: "two" }] } } },
  { video: { format: "mp4", source: { bytes: png } } },
  { video: { format: "mov", source: { s3Location: { uri: "s3://bucket/b.mov" } } } },
  { guardContent: { text: { text: "Is this allowed?", qualifiers: ["query"] } } },
  { guardContent: { image: { format: "png", source: { bytes: png } } } },
  { searchResult: { source: "https://example.com", title: "Example", content: [{ text: "found" }], citations: { enabled: true } } },
  { cachePoint: { type: "default", ttl: "1h" } },
];

const history: MessageInput[] = [
  ["system", [{ type: "text", text: "Be brief." }, { cachePoint: { type: "default" } }]],
  ["user", [...standardBlocks, ...nativeBlocks]],
  {
    role: "assistant",
    content: [
      { type: "reasoning", reasoning: "The user wants weather.", extras: { signature: "sig" } },
      { type: "reasoning", reasoning: "", extras: { redactedContent: "AAAA" } },
      { type: "text", text: "Checking." },
      { type: "tool_call", id: "tooluse_1", name: "get_weather", args: { city: "Paris" } },
      { type: "tool_call_chunk", id: "tooluse_2", name: "get_time", args: '{"tz": "CET"}', index: 3 },
      { type: "non_standard", value: { citationsContent: { content: [{ text: "cited" }], citations: [] } } },
      { reasoningContent: { reasoningText: { text: "native reasoning", signature: "sig" } } },
      { reasoningContent: { redactedContent: png } },
      { toolUse: { toolUseId: "tooluse_3", name: "get_news", input: {} } },
      { citationsContent: { content: [{ text: "cited" }], citations: [{ title: "Report" }] } },
    ],
    tool_calls: [{ id: "tooluse_4", name: "search_a", args: { q: "owls" }, type: "tool_call" }],
  },
  { role: "tool", tool_call_id: "tooluse_1", content: "18°C" },
  ["tool", "18°C", { tool_call_id: "tooluse_1" }],
  { role: "tool", tool_call_id: "tooluse_2", content: { tz: "CET", time: "12:00" } },
  {
    role: "tool",
    tool_call_id: "tooluse_3",
    status: "error",
    content: [
      { type: "text", text: "failed" },
      { type: "json", json: { code: 503 } },
      { json: { native: true } },
      { type: "image", mimeType: "image/png", data: png },
      { image: { format: "png", source: { bytes: png } } },
    ],
  },
  { role: "user", content: [{ toolResult: { toolUseId: "tooluse_4", content: [{ text: "no owls" }], status: "success" } }] },
  { type: "human", content: "A LangChain-shaped message.", getType: () => "human" },
  { content: "An older LangChain message.", _getType: () => "ai" },
];

// ---- tools and structured output ------------------------------------------------------------

interface Weather {
  city: string;
  unit?: "C" | "F";
  forecast: { day: string; high: number }[];
}

export async function everything(signal: AbortSignal): Promise<void> {
  const llm = new ChatBedrockConverse(everyOption);
  for (const toolChoice of choices) llm.bindTools(tools, { toolChoice });
  const withTools: ChatBedrockConverse = llm.bindTools([tools[0], tools[1], tools[2], tools[3], tools[6]]);

  const perCall: CallOptions = {
    signal,
    temperature: 0,
    maxTokens: 64,
    topP: 1,
    stopSequences: ["END"],
    stop: ["STOP"],
    tools: [tools[0]],
    toolChoice: "get_weather",
    additionalModelRequestFields: { top_k: 5 },
    additionalModelResponseFieldPaths: ["/amazon-bedrock-trace"],
    guardrailConfig: { guardrailIdentifier: "gr-123", guardrailVersion: "DRAFT", trace: "disabled", streamProcessingMode: "sync" },
    performanceConfig: { latency: "standard" },
    requestMetadata: { call: "1" },
    serviceTier: "default",
    promptVariables: { topic: { text: "cats" } },
    outputConfig: { textFormat: { type: "json_schema", structure: { jsonSchema: { schema: "{}", description: "any" } } } },
  };

  // invoke: every output block kind, narrowed on `type`.
  const message = await withTools.invoke(history, perCall);
  describeBlocks(message.contentBlocks);
  if (typeof message.content !== "string") describeBlocks(message.content);
  for (const call of message.tool_calls) console.log(call.id, call.name, call.args.city);
  for (const bad of message.invalid_tool_calls) console.log(bad.id, bad.name, bad.args.length, bad.error);
  const meta = message.response_metadata;
  console.log(
    meta.stopReason,
    meta.metrics?.latencyMs,
    meta.usage?.cacheReadInputTokens,
    meta.model_name,
    meta.additionalModelResponseFields?.stop_sequence,
    meta.trace,
    meta.performanceConfig?.latency,
    meta.serviceTier?.type,
    message.usage_metadata?.total_tokens,
    message.usage_metadata?.input_token_details?.cache_creation,
  );

  // stream: every chunk block kind, then fold with concat.
  let folded: AIMessageChunk | undefined;
  for await (const chunk of withTools.stream("What is the weather in Paris?", { ...perCall, stop: undefined })) {
    for (const block of chunk.content) {
      switch (block.type) {
        case "text":
          console.log(block.index, block.text, block.annotations?.length);
          break;
        case "reasoning":
          console.log(block.index, block.reasoning, block.extras?.signature, block.extras?.redactedContent);
          break;
        case "tool_call_chunk":
          console.log(block.index, block.id, block.name, block.args);
          break;
        case "non_standard":
          console.log(block.index, block.value);
          break;
      }
    }
    for (const piece of chunk.tool_call_chunks ?? []) console.log(piece.index, piece.args);
    if (chunk.usage_metadata) console.log(chunk.usage_metadata.output_tokens, chunk.response_metadata?.stopReason);
    folded = folded === undefined ? chunk : concat(folded, chunk);
  }
  if (folded) {
    describeBlocks(folded.contentBlocks ?? []);
    console.log(folded.tool_calls?.[0]?.args, folded.invalid_tool_calls?.[0]?.error);
  }

  // withStructuredOutput: both methods, with and without includeRaw.
  const extractor = llm.withStructuredOutput<Weather>(weatherSchema, { name: "weather", description: "The weather." });
  const weather: Weather = await extractor.invoke("Weather in Paris?", { signal, temperature: 0 });
  console.log(weather.city, weather.forecast[0]?.high);
  for await (const partial of extractor.stream("Weather in Paris?", { maxTokens: 200 })) {
    // Everything is optional while the object streams in, at every depth.
    console.log(partial.city?.toUpperCase(), partial.forecast?.[0]?.day, partial.unit);
  }

  const viaJson: StructuredOutputRunnable<Weather> = llm.withStructuredOutput<Weather>(weatherSchema, { method: "jsonSchema" });
  console.log((await viaJson.invoke(history)).unit);
  const aliases = [
    llm.withStructuredOutput(weatherSchema, { method: "toolCalling" }),
    llm.withStructuredOutput(weatherSchema, { method: "function_calling" }),
    llm.withStructuredOutput(weatherSchema, { method: "tool_calling" }),
    llm.withStructuredOutput(weatherSchema, { method: "json_schema", includeRaw: false }),
  ];
  const untyped: Record<string, unknown> = await aliases[0].invoke("hi");
  console.log(untyped);

  const raw = llm.withStructuredOutput<Weather>(weatherSchema, { method: "functionCalling", includeRaw: true });
  const result = await raw.invoke(messages, { signal });
  const rawMessage: AIMessage = result.raw;
  if (result.parsed !== null) console.log(result.parsed.city, rawMessage.id);
  else if (result.parsingError) console.log(result.parsingError.name, result.parsingError.llmOutput);
  const rawStream = llm.withStructuredOutput<Weather>(weatherSchema, { method: "jsonSchema", includeRaw: true }).stream(messages);
  for await (const item of rawStream) {
    const soFar: AIMessageChunk = item.raw;
    console.log(soFar.text, item.parsed?.forecast?.length, item.parsingError?.message);
  }
  const reader = extractor.stream("hi").getReader();
  await reader.cancel();
}

function describeBlocks(blocks: ContentBlock[]): void {
  for (const block of blocks) {
    switch (block.type) {
      case "text":
        for (const citation of block.annotations ?? []) describeCitation(citation);
        console.log(block.text);
        break;
      case "reasoning":
        console.log(block.reasoning, block.extras?.signature ?? block.extras?.redactedContent);
        break;
      case "tool_call":
        console.log(block.id, block.name, block.args);
        break;
      case "invalid_tool_call":
        console.log(block.id, block.name, block.args, block.error);
        break;
      case "non_standard":
        console.log(Object.keys(block.value));
        break;
      default: {
        const never: never = block;
        console.log(never);
      }
    }
  }
}

function describeCitation(citation: Citation): void {
  const where = citation.location;
  console.log(
    citation.type,
    citation.title,
    citation.source,
    citation.url,
    citation.citedText,
    where?.documentChar?.start,
    where?.documentPage?.end,
    where?.documentChunk?.documentIndex,
    where?.searchResultLocation?.searchResultIndex,
    where?.web?.domain,
  );
}

export function errors(error: unknown): string | undefined {
  if (!(error instanceof BedrockError)) return undefined;
  if (error.name === "OutputParserException") return error.llmOutput;
  const custom = new BedrockError("custom", { name: "ThrottlingException", status: 429, requestId: "req-1", retryable: true, cause: error });
  return `${custom.name} ${custom.status} ${custom.requestId} ${custom.retryable} ${String(custom.cause)}`;
}

// The types reject what the runtime rejects with a TypeError.
// @ts-expect-error unknown role
new ChatBedrockConverse({ model: "m" }).invoke([["wizard", "hi"]]);
// @ts-expect-error messages are a string or an array
new ChatBedrockConverse({ model: "m" }).stream({ role: "user", content: "hi" });
// @ts-expect-error temperature is a number
new ChatBedrockConverse({ model: "m", temperature: "hot" });
// @ts-expect-error a tool result needs the id of the call it answers
new ChatBedrockConverse({ model: "m" }).invoke([{ role: "tool", content: "18°C" }]);
// @ts-expect-error a tool tuple needs its third member, { tool_call_id }
new ChatBedrockConverse({ model: "m" }).invoke([["tool", "18°C"]]);
// @ts-expect-error guardrailConfig needs a version
new ChatBedrockConverse({ model: "m", guardrailConfig: { guardrailIdentifier: "gr-123" } });
// @ts-expect-error unknown service tier
new ChatBedrockConverse({ model: "m", serviceTier: "turbo" });
// @ts-expect-error a tool needs a name
new ChatBedrockConverse({ model: "m" }).bindTools([{ schema: { type: "object" } }]);
// @ts-expect-error unknown structured-output method
new ChatBedrockConverse({ model: "m" }).withStructuredOutput({ type: "object" }, { method: "jsonMode" });
// @ts-expect-error a structured-output model's tools are its own
new ChatBedrockConverse({ model: "m" }).withStructuredOutput({ type: "object" }).invoke("hi", { tools: [] });

// ChatBedrock and ChatAnthropicBedrock: the same calls over InvokeModel.
async function invokeModels(env: Env): Promise<string> {
  const options: ChatBedrockInput = {
    model: "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc",
    provider: "meta",
    env,
    maxTokens: 256,
    modelKwargs: { top_p: 0.9 },
  };
  const llama = new ChatBedrock(options);
  const provider: string = llama.provider;
  const call: InvokeCallOptions = { temperature: 0.2, stop: ["\n\n"], signal: AbortSignal.timeout(5000) };
  const reply: AIMessage = await llama.invoke(messages, call);
  const stopReason = reply.response_metadata.stop_reason;
  const claude = new ChatAnthropicBedrock({
    model: "anthropic.claude-3-7-sonnet-20250219-v1:0",
    region: "us-west-2",
    maxTokens: 2048,
    topK: 40,
    thinking: { type: "enabled", budget_tokens: 1024 },
    betas: ["interleaved-thinking-2025-05-14"],
  }).bindTools([{ name: "get_weather", input_schema: { type: "object" } }], { toolChoice: "any" });
  let streamed: AIMessageChunk | undefined;
  for await (const chunk of claude.stream("Weather in Paris?")) streamed = streamed ? concat(streamed, chunk) : chunk;
  const forecast = await claude.withStructuredOutput<{ city: string }>({ type: "object" }).invoke("Paris");
  return `${provider} ${stopReason ?? ""} ${reply.response_metadata.model_id ?? ""} ${streamed?.text ?? ""} ${forecast.city}`;
}
void invokeModels;

// @ts-expect-error unknown provider
new ChatBedrock({ model: "m", provider: "openai" });
// @ts-expect-error ChatAnthropicBedrock speaks Anthropic only
new ChatAnthropicBedrock({ model: "m", provider: "meta" });
// @ts-expect-error guardrailConfig is a Converse option
new ChatBedrock({ model: "m", guardrailConfig: { guardrailIdentifier: "g", guardrailVersion: "1" } });
// @ts-expect-error outputConfig is a Converse option, per call too
new ChatAnthropicBedrock({ model: "m" }).invoke("hi", { outputConfig: {} });
// @ts-expect-error a structured-output model of ChatBedrock takes ChatBedrock's call options
new ChatBedrock({ model: "m" }).withStructuredOutput({ type: "object" }).invoke("hi", { serviceTier: "flex" });
// @ts-expect-error an unknown option (the constructor's TypeError suggests `temperature`)
new ChatBedrockConverse({ model: "m", temprature: 0 });
// bindTools gives a model of the same class.
export const boundAnthropic: ChatAnthropicBedrock = new ChatAnthropicBedrock({ model: "m" }).bindTools([]);

// Edge helpers: a chunk stream as a Response body (SSE or plain text), and the events a client parses.
import { toSSE, toTextStream, type SSEEvent, type SSEErrorData } from "bedrock-edge";

function edgeResponses(llm: ChatBedrockConverse, messages: MessageInput[]): Response[] {
  const sse: ReadableStream<Uint8Array> = toSSE(llm.stream(messages), {
    onError: (error: BedrockError) => console.error(error.name, error.status),
  });
  const text: ReadableStream<Uint8Array> = toTextStream(llm.stream(messages));
  async function* strings() {
    yield "a";
    yield { text: "b" };
  }
  const fromPromise = toSSE(Promise.resolve(llm.stream(messages)));
  return [
    new Response(sse, { headers: { "content-type": "text/event-stream" } }),
    new Response(text),
    new Response(toTextStream(strings())),
    new Response(fromPromise),
  ];
}
void edgeResponses;

function onEvent(event: SSEEvent): string {
  switch (event.event) {
    case "chunk":
      return event.data.text;
    case "error": {
      const failure: SSEErrorData = event.data;
      return `${failure.name}: ${failure.message} ${failure.status ?? ""} ${failure.retryable}`;
    }
    case "end":
      return "";
  }
}
void onEvent;

// BedrockEmbeddings: the connection and limits, the embedding options, vectors as number[][].
export async function embeddings(env: object): Promise<number> {
  const titan = new BedrockEmbeddings({ model: "amazon.titan-embed-text-v2:0", region: "us-east-1", env, dimensions: 512, normalize: true, maxConcurrency: 4, maxRetries: 3, timeout: 10_000 });
  const cohere = new BedrockEmbeddings({ modelId: "cohere.embed-v4:0", region: "us-east-1", env, dimensions: 1536, truncate: "RIGHT" });
  const query: number[] = await titan.embedQuery("capital of France", { signal: AbortSignal.timeout(5_000) });
  const docs: number[][] = await cohere.embedDocuments(["Paris", "Berlin"], { timeout: 1_000, maxRetries: 0 });
  const { embeddings: vectors, inputTokens } = await titan.embedDocumentsWithUsage(["a", "b"]);
  return query.length + docs.length + vectors.length + (inputTokens ?? 0) + titan.model.length;
}
// @ts-expect-error streamIdleTimeout is a chat model option
new BedrockEmbeddings({ model: "amazon.titan-embed-text-v1", streamIdleTimeout: 5 });
// @ts-expect-error temperature is a chat model option
new BedrockEmbeddings({ model: "amazon.titan-embed-text-v1", temperature: 0 });
// @ts-expect-error embedDocuments takes strings
void new BedrockEmbeddings({ model: "amazon.titan-embed-text-v1" }).embedDocuments([1]);
