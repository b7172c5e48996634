// One deterministic value for a JSON Schema, shared by tool calls (toolUse.input) and structured
// output (outputConfig.textFormat): every object property in order, strings `<name>-value` or the
// first enum member, integer 42 (or its minimum), number 4.2, boolean true, one array item, null.

const MAX_DEPTH = 16;

/** Follows `#/$defs/X` / `#/definitions/X` (any `#/…` pointer) inside the root schema. */
function resolveRef(root, ref) {
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return undefined;
  let node = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

/** `type` may be a list (`["string", "null"]`): the first non-null member wins. */
function typeOf(schema) {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null') ?? 'null';
  if (schema.type === undefined && typeof schema.properties === 'object') return 'object';
  return schema.type;
}

function generate(root, schema, name, depth) {
  if (depth > MAX_DEPTH || typeof schema !== 'object' || schema === null) return null;
  if (schema.$ref !== undefined) return generate(root, resolveRef(root, schema.$ref), name, depth + 1);
  if ('const' in schema) return schema.const;
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    if (Array.isArray(schema[key]) && schema[key].length > 0) return generate(root, schema[key][0], name, depth + 1);
  }
  switch (typeOf(schema)) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {})
        .map(([prop, sub]) => [prop, generate(root, sub, prop, depth + 1)]));
    case 'string':
      if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
      return name === undefined ? 'value' : `${name}-value`;
    case 'integer':
      return Number.isInteger(schema.minimum) ? schema.minimum : 42;
    case 'number':
      return 4.2;
    case 'boolean':
      return true;
    case 'array':
      return [generate(root, schema.items ?? {}, name, depth + 1)];
    default:
      return null;
  }
}

/** The value the emulator's model "generates" for `schema`. */
export function valueForSchema(schema) {
  return generate(schema, schema, undefined, 0);
}
