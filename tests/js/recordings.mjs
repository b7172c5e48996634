// Node-side, at harness build time: the replayable converse-stream recordings and what their
// events carry (text, tool calls, reasoning and signatures), read straight from the recorded
// `.events.jsonl` decodes. Run directly, it prints them as JSON (`--features`: the in-depth set
// of loadFeatureRecordings, for suite-features.mjs).
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { rawEventFrame } from "../../emulator/eventstream-writer.mjs";

const DERIVED = new URL("../../../shared/vectors/recorded/derived/", import.meta.url);

/** [{ model: "replay:<source>/<name>", text, toolCalls, reasoning, signatures }] for every
 * recording of a converse-stream call. */
export function loadRecordings(derived = DERIVED) {
  const index = JSON.parse(readFileSync(new URL("index.json", derived), "utf8"));
  return index
    .filter((entry) => entry.path?.endsWith("/converse-stream"))
    .map((entry) => {
      const name = entry.file.replace(/\.eventstream$/, "");
      const events = readFileSync(new URL(`${name}.events.jsonl`, derived), "utf8").trim().split("\n");
      let text = "";
      let reasoning = "";
      const signatures = [];
      const tools = new Map(); // block index -> { id, name, input }
      for (const line of events) {
        const frame = JSON.parse(line);
        const payload = JSON.parse(frame.payload);
        const eventType = frame.headers[":event-type"];
        if (eventType === "contentBlockStart" && payload.start?.toolUse) {
          const { toolUseId, name: toolName } = payload.start.toolUse;
          tools.set(payload.contentBlockIndex, { id: toolUseId, name: toolName, input: "" });
        }
        if (eventType !== "contentBlockDelta") continue;
        const { delta } = payload;
        text += delta?.text ?? "";
        reasoning += delta?.reasoningContent?.text ?? "";
        if (delta?.reasoningContent?.signature) signatures.push(delta.reasoningContent.signature);
        if (delta?.toolUse) tools.get(payload.contentBlockIndex).input += delta.toolUse.input;
      }
      const toolCalls = [...tools.values()].map(({ id, name: toolName, input }) => ({
        type: "tool_call", id, name: toolName, args: input === "" ? {} : JSON.parse(input),
      }));
      return { model: `replay:${name}`, text, toolCalls, reasoning, signatures };
    });
}

const VERCEL_FIXTURES = new URL("../../../shared/vectors/recorded/vercel-ai/fixtures/", import.meta.url);

// The converse-stream recordings with reasoning, redacted reasoning, citations or tool use that
// suite-features.mjs checks in depth. `replay` ones are served by the emulator (replay:<name>);
// `fetched` ones (vercel-ai's decoded `.chunks.txt`, which have no wire bytes) are framed here by
// the emulator's event-stream writer (the AWS SDK's codec), and the suite hands the frames to the
// client through its `fetch` option.
const REPLAYED = [
  "pydantic-ai/test_bedrock_model_thinking_part_stream",
  "pydantic-ai/test_bedrock_model_thinking_part_redacted_stream",
  "openinference-js/should-handle-streaming-tool-calls-and-responses",
  "openinference-python/TestConverseStream.test_invoke_tool_message",
  "pydantic-ai/test_bedrock_model_iter_stream.0",
];
const FETCHED = [
  "amazon-bedrock-document-citations",
  "amazon-bedrock-redacted-content",
  "amazon-bedrock-tool-no-args",
  "amazon-bedrock-reasoning",
];

/**
 * What concat() of a converse-stream's chunks must hold, folded here independently of the
 * package from the contract: one block per contentBlockIndex in order of first appearance;
 * text deltas append, citation deltas add {type:"citation", title, citedText, location}
 * annotations to that text block; reasoning text appends, signature / redactedContent land in
 * extras; a toolUse start opens {type:"tool_call", id, name} whose args are the parsed input
 * fragments ("" → {}). `events` are [eventType, payload] pairs.
 */
export function expectedBlocks(events) {
  const blocks = new Map();
  const open = (index, kind) => {
    if (!blocks.has(index)) blocks.set(index, { kind });
    return blocks.get(index);
  };
  for (const [eventType, payload] of events) {
    const index = payload.contentBlockIndex;
    if (eventType === "contentBlockStart" && payload.start?.toolUse) {
      const { toolUseId, name } = payload.start.toolUse;
      Object.assign(open(index, "tool"), { id: toolUseId, name, input: "" });
    }
    if (eventType !== "contentBlockDelta") continue;
    const { delta } = payload;
    if (typeof delta.text === "string") {
      const block = open(index, "text");
      block.text = (block.text ?? "") + delta.text;
    } else if (delta.citation) {
      const { title, sourceContent, location } = delta.citation;
      const block = open(index, "text");
      (block.annotations ??= []).push({
        type: "citation", title, citedText: (sourceContent ?? []).map((s) => s.text).join(""), location,
      });
    } else if (delta.reasoningContent) {
      const block = open(index, "reasoning");
      const r = delta.reasoningContent;
      block.reasoning = (block.reasoning ?? "") + (r.text ?? "");
      if (r.signature !== undefined) (block.extras ??= {}).signature = r.signature;
      if (r.redactedContent !== undefined) (block.extras ??= {}).redactedContent = r.redactedContent;
    } else if (delta.toolUse) {
      open(index, "tool").input += delta.toolUse.input ?? "";
    } else {
      throw new Error(`expectedBlocks: unhandled delta ${JSON.stringify(delta)}`);
    }
  }
  return [...blocks.values()].map((block) => {
    if (block.kind === "tool") {
      return { type: "tool_call", id: block.id, name: block.name, args: block.input === "" ? {} : JSON.parse(block.input) };
    }
    if (block.kind === "reasoning") {
      return { type: "reasoning", reasoning: block.reasoning ?? "", ...(block.extras ? { extras: block.extras } : {}) };
    }
    return { type: "text", text: block.text ?? "", ...(block.annotations ? { annotations: block.annotations } : {}) };
  });
}

