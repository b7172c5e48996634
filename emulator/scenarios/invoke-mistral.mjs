// Mistral's two native InvokeModel formats: text completion (Mistral 7B, Mixtral, Large 2402,
// Small: `{prompt}` with the `[INST]` template → `{outputs:[…]}`) and chat completion (Large 2407 /
// 2411, Pixtral: OpenAI-like `{messages}` → `chat.completion`). The scripted reply is text only.
import { mistralTranscript } from './chat-transcripts.mjs';
import { METRICS_KEY, invocationMetrics, jsonReply, pieceChunks } from './invoke-metrics.mjs';
import { STRINGS, UNIT_NUMBER, checkBody, malformed } from './native-body-checks.mjs';
import { planReply, textPieces } from './scripted-reply.mjs';

const DEFAULT_MAX_TOKENS = 512;
const CHAT_ID = 'cmpl-bdrkemulator0scripted0reply00';

/** Mistral says "stop" for a natural end and a stop sequence, "length" at max_tokens. */
const stopReason = (plan) => (plan.stopReason === 'max_tokens' ? 'length' : 'stop');

const TEXT_FIELDS = {
  prompt: { type: 'string', required: true },
  max_tokens: { type: 'integer', min: 1 },
  stop: { ...STRINGS, maxItems: 10 },
  temperature: UNIT_NUMBER,
  top_p: UNIT_NUMBER,
  top_k: { type: 'integer', min: 0, max: 200 },
};

/** Mistral text completion. */
export const mistralText = {
  name: 'mistral-text',

  /** Validates like Bedrock and plans the reply to the `[INST]` turns in `prompt`. */
  plan(body) {
    checkBody(body, TEXT_FIELDS);
    return planReply({ ...mistralTranscript(body.prompt), maxTokens: body.max_tokens ?? DEFAULT_MAX_TOKENS, stopSequences: body.stop });
  },

  /** `{outputs:[{text, stop_reason}]}`. */
  response(plan) {
    return jsonReply({ outputs: [{ text: plan.text, stop_reason: stopReason(plan) }] }, plan);
  },

  /** `{outputs:[{text: piece, stop_reason: null}]}` per piece; the last with stop_reason + metrics. */
  streamEvents(plan) {
    return pieceChunks(textPieces(plan.text), (text) => ({ outputs: [{ text, stop_reason: null }] }),
      (event) => ({ outputs: [{ ...event.outputs[0], stop_reason: stopReason(plan) }], [METRICS_KEY]: invocationMetrics(plan) }));
  },
};

const USER_PART = {
  type: 'object',
  fields: {
    type: { type: 'string', required: true, enum: ['text', 'image_url'] },
    text: { type: 'string' },
    image_url: { type: 'object', fields: { url: { type: 'string', required: true }, detail: { type: 'string' } } },
  },
};
const CHAT_FIELDS = {
  messages: {
    type: 'array',
    required: true,
    minItems: 1,
    items: {
      type: 'object',
      fields: {
        role: { type: 'string', required: true, enum: ['system', 'user', 'assistant', 'tool'] },
        content: { type: ['string', 'array', 'null'], items: USER_PART },
        tool_calls: { type: 'array' },
        tool_call_id: { type: 'string' },
        name: { type: 'string' },
      },
      check: (message, path) => {
        if (Array.isArray(message.content) && message.role !== 'user') {
          throw malformed(`${path}/content: expected type: String, found: JSONArray`);
        }
      },
    },
  },
  max_tokens: { type: 'integer', min: 1 },
  temperature: UNIT_NUMBER,
  top_p: UNIT_NUMBER,
  tools: { type: 'array', items: { type: 'object', open: true } },
  tool_choice: { type: ['string', 'object'] },
};

/** A chat message's text: the string, or the text parts of a user's content list joined by " ". */
function chatTexts({ content }) {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  return content.filter((p) => p.type === 'text' && typeof p.text === 'string').map((p) => p.text);
}

/** `mistral.mistral-large-2407-v1:0` → `mistral-large-2407`. */
const modelName = (modelId) => modelId.slice(modelId.lastIndexOf('/') + 1)
  .replace(/^.*mistral\./, '').replace(/-v\d+(:\d+)?$/, '');

/** Mistral chat completion (Large 2407/2411, Pixtral). */
export const mistralChat = {
  name: 'mistral-chat',

  /** Validates like Bedrock; system messages are the system text, tool messages count as input. */
  plan(body) {
    checkBody(body, CHAT_FIELDS);
    const system = body.messages.filter((m) => m.role === 'system');
    return planReply({
      systemTexts: system.flatMap(chatTexts),
      messages: body.messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role, texts: chatTexts(m) })),
      maxTokens: body.max_tokens ?? DEFAULT_MAX_TOKENS,
    });
  },

  /** `chat.completion` with one choice, `tool_calls: null`, and usage. */
  response(plan, modelId) {
    return jsonReply({
      id: CHAT_ID,
      object: 'chat.completion',
      model: modelName(modelId),
      choices: [{ index: 0, message: { role: 'assistant', content: plan.text, tool_calls: null }, stop_reason: stopReason(plan) }],
      usage: { prompt_tokens: plan.inputTokens, completion_tokens: plan.outputTokens, total_tokens: plan.inputTokens + plan.outputTokens },
    }, plan);
  },

  /** `chat.completion.chunk` per piece (`message.content`); the last with stop_reason + metrics. */
  streamEvents(plan) {
    const choice = (content, reason) => [{ index: 0, message: { role: 'assistant', content }, stop_reason: reason }];
    return pieceChunks(textPieces(plan.text),
      (content) => ({ id: CHAT_ID, object: 'chat.completion.chunk', choices: choice(content, null) }),
      (event) => ({ choices: choice(event.choices[0].message.content, stopReason(plan)), [METRICS_KEY]: invocationMetrics(plan) }));
  },
};
