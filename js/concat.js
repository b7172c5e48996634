// Merging AIMessageChunks, as LangChain's `concat` does. The merge is plain JS on purpose: it
// runs once per chunk when a stream is folded, and crossing into wasm with the whole
// accumulated message each time made folding quadratic in the answer's length.
//
// Content items with the same `index` and `type` merge (text and reasoning append, tool-call
// argument fragments append, citation annotations append, ids and signatures fill in);
// `usage_metadata` counts add up and `response_metadata` members overlay. The result also
// carries `contentBlocks`, `tool_calls` and `invalid_tool_calls`: the wasm side derives them
// from the merged content with the same code that builds `invoke`'s, on first read, so a
// folded stream compares equal to what `invoke` returns and folding stays linear. Inputs are
// never modified.
import { deriveMessageFields } from "./bedrock_edge.js";

const MERGEABLE = new Set(["text", "reasoning", "tool_call_chunk"]);
const APPENDED = new Set(["text", "reasoning", "args"]);

const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

/** Merges chunk `b` into chunk `a`; either may also be an AIMessage (string content). */
export function concat(a, b) {
  if (!isObject(a) || !isObject(b)) throw new TypeError("concat takes two message chunks");
  const content = contentItems(a.content);
  for (const item of contentItems(b.content)) mergeItem(content, item);
  const toolCallChunks = Array.isArray(a.tool_call_chunks) ? [...a.tool_call_chunks] : [];
  for (const item of b.tool_call_chunks ?? []) mergeItem(toolCallChunks, item);
  // Enumerable getters written in the literal keep one object shape (defineProperty per
  // result made folding three times slower); each derives once, on first read.
  let derived;
  const field = (key) => (derived ??= deriveMessageFields(content))[key];
  const out = {
    type: "AIMessageChunk",
    id: typeof a.id === "string" && a.id !== "" ? a.id : b.id ?? null,
    content,
    text: `${a.text ?? ""}${b.text ?? ""}`,
    tool_call_chunks: toolCallChunks,
    get contentBlocks() {
      return field("contentBlocks");
    },
    get tool_calls() {
      return field("tool_calls");
    },
    get invalid_tool_calls() {
      return field("invalid_tool_calls");
    },
  };
  const usage = mergeOptional(a.usage_metadata, b.usage_metadata, addCounts);
  if (usage !== undefined) out.usage_metadata = usage;
  const meta = mergeOptional(a.response_metadata, b.response_metadata, (x, y) => ({ ...x, ...y }));
  if (meta !== undefined) out.response_metadata = meta;
  return out;
}

function contentItems(content) {
  if (Array.isArray(content)) return [...content];
  return typeof content === "string" && content !== "" ? [{ type: "text", text: content }] : [];
}

/** Merges `item` into the last item of `list` with the same index and type, or appends it. */
function mergeItem(list, item) {
  if (isObject(item) && MERGEABLE.has(item.type) && item.index !== undefined) {
    for (let i = list.length - 1; i >= 0; i--) {
      const existing = list[i];
      if (isObject(existing) && existing.index === item.index && existing.type === item.type) {
        list[i] = mergeInto(existing, item);
        return;
      }
    }
  }
  list.push(item);
}

function mergeInto(target, item) {
  const out = { ...target };
  for (const [key, value] of Object.entries(item)) {
    const have = out[key];
    if (APPENDED.has(key) && typeof have === "string" && typeof value === "string") out[key] = have + value;
    else if (key === "extras" && isObject(have) && isObject(value)) out[key] = { ...have, ...value };
    else if (key === "annotations" && Array.isArray(have) && Array.isArray(value)) out[key] = [...have, ...value];
    else if (have === undefined || have === null) out[key] = value;
  }
  return out;
}

function mergeOptional(a, b, merge) {
  if (a !== undefined && a !== null && b !== undefined && b !== null) return merge(a, b);
  return a ?? b ?? undefined;
}

/** Adds numeric members recursively (`usage_metadata`). */
function addCounts(a, b) {
  if (typeof a === "number" && typeof b === "number") return a + b;
  if (!isObject(a) || !isObject(b)) return b;
  const out = { ...a };
  for (const [key, value] of Object.entries(b)) out[key] = key in out ? addCounts(out[key], value) : value;
  return out;
}
