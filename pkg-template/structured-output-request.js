// The request side of withStructuredOutput, one for the core models (structured-output.js) and
// bedrock-edge/langchain alike: the method and its aliases, the name and description defaults,
// and what the model is bound with, either one forced tool ("functionCalling") or Converse's
// `outputConfig.textFormat` ("jsonSchema"). Each side parses the answers its own way.
import { checkToolName } from "./bedrock_edge.js";

const METHODS = {
  functionCalling: "functionCalling",
  toolCalling: "functionCalling",
  function_calling: "functionCalling",
  tool_calling: "functionCalling",
  jsonSchema: "jsonSchema",
  json_schema: "jsonSchema",
};

/** The options a structured-output model sets itself, so a call may not set them. */
export const STRUCTURED_OUTPUT_OPTIONS = ["tools", "toolChoice", "outputConfig"];

export const isPlainObject = (value) => {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * What withStructuredOutput asks of a model whose `_llmType()` is `llmType`, for `schema` (a
 * JSON Schema object) and `options` (`name`: default `schema.title`, else "extract";
 * `description`: default `schema.description`; `method`: "functionCalling" (default) or
 * "jsonSchema", or an alias; `includeRaw`; other members are left to the caller).
 * Returns `{ method, name, includeRaw, bind }`: `bind` holds the options to bind the model with.
 * Throws a TypeError naming the bad argument; the tool name follows the rule every tool is
 * checked with (the wasm side's).
 */
export function structuredOutputRequest(llmType, schema, options) {
  if (!isPlainObject(schema)) throw new TypeError("withStructuredOutput: schema must be a JSON Schema object");
  if (options !== undefined && options !== null && !isPlainObject(options)) {
    throw new TypeError("withStructuredOutput: options must be an object");
  }
  const { name: givenName, method: givenMethod = "functionCalling", includeRaw = false } = options ?? {};
  const method = typeof givenMethod === "string" && Object.hasOwn(METHODS, givenMethod) ? METHODS[givenMethod] : undefined;
  if (method === undefined) {
    throw new TypeError(
      `withStructuredOutput: method must be one of ${Object.keys(METHODS).map((m) => `"${m}"`).join(", ")}; got ${describe(givenMethod)}`,
    );
  }
  // InvokeModel models (ChatBedrock, ChatAnthropicBedrock) have no outputConfig.
  if (method === "jsonSchema" && llmType !== "bedrock-converse") {
    throw new TypeError('withStructuredOutput: method "jsonSchema" is Converse\'s outputConfig; use ChatBedrockConverse, or method "functionCalling"');
  }
  const name = givenName ?? schema.title ?? "extract";
  checkToolName(
    givenName === undefined ? "withStructuredOutput: name (from schema.title; pass options.name)" : "withStructuredOutput: name",
    name,
  );
  const description = options?.description ?? (typeof schema.description === "string" ? schema.description : undefined);
  if (description !== undefined && typeof description !== "string") {
    throw new TypeError("withStructuredOutput: description must be a string");
  }
  if (typeof includeRaw !== "boolean") throw new TypeError("withStructuredOutput: includeRaw must be a boolean");

  const described = description === undefined ? {} : { description };
  const bind =
    method === "functionCalling"
      ? { tools: [{ name, ...described, schema }], toolChoice: name }
      : {
          outputConfig: {
            textFormat: {
              type: "json_schema",
              structure: { jsonSchema: { schema: JSON.stringify(schema), name, ...described } },
            },
          },
        };
  return { method, name, includeRaw, bind };
}

function describe(value) {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
