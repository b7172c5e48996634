// Building blocks of Bedrock-style 400s, shared by converse-validation.mjs and the scenario
// modules that validate their own request members.
import { validationError } from './errors.mjs';

export const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "1 validation error detected: Value 'x' at 'path' failed to satisfy constraint: rule". */
export function constraint(path, value, rule) {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return validationError(`1 validation error detected: Value '${shown}' at '${path}' failed to satisfy constraint: ${rule}`);
}

/** Enum check in the same style ("Member must satisfy enum value set: [a, b]"). */
export function requireEnum(path, value, allowed) {
  if (!allowed.includes(value)) throw constraint(path, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
}

/** Standard base64 (what a JSON blob member holds), padded. */
export function isBase64(value) {
  return typeof value === 'string' && value.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(value);
}

/** Keys of a one-member union object, or a 400 naming the path. */
export function unionMember(value, path, members) {
  if (!isObject(value)) throw constraint(path, value, 'Member must be an object');
  const keys = Object.keys(value);
  if (keys.length !== 1 || !members.includes(keys[0])) {
    throw validationError(`Malformed input request: ${path} must set exactly one of [${members.join(', ')}], got [${keys.join(', ')}].`);
  }
  return keys[0];
}

/** Claude refuses a prefill (a final assistant turn) whose last text ends in whitespace. */
export function rejectTrailingWhitespace(text) {
  if (typeof text === 'string' && /\s$/.test(text)) {
    throw validationError('messages: final assistant content cannot end with trailing whitespace');
  }
}
