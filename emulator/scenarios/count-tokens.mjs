// CountTokens (`POST /model/{modelId}/count-tokens`): `{input: {converse: {messages, system,
// toolConfig, additionalModelRequestFields}}}` or `{input: {invokeModel: {body: <base64 native
// body>}}}` → `{inputTokens}`, the input tokens the same request would be charged: here the
// scripted assistant's count (words of text, a tool spec's JSON words), cache points included.
// As on Bedrock, only Anthropic's foundation-model ids count tokens; other models, inference
// profiles and ARNs get a ValidationException.
import { fromBase64 } from '../bytes.mjs';
import { parseJsonBody, validateConverseRequest } from '../converse-validation.mjs';
import { validationError } from '../errors.mjs';
import { constraint, isBase64, isObject, unionMember } from '../validation-messages.mjs';
import { PromptCache, inputItems } from './caching.mjs';
import { planInvoke } from './invoke-providers.mjs';

const CONVERSE_MEMBERS = ['messages', 'system', 'toolConfig', 'additionalModelRequestFields'];
const COUNTING_MODEL = /^anthropic\.claude-/;

/** The CountTokens reply body for a request body, or a BedrockError as Bedrock words it. */
export function countTokens(body, modelId) {
  if (!COUNTING_MODEL.test(modelId)) throw validationError("The provided model doesn't support counting tokens.");
  const request = parseJsonBody(body);
  if (!isObject(request)) throw constraint('input', request, 'Member must not be null');
  if (request.input === undefined || request.input === null) throw constraint('input', null, 'Member must not be null');
  const member = unionMember(request.input, 'input', ['converse', 'invokeModel']);
  const input = request.input[member];
  if (!isObject(input)) throw constraint(`input.${member}`, input, 'Member must be an object');
  return { inputTokens: member === 'converse' ? converseTokens(input, modelId) : invokeModelTokens(input, modelId) };
}

function converseTokens(input, modelId) {
  const unknown = Object.keys(input).filter((key) => !CONVERSE_MEMBERS.includes(key));
  if (unknown.length > 0) {
    throw validationError(`Malformed input request: extraneous key [${unknown[0]}] is not permitted, please reformat your input and try again.`);
  }
  validateConverseRequest(input, { operation: 'Converse', modelId });
  return inputItems(input).reduce((n, item) => n + item.tokens, 0);
}

function invokeModelTokens(input, modelId) {
  const { body } = input;
  if (body === undefined || body === null) throw constraint('input.invokeModel.body', null, 'Member must not be null');
  if (typeof body !== 'string' || body.length === 0 || !isBase64(body)) {
    throw validationError('Malformed input request: input.invokeModel.body must be base64-encoded bytes.');
  }
  const native = parseJsonBody(fromBase64(body));
  // Planned against a cache of its own: a count neither reads nor writes the prompt cache.
  const { plan } = planInvoke(native, { modelId, promptCache: new PromptCache() });
  return plan.inputTokens + (plan.cache?.cacheReadInputTokens ?? 0) + (plan.cache?.cacheWriteInputTokens ?? 0);
}
