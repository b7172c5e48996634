// The scripted reply for InvokeModel / InvokeModelWithResponseStream with an Anthropic Messages
// body (PROTOCOL.md §3.7–3.8): a Message object, or `chunk` frames whose payload is
// `{"bytes": base64(Claude stream event), "p": …}` ending with amazon-bedrock-invocationMetrics.
// The body is validated (anthropic-validation.mjs), turned into the Converse-shaped request the
// scripted assistant plans for (anthropic-request.mjs, converse-reply-plan.mjs), and the planned
// blocks are rendered in Claude's format (anthropic-blocks.mjs); README "InvokeModel: Anthropic Messages".
import { eventFrame } from '../eventstream-writer.mjs';
import { toBase64, utf8 } from '../bytes.mjs';
import { claudeBlocks } from './anthropic-blocks.mjs';
import { anthropicUsage } from './anthropic-caching.mjs';
import { converseRequestOf } from './anthropic-request.mjs';
import { validateAnthropicBody } from './anthropic-validation.mjs';
import { PromptCache } from './caching.mjs';
import { planConverseReply } from './converse-reply-plan.mjs';
import { textPieces } from './scripted-reply.mjs';

const MESSAGE_ID = 'msg_bdrk_01EmulatorScriptedReply00';

// Used when a caller passes no prompt cache (one per process; the emulator passes its own).
const fallbackPromptCache = new PromptCache();

/**
 * Validates an Anthropic-on-Bedrock body the way Bedrock and Claude do (400 ValidationException)
 * and plans the scripted reply.
 * @param {unknown} body  the parsed request body
 * @param {object} [ctx]
 * @param {string} [ctx.modelId]  the model id of the request (prompt-cache key)
 * @param {import('./caching.mjs').PromptCache} [ctx.promptCache]  the emulator's prompt cache
 * @returns {{blocks: {content: object, start: object, deltas: object[]}[], text: string|null,
 *   stopReason: string, stopSequence: string|null, inputTokens: number, outputTokens: number,
 *   latencyMs: number, cache: null|{cacheReadInputTokens: number, cacheWriteInputTokens: number}}}
 *   `text` is the reply's text when it is a single text block, else null
 */
export function planFromAnthropicBody(body, { modelId = '', promptCache = fallbackPromptCache } = {}) {
  const flags = validateAnthropicBody(body);
  const plan = planConverseReply(converseRequestOf(body, flags), { modelId, promptCache });
  const { inputTokens, cache } = anthropicUsage(body, modelId, promptCache);
  return {
    blocks: claudeBlocks(plan.blocks, body),
    text: plan.text,
    stopReason: plan.stopReason,
    stopSequence: plan.stopSequence,
    inputTokens,
    outputTokens: plan.outputTokens,
    latencyMs: plan.latencyMs,
    cache,
  };
}

/** Bedrock's model name inside Claude responses drops the provider prefix and version suffix. */
const modelName = (modelId) => modelId.replace(/^.*anthropic\./, '').replace(/-v\d+(:\d+)?$/, '');

/** A plan without Claude blocks (`{text, …}` only) is one text block. */
const blocksOf = (plan) => plan.blocks ?? [{
  content: { type: 'text', text: plan.text },
  start: { type: 'text', text: '' },
  deltas: textPieces(plan.text).map((text) => ({ type: 'text_delta', text })),
}];

/** Claude's usage; the cache members only when the request used cache_control. */
function usageOf(plan, outputTokens) {
  const usage = { input_tokens: plan.inputTokens };
  if (plan.cache) {
    usage.cache_creation_input_tokens = plan.cache.cacheWriteInputTokens;
    usage.cache_read_input_tokens = plan.cache.cacheReadInputTokens;
  }
  usage.output_tokens = outputTokens;
  return usage;
}

/**
 * The InvokeModel reply: a Claude Message and Bedrock's token-count / latency headers.
 * @param {ReturnType<typeof planFromAnthropicBody>} plan
 * @param {string} modelId
 * @returns {{body: string, headers: Record<string, string>}}
 */
export function invokeResponse(plan, modelId) {
  const body = JSON.stringify({
    id: MESSAGE_ID,
    type: 'message',
    role: 'assistant',
    model: modelName(modelId),
    content: blocksOf(plan).map((b) => b.content),
    stop_reason: plan.stopReason,
    stop_sequence: plan.stopSequence,
    usage: usageOf(plan, plan.outputTokens),
  });
  const headers = {
    'X-Amzn-Bedrock-Invocation-Latency': String(plan.latencyMs),
    'X-Amzn-Bedrock-Input-Token-Count': String(plan.inputTokens),
    'X-Amzn-Bedrock-Output-Token-Count': String(plan.outputTokens),
  };
  if (plan.cache) {
    headers['X-Amzn-Bedrock-Cache-Read-Input-Token-Count'] = String(plan.cache.cacheReadInputTokens);
    headers['X-Amzn-Bedrock-Cache-Write-Input-Token-Count'] = String(plan.cache.cacheWriteInputTokens);
  }
  return { body, headers };
}

/**
 * The Claude stream events of a plan: message_start, per block content_block_start / deltas /
 * content_block_stop, message_delta, message_stop with amazon-bedrock-invocationMetrics.
 * @param {ReturnType<typeof planFromAnthropicBody>} plan
 * @param {string} modelId
 * @returns {object[]}
 */
export function invokeStreamEvents(plan, modelId) {
  const metrics = {
    inputTokenCount: plan.inputTokens, outputTokenCount: plan.outputTokens,
    invocationLatency: plan.latencyMs, firstByteLatency: 50,
  };
  if (plan.cache) {
    metrics.cacheReadInputTokenCount = plan.cache.cacheReadInputTokens;
    metrics.cacheWriteInputTokenCount = plan.cache.cacheWriteInputTokens;
  }
  return [
    {
      type: 'message_start',
      message: {
        id: MESSAGE_ID, type: 'message', role: 'assistant', model: modelName(modelId), content: [],
        stop_reason: null, stop_sequence: null, usage: usageOf(plan, 1),
      },
    },
    ...blocksOf(plan).flatMap(({ start, deltas }, index) => [
      { type: 'content_block_start', index, content_block: start },
      ...deltas.map((delta) => ({ type: 'content_block_delta', index, delta })),
      { type: 'content_block_stop', index },
    ]),
    { type: 'message_delta', delta: { stop_reason: plan.stopReason, stop_sequence: plan.stopSequence }, usage: { output_tokens: plan.outputTokens } },
    { type: 'message_stop', 'amazon-bedrock-invocationMetrics': metrics },
  ];
}

/** The stream events as `chunk` frames (`{"bytes": base64(event JSON)}`, padded). */
export function invokeStreamFrames(plan, modelId) {
  return invokeStreamEvents(plan, modelId).map((event, seq) =>
    eventFrame('chunk', { bytes: toBase64(utf8(JSON.stringify(event))) }, seq));
}

/** Response headers of InvokeModelWithResponseStream (the model requires the content type). */
export const INVOKE_STREAM_HEADERS = { 'X-Amzn-Bedrock-Content-Type': 'application/json' };
