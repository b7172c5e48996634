// `fault:bulk:<n>`: a long scripted ConverseStream of n ~60-byte text deltas, for benchmarks. The
// delta frames cycle through a few texts encoded once per process, so a request only concatenates
// buffers instead of running the codec n times.
import { validationError } from '../errors.mjs';
import { concatBytes } from '../bytes.mjs';
import { eventFrame } from '../eventstream-writer.mjs';
import { usageOf } from './scripted-converse.mjs';

export const MAX_BULK_FRAMES = 200_000;
const VARIANTS = 16;

/** Exactly 60 bytes of ASCII each, ending in a space so the concatenation reads as prose. */
export const BULK_TEXTS = Array.from({ length: VARIANTS }, (_, k) =>
  `[${String(k).padStart(2, '0')}] The quick brown fox jumps over the lazy dog`.padEnd(59, '.') + ' ');

let deltaFrames;

export function parseBulkCount(arg) {
  const n = Number(arg);
  if (!Number.isInteger(n) || n < 1 || n > MAX_BULK_FRAMES) {
    throw validationError(`fault:bulk:<n> needs an integer n in 1..${MAX_BULK_FRAMES}, got '${arg ?? ''}'.`);
  }
  return n;
}

/** The reply text of `bulk:n` (what a client should reassemble). */
export const bulkText = (n) => Array.from({ length: n }, (_, i) => BULK_TEXTS[i % VARIANTS]).join('');

function bulkPlan(n) {
  const wordsPerCycle = BULK_TEXTS.map((t) => t.split(/\s+/).filter(Boolean).length);
  let outputTokens = 0;
  for (let i = 0; i < n; i++) outputTokens += wordsPerCycle[i % VARIANTS];
  return { text: null, stopReason: 'end_turn', inputTokens: 1, outputTokens, latencyMs: 100 + n };
}

/** The whole response body of a `bulk:n` ConverseStream as one buffer. */
export function bulkStreamBytes(n) {
  deltaFrames ??= BULK_TEXTS.map((text, k) =>
    eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text } }, k + 1));
  const plan = bulkPlan(n);
  const parts = [eventFrame('messageStart', { role: 'assistant' }, 0)];
  for (let i = 0; i < n; i++) parts.push(deltaFrames[i % VARIANTS]);
  parts.push(
    eventFrame('contentBlockStop', { contentBlockIndex: 0 }, n + 1),
    eventFrame('messageStop', { stopReason: plan.stopReason }, n + 2),
    eventFrame('metadata', { usage: usageOf(plan), metrics: { latencyMs: plan.latencyMs } }, n + 3),
  );
  return concatBytes(parts);
}

/** The `bulk:n` reply as a Converse response. */
export function bulkConverseResponse(n) {
  const plan = bulkPlan(n);
  return {
    output: { message: { role: 'assistant', content: [{ text: bulkText(n) }] } },
    stopReason: plan.stopReason,
    usage: usageOf(plan),
    metrics: { latencyMs: plan.latencyMs },
  };
}
