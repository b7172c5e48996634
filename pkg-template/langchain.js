// bedrock-edge/langchain: the three chat models as @langchain/core BaseChatModel subclasses, so
// that they chain (`prompt.pipe(llm)`), batch, stream events and fire callbacks like any
// LangChain model. Each wraps the core model of the same name, imported by name from
// "bedrock-edge" so that the runtime's export condition (workerd, browser, node) loads the wasm.
import * as core from "bedrock-edge";
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, AIMessageChunk } from "@langchain/core/messages";
import { ChatGenerationChunk } from "@langchain/core/outputs";
import { JsonOutputParser, StructuredOutputParser } from "@langchain/core/output_parsers";
import { JsonOutputKeyToolsParser } from "@langchain/core/output_parsers/openai_tools";
import { RunnablePassthrough, RunnableSequence } from "@langchain/core/runnables";
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { isInteropZodSchema } from "@langchain/core/utils/types";
import { structuredOutputRequest } from "./structured-output.js";

// Constructor fields that belong to LangChain's base classes, not to the Bedrock request.
const LANGCHAIN_FIELDS = new Set([
  "callbacks", "callbackManager", "verbose", "tags", "metadata", "cache", "outputVersion",
  "disableStreaming", "maxConcurrency", "onFailedAttempt", "concurrency",
]);
// Bedrock-native tool entries, passed to the core model as they are.
const NATIVE_TOOL_KEYS = ["toolSpec", "cachePoint", "systemTool"];

/** A LangChain tool, Zod-schema tool, OpenAI tool or Bedrock tool dict, in a form the core model takes. */
function toCoreTool(tool) {
  if (tool !== null && typeof tool === "object" && NATIVE_TOOL_KEYS.some((key) => key in tool)) return tool;
  return convertToOpenAITool(tool);
}

/** LangChain's `tool_choice` ("auto", "any", "required", a name, or `{ function: { name } }`) as the core's. */
function toCoreToolChoice(choice) {
  if (typeof choice === "string") return choice;
  return choice.function?.name ?? choice.name ?? choice.tool?.name ?? choice;
}

// The call options that are LangChain's own, in one place: each is consumed by @langchain/core
// (null) or translated by this adapter (a function giving the core's members). Every other call
// option goes to the core model as it is: an option the core gains needs no edit here, and one
// it does not know is its TypeError. The consumed keys are the ones @langchain/core (1.x) leaves
// in a chat model's parsed call options: RunnableConfig's (it turns `timeout` into `signal`
// itself), BaseChatModelCallOptions' `outputVersion` and `ls_structured_output_format`,
// generate()'s `promptIndex`, and streamEvents()'s `version` and `encoding`.
const LANGCHAIN_CALL_OPTIONS = {
  callbacks: null,
  tags: null,
  metadata: null,
  runName: null,
  runId: null,
  configurable: null,
  recursionLimit: null,
  maxConcurrency: null,
  outputVersion: null,
  ls_structured_output_format: null,
  promptIndex: null,
  version: null,
  encoding: null,
  stop: (stop) => (stop.length ? { stopSequences: stop } : {}),
  tools: (tools) => ({ tools: tools.map(toCoreTool) }),
  tool_choice: (choice) => ({ toolChoice: toCoreToolChoice(choice) }),
};

/** The core model's call options from LangChain's parsed call options. */
function coreCallOptions(options = {}) {
  const out = {};
  const given = Object.entries(options).filter(([, value]) => value !== undefined && value !== null);
  for (const [key, value] of given) if (!Object.hasOwn(LANGCHAIN_CALL_OPTIONS, key)) out[key] = value;
  for (const [key, value] of given) if (LANGCHAIN_CALL_OPTIONS[key]) Object.assign(out, LANGCHAIN_CALL_OPTIONS[key](value));
  return out;
}

/** The fields LangChain's AIMessage and AIMessageChunk share, from a core message or chunk. */
function messageFields(message) {
  const fields = { content: message.content, response_metadata: message.response_metadata ?? {} };
  if (message.id) fields.id = message.id;
  if (message.usage_metadata) fields.usage_metadata = message.usage_metadata;
  return fields;
}

/** A core AIMessage as LangChain's; tool calls live in `tool_calls` (the core's content holds them too). */
function toAIMessage(message) {
  let content = message.content;
  if (Array.isArray(content)) {
    content = content.filter((block) => block?.type !== "tool_call" && block?.type !== "invalid_tool_call");
    // One plain text block is a string, as LangChain's providers give it; a tool-only answer is [].
    if (content.length === 1 && content[0].type === "text" && Object.keys(content[0]).length === 2) content = content[0].text;
  }
  return new AIMessage({
    ...messageFields(message),
    content,
    tool_calls: message.tool_calls ?? [],
    invalid_tool_calls: message.invalid_tool_calls ?? [],
  });
}

/**
 * A core chunk as LangChain's AIMessageChunk. Tool-call pieces go to `tool_call_chunks` only.
 * A text block with no text (a citation arriving before its text) loses its `text` key: LangChain's
 * merge drops a new block whose text is "", and its annotations with it.
 */
function toAIMessageChunk(chunk) {
  const content = [];
  for (const block of chunk.content ?? []) {
    if (block?.type === "tool_call_chunk") continue;
    if (block?.type === "text" && block.text === "") {
      if (!block.annotations?.length) continue;
      const { text: _text, ...rest } = block;
      content.push(rest);
    } else content.push(block);
  }
  const toolCallChunks = (chunk.tool_call_chunks ?? []).map((piece) => ({ ...piece, type: "tool_call_chunk" }));
  return new AIMessageChunk({ ...messageFields(chunk), content, tool_call_chunks: toolCallChunks });
}

