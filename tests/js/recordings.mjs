// Node-side, at harness build time: the replayable converse-stream recordings and what their
// events carry (text, tool calls, reasoning and signatures), read straight from the recorded
// `.events.jsonl` decodes. Run directly, it prints them as JSON (`--features`: the in-depth set
// of loadFeatureRecordings, for suite-features.mjs).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

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
// `fetched` ones (vercel-ai's decoded `.chunks.txt`, which have no wire bytes) are framed by the
// suite itself and handed to the client through its `fetch` option.
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
 * [{ name, model?, events?, blocks, text, stopReason }]: `model` ("replay:<name>") for recordings
 * the emulator replays; `events` ([eventType, payload] with the recorded "p" padding) for the ones
 * the suite frames itself.
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
    return { ...describe(`vercel-ai/${file}`, events), events };
  });
  return [...replayed, ...fetched];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const value = process.argv.includes("--features") ? loadFeatureRecordings() : loadRecordings();
  process.stdout.write(`${JSON.stringify(value, null, 1)}\n`);
}
