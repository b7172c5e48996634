// Input tokens and prompt caching for an Anthropic Messages body: the Converse caching rule
// (caching.mjs) with `cache_control` breakpoints, in Claude's prompt order (tools, system,
// messages). A breakpoint ends the prefix at (and including) its block; the last one counts.
import { sha256Hex } from '../bytes.mjs';
import { blocksOf } from './anthropic-content.mjs';
import { countWords } from './scripted-reply.mjs';

/** Words of a value's JSON once its punctuation ({}[]",:) is read as spaces (as caching.mjs). */
const jsonWords = (value) => countWords(JSON.stringify(value).replace(/[{}[\]",:]/g, ' '));

const hasCacheControl = (block) => block.cache_control !== undefined && block.cache_control !== null;

/** The block without its cache_control (moving a breakpoint does not change the content). */
function contentKey(block) {
  const { cache_control: _ignored, ...rest } = block;
  return JSON.stringify(rest);
}

/**
 * The prompt as ordered items `{tokens, breakpoint, key}`: each tool (words of `{name,
 * description, input_schema}` as JSON, punctuation as spaces), each system text block, each
 * message block (text: its words; other blocks 0; a tool_result holding a cache_control item is a
 * breakpoint).
 */
export function promptItems(body) {
  const items = [];
  for (const tool of body.tools ?? []) {
    const { name, description, input_schema: inputSchema } = tool;
    items.push({ tokens: jsonWords({ name, description, input_schema: inputSchema }), breakpoint: hasCacheControl(tool), key: contentKey(tool) });
  }
  const system = typeof body.system === 'string' ? [{ type: 'text', text: body.system }] : (body.system ?? []);
  for (const block of system) items.push({ tokens: countWords(block.text), breakpoint: hasCacheControl(block), key: contentKey(block) });
  for (const message of body.messages) {
    for (const block of blocksOf(message.content)) {
      const nested = block.type === 'tool_result' && Array.isArray(block.content) && block.content.some(hasCacheControl);
      items.push({
        tokens: block.type === 'text' ? countWords(block.text) : 0,
        breakpoint: hasCacheControl(block) || nested,
        key: `${message.role}:${contentKey(block)}`,
      });
    }
  }
  return items;
}

/**
 * @param {object} body  a validated Anthropic Messages body
 * @param {string} modelId
 * @param {import('./caching.mjs').PromptCache} promptCache
 * @returns {{inputTokens: number, cache: null | {cacheReadInputTokens: number, cacheWriteInputTokens: number}}}
 *   without a breakpoint: all prompt words, `cache` null; else the words after the prefix, and the
 *   prefix's words as written (first sight per model id) or read (later).
 */
export function anthropicUsage(body, modelId, promptCache) {
  const items = promptItems(body);
  const total = items.reduce((n, item) => n + item.tokens, 0);
  const last = items.findLastIndex((item) => item.breakpoint);
  if (last < 0) return { inputTokens: total, cache: null };
  const prefix = items.slice(0, last + 1);
  const prefixTokens = prefix.reduce((n, item) => n + item.tokens, 0);
  const hash = sha256Hex(JSON.stringify(['anthropic', ...prefix.map((item) => item.key)]));
  const read = promptCache.hit(modelId, hash);
  return {
    inputTokens: total - prefixTokens,
    cache: { cacheReadInputTokens: read ? prefixTokens : 0, cacheWriteInputTokens: read ? 0 : prefixTokens },
  };
}
