// Structured output (`outputConfig.textFormat` with a JSON schema): validation, and the reply — one
// text block holding the schema's generated value as JSON, streamed in ≤ 8-char pieces.
import { validationError } from '../errors.mjs';
import { constraint, isObject, requireEnum } from '../validation-messages.mjs';
import { textBlock } from './planned-blocks.mjs';
import { valueForSchema } from './schema-values.mjs';
import { fixedPieces } from './stream-pieces.mjs';

const PATH = 'outputConfig.textFormat';

/** The parsed JSON schema when a text format is requested (validated), else null. */
export function outputSchema(outputConfig) {
  if (outputConfig === undefined) return null;
  if (!isObject(outputConfig)) throw constraint('outputConfig', outputConfig, 'Member must be an object');
  const format = outputConfig.textFormat;
  if (format === undefined) return null;
  if (!isObject(format)) throw constraint(PATH, format, 'Member must be an object');
  requireEnum(`${PATH}.type`, format.type, ['json_schema']);
  const jsonSchema = format.structure?.jsonSchema;
  if (!isObject(jsonSchema)) throw validationError(`${PATH}.structure.jsonSchema is required when type is json_schema.`);
  for (const key of ['name', 'description']) {
    if (jsonSchema[key] !== undefined && (typeof jsonSchema[key] !== 'string' || jsonSchema[key].length === 0)) {
      throw constraint(`${PATH}.structure.jsonSchema.${key}`, jsonSchema[key], 'Member must have length greater than or equal to 1');
    }
  }
  let schema;
  try {
    schema = typeof jsonSchema.schema === 'string' ? JSON.parse(jsonSchema.schema) : undefined;
  } catch {
    schema = undefined;
  }
  if (!isObject(schema)) {
    throw validationError(`${PATH}.structure.jsonSchema.schema: The provided schema is not valid JSON. It must be a string containing a JSON object.`);
  }
  return schema;
}

export function structuredOutputBlock(schema) {
  const json = JSON.stringify(valueForSchema(schema));
  return textBlock(json, fixedPieces(json, 8));
}
