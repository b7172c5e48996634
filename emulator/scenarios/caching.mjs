// Prompt caching: cachePoint blocks in system, messages and toolConfig.tools. The input before the
// last cache point is the cached prefix; a per-emulator map of prefix hashes (per model id) decides
// whether a request writes it (first time) or reads it (later, identical prefix).
import { sha256Hex } from '../bytes.mjs';
import { isObject, requireEnum, constraint } from '../validation-messages.mjs';

const countWords = (text) => text.split(/\s+/).filter(Boolean).length;

/** Words of a value's JSON once its punctuation ({}[]",:) is read as spaces. */
const jsonWords = (value) => countWords(JSON.stringify(value).replace(/[{}[\]",:]/g, ' '));

export function validateCachePoint(cachePoint, path) {
  if (!isObject(cachePoint)) throw constraint(path, cachePoint, 'Member must be an object');
  requireEnum(`${path}.type`, cachePoint.type, ['default']);
  if (cachePoint.ttl !== undefined) requireEnum(`${path}.ttl`, cachePoint.ttl, ['5m', '1h']);
}

/** Prefix hashes already written, per model id. One per emulator instance. */
export class PromptCache {
  #seen = new Set();

  /** true if `key` was seen before (a read); records it otherwise (a write). */
  hit(modelId, prefixHash) {
    const key = `${modelId}\n${prefixHash}`;
    if (this.#seen.has(key)) return true;
    this.#seen.add(key);
    return false;
  }

  clear() {
    this.#seen.clear();
  }
}

/**
 * The request's input as an ordered list of items — system blocks, tools, message blocks — each
 * `{tokens, cachePoint, key}`. Text counts its words, a tool spec the words of its JSON (punctuation as spaces).
 */
export function inputItems(request) {
  const items = [];
  const add = (block, tokens) => items.push({ tokens, cachePoint: block.cachePoint !== undefined, key: JSON.stringify(block) });
  for (const block of request.system ?? []) add(block, typeof block.text === 'string' ? countWords(block.text) : 0);
  for (const tool of request.toolConfig?.tools ?? []) {
    add(tool, tool.cachePoint ? 0 : jsonWords(tool.toolSpec ?? tool.systemTool));
  }
  for (const message of request.messages ?? []) {
    for (const block of message.content) add(block, typeof block.text === 'string' ? countWords(block.text) : 0);
  }
  return items;
}

/**
 * Cache accounting when the request has a cache point, else null:
 * `{inputTokens, cacheReadInputTokens, cacheWriteInputTokens}` (inputTokens excludes the prefix).
 */
export function cacheUsage(request, modelId, cache) {
  const items = inputItems(request);
  const last = items.findLastIndex((item) => item.cachePoint);
  if (last < 0) return null;
  const total = items.reduce((n, item) => n + item.tokens, 0);
  const prefix = items.slice(0, last);
  const prefixTokens = prefix.reduce((n, item) => n + item.tokens, 0);
  const hash = sha256Hex(JSON.stringify(prefix.map((item) => item.key)));
  const read = cache.hit(modelId, hash);
  return {
    inputTokens: total - prefixTokens,
    cacheReadInputTokens: read ? prefixTokens : 0,
    cacheWriteInputTokens: read ? 0 : prefixTokens,
  };
}