/** The plain, JSON-schema form of a Zod (or other) schema; a JSON Schema stays as it is. */
const jsonSchemaOf = (schema) => (isInteropZodSchema(schema) ? toJsonSchema(schema) : schema);

/**
 * What the three models share: a core model built from the Bedrock options, `_generate` and
 * `_streamResponseChunks` over its `invoke` and `stream`, tools and structured output. A
 * subclass names its core class (`static Core`) and its LangChain serialisation name.
 */
class BedrockEdgeChatModel extends BaseChatModel {
  /** The core bedrock-edge model every call goes through. */
  client;
  /** The model id. */
  model;

  /** Takes the core model's options and LangChain's (callbacks, tags, …). */
  constructor(fields) {
    const own = {};
    const bedrock = {};
    for (const [key, value] of Object.entries(fields ?? {})) (LANGCHAIN_FIELDS.has(key) ? own : bedrock)[key] = value;
    // Only LangChain's own fields reach super(): what it keeps is serialised for tracing, and the
    // Bedrock options hold credentials.
    super(own);
    this.client = new new.target.Core(bedrock);
    this.model = this.client.model;
    this.modelId = this.model;
  }

  /**
   * The model id and the request parameters of a call (LangChain reads it for tracing): the core
   * model's redacted configuration (`toJSON`, never a secret) and the call's options.
   */
  invocationParams(options) {
    const { signal: _signal, ...call } = coreCallOptions(options);
    return { ...this.client.toJSON(), model: this.model, ...call };
  }

  /** LangChain's model type tag: the core class's ("bedrock-converse", "bedrock", "anthropic-bedrock"). */
  _llmType() {
    return this.constructor.Core.prototype._llmType();
  }

  /** The parameters that identify this model (for caching and tracing). */
  _identifyingParams() {
    return { model_name: this.model, ...this.invocationParams({}) };
  }

  /** One Bedrock call: a ChatResult with one generation holding a LangChain AIMessage. */
  async _generate(messages, options) {
    const message = toAIMessage(await this.client.invoke(messages, coreCallOptions(options)));
    // No llmOutput: LangChain would fold it into response_metadata, which then differs from a stream's.
    return { generations: [{ text: message.text, message }] };
  }

  /** A streamed Bedrock call: ChatGenerationChunks as the event-stream frames arrive. */
  async *_streamResponseChunks(messages, options, runManager) {
    const stream = this.client.stream(messages, coreCallOptions(options));
    for await (const chunk of stream) {
      const message = toAIMessageChunk(chunk);
      const text = chunk.text ?? "";
      const generation = new ChatGenerationChunk({ text, message });
      yield generation;
      await runManager?.handleLLMNewToken(text, undefined, undefined, undefined, undefined, { chunk: generation });
    }
  }

  /**
   * A runnable that offers `tools` (LangChain tools, `{ name, description, schema }` with a Zod or
   * JSON schema, OpenAI `{ type: "function", function }` or Bedrock `{ toolSpec }` dicts) on every call.
   * `tool_choice`: "auto", "any", "required" or a tool name.
   */
  bindTools(tools, kwargs) {
    return this.withConfig({ tools: tools.map(toCoreTool), ...kwargs });
  }

  /**
   * A runnable answering with objects of `schema` (a Zod schema or a JSON Schema), parsed from one
   * forced tool call ("functionCalling", the default) or from JSON text ("jsonSchema", Converse's
   * `outputConfig`). With `includeRaw`, it gives `{ raw, parsed }`.
   */
  withStructuredOutput(schema, config) {
    const zodSchema = isInteropZodSchema(schema) ? schema : undefined;
    const { method, name, includeRaw, bind } = structuredOutputRequest(this._llmType(), jsonSchemaOf(schema), config);
    const llm = this.withConfig(bind);
    let parser;
    if (method === "jsonSchema") parser = zodSchema ? StructuredOutputParser.fromZodSchema(zodSchema) : new JsonOutputParser();
    else parser = new JsonOutputKeyToolsParser({ keyName: name, returnSingle: true, ...(zodSchema ? { zodSchema } : {}) });
    if (!includeRaw) return llm.pipe(parser).withConfig({ runName: "StructuredOutput" });
    const parsed = RunnablePassthrough.assign({ parsed: (input, runConfig) => parser.invoke(input.raw, runConfig) });
    const fallback = RunnablePassthrough.assign({ parsed: () => null });
    return RunnableSequence.from([{ raw: llm }, parsed.withFallbacks({ fallbacks: [fallback] })]).withConfig({
      runName: "StructuredOutputRunnable",
    });
  }
}

/** Amazon Bedrock Converse / ConverseStream as a LangChain chat model (a BaseChatModel). */
export class ChatBedrockConverse extends BedrockEdgeChatModel {
  static Core = core.ChatBedrockConverse;

  /** LangChain's serialisation name. */
  static lc_name() {
    return "ChatBedrockConverse";
  }
}

/** Amazon Bedrock InvokeModel in each provider's native format as a LangChain chat model. */
export class ChatBedrock extends BedrockEdgeChatModel {
  static Core = core.ChatBedrock;

  /** LangChain's serialisation name. */
  static lc_name() {
    return "ChatBedrock";
  }

  /** The provider whose native format the model speaks. */
  get provider() {
    return this.client.provider;
  }
}

/** Anthropic's Claude on Amazon Bedrock (InvokeModel) as a LangChain chat model. */
export class ChatAnthropicBedrock extends BedrockEdgeChatModel {
  static Core = core.ChatAnthropicBedrock;

  /** LangChain's serialisation name. */
  static lc_name() {
    return "ChatAnthropicBedrock";
  }
}