const eventsOfJsonl = (text) =>
  text.trim().split("\n").map((line) => {
    const frame = JSON.parse(line);
    return [frame.headers[":event-type"], JSON.parse(frame.payload)];
  });

const eventsOfChunks = (text) =>
  text.trim().split("\n").map((line) => Object.entries(JSON.parse(line))[0]);

/**
 * [{ name, model?, frames?, blocks, text, stopReason }]: `model` ("replay:<name>") for recordings
 * the emulator replays; `frames` (one base64 event-stream frame per recorded event, payloads as
 * recorded) for the ones the suite serves through its own `fetch`.
 */
export function loadFeatureRecordings(derived = DERIVED, vercel = VERCEL_FIXTURES) {
  const describe = (name, events) => ({
    name,
    blocks: expectedBlocks(events),
    text: events.map(([type, p]) => (type === "contentBlockDelta" ? p.delta?.text ?? "" : "")).join(""),
    stopReason: events.find(([type]) => type === "messageStop")?.[1].stopReason,
  });
  const replayed = REPLAYED.map((name) => ({
    ...describe(name, eventsOfJsonl(readFileSync(new URL(`${name}.events.jsonl`, derived), "utf8"))),
    model: `replay:${name}`,
  }));
  const fetched = FETCHED.map((file) => {
    const events = eventsOfChunks(readFileSync(new URL(`${file}.chunks.txt`, vercel), "utf8"));
    const frames = events.map(([type, payload]) =>
      Buffer.from(rawEventFrame(type, new TextEncoder().encode(JSON.stringify(payload)))).toString("base64"));
    return { ...describe(`vercel-ai/${file}`, events), frames };
  });
  return [...replayed, ...fetched];
}

/** The provider of a recorded model id (the providers the recordings hold). */
function providerOf(modelId) {
  const id = modelId.split("/").at(-1).replace(/^(us|eu|apac|global)\./, "");
  if (id.startsWith("anthropic.")) return "anthropic";
  if (id.startsWith("amazon.nova")) return "nova";
  if (id.startsWith("amazon.titan")) return "titan";
  if (id.startsWith("meta.")) return "meta";
  if (id.startsWith("mistral.")) return "mistral";
  if (id.startsWith("cohere.")) return "cohere";
  if (id.startsWith("ai21.")) return "ai21";
  throw new Error(`recordings: no provider for ${modelId}`);
}

/**
 * What one provider-native stream event adds: text, tool-call input (Anthropic), and the token
 * counts it reports. Read from the providers' documented event shapes, not from the package.
 */
function nativeEvent(provider, event) {
  const metrics = event["amazon-bedrock-invocationMetrics"];
  switch (provider) {
    case "anthropic":
      return {
        text: event.type === "content_block_delta" ? event.delta?.text ?? "" : "",
        toolStart: event.type === "content_block_start" && event.content_block?.type === "tool_use" ? event.content_block : undefined,
        toolInput: event.delta?.type === "input_json_delta" ? event.delta.partial_json : undefined,
        input: event.message?.usage?.input_tokens,
        output: event.type === "message_delta" ? event.usage?.output_tokens : undefined,
      };
    case "nova":
      return { text: event.contentBlockDelta?.delta?.text ?? "", input: event.metadata?.usage?.inputTokens, output: event.metadata?.usage?.outputTokens };
    case "titan":
      return { text: event.outputText ?? "", input: metrics?.inputTokenCount, output: metrics?.outputTokenCount };
    case "meta":
      return { text: event.generation ?? "", input: event.prompt_token_count ?? undefined, output: metrics?.outputTokenCount };
    default:
      throw new Error(`recordings: no stream reader for ${provider}`);
  }
}

