// AI21 Jamba's native InvokeModel format (`ai21.jamba*`): OpenAI-like chat completions
// `{messages:[{role, content}]}` → `{id, choices:[…], usage, meta, model}`; streams start with a
// role delta, then content deltas, and end with an empty delta carrying finish_reason and usage.
import { METRICS_KEY, invocationMetrics, jsonReply } from './invoke-metrics.mjs';
import { STRINGS, UNIT_NUMBER, checkBody } from './native-body-checks.mjs';
import { planReply, textPieces } from './scripted-reply.mjs';

const ID = 'chatcmpl-3b9e1f0a-5c2d-4e7f-8a6b-0c1d2e3f4a5b';
const DEFAULT_MAX_TOKENS = 4096;
const FIELDS = {
  messages: {
    type: 'array',
    required: true,
    minItems: 1,
    items: {
      type: 'object',
      fields: {
        role: { type: 'string', required: true, enum: ['system', 'user', 'assistant'] },
        content: { type: 'string', required: true },
      },
    },
  },
  max_tokens: { type: 'integer', min: 0, max: 4096 },
  temperature: { type: 'number', min: 0, max: 2 },
  top_p: UNIT_NUMBER,
  stop: { type: ['array', 'string'], items: { type: 'string' } },
  n: { type: 'integer', min: 1, max: 1 },
  frequency_penalty: { type: 'number' },
  presence_penalty: { type: 'number' },
  response_format: { type: 'object', open: true },
  documents: { type: 'array' },
  tools: { type: 'array' },
};

/** "stop" for a natural end and a stop sequence, "length" at max_tokens. */
const finishReason = (plan) => (plan.stopReason === 'max_tokens' ? 'length' : 'stop');

const usageOf = (plan) => ({
  prompt_tokens: plan.inputTokens, completion_tokens: plan.outputTokens, total_tokens: plan.inputTokens + plan.outputTokens,
});

/** `ai21.jamba-1-5-mini-v1:0` → `jamba-1.5-mini` (as Bedrock's replies name it). */
const modelName = (modelId) => modelId.slice(modelId.lastIndexOf('/') + 1)
  .replace(/^.*ai21\./, '').replace(/-v\d+(:\d+)?$/, '').replace(/(\d)-(\d)/g, '$1.$2');

/** AI21 Jamba. */
export const ai21 = {
  name: 'ai21',

  /** Validates like Bedrock; system messages are the system text. */
  plan(body) {
    checkBody(body, FIELDS);
    const stop = body.stop === undefined ? [] : [body.stop].flat();
    return planReply({
      systemTexts: body.messages.filter((m) => m.role === 'system').map((m) => m.content),
      messages: body.messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role, texts: [m.content] })),
      maxTokens: body.max_tokens ?? DEFAULT_MAX_TOKENS,
      stopSequences: stop,
    });
  },

  /** `{id, choices:[{index, message, finish_reason}], usage, meta:{requestDurationMillis}, model}`. */
  response(plan, modelId) {
    return jsonReply({
      id: ID,
      choices: [{ index: 0, message: { role: 'assistant', content: plan.text, tool_calls: null }, finish_reason: finishReason(plan) }],
      usage: usageOf(plan),
      meta: { requestDurationMillis: plan.latencyMs },
      model: modelName(modelId),
    }, plan);
  },

  /** Role delta, content delta per piece, then `delta: {}` with finish_reason, usage and metrics. */
  streamEvents(plan) {
    const chunk = (delta, reason) => ({ id: ID, choices: [{ index: 0, delta, finish_reason: reason }] });
    return [
      chunk({ role: 'assistant', content: '' }, null),
      ...textPieces(plan.text).map((content) => chunk({ content }, null)),
      { ...chunk({}, finishReason(plan)), usage: usageOf(plan), [METRICS_KEY]: invocationMetrics(plan) },
    ];
  },
};
