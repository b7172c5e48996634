// bedrock-edge/langchain: the three chat models as @langchain/core BaseChatModel subclasses, so
// that they chain (`prompt.pipe(llm)`), batch, stream events and fire callbacks like any
// LangChain model; and BedrockEmbeddings as an @langchain/core Embeddings. Each wraps the core model of the same name, imported by name from
// "bedrock-edge" so that the runtime's export condition (workerd, browser, node) loads the wasm.
import * as core from "bedrock-edge";
import { Embeddings } from "@langchain/core/embeddings";
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, AIMessageChunk } from "@langchain/core/messages";
import { ChatGenerationChunk } from "@langchain/core/outputs";
import { JsonOutputParser, OutputParserException } from "@langchain/core/output_parsers";
import { JsonOutputKeyToolsParser } from "@langchain/core/output_parsers/openai_tools";
import { RunnablePassthrough, RunnableSequence } from "@langchain/core/runnables";
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { interopSafeParseAsync, isInteropZodSchema } from "@langchain/core/utils/types";
// The package's internal module (core.js, also behind "bedrock-edge"): the same file, so the same
// glue and wasm instance that the runtime entry initialised.
import { structuredOutputRequest } from "./core.js";

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

/**
 * A core block as LangChain's: a reasoning block's `signature` stands beside `reasoning`, where
 * LangChain's translators (and @langchain/aws) put it; other extras (a redacted block's
 * `redactedContent`) stay in `extras`. The core takes both forms back.
 */
function toLangChainBlock(block) {
  if (block?.type !== "reasoning" || block.extras?.signature === undefined) return block;
  const { extras: { signature, ...extras }, ...rest } = block;
  return { ...rest, reasoning: rest.reasoning ?? "", signature, ...(Object.keys(extras).length ? { extras } : {}) };
}

// Blocks LangChain's "bedrock-converse" translator would drop from `contentBlocks` (it keeps a
// text block's text only and wraps any block it does not know, a standard one included).
const keepsStandardForm = (block) => block?.type === "non_standard" || (block?.type === "text" && block.annotations?.length > 0);

/**
 * The response metadata LangChain reads: the core's, `model_provider` (which of @langchain/core's
 * content translators derives `contentBlocks`: "bedrock-converse" for Converse, as @langchain/aws
 * gives it; "bedrock" for InvokeModel, as langchain-aws gives it) and, on a message that holds
 * blocks that translator would drop, `output_version: "v1"`: the content is standard blocks
 * already, so LangChain reads them as they are.
 */
function responseMetadata(model, metadata, content) {
  const out = { ...metadata, model_provider: model.constructor.modelProvider };
  if (Array.isArray(content) && model.constructor.modelProvider === "bedrock-converse" && content.some(keepsStandardForm)) out.output_version = "v1";
  return out;
}

/** The fields LangChain's AIMessage and AIMessageChunk share, from a core message or chunk. */
function messageFields(model, message, content) {
  const metadata = message.response_metadata ?? {};
  // The model id under LangChain's key, on the one message or chunk that carries the metadata.
  const named = Object.keys(metadata).length && metadata.model_name === undefined ? { ...metadata, model_name: model.model } : metadata;
  const fields = { content, response_metadata: responseMetadata(model, named, content) };
  if (message.id) fields.id = message.id;
  if (message.usage_metadata) fields.usage_metadata = message.usage_metadata;
  return fields;
}

/**
 * A core AIMessage as LangChain's; tool calls live in `tool_calls` (the core's content holds them
 * too). One plain text block is a string, and a tool-only answer "", as @langchain/aws gives them
 * (and as LangChain's concat of a stream's string chunks makes them).
 */
function toAIMessage(model, message) {
  let content = message.content;
  if (Array.isArray(content)) {
    content = content.filter((block) => block?.type !== "tool_call" && block?.type !== "invalid_tool_call").map(toLangChainBlock);
    if (content.length === 0) content = "";
    else if (content.length === 1 && content[0].type === "text" && Object.keys(content[0]).length === 2) content = content[0].text;
  }
  return new AIMessage({
    ...messageFields(model, message, content),
    tool_calls: message.tool_calls ?? [],
    invalid_tool_calls: message.invalid_tool_calls ?? [],
  });
}

