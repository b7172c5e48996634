// InvokeModel / InvokeModelWithResponseStream for every provider's native body: which provider
// answers (by model id, else by body shape), and the reply rendered in its format. Each provider
// object has `name`, `plan(body, {modelId, promptCache})` (validates like Bedrock, 400s as
// ValidationException), `response(plan, modelId)` → `{body, headers}` and
// `streamEvents(plan, modelId)` → native events, each sent as a `chunk` frame
// `{"bytes": base64(JSON(event)), "p": …}`.
import { eventFrame } from '../eventstream-writer.mjs';
import { toBase64, utf8 } from '../bytes.mjs';
import { isObject } from '../validation-messages.mjs';
import { ai21 } from './invoke-ai21.mjs';
import { cohereChat, cohereCommand } from './invoke-cohere.mjs';
import { cohereEmbed, novaEmbed, titanEmbed } from './embeddings.mjs';
import { llama } from './invoke-llama.mjs';
import { mistralChat, mistralText } from './invoke-mistral.mjs';
import { nova } from './invoke-nova.mjs';
import { titan } from './invoke-titan.mjs';
import {
  INVOKE_STREAM_HEADERS, invokeResponse, invokeStreamEvents, planFromAnthropicBody,
} from './scripted-invoke.mjs';

/** Anthropic Messages (scripted-invoke.mjs). */
export const anthropic = {
  name: 'anthropic',
  plan: (body, context) => planFromAnthropicBody(body, context),
  response: (plan, modelId) => invokeResponse(plan, modelId),
  streamEvents: (plan, modelId) => invokeStreamEvents(plan, modelId),
};

const CROSS_REGION_PREFIX = /^(us|eu|apac|global|us-gov|jp|au|ca)\./;
const MISTRAL_CHAT_MODELS = /mistral-large-2407|mistral-large-2411|pixtral/;
const LLAMA_TOKENS = /<\|begin_of_text\|>|<\|start_header_id\|>/;

/**
 * The foundation-model part of a model id: after the last `/` of an ARN, without a cross-region
 * prefix. `arn:aws:bedrock:us-east-1:1:inference-profile/us.meta.llama3-8b-instruct-v1:0` →
 * `meta.llama3-8b-instruct-v1:0`.
 */
export function baseModelId(modelId) {
  return modelId.slice(modelId.lastIndexOf('/') + 1).replace(CROSS_REGION_PREFIX, '');
}

/** The provider a model id names, or null (application inference profiles, `fault:…` ids, …). */
export function providerForModelId(modelId) {
  const id = baseModelId(modelId);
  if (id.startsWith('anthropic.')) return anthropic;
  if (id.startsWith('amazon.nova-2-multimodal-embeddings')) return novaEmbed;
  if (id.startsWith('amazon.nova')) return nova;
  if (id.startsWith('amazon.titan-text') || id.startsWith('amazon.titan-tg1')) return titan;
  if (id.startsWith('amazon.titan-embed-text') || id.startsWith('amazon.titan-embed-g1-text')) return titanEmbed;
  if (id.startsWith('cohere.embed-')) return cohereEmbed;
  if (id.startsWith('meta.llama')) return llama;
  if (id.startsWith('mistral.')) return MISTRAL_CHAT_MODELS.test(id) ? mistralChat : mistralText;
  if (id.startsWith('cohere.command-r')) return cohereChat;
  if (id.startsWith('cohere.command')) return cohereCommand;
  if (id.startsWith('ai21.jamba')) return ai21;
  return null;
}

/** A content list of Converse-style one-member blocks (`{text}`, `{image}`…, no `type`). */
const hasUntypedBlocks = (content) => Array.isArray(content) && content.some((b) => isObject(b) && !('type' in b));
const hasTypedBlocks = (content) => Array.isArray(content) && content.some((b) => isObject(b) && 'type' in b);

/** The provider whose native body `body` looks like (Anthropic when nothing fits: its 400). */
export function providerForBody(body, modelId = '') {
  if (!isObject(body) || 'anthropic_version' in body) return anthropic;
  if ('inputText' in body) return titan;
  if ('prompt' in body) {
    const prompt = typeof body.prompt === 'string' ? body.prompt : '';
    if ('max_gen_len' in body || LLAMA_TOKENS.test(prompt)) return llama;
    return prompt.includes('[INST]') ? mistralText : cohereCommand;
  }
  if (typeof body.message === 'string') return cohereChat;
  if ('schemaVersion' in body || 'inferenceConfig' in body) return nova;
  if (Array.isArray(body.messages)) {
    const contents = body.messages.map((m) => m?.content);
    if (contents.some(hasUntypedBlocks)) return nova;
    const mistral = /mistral/i.test(modelId);
    if (contents.some(hasTypedBlocks)) {
      const imageUrl = contents.some((c) => Array.isArray(c) && c.some((b) => b?.type === 'image_url'));
      return mistral || imageUrl ? mistralChat : anthropic;
    }
    return mistral ? mistralChat : ai21;
  }
  return anthropic;
}

/**
 * The provider for an InvokeModel call: by model id (ARN tail, cross-region prefix stripped),
 * else by the body's shape.
 */
export function providerFor(modelId, body) {
  return providerForModelId(modelId) ?? providerForBody(body, modelId);
}

/**
 * Validates a parsed InvokeModel body for `modelId` and plans the scripted reply.
 * @param {unknown} body  the parsed JSON body
 * @param {{modelId: string, promptCache: import('./caching.mjs').PromptCache}} context
 * @returns {{provider: object, plan: object}}
 */
export function planInvoke(body, context) {
  const provider = providerFor(context.modelId, body);
  return { provider, plan: provider.plan(body, context) };
}

/** The InvokeModel reply `{body, headers}` for a planInvoke result. */
export function invokeReply({ provider, plan }, modelId) {
  return provider.response(plan, modelId);
}

/** `chunk` frames around native events, exactly as scripted-invoke.mjs sends Claude's. */
export function chunkFrames(events) {
  return events.map((event, seq) => chunkFrame(JSON.stringify(event), seq));
}

/** The `chunk` frame (`{"bytes": base64(text), "p": …}`) around one event's JSON text. */
export function chunkFrame(json, seq) {
  return eventFrame('chunk', { bytes: toBase64(utf8(json)) }, seq);
}

/** The InvokeModelWithResponseStream reply `{frames, headers}` for a planInvoke result. */
export function invokeStreamReply({ provider, plan }, modelId) {
  return { frames: chunkFrames(provider.streamEvents(plan, modelId)), headers: INVOKE_STREAM_HEADERS };
}
