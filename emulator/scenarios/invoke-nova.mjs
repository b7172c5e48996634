// Amazon Nova's native InvokeModel format (messages-v1). Its shape is Converse's, so a validated
// body is converted to a Converse request and answered by converse-reply-plan.mjs: tool calls,
// tool results, media notes and cache points work as for Converse. Streams follow the recorded
// Nova streams: every text piece is its own content block (delta + stop, indexes counting up),
// tool-use blocks get a contentBlockStart.
import { validateConverseRequest } from '../converse-validation.mjs';
import { planConverseReply } from './converse-reply-plan.mjs';
import { METRICS_KEY, invocationMetrics, jsonReply } from './invoke-metrics.mjs';
import { STRINGS, UNIT_NUMBER, checkBody } from './native-body-checks.mjs';

const OBJECT = { type: 'object', open: true };
const CONTENT_BLOCK = {
  type: 'object',
  fields: {
    text: { type: 'string' }, image: OBJECT, document: OBJECT, video: OBJECT,
    audio: OBJECT, toolUse: OBJECT, toolResult: OBJECT, cachePoint: OBJECT,
  },
};
const FIELDS = {
  schemaVersion: { type: 'string', enum: ['messages-v1'] },
  system: { type: 'array', items: { type: 'object', fields: { text: { type: 'string' }, cachePoint: OBJECT } } },
  messages: {
    type: 'array',
    required: true,
    minItems: 1,
    items: {
      type: 'object',
      fields: {
        role: { type: 'string', required: true, enum: ['user', 'assistant'] },
        content: { type: 'array', required: true, items: CONTENT_BLOCK },
      },
    },
  },
  inferenceConfig: {
    type: 'object',
    fields: {
      maxTokens: { type: 'integer', min: 1 },
      max_new_tokens: { type: 'integer', min: 1 },
      temperature: UNIT_NUMBER,
      topP: UNIT_NUMBER,
      topK: { type: 'integer', min: 0 },
      stopSequences: STRINGS,
    },
  },
  toolConfig: OBJECT,
};

/** The Converse request a Nova body stands for (`max_new_tokens` is `maxTokens`; topK dropped). */
function converseRequest(body) {
  const request = { messages: body.messages };
  if (body.system !== undefined) request.system = body.system;
  const { maxTokens, max_new_tokens: maxNewTokens, temperature, topP, stopSequences } = body.inferenceConfig ?? {};
  const config = Object.fromEntries(Object.entries({ maxTokens: maxTokens ?? maxNewTokens, temperature, topP, stopSequences })
    .filter(([, v]) => v !== undefined));
  if (Object.keys(config).length > 0) request.inferenceConfig = config;
  if (body.toolConfig !== undefined) request.toolConfig = body.toolConfig;
  return request;
}

const cacheCounts = (plan) => ({
  cacheReadInputTokenCount: plan.cache?.cacheReadInputTokens ?? 0,
  cacheWriteInputTokenCount: plan.cache?.cacheWriteInputTokens ?? 0,
});

/** Nova messages-v1 (`amazon.nova-*`). */
export const nova = {
  name: 'nova',

  /**
   * Validates like Bedrock (native schema first, then Converse's rules) and plans the reply.
   * @returns the converse-reply-plan.mjs plan
   */
  plan(body, { modelId, promptCache }) {
    checkBody(body, FIELDS);
    const request = converseRequest(body);
    validateConverseRequest(request, { operation: 'Converse', modelId });
    return planConverseReply(request, { modelId, promptCache });
  },

  /** `{output:{message:{content, role}}, stopReason, usage}` + token-count headers. */
  response(plan) {
    const cache = cacheCounts(plan);
    const usage = {
      inputTokens: plan.inputTokens,
      outputTokens: plan.outputTokens,
      totalTokens: plan.inputTokens + cache.cacheReadInputTokenCount + cache.cacheWriteInputTokenCount + plan.outputTokens,
      ...cache,
    };
    return jsonReply(
      { output: { message: { content: plan.blocks.map((b) => b.content), role: 'assistant' } }, stopReason: plan.stopReason, usage },
      plan,
      {
        'X-Amzn-Bedrock-Cache-Write-Input-Token-Count': String(cache.cacheWriteInputTokenCount),
        'X-Amzn-Bedrock-Cache-Read-Input-Token-Count': String(cache.cacheReadInputTokenCount),
      },
    );
  },

  /** messageStart, blocks (see the file comment), messageStop, metadata + invocation metrics. */
  streamEvents(plan) {
    const events = [{ messageStart: { role: 'assistant' } }];
    let index = 0;
    const block = (start, deltas) => {
      if (start) events.push({ contentBlockStart: { start, contentBlockIndex: index } });
      for (const delta of deltas) events.push({ contentBlockDelta: { delta, contentBlockIndex: index } });
      events.push({ contentBlockStop: { contentBlockIndex: index } });
      index++;
    };
    for (const { start, deltas } of plan.blocks) {
      if (!start && deltas.every((d) => typeof d.text === 'string')) deltas.forEach((d) => block(null, [d]));
      else block(start, deltas);
    }
    const cache = cacheCounts(plan);
    events.push(
      { messageStop: { stopReason: plan.stopReason } },
      {
        metadata: { usage: { inputTokens: plan.inputTokens, outputTokens: plan.outputTokens, ...cache }, metrics: {}, trace: {} },
        [METRICS_KEY]: invocationMetrics(plan, cache),
      },
    );
    return events;
  },
};