/**
 * The chunks of one stream as LangChain's AIMessageChunks. Tool-call pieces go to
 * `tool_call_chunks` only. While the answer is plain text in one block, a chunk's content is a
 * string (its text, or ""), as @langchain/aws streams it: LangChain's cumulative output parsers
 * (JsonOutputParser, the tool and structured-output parsers) take only strings. From the first
 * chunk that holds anything else (reasoning, a citation, a second text block, a non-standard
 * block) to the end of the stream, content is the blocks with their `index`, which LangChain's
 * concat merges by, so the folded stream has the blocks `invoke` gives.
 */
class ChunkShaper {
  #model;
  #textIndex;
  #blocks = false;

  constructor(model) {
    this.#model = model;
  }

  /** The LangChain chunk of one core chunk. */
  shape(chunk) {
    const blocks = (chunk.content ?? []).filter((block) => block?.type !== "tool_call_chunk");
    if (!this.#blocks && blocks.every((block) => this.#plainText(block))) {
      this.#textIndex ??= blocks[0]?.index;
      return this.#message(chunk, blocks.map((block) => block.text).join(""));
    }
    this.#blocks = true;
    return this.#message(chunk, blocks.flatMap(citedBeforeText).map(toLangChainBlock));
  }

  #plainText(block) {
    return block.type === "text" && !block.annotations?.length && (this.#textIndex === undefined || block.index === this.#textIndex);
  }

