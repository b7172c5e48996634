// The scripted reply rendered as Converse JSON and as a ConverseStream event sequence shaped like
// real captures: messageStart, text deltas (no contentBlockStart for text), contentBlockStop,
// messageStop, metadata.
import { eventFrame } from '../eventstream-writer.mjs';
import { planReply, textPieces } from './scripted-reply.mjs';

/** A validated Converse request → the scripted plan. */
export function planFromConverse(request) {
  const texts = (blocks) => blocks.filter((b) => typeof b.text === 'string').map((b) => b.text);
  return planReply({
    systemTexts: texts(request.system ?? []),
    messages: request.messages.map((m) => ({ role: m.role, texts: texts(m.content) })),
    maxTokens: request.inferenceConfig?.maxTokens,
    stopSequences: request.inferenceConfig?.stopSequences,
  });
}

export function usageOf(plan) {
  return {
    inputTokens: plan.inputTokens,
    outputTokens: plan.outputTokens,
    totalTokens: plan.inputTokens + plan.outputTokens,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 0,
  };
}

export function converseResponse(plan) {
  return {
    output: { message: { role: 'assistant', content: [{ text: plan.text }] } },
    stopReason: plan.stopReason,
    usage: usageOf(plan),
    metrics: { latencyMs: plan.latencyMs },
  };
}

/** The events of a streamed reply, as `[eventType, payload]` pairs. */
export function converseStreamEvents(plan) {
  const pieces = textPieces(plan.text);
  // An empty reply (stop sequence at the very start) still opens and closes its text block.
  if (pieces.length === 0) pieces.push('');
  return [
    ['messageStart', { role: 'assistant' }],
    ...pieces.map((text) => ['contentBlockDelta', { contentBlockIndex: 0, delta: { text } }]),
    ['contentBlockStop', { contentBlockIndex: 0 }],
    ['messageStop', { stopReason: plan.stopReason }],
    ['metadata', { usage: usageOf(plan), metrics: { latencyMs: plan.latencyMs } }],
  ];
}

export function converseStreamFrames(plan) {
  return converseStreamEvents(plan).map(([type, payload], seq) => eventFrame(type, payload, seq));
}
