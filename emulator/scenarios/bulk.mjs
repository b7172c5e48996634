// `fault:bulk:<n>`, `fault:bulk-tool:<n>`, `fault:bulk-reasoning:<n>`: long scripted streams of n
// ~60-byte deltas, for benchmarks (tests/bench/). On ConverseStream: text deltas, tool-argument
// deltas (one toolUse block whose input JSON arrives in n 60-byte pieces between an opening
// `{"text":"` and a closing `"}` delta) or reasoning-text deltas (one reasoning block, then its
// signature). On InvokeModelWithResponseStream (`fault:bulk:<n>` only): the same n text deltas as
// Claude `content_block_delta` chunk events. The delta frames cycle through a few texts encoded
// once per process, so a request only concatenates buffers instead of running the codec n times.
import { validationError } from '../errors.mjs';
import { concatBytes, toBase64, utf8 } from '../bytes.mjs';
import { eventFrame } from '../eventstream-writer.mjs';
import { reasoningSignature } from './reasoning.mjs';
import { usageOf } from './scripted-converse.mjs';

/** 500,000 frames: a ~120 MB body, room for the 100 MB stream of the memory benchmark. */
export const MAX_BULK_FRAMES = 500_000;
const VARIANTS = 16;

/** Exactly 60 bytes of ASCII each, ending in a space so the concatenation reads as prose. */
export const BULK_TEXTS = Array.from({ length: VARIANTS }, (_, k) =>
  `[${String(k).padStart(2, '0')}] The quick brown fox jumps over the lazy dog`.padEnd(59, '.') + ' ');

/** The bulk fault kinds and the ConverseStream delta each carries. */
export const BULK_KINDS = {
  bulk: (text) => ({ text }),
  'bulk-tool': (input) => ({ toolUse: { input } }),
  'bulk-reasoning': (text) => ({ reasoningContent: { text } }),
};

/** The tool call of `bulk-tool`: its id and name (the input is `{"text": bulkText(n)}`). */
export const BULK_TOOL = { toolUseId: 'tooluse_bulk0000000000000000', name: 'record_text' };

const deltaFrames = {};

export function parseBulkCount(kind, arg) {
  const n = Number(arg);
  if (!Number.isInteger(n) || n < 1 || n > MAX_BULK_FRAMES) {
    throw validationError(`fault:${kind}:<n> needs an integer n in 1..${MAX_BULK_FRAMES}, got '${arg ?? ''}'.`);
  }
  return n;
}

/** The reply text of `bulk:n` (what a client should reassemble; also the tool's `text` and the reasoning). */
export const bulkText = (n) => Array.from({ length: n }, (_, i) => BULK_TEXTS[i % VARIANTS]).join('');

function bulkPlan(n) {
  const wordsPerCycle = BULK_TEXTS.map((t) => t.split(/\s+/).filter(Boolean).length);
  let outputTokens = 0;
  for (let i = 0; i < n; i++) outputTokens += wordsPerCycle[i % VARIANTS];
  return { text: null, stopReason: 'end_turn', inputTokens: 1, outputTokens, latencyMs: 100 + n };
}

/** The frames around the n delta frames of a ConverseStream of `kind`: [before, after]. */
function framesAround(kind, n, plan) {
  const delta = (d, seq) => eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: d }, seq);
  const end = (stopReason, seq) => [
    eventFrame('contentBlockStop', { contentBlockIndex: 0 }, seq),
    eventFrame('messageStop', { stopReason }, seq + 1),
    eventFrame('metadata', { usage: usageOf(plan), metrics: { latencyMs: plan.latencyMs } }, seq + 2),
  ];
  const start = [eventFrame('messageStart', { role: 'assistant' }, 0)];
  if (kind === 'bulk-tool') {
    start.push(eventFrame('contentBlockStart', { contentBlockIndex: 0, start: { toolUse: BULK_TOOL } }, 1),
      delta(BULK_KINDS[kind]('{"text":"'), 2));
    return [start, [delta(BULK_KINDS[kind]('"}'), n + 3), ...end('tool_use', n + 4)]];
  }
  if (kind === 'bulk-reasoning') {
    const signature = reasoningSignature(bulkText(n));
    return [start, [delta({ reasoningContent: { signature } }, n + 1), ...end('end_turn', n + 2)]];
  }
  return [start, end('end_turn', n + 1)];
}

/** The whole response body of a `<kind>:n` ConverseStream as one buffer. */
export function bulkStreamBytes(n, kind = 'bulk') {
  deltaFrames[kind] ??= BULK_TEXTS.map((text, k) =>
    eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: BULK_KINDS[kind](text) }, k + 1));
  const [before, after] = framesAround(kind, n, bulkPlan(n));
  const parts = [...before];
  for (let i = 0; i < n; i++) parts.push(deltaFrames[kind][i % VARIANTS]);
  parts.push(...after);
  return concatBytes(parts);
}

const chunkFrame = (event, seq) => eventFrame('chunk', { bytes: toBase64(utf8(JSON.stringify(event))) }, seq);
let claudeDeltaFrames;

/** The whole response body of a `bulk:n` InvokeModelWithResponseStream (Claude events) as one buffer. */
export function bulkInvokeStreamBytes(n, modelId) {
  claudeDeltaFrames ??= BULK_TEXTS.map((text, k) =>
    chunkFrame({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, k + 2));
  const plan = bulkPlan(n);
  const parts = [
    chunkFrame({
      type: 'message_start',
      message: {
        id: 'msg_bdrk_bulk', type: 'message', role: 'assistant', model: modelId, content: [],
        stop_reason: null, stop_sequence: null, usage: { input_tokens: plan.inputTokens, output_tokens: 1 },
      },
    }, 0),
    chunkFrame({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 1),
  ];
  for (let i = 0; i < n; i++) parts.push(claudeDeltaFrames[i % VARIANTS]);
  parts.push(
    chunkFrame({ type: 'content_block_stop', index: 0 }, n + 2),
    chunkFrame({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: plan.outputTokens } }, n + 3),
    chunkFrame({
      type: 'message_stop',
      'amazon-bedrock-invocationMetrics': {
        inputTokenCount: plan.inputTokens, outputTokenCount: plan.outputTokens, invocationLatency: plan.latencyMs, firstByteLatency: 50,
      },
    }, n + 4),
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
