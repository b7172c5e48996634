// Guardrails (`guardrailConfig`, guardContent blocks): validation, intervention when the last user
// text contains the word "forbidden", and the guardrail trace.
import { validationError } from '../errors.mjs';
import { constraint, isObject, requireEnum, unionMember } from '../validation-messages.mjs';

export const BLOCKED_REPLY = 'Sorry, the model cannot answer this question.';
const QUALIFIERS = ['grounding_source', 'query', 'guard_content'];

export function validateGuardrailConfig(config, operation) {
  if (!isObject(config)) throw constraint('guardrailConfig', config, 'Member must be an object');
  const { guardrailIdentifier: id, guardrailVersion: version, trace, streamProcessingMode } = config;
  if (typeof id !== 'string' || id.length === 0) {
    throw constraint('guardrailConfig.guardrailIdentifier', id ?? null, 'Member must not be null');
  }
  if (typeof version !== 'string' || !/^(DRAFT|[1-9][0-9]{0,7})$/.test(version)) {
    throw constraint('guardrailConfig.guardrailVersion', version ?? null, 'Member must satisfy regular expression pattern: (([1-9][0-9]{0,7})|(DRAFT))');
  }
  if (trace !== undefined) requireEnum('guardrailConfig.trace', trace, ['enabled', 'disabled', 'enabled_full']);
  if (streamProcessingMode !== undefined) {
    if (operation === 'Converse') throw validationError('streamProcessingMode is not supported for Converse');
    requireEnum('guardrailConfig.streamProcessingMode', streamProcessingMode, ['sync', 'async']);
  }
}

export function validateGuardContent(guardContent, path) {
  const member = unionMember(guardContent, path, ['text', 'image']);
  if (member === 'text') {
    const { text, qualifiers } = guardContent.text ?? {};
    if (typeof text !== 'string') throw constraint(`${path}.text.text`, text ?? null, 'Member must be a string');
    if (qualifiers !== undefined) {
      if (!Array.isArray(qualifiers)) throw constraint(`${path}.text.qualifiers`, qualifiers, 'Member must be an array');
      qualifiers.forEach((q, k) => requireEnum(`${path}.text.qualifiers.${k}`, q, QUALIFIERS));
    }
    return;
  }
  const image = guardContent.image;
  if (!isObject(image)) throw constraint(`${path}.image`, image, 'Member must be an object');
  requireEnum(`${path}.image.format`, image.format, ['png', 'jpeg']);
  if (!isObject(image.source) || typeof image.source.bytes !== 'string' || image.source.bytes.length === 0) {
    throw constraint(`${path}.image.source.bytes`, image.source?.bytes ?? null, 'Member must have length greater than or equal to 1');
  }
}

/** The text a guardrail assesses: the last user message's text and guardContent text. */
export function guardedText(message) {
  return (message?.content ?? [])
    .map((b) => b.text ?? b.guardContent?.text?.text)
    .filter((t) => typeof t === 'string')
    .join(' ');
}

/**
 * The guardrail's verdict for a request with guardrailConfig: `{intervened, trace}` where `trace`
 * is the response's trace member or undefined (trace disabled).
 */
export function assessGuardrail(config, lastUser) {
  const text = guardedText(lastUser);
  const intervened = /\bforbidden\b/i.test(text);
  if (config.trace !== 'enabled' && config.trace !== 'enabled_full') return { intervened, trace: undefined };
  const invocationMetrics = {
    guardrailProcessingLatency: 12,
    usage: { topicPolicyUnits: 1 },
    guardrailCoverage: { textCharacters: { guarded: text.length, total: text.length } },
  };
  const assessment = intervened
    ? { topicPolicy: { topics: [{ name: 'Forbidden', type: 'DENY', action: 'BLOCKED' }] }, invocationMetrics }
    : { invocationMetrics };
  return { intervened, trace: { guardrail: { inputAssessment: { [config.guardrailIdentifier]: assessment } } } };
}
