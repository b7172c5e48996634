// Merging AIMessageChunks, as LangChain's `concat` does. Plain JS on purpose: it runs once per
// chunk when a stream is folded, and crossing into wasm with the whole accumulated message
// each time made folding quadratic in the answer's length.
//
// Content items with the same `index` and `type` merge (text and reasoning append, tool-call
// argument fragments append, ids and signatures fill in); `usage_metadata` counts add up and
// `response_metadata` members overlay. The result also carries `contentBlocks`, `tool_calls`
// and `invalid_tool_calls` derived from the merged content, so a folded stream compares equal
// to what `invoke` returns. Inputs are never modified.

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
  const { valid, invalid } = parseToolCalls(toolCallChunks);
  const out = {
    type: "AIMessageChunk",
    id: typeof a.id === "string" && a.id !== "" ? a.id : b.id ?? null,
    content,
    contentBlocks: content.map(standardBlock),
    text: `${a.text ?? ""}${b.text ?? ""}`,
    tool_call_chunks: toolCallChunks,
    tool_calls: valid,
    invalid_tool_calls: invalid,
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
    else if (have === undefined || have === null) out[key] = value;
  }
  return out;
}

/** A merged content item as a standard content block: no `index`, tool-call chunks parsed. */
function standardBlock(item) {
  if (!isObject(item)) return item;
  const { index: _index, ...block } = item;
  if (block.type !== "tool_call_chunk") return block;
  const parsed = parseArgs(block.args);
  return parsed.ok
    ? { type: "tool_call", id: block.id ?? null, name: block.name ?? null, args: parsed.value }
    : { type: "invalid_tool_call", id: block.id ?? null, name: block.name ?? null, args: block.args, error: parsed.error };
}

function parseToolCalls(chunks) {
  const valid = [];
  const invalid = [];
  for (const chunk of chunks) {
    const parsed = parseArgs(chunk.args);
    const call = { id: chunk.id ?? null, name: chunk.name ?? null };
    if (parsed.ok) valid.push({ type: "tool_call", ...call, args: parsed.value });
    else invalid.push({ type: "invalid_tool_call", ...call, args: chunk.args, error: parsed.error });
  }
  return { valid, invalid };
}

/** Streamed tool input is JSON text; Bedrock sends "" for a tool without arguments. */
function parseArgs(args) {
  if (args === undefined || args === null) return { ok: true, value: {} };
  if (typeof args !== "string") return { ok: true, value: args };
  if (args.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(args) };
  } catch (error) {
    return { ok: false, error: `arguments are not JSON: ${error.message}` };
  }
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
