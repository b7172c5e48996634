// Anthropic-style 400 messages (the pydantic wording Claude's API answers with, which Bedrock passes
// through as a ValidationException) and the small type checks the Anthropic validators share.
import { validationError } from '../errors.mjs';
import { isBase64, isObject } from '../validation-messages.mjs';

export { isObject };

/** `<path>: <message>` as a ValidationException. */
export const invalid = (path, message) => validationError(`${path}: ${message}`);

/** "'a', 'b' or 'c'" (pydantic's literal list). */
export function quotedChoices(values) {
  const quoted = values.map((v) => `'${v}'`);
  return quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/**
 * The `type` tag of a discriminated union member, or a 400 naming `path`: missing tag →
 * "Unable to extract tag using discriminator 'type'", unknown → "Input tag 'x' found using 'type'
 * does not match any of the expected tags: 'a', 'b'".
 */
export function unionTag(value, path, tags) {
  if (!isObject(value)) throw invalid(path, 'Input should be a valid dictionary or object to extract fields from');
  if (value.type === undefined) throw invalid(path, "Unable to extract tag using discriminator 'type'");
  if (!tags.includes(value.type)) {
    throw invalid(path, `Input tag '${value.type}' found using 'type' does not match any of the expected tags: ${tags.map((t) => `'${t}'`).join(', ')}`);
  }
  return value.type;
}

/** A required string member (`Field required` / `Input should be a valid string`). */
export function requireString(value, path) {
  if (value === undefined) throw invalid(path, 'Field required');
  if (typeof value !== 'string') throw invalid(path, 'Input should be a valid string');
}

/** An optional string member (null allowed, as the API's `Optional[str]`). */
export function optionalString(value, path) {
  if (value !== undefined && value !== null && typeof value !== 'string') throw invalid(path, 'Input should be a valid string');
}

/** A required JSON object member. */
export function requireDict(value, path) {
  if (value === undefined) throw invalid(path, 'Field required');
  if (!isObject(value)) throw invalid(path, 'Input should be a valid dictionary');
}

/** A literal member: one of `values`. */
export function requireLiteral(value, path, values) {
  if (value === undefined) throw invalid(path, 'Field required');
  if (!values.includes(value)) throw invalid(path, `Input should be ${quotedChoices(values)}`);
}

/** A non-empty, padded standard base64 string (media `data`). */
export function requireBase64(value, path) {
  requireString(value, path);
  if (value.length === 0 || !isBase64(value)) throw invalid(path, 'The data is not valid base64 (non-empty, padded standard alphabet).');
}

/** Bedrock's own schema check wording ("#/path: expected type: X, found: Y"). */
export function bedrockTypeError(pointer, expected, value) {
  return validationError(`Malformed input request: #/${pointer}: expected type: ${expected}, found: ${jsonTypeName(value)}, please reformat your input and try again.`);
}

function jsonTypeName(value) {
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'JSONArray';
  if (typeof value === 'object') return 'JSONObject';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'BigDecimal';
  return typeof value === 'string' ? 'String' : 'Boolean';
}
