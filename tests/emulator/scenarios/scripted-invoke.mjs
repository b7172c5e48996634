// The scripted reply for InvokeModel / InvokeModelWithResponseStream with an Anthropic Messages
// body (PROTOCOL.md §3.7–3.8): a Message object, or `chunk` frames whose payload is
// `{"bytes": base64(Claude stream event), "p": …}` ending with amazon-bedrock-invocationMetrics.
import { validationError } from '../errors.mjs';
import { eventFrame } from '../eventstream-writer.mjs';
import { planReply, textPieces } from './scripted-reply.mjs';

const MESSAGE_ID = 'msg_bdrk_01EmulatorScriptedReply00';
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Anthropic content: a string or `[{type: "text", text}, …]` → its text blocks. */
function texts(content) {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  return content.filter((b) => b?.type === 'text' && typeof b.text === 'string').map((b) => b.text);
}

/** Validates an Anthropic-on-Bedrock body the way Bedrock does (JSON-schema style messages). */
export function planFromAnthropicBody(body) {
  if (!isObject(body)) throw validationError('Malformed input request: the body must be a JSON object.');
  if (typeof body.anthropic_version !== 'string') {
    throw validationError('Malformed input request: #: required key [anthropic_version] not found, please reformat your input and try again. (The emulator scripts InvokeModel for Anthropic Messages bodies only; use replay:… for other providers.)');
  }
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
    throw validationError('Malformed input request: #: required key [max_tokens] not found or not an integer >= 1, please reformat your input and try again.');
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw validationError('Malformed input request: #/messages: expected a non-empty array, please reformat your input and try again.');
  }
  body.messages.forEach((m, i) => {
    if (!isObject(m) || (m.role !== 'user' && m.role !== 'assistant')) {
      throw validationError(`Malformed input request: #/messages/${i}/role: must be user or assistant, please reformat your input and try again.`);
    }
  });
  return planReply({
    systemTexts: body.system === undefined ? [] : texts(body.system),
    messages: body.messages.map((m) => ({ role: m.role, texts: texts(m.content) })),
    maxTokens: body.max_tokens,
    stopSequences: Array.isArray(body.stop_sequences) ? body.stop_sequences : [],
  });
}

/** Bedrock's model name inside Claude responses drops the provider prefix and version suffix. */
const modelName = (modelId) => modelId.replace(/^.*anthropic\./, '').replace(/-v\d+(:\d+)?$/, '');

export function invokeResponse(plan, modelId) {
  const body = JSON.stringify({
    id: MESSAGE_ID,
    type: 'message',
    role: 'assistant',
    model: modelName(modelId),
    content: [{ type: 'text', text: plan.text }],
    stop_reason: plan.stopReason,
    stop_sequence: plan.stopSequence,
    usage: { input_tokens: plan.inputTokens, output_tokens: plan.outputTokens },
  });
  return {
    body,
    headers: {
      'X-Amzn-Bedrock-Invocation-Latency': String(plan.latencyMs),
      'X-Amzn-Bedrock-Input-Token-Count': String(plan.inputTokens),
      'X-Amzn-Bedrock-Output-Token-Count': String(plan.outputTokens),
    },
  };
}

export function invokeStreamEvents(plan, modelId) {
  return [
    {
      type: 'message_start',
      message: {
        id: MESSAGE_ID, type: 'message', role: 'assistant', model: modelName(modelId), content: [],
        stop_reason: null, stop_sequence: null, usage: { input_tokens: plan.inputTokens, output_tokens: 1 },
      },
    },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    ...textPieces(plan.text).map((text) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
    { type: 'content_block_stop', index: 0 },
    { type: 'message_delta', delta: { stop_reason: plan.stopReason, stop_sequence: plan.stopSequence }, usage: { output_tokens: plan.outputTokens } },
    {
      type: 'message_stop',
      'amazon-bedrock-invocationMetrics': {
        inputTokenCount: plan.inputTokens, outputTokenCount: plan.outputTokens,
        invocationLatency: plan.latencyMs, firstByteLatency: 50,
      },
    },
  ];
}

export function invokeStreamFrames(plan, modelId) {
  return invokeStreamEvents(plan, modelId).map((event, seq) =>
    eventFrame('chunk', { bytes: Buffer.from(JSON.stringify(event)).toString('base64') }, seq));
}

/** Response headers of InvokeModelWithResponseStream (the model requires the content type). */
export const INVOKE_STREAM_HEADERS = { 'X-Amzn-Bedrock-Content-Type': 'application/json' };
