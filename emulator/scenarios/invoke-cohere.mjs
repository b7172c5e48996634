// Cohere's two native InvokeModel formats: Command R / R+ chat (`{message, chat_history,
// preamble}` → `{response_id, text, generation_id, chat_history, finish_reason}`, streamed as
// stream-start / text-generation / stream-end events) and the legacy Command text generation
// (`{prompt}` → `{id, generations:[…], prompt}`, streamed as `{text, is_finished}` chunks).
import { cohereCommandTranscript } from './chat-transcripts.mjs';
import { METRICS_KEY, invocationMetrics, jsonReply } from './invoke-metrics.mjs';
import { STRINGS, UNIT_NUMBER, checkBody } from './native-body-checks.mjs';
import { planReply, textPieces } from './scripted-reply.mjs';

const RESPONSE_ID = 'e1d2c3b4-a5f6-4789-8abc-0123456789ab';
const GENERATION_ID = 'f1e2d3c4-b5a6-4978-9bcd-123456789ab0';
const DEFAULT_MAX_TOKENS = 512;
const COMMAND_DEFAULT_MAX_TOKENS = 20;

/** COMPLETE, MAX_TOKENS, or STOP_SEQUENCE (chat only; legacy Command reports COMPLETE). */
const finishReason = (plan, { stopSequence = 'STOP_SEQUENCE' } = {}) =>
  ({ end_turn: 'COMPLETE', max_tokens: 'MAX_TOKENS', stop_sequence: stopSequence })[plan.stopReason];

const CHAT_ROLES = { USER: 'user', CHATBOT: 'assistant' };

/** The Command R reply body (also the stream-end event's `response`). */
const chatReply = (plan) => ({
  response_id: RESPONSE_ID,
  text: plan.text,
  generation_id: GENERATION_ID,
  chat_history: plan.chatHistory,
  finish_reason: finishReason(plan),
});
const CHAT_FIELDS = {
  message: { type: 'string', required: true },
  chat_history: {
    type: 'array',
    items: {
      type: 'object',
      fields: {
        role: { type: 'string', required: true, enum: ['USER', 'CHATBOT', 'SYSTEM', 'TOOL'] },
        message: { type: 'string' },
        tool_calls: { type: 'array' },
        tool_results: { type: 'array' },
      },
    },
  },
  documents: { type: 'array' },
  search_queries_only: { type: 'boolean' },
  preamble: { type: 'string' },
  max_tokens: { type: 'integer', min: 1 },
  temperature: UNIT_NUMBER,
  p: { type: 'number', min: 0, max: 0.99 },
  k: { type: 'integer', min: 0, max: 500 },
  prompt_truncation: { type: 'string', enum: ['OFF', 'AUTO_PRESERVE_ORDER'] },
  frequency_penalty: UNIT_NUMBER,
  presence_penalty: UNIT_NUMBER,
  seed: { type: 'integer' },
  return_prompt: { type: 'boolean' },
  tools: { type: 'array' },
  tool_results: { type: 'array' },
  stop_sequences: { ...STRINGS, maxItems: 4 },
  raw_prompting: { type: 'boolean' },
};

/** Cohere Command R / R+ chat. */
export const cohereChat = {
  name: 'cohere-chat',

  /** Validates like Bedrock; preamble and SYSTEM history entries are the system text. */
  plan(body) {
    checkBody(body, CHAT_FIELDS);
    const history = body.chat_history ?? [];
    const system = [body.preamble, ...history.filter((h) => h.role === 'SYSTEM').map((h) => h.message)];
    const turns = history.filter((h) => h.role !== 'SYSTEM')
      .map((h) => ({ role: CHAT_ROLES[h.role] ?? 'tool', texts: [h.message ?? ''] }));
    const plan = planReply({
      systemTexts: system.filter((t) => typeof t === 'string'),
      messages: [...turns, { role: 'user', texts: [body.message] }],
      maxTokens: body.max_tokens ?? DEFAULT_MAX_TOKENS,
      stopSequences: body.stop_sequences,
    });
    const chatHistory = [...history, { role: 'USER', message: body.message }, { role: 'CHATBOT', message: plan.text }];
    return { ...plan, chatHistory };
  },

  /** `{response_id, text, generation_id, chat_history, finish_reason}`. */
  response(plan) {
    return jsonReply(chatReply(plan), plan);
  },

  /** stream-start, text-generation per piece, stream-end with the response and metrics. */
  streamEvents(plan) {
    return [
      { is_finished: false, event_type: 'stream-start', generation_id: GENERATION_ID },
      ...textPieces(plan.text).map((text) => ({ is_finished: false, event_type: 'text-generation', text })),
      {
        is_finished: true,
        event_type: 'stream-end',
        finish_reason: finishReason(plan),
        response: chatReply(plan),
        [METRICS_KEY]: invocationMetrics(plan),
      },
    ];
  },
};

const COMMAND_FIELDS = {
  prompt: { type: 'string', required: true },
  max_tokens: { type: 'integer', min: 1, max: 4096 },
  temperature: { type: 'number', min: 0, max: 5 },
  p: UNIT_NUMBER,
  k: { type: 'integer', min: 0, max: 500 },
  stop_sequences: { ...STRINGS, maxItems: 4 },
  return_likelihoods: { type: 'string', enum: ['GENERATION', 'ALL', 'NONE'] },
  stream: { type: 'boolean' },
  num_generations: { type: 'integer', min: 1, max: 5 },
  truncate: { type: 'string', enum: ['NONE', 'START', 'END'] },
  logit_bias: { type: 'object', open: true },
};

/** Generation i's id (the first is GENERATION_ID). */
const generationId = (i) => `${GENERATION_ID.slice(0, -1)}${i}`;

/** Cohere Command (legacy text generation: `cohere.command-text-*`, `cohere.command-light-*`). */
export const cohereCommand = {
  name: 'cohere-command',

  /**
   * Validates like Bedrock; the prompt is read as a `User:`/`Chatbot:` transcript (plain text: one
   * user turn); max_tokens defaults to 20 (as on Bedrock); `num_generations` n gives n identical
   * generations (output tokens × n).
   */
  plan(body) {
    checkBody(body, COMMAND_FIELDS);
    const plan = planReply({
      ...cohereCommandTranscript(body.prompt),
      maxTokens: body.max_tokens ?? COMMAND_DEFAULT_MAX_TOKENS,
      stopSequences: body.stop_sequences,
    });
    const generations = body.num_generations ?? 1;
    const outputTokens = plan.outputTokens * generations;
    return { ...plan, outputTokens, latencyMs: 100 + 10 * outputTokens, prompt: body.prompt, generations };
  },

  /** `{id, generations:[{id, text, finish_reason}] (num_generations identical ones), prompt}`. */
  response(plan) {
    const generations = Array.from({ length: plan.generations }, (_, i) => ({
      id: generationId(i), text: plan.text, finish_reason: finishReason(plan, { stopSequence: 'COMPLETE' }),
    }));
    return jsonReply({ id: RESPONSE_ID, generations, prompt: plan.prompt }, plan);
  },

  /** `{text, is_finished: false}` per piece, then `{is_finished: true, finish_reason}` + metrics. */
  streamEvents(plan) {
    return [
      ...textPieces(plan.text).map((text) => ({ text, is_finished: false })),
      { is_finished: true, finish_reason: finishReason(plan, { stopSequence: 'COMPLETE' }), [METRICS_KEY]: invocationMetrics(plan) },
    ];
  },
};