  #message(chunk, content) {
    const toolCallChunks = (chunk.tool_call_chunks ?? []).map((piece) => ({ ...piece, type: "tool_call_chunk" }));
    return new AIMessageChunk({ ...messageFields(this.#model, chunk, content), tool_call_chunks: toolCallChunks });
  }
}

/**
 * A text block with no text (a citation arriving before its text) loses its `text` key:
 * LangChain's merge drops a new block whose text is "", and its annotations with it.
 */
function citedBeforeText(block) {
  if (block?.type !== "text" || block.text !== "") return [block];
  if (!block.annotations?.length) return [];
  const { text: _text, ...rest } = block;
  return [rest];
}

/**
 * JSON text parsed as LangChain's JsonOutputParser does, growing partial objects as it streams;
 * the whole answer is then checked against a Zod schema, as StructuredOutputParser would.
 */
class ZodJsonOutputParser extends JsonOutputParser {
  #schema;

  constructor(schema) {
    super();
    this.#schema = schema;
  }

  async parseResult(generations, callbacks) {
    const value = await super.parseResult(generations, callbacks);
    const result = await interopSafeParseAsync(this.#schema, value);
    if (result.success) return result.data;
    const text = JSON.stringify(value);
    throw new OutputParserException(`Failed to parse. Text: "${text}". Error: ${JSON.stringify(result.error?.issues)}`, text);
  }
}

// How many contents' token counts a model remembers (getNumTokens).
const TOKEN_COUNTS_KEPT = 1000;

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
  #tokenCounts;

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

  /**
   * LangSmith's tracing parameters: LangChain's `ls_provider` for Bedrock ("amazon_bedrock", as
   * @langchain/aws has it), the model id, and the temperature, token limit and stop sequences
   * the call uses (its own, else the model's), when set.
   */
  getLsParams(options) {
    const params = this.invocationParams(options);
    const stop = params.stopSequences ?? params.stop;
    return {
      ls_provider: "amazon_bedrock",
      ls_model_name: this.model,
      ls_model_type: "chat",
      ...(params.temperature !== undefined ? { ls_temperature: params.temperature } : {}),
      ...(params.maxTokens !== undefined ? { ls_max_tokens: params.maxTokens } : {}),
      ...(stop !== undefined ? { ls_stop: stop } : {}),
    };
  }

  /** LangChain's model type tag: the core class's ("bedrock-converse", "bedrock", "anthropic-bedrock"). */
  _llmType() {
    return this.constructor.Core.prototype._llmType();
  }

  /** The parameters that identify this model (for caching and tracing). */
  _identifyingParams() {
    return { model_name: this.model, ...this.invocationParams({}) };
  }

  /**
   * The input tokens Bedrock's CountTokens counts for `messages` (LangChain messages, a prompt
   * value or a string) with this model and the call's options.
   */
  async countTokens(messages, options) {
    return this.client.countTokens(messages, coreCallOptions(options));
  }

  /**
   * LangChain's token counter, which `trimMessages` calls once per message when this model is
   * its `tokenCounter`: the tokens of `content` sent as one human message, counted by Bedrock
   * (`""` and `[]` are 0 without a call). Counts are remembered per content (the last 1,000), so
   * trimming a conversation asks Bedrock once for each message, not once per step.
   */
  async getNumTokens(content) {
    if (content === "" || (Array.isArray(content) && content.length === 0)) return 0;
    const key = typeof content === "string" ? content : JSON.stringify(content);
    const counts = (this.#tokenCounts ??= new Map());
    let count = counts.get(key);
    if (count === undefined) {
      count = this.client.countTokens([{ role: "user", content }]);
      counts.set(key, count);
      if (counts.size > TOKEN_COUNTS_KEPT) counts.delete(counts.keys().next().value);
      // A failed count is not kept.
      count.catch(() => counts.delete(key));
    }
    return count;
  }

  /** One Bedrock call: a ChatResult with one generation holding a LangChain AIMessage. */
  async _generate(messages, options) {
    const message = toAIMessage(this, await this.client.invoke(messages, coreCallOptions(options)));
    // No llmOutput: LangChain would fold it into response_metadata, which then differs from a stream's.
    return { generations: [{ text: message.text, message }] };
  }

  /** A streamed Bedrock call: ChatGenerationChunks as the event-stream frames arrive. */
  async *_streamResponseChunks(messages, options, runManager) {
    const stream = this.client.stream(messages, coreCallOptions(options));
    const shaper = new ChunkShaper(this);
    for await (const chunk of stream) {
      const message = shaper.shape(chunk);
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
    const jsonSchema = jsonSchemaOf(schema);
    const { method, name, includeRaw, bind } = structuredOutputRequest(this._llmType(), jsonSchema, config);
    // What LangChain's chat models hand their callbacks about structured output (for tracing).
    const llm = this.withConfig({ ...bind, ls_structured_output_format: { kwargs: { method }, schema: jsonSchema } });
    let parser;
    if (method === "jsonSchema") parser = zodSchema ? new ZodJsonOutputParser(zodSchema) : new JsonOutputParser();
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
  /** `response_metadata.model_provider`: the @langchain/core content translator for Converse. */
  static modelProvider = "bedrock-converse";

  /** LangChain's serialisation name. */
  static lc_name() {
    return "ChatBedrockConverse";
  }
}

/** Amazon Bedrock InvokeModel in each provider's native format as a LangChain chat model. */
export class ChatBedrock extends BedrockEdgeChatModel {
  static Core = core.ChatBedrock;
  /** `response_metadata.model_provider`: LangChain's name for the InvokeModel family. */
  static modelProvider = "bedrock";

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
  /** `response_metadata.model_provider`: LangChain's name for the InvokeModel family. */
  static modelProvider = "bedrock";

  /** LangChain's serialisation name. */
  static lc_name() {
    return "ChatAnthropicBedrock";
  }
}

/**
 * Text embeddings on Amazon Bedrock as a LangChain `Embeddings` (for vector stores and
 * retrievers): the core `BedrockEmbeddings`, whose own retries, `maxConcurrency` and errors
 * apply (LangChain's AsyncCaller is not used).
 */
export class BedrockEmbeddings extends Embeddings {
  /** The core bedrock-edge embeddings every call goes through. */
  client;
  /** The model id. */
  model;

  /** Takes the core `BedrockEmbeddings` options; an option it does not know is its TypeError. */
  constructor(fields) {
    // Nothing reaches super(): the options hold credentials, and the calls do not go through its caller.
    super({});
    this.client = new core.BedrockEmbeddings(fields);
    this.model = this.client.model;
    this.modelId = this.model;
  }

  /** The vector of one search query. */
  embedQuery(text, options) {
    return this.client.embedQuery(text, options);
  }

  /** The vectors of `documents`, in their order. */
  embedDocuments(documents, options) {
    return this.client.embedDocuments(documents, options);
  }

  /** `embedDocuments` with the input tokens Bedrock reports: `{ embeddings, inputTokens }`. */
  embedDocumentsWithUsage(documents, options) {
    return this.client.embedDocumentsWithUsage(documents, options);
  }

  /** The redacted configuration (never a secret). */
  toJSON() {
    return this.client.toJSON();
  }
}
