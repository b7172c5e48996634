// withStructuredOutput: a chat model whose answers are objects of a given JSON Schema, either as
// the arguments of one forced tool call ("functionCalling") or as text constrained by Converse
// `outputConfig.textFormat` ("jsonSchema"). The request is built here for bedrock-edge/langchain
// too, which parses with LangChain's parsers; the core's `stream` yields the object as it fills
// in, parsed from the JSON text so far with the partial-JSON parser.
import { checkToolName, deriveMessageFields } from "./bedrock_edge.js";
import { addAsyncIterator } from "./async-iterator.js";
import { concat } from "./concat.js";
import { localError } from "./errors.js";
import { parsePartialJson } from "./partial-json.js";

const METHODS = {
  functionCalling: "functionCalling",
  toolCalling: "functionCalling",
  function_calling: "functionCalling",
  tool_calling: "functionCalling",
  jsonSchema: "jsonSchema",
  json_schema: "jsonSchema",
};

// The options a structured-output model sets itself, so a call may not set them.
const OWN_OPTIONS = ["tools", "toolChoice", "outputConfig"];

const isPlainObject = (value) => {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * The request, for the core models and bedrock-edge/langchain alike: `{ method, name,
 * includeRaw, bind }` for a model of `llmType`, where `bind` holds the options to bind. `options`:
 * `name` (default `schema.title`, else "extract"), `description` (default `schema.description`),
 * `method` ("functionCalling" (default), "jsonSchema" or an alias), `includeRaw`. A bad argument
 * is a TypeError naming it; the tool name is checked by the wasm side's rule for every tool.
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

/** The core's: `{ invoke, stream }` answering with objects of `schema` (options as above). */
export function withStructuredOutput(model, schema, options) {
  if (model === null || typeof model !== "object" || typeof model._withOptions !== "function") {
    throw new TypeError("withStructuredOutput: model must be a bedrock-edge chat model");
  }
  const llmType = typeof model._llmType === "function" ? model._llmType() : "bedrock-converse";
  const { bind, ...spec } = structuredOutputRequest(llmType, schema, options);
  const derived = model._withOptions(bind);

  return {
    /** One call; resolves to the parsed object (or `{ raw, parsed, parsingError }` with includeRaw). */
    async invoke(messages, callOptions) {
      checkCallOptions(callOptions);
      const raw = await derived.invoke(messages, callOptions);
      const result = parseMessage(raw, spec);
      if (spec.includeRaw) return { raw, parsed: result.error ? null : result.value, parsingError: result.error ?? null };
      if (result.error) throw result.error;
      return result.value;
    },
    /** A ReadableStream (and async iterable) of the object as it fills in; the last item is complete. */
    stream(messages, callOptions) {
      checkCallOptions(callOptions);
      return partialObjectStream(derived.stream(messages, callOptions), spec);
    },
  };
}

function checkCallOptions(callOptions) {
  if (callOptions === undefined || callOptions === null) return;
  if (typeof callOptions !== "object") throw new TypeError("withStructuredOutput: call options must be an object");
  for (const key of OWN_OPTIONS) {
    if (callOptions[key] !== undefined) {
      throw new TypeError(`withStructuredOutput: ${key} cannot be set per call on a structured-output model`);
    }
  }
}

/** The parsed object of a whole AIMessage: `{ value }` or `{ error }` (an OutputParserException). */
function parseMessage(message, { method, name }) {
  if (method === "jsonSchema") return parseJsonText(textOf(message));
  const call = (message?.tool_calls ?? []).find((c) => c?.name === name);
  if (call !== undefined) return { value: call.args ?? {} };
  const invalid = (message?.invalid_tool_calls ?? []).find((c) => c?.name === name);
  if (invalid !== undefined) {
    const why = invalid.error ? `: ${invalid.error}` : "";
    return { error: parserError(`the arguments of the call to tool "${name}" are not valid JSON${why}`, invalid.args ?? "") };
  }
  return { error: parserError(noCallMessage(name, message), textOf(message)) };
}

function parseJsonText(text) {
  try {
    return { value: JSON.parse(text) };
  } catch (cause) {
    return { error: parserError(`the model's answer is not JSON: ${cause.message}`, text, cause) };
  }
}

function noCallMessage(name, message) {
  const stopReason = message?.response_metadata?.stopReason;
  return `the model did not call tool "${name}"${stopReason ? ` (stopReason: ${stopReason})` : ""}`;
}

function parserError(message, llmOutput, cause) {
  const error = localError("OutputParserException", `withStructuredOutput: ${message}`, { cause });
  error.llmOutput = llmOutput;
  return error;
}

const textOf = (message) => (typeof message?.text === "string" ? message.text : "");

// The stream of partial objects: pull-driven (high-water mark 0) like the chunk stream under
// it, so cancelling it (or leaving `for await`) cancels the request.
function partialObjectStream(chunks, { method, name, includeRaw }) {
  const reader = chunks.getReader();
  let cancelled = false;
  let finished = false;
  let raw; // the chunks so far, concatenated (only with includeRaw)
  let text = ""; // the answer text so far
  let stopReason;
  let json = ""; // the JSON text so far: the forced tool call's arguments, or the answer text
  let called = false; // functionCalling: whether the forced tool call has started
  let toolIndex;
  let toolId;
  let broken = false; // the JSON text so far is not the beginning of a JSON document
  let last; // the last partial object yielded
  let yielded = false;

  // Returns the JSON text the chunk adds.
  const fragmentOf = (chunk) => {
    const chunkText = typeof chunk?.text === "string" ? chunk.text : "";
    text += chunkText;
    stopReason = chunk?.response_metadata?.stopReason ?? stopReason;
    if (method === "jsonSchema") return chunkText;
    let fragment = "";
    const entries = chunk?.tool_call_chunks ?? (chunk?.content ?? []).filter((b) => b?.type === "tool_call_chunk");
    for (const entry of entries) {
      if (!called && entry?.name === name) {
        called = true;
        toolIndex = entry.index;
        toolId = entry.id;
      } else if (!called || entry?.index !== toolIndex) continue;
      if (typeof entry.args === "string") fragment += entry.args;
    }
    return fragment;
  };

  const item = (parsed, parsingError = null) => (includeRaw ? { raw, parsed, parsingError } : parsed);

  const stream = new ReadableStream(
    {
      async pull(controller) {
        try {
          // Read until there is something to hand out: pull is not called again until then.
          for (;;) {
            const { done, value: chunk } = await reader.read();
            if (cancelled) return;
            if (done) {
              finish(controller);
              return;
            }
            if (includeRaw) raw = concat(raw ?? { type: "AIMessageChunk", content: [], text: "" }, chunk);
            const fragment = fragmentOf(chunk);
            if (fragment === "") continue;
            json += fragment;
            if (broken) continue;
            let partial;
            try {
              partial = parsePartialJson(json);
            } catch {
              broken = true; // no continuation can repair it; the final parse reports it
              continue;
            }
            if (partial === undefined || (yielded && deepEqual(partial, last))) continue;
            last = partial;
            yielded = true;
            controller.enqueue(item(partial));
            return;
          }
        } catch (error) {
          if (cancelled) return;
          finished = true;
          reader.cancel(error).catch(() => {});
          controller.error(error);
        }
      },
      cancel(reason) {
        cancelled = true;
        if (!finished) return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );

  // The end of the chunks: the complete object (when it is not the last item already), or the
  // parse failure (an error of the stream, or `parsingError` of a last item with includeRaw).
  const finish = (controller) => {
    finished = true;
    // The forced call's arguments are read by the wasm side's rule, as `invoke`'s are.
    const call = called ? deriveMessageFields([{ type: "tool_call_chunk", id: toolId, name, args: json }]) : {};
    const result =
      method === "jsonSchema" ? parseJsonText(json) : parseMessage({ ...call, text, response_metadata: { stopReason } }, { method, name });
    if (result.error) {
      if (!includeRaw) {
        controller.error(result.error);
        return;
      }
      controller.enqueue(item(null, result.error));
    } else if (includeRaw || !yielded || !deepEqual(result.value, last)) {
      controller.enqueue(item(result.value));
    }
    controller.close();
  };

  addAsyncIterator(stream);
  return stream;
}

function deepEqual(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (!Object.hasOwn(b, key) || !deepEqual(a[key], b[key])) return false;
  return true;
}

function describe(value) {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
