// The scripted reply rendered as Converse JSON and as a ConverseStream event sequence shaped like
// real captures: messageStart, per block [contentBlockStart (tool use only)] contentBlockDelta+
// contentBlockStop, messageStop, metadata. The plan comes from converse-reply-plan.mjs (or, for
// bulk, is a bare `{text, stopReason, inputTokens, outputTokens, latencyMs}`).
import { eventFrame } from '../eventstream-writer.mjs';
import { textBlock } from './planned-blocks.mjs';

/** TokenUsage; with a cache point also the unmodelled duplicates and serverToolUsage. */
export function usageOf(plan) {
  const read = plan.cache?.cacheReadInputTokens ?? 0;
  const write = plan.cache?.cacheWriteInputTokens ?? 0;
  const usage = {
    inputTokens: plan.inputTokens,
    outputTokens: plan.outputTokens,
    totalTokens: plan.inputTokens + read + write + plan.outputTokens,
    cacheReadInputTokens: read,
    cacheWriteInputTokens: write,
  };
  if (plan.cache) Object.assign(usage, { cacheReadInputTokenCount: read, cacheWriteInputTokenCount: write, serverToolUsage: {} });
  return usage;
}

const blocksOf = (plan) => plan.blocks ?? [textBlock(plan.text)];

export function converseResponse(plan) {
  const { additionalModelResponseFields, ...metadataExtras } = plan.extras ?? {};
  const response = {
    output: { message: { role: 'assistant', content: blocksOf(plan).map((b) => b.content) } },
    stopReason: plan.stopReason,
    usage: usageOf(plan),
    metrics: { latencyMs: plan.latencyMs },
  };
  if (additionalModelResponseFields !== undefined) response.additionalModelResponseFields = additionalModelResponseFields;
  return { ...response, ...metadataExtras };
}

/** The events of a streamed reply, as `[eventType, payload]` pairs. */
export function converseStreamEvents(plan) {
  const { additionalModelResponseFields, ...metadataExtras } = plan.extras ?? {};
  const events = [['messageStart', { role: 'assistant' }]];
  blocksOf(plan).forEach(({ start, deltas }, contentBlockIndex) => {
    if (start) events.push(['contentBlockStart', { contentBlockIndex, start }]);
    for (const delta of deltas) events.push(['contentBlockDelta', { contentBlockIndex, delta }]);
    events.push(['contentBlockStop', { contentBlockIndex }]);
  });
  const messageStop = { stopReason: plan.stopReason };
  if (additionalModelResponseFields !== undefined) messageStop.additionalModelResponseFields = additionalModelResponseFields;
  events.push(
    ['messageStop', messageStop],
    ['metadata', { usage: usageOf(plan), metrics: { latencyMs: plan.latencyMs }, ...metadataExtras }],
  );
  return events;
}

export const framesOf = (events) => events.map(([type, payload], seq) => eventFrame(type, payload, seq));

export function converseStreamFrames(plan) {
  return framesOf(converseStreamEvents(plan));
}