/** Text, token counts and (Anthropic) tool calls of one recorded invoke stream's events. */
function foldNative(provider, events) {
  let text = "";
  let input;
  let output;
  const tools = [];
  for (const event of events) {
    const part = nativeEvent(provider, event);
    text += part.text;
    input = part.input ?? input;
    output = part.output ?? output;
    if (part.toolStart) tools.push({ name: part.toolStart.name, input: "" });
    if (part.toolInput !== undefined) tools.at(-1).input += part.toolInput;
  }
  const toolCalls = tools.length ? tools.map((t) => [t.name, t.input === "" ? {} : JSON.parse(t.input)]) : undefined;
  return { text, usage: input === undefined ? undefined : { input, output }, toolCalls };
}

const OPENINFERENCE_JS = new URL("../../../shared/vectors/recorded/openinference-js/recordings/", import.meta.url);

/** Text, token counts and tool calls of one recorded InvokeModel reply, by provider. */
function nativeReply(provider, reply, headers) {
  const blocksText = (blocks) => blocks.filter((b) => typeof b.text === "string").map((b) => b.text).join("");
  const header = (name) => {
    const value = headers[name];
    return value === undefined ? undefined : Number(value);
  };
  const fromHeaders = () =>
    header("x-amzn-bedrock-input-token-count") === undefined
      ? undefined
      : { input: header("x-amzn-bedrock-input-token-count"), output: header("x-amzn-bedrock-output-token-count") };
  switch (provider) {
    case "anthropic": {
      const tools = reply.content.filter((b) => b.type === "tool_use").map((b) => [b.name, b.input]);
      return {
        text: blocksText(reply.content.filter((b) => b.type === "text")),
        usage: reply.usage ? { input: reply.usage.input_tokens, output: reply.usage.output_tokens } : fromHeaders(),
        toolCalls: tools.length ? tools : undefined,
      };
    }
    case "nova": {
      const content = reply.output.message.content;
      const tools = content.filter((b) => b.toolUse).map((b) => [b.toolUse.name, b.toolUse.input]);
      return {
        text: blocksText(content),
        usage: { input: reply.usage.inputTokens, output: reply.usage.outputTokens },
        toolCalls: tools.length ? tools : undefined,
      };
    }
    case "titan":
      return { text: reply.results[0].outputText, usage: { input: reply.inputTextTokenCount, output: reply.results[0].tokenCount } };
    case "meta":
      return { text: reply.generation, usage: { input: reply.prompt_token_count, output: reply.generation_token_count } };
    case "ai21":
      return { text: reply.choices[0].message.content, usage: { input: reply.usage.prompt_tokens, output: reply.usage.completion_tokens } };
    case "cohere":
      return { text: reply.generations[0].text, usage: fromHeaders() };
    default:
      throw new Error(`recordings: no reply reader for ${provider}`);
  }
}

/**
 * [{ model: "replay:openinference-js/<file>[#N]", provider, stream: false, text, usage?,
 * toolCalls? }] for every successful recorded InvokeModel reply (the emulator's replay names).
 */
function loadInvokeReplies(dir = OPENINFERENCE_JS) {
  const out = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    const records = JSON.parse(readFileSync(new URL(file, dir), "utf8")).filter((r) => r.path?.endsWith("/invoke"));
    records.forEach((record, n) => {
      if (record.status !== 200) return;
      const provider = providerOf(decodeURIComponent(record.path.split("/")[2]));
      const headers = {};
      for (let i = 0; i + 1 < (record.rawHeaders ?? []).length; i += 2) headers[record.rawHeaders[i].toLowerCase()] = record.rawHeaders[i + 1];
      const name = `openinference-js/${file.replace(/\.json$/, "")}${n === 0 ? "" : `#${n}`}`;
      out.push({ model: `replay:${name}`, provider, stream: false, ...nativeReply(provider, record.response, headers) });
    });
  }
  return out;
}

/**
 * [{ model: "replay:<name>", provider, stream, text, usage?: {input, output}, toolCalls? }] for
 * every recorded invoke-with-response-stream body (folded from its decoded native events) and
 * every successful recorded InvokeModel reply.
 */
export function loadInvokeRecordings(derived = DERIVED) {
  return [...loadInvokeStreams(derived), ...loadInvokeReplies()];
}

function loadInvokeStreams(derived) {
  const index = JSON.parse(readFileSync(new URL("index.json", derived), "utf8"));
  return index
    .filter((entry) => entry.path?.endsWith("/invoke-with-response-stream"))
    .map((entry) => {
      const name = entry.file.replace(/\.eventstream$/, "");
      const provider = providerOf(decodeURIComponent(entry.path.split("/")[2]));
      const events = readFileSync(new URL(`${name}.events.jsonl`, derived), "utf8").trim().split("\n")
        .map((line) => JSON.parse(JSON.parse(line).chunk_bytes_decoded));
      return { model: `replay:${name}`, provider, stream: true, ...foldNative(provider, events) };
    });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const value = process.argv.includes("--features")
    ? loadFeatureRecordings()
    : process.argv.includes("--invoke")
      ? loadInvokeRecordings()
      : loadRecordings();
  process.stdout.write(`${JSON.stringify(value, null, 1)}\n`);
}
