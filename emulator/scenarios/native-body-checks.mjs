// Validation of model-native InvokeModel bodies (Titan, Llama, Mistral, Cohere, AI21, Nova) with
// the messages real Bedrock returns for them — its JSON-schema validator's wording:
// `Malformed input request: #/inferenceConfig/maxTokens: expected type: Integer, found: String,
// please reformat your input and try again.` Only the first violation is reported.
import { validationError } from '../errors.mjs';
import { isObject } from '../validation-messages.mjs';

/** A 400 ValidationException `Malformed input request: <detail>, please reformat your input and try again.` */
export const malformed = (detail) =>
  validationError(`Malformed input request: ${detail}, please reformat your input and try again.`);

/** The validator's names for JSON types, as expected (`spec.type`) and as found. */
const EXPECTED = {
  string: 'String', integer: 'Integer', number: 'Number', boolean: 'Boolean', array: 'JSONArray', object: 'JSONObject',
};

function foundType(value) {
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'JSONArray';
  if (Number.isInteger(value)) return 'Integer';
  if (typeof value === 'number') return 'BigDecimal';
  return { string: 'String', boolean: 'Boolean', object: 'JSONObject' }[typeof value] ?? 'Unknown';
}

function hasType(value, type) {
  switch (type) {
    case 'integer': return Number.isInteger(value);
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'array': return Array.isArray(value);
    case 'object': return isObject(value);
    default: return typeof value === type;
  }
}

/**
 * Checks `value` at JSON-pointer-ish `path` (`#`, `#/messages/0/role`) against `spec`:
 * `{type: string | string[], enum?, min?, max?, minLength?, minItems?, maxItems?, pattern?,
 * items?: spec, fields?: {name: spec & {required?}}, open?: true (other keys allowed),
 * check?: (value, path) => void}`. Throws the first violation as a 400.
 */
export function checkValue(value, spec, path = '#') {
  const types = [spec.type].flat();
  if (!types.some((t) => hasType(value, t))) {
    throw malformed(`${path}: expected type: ${EXPECTED[types[0]]}, found: ${foundType(value)}`);
  }
  if (spec.enum && !spec.enum.includes(value)) throw malformed(`${path}: ${value} is not a valid enum value`);
  if (typeof value === 'number') {
    if (spec.min !== undefined && value < spec.min) throw malformed(`${path}: ${value} is not greater or equal to ${spec.min}`);
    if (spec.max !== undefined && value > spec.max) throw malformed(`${path}: ${value} is not less or equal to ${spec.max}`);
  }
  if (typeof value === 'string') {
    if (spec.minLength !== undefined && value.length < spec.minLength) {
      throw malformed(`${path}: expected minLength: ${spec.minLength}, actual: ${value.length}`);
    }
    // Bedrock's pattern message carries no path (as observed for Titan's stopSequences).
    if (spec.pattern && !spec.pattern.test(value)) throw malformed(`string [${value}] does not match pattern ${spec.pattern.source}`);
  }
  if (Array.isArray(value)) {
    if (spec.minItems !== undefined && value.length < spec.minItems) {
      throw malformed(`${path}: expected minimum item count: ${spec.minItems}, found: ${value.length}`);
    }
    if (spec.maxItems !== undefined && value.length > spec.maxItems) {
      throw malformed(`${path}: expected maximum item count: ${spec.maxItems}, found: ${value.length}`);
    }
    if (spec.items) value.forEach((item, i) => checkValue(item, spec.items, `${path}/${i}`));
  }
  if (isObject(value) && spec.fields) checkFields(value, spec, path);
  spec.check?.(value, path);
}

function checkFields(value, { fields, open }, path) {
  for (const [name, field] of Object.entries(fields)) {
    if (field.required && !(name in value)) throw malformed(`${path}: required key [${name}] not found`);
  }
  if (!open) {
    const extra = Object.keys(value).find((key) => !(key in fields));
    if (extra !== undefined) throw malformed(`${path}: extraneous key [${extra}] is not permitted`);
  }
  for (const [name, field] of Object.entries(fields)) {
    if (value[name] !== undefined) checkValue(value[name], field, `${path}/${name}`);
  }
}

/** Checks a whole body: a JSON object with exactly the keys of `fields` (see checkValue). */
export function checkBody(body, fields) {
  checkValue(body, { type: 'object', fields });
}

/** Common sampling knobs: a number in 0..1. */
export const UNIT_NUMBER = { type: 'number', min: 0, max: 1 };

/** An array of strings. */
export const STRINGS = { type: 'array', items: { type: 'string' } };
