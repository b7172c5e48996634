// Types of bedrock-edge/langchain: the three chat models as @langchain/core BaseChatModels.
import type { BaseChatModel, BaseChatModelCallOptions, BaseChatModelParams, BindToolsInput } from "@langchain/core/language_models/chat_models";
import type { BaseLanguageModelInput } from "@langchain/core/language_models/base";
import type { LangSmithParams } from "@langchain/core/language_models/chat_models";
import type { AIMessageChunk, BaseMessage } from "@langchain/core/messages";
import type { ChatGenerationChunk, ChatResult } from "@langchain/core/outputs";
import type { Runnable } from "@langchain/core/runnables";
import type { Embeddings } from "@langchain/core/embeddings";
import type {
  BedrockEmbeddings as CoreBedrockEmbeddings,
  BedrockEmbeddingsInput,
  EmbeddingsCallOptions,
  EmbeddingsWithUsage,
  ChatAnthropicBedrock as CoreChatAnthropicBedrock,
  ChatAnthropicBedrockInput,
  ChatBedrock as CoreChatBedrock,
  ChatBedrockConverse as CoreChatBedrockConverse,
  ChatBedrockConverseInput,
  ChatBedrockInput,
  CallOptions,
  InvokeCallOptions,
} from "bedrock-edge";

/** Per-call options of {@link ChatBedrockConverse}: LangChain's (`signal`, `stop`, `timeout`, `tools`, `tool_choice`, callbacks, …) and the core model's. */
export interface ChatBedrockConverseCallOptions extends BaseChatModelCallOptions, Omit<CallOptions, "signal" | "stop" | "timeout" | "tools"> {
  /** Tools offered on this call, in any form `bindTools` takes. */
  tools?: BindToolsInput[];
}

/** Per-call options of {@link ChatBedrock} and {@link ChatAnthropicBedrock}. */
export interface ChatBedrockCallOptions extends BaseChatModelCallOptions, Omit<InvokeCallOptions, "signal" | "stop" | "timeout" | "tools"> {
  /** Tools offered on this call, in any form `bindTools` takes. */
  tools?: BindToolsInput[];
}

/** What the three models share. */
declare abstract class BedrockEdgeChatModel<CallOpts extends BaseChatModelCallOptions> extends BaseChatModel<CallOpts, AIMessageChunk> {
  /** The model id. */
  readonly model: string;
  /** The model id. */
  readonly modelId: string;
  /** LangChain's generation: one Bedrock call. */
  _generate(messages: BaseMessage[], options: this["ParsedCallOptions"]): Promise<ChatResult>;
  /** LangChain's streaming: one chunk per Bedrock stream event. */
  _streamResponseChunks(messages: BaseMessage[], options: this["ParsedCallOptions"], runManager?: unknown): AsyncGenerator<ChatGenerationChunk>;
  /** The model id and the request parameters of a call. */
  invocationParams(options?: this["ParsedCallOptions"]): Record<string, unknown>;
  /** The input tokens Bedrock's CountTokens counts for `messages` with this model and the call's options. */
  countTokens(messages: BaseLanguageModelInput, options?: Partial<CallOpts>): Promise<number>;
  /** LangChain's token counter (`trimMessages({ tokenCounter: llm })`): `content` as one human message, counted by Bedrock; remembered per content. */
  getNumTokens(content: BaseMessage["content"]): Promise<number>;
  /** LangSmith's tracing parameters: `ls_provider` "amazon_bedrock", the model id, and temperature, max tokens and stop when set. */
  getLsParams(options: this["ParsedCallOptions"]): LangSmithParams;
  /**
   * A runnable offering `tools` on every call: LangChain tools, `{ name, description, schema }`
   * (Zod or JSON Schema), OpenAI `{ type: "function", function }` or Bedrock `{ toolSpec }` dicts.
   */
  bindTools(tools: BindToolsInput[], kwargs?: Partial<CallOpts>): Runnable<BaseLanguageModelInput, AIMessageChunk, CallOpts>;
}

/** Amazon Bedrock Converse / ConverseStream as a LangChain BaseChatModel (`prompt.pipe(llm)` works). */
export declare class ChatBedrockConverse extends BedrockEdgeChatModel<ChatBedrockConverseCallOptions> {
  /** `response_metadata.model_provider` of its messages: @langchain/core's content translator for Converse. */
  static readonly modelProvider: "bedrock-converse";
  /** The core bedrock-edge options plus LangChain's (callbacks, tags, metadata, …). */
  constructor(fields: ChatBedrockConverseInput & BaseChatModelParams);
  /** The core model every call goes through. */
  readonly client: CoreChatBedrockConverse;
  /** LangChain's model type tag. */
  _llmType(): "bedrock-converse";
}

/** Amazon Bedrock InvokeModel in each provider's native format as a LangChain BaseChatModel. */
export declare class ChatBedrock extends BedrockEdgeChatModel<ChatBedrockCallOptions> {
  /** `response_metadata.model_provider` of its messages: LangChain's name for the InvokeModel family. */
  static readonly modelProvider: "bedrock";
  /** The core bedrock-edge options plus LangChain's (callbacks, tags, metadata, …). */
  constructor(fields: ChatBedrockInput & BaseChatModelParams);
  /** The core model every call goes through. */
  readonly client: CoreChatBedrock;
  /** The provider whose native format the model speaks. */
  readonly provider: string;
  /** LangChain's model type tag. */
  _llmType(): "bedrock";
}

/** Anthropic's Claude on Amazon Bedrock (InvokeModel) as a LangChain BaseChatModel. */
export declare class ChatAnthropicBedrock extends BedrockEdgeChatModel<ChatBedrockCallOptions> {
  /** `response_metadata.model_provider` of its messages: LangChain's name for the InvokeModel family. */
  static readonly modelProvider: "bedrock";
  /** The core bedrock-edge options plus LangChain's (callbacks, tags, metadata, …). */
  constructor(fields: ChatAnthropicBedrockInput & BaseChatModelParams);
  /** The core model every call goes through. */
  readonly client: CoreChatAnthropicBedrock;
  /** LangChain's model type tag. */
  _llmType(): "anthropic-bedrock";
}

/**
 * Text embeddings on Amazon Bedrock (Titan Text Embeddings v1/v2, Cohere Embed v3/v4, Nova Multimodal Embeddings' text) as a
 * LangChain Embeddings, for vector stores and retrievers. The core's retries, `maxConcurrency`
 * and errors apply; LangChain's AsyncCaller options are not taken.
 */
export declare class BedrockEmbeddings extends Embeddings {
  /** The core bedrock-edge options. */
  constructor(fields: BedrockEmbeddingsInput);
  /** The core embeddings every call goes through. */
  readonly client: CoreBedrockEmbeddings;
  /** The model id. */
  readonly model: string;
  /** Alias of `model`. */
  readonly modelId: string;
  /** The vector of one search query. */
  embedQuery(text: string, options?: EmbeddingsCallOptions): Promise<number[]>;
  /** The vectors of `documents`, in their order. */
  embedDocuments(documents: string[], options?: EmbeddingsCallOptions): Promise<number[][]>;
  /** `embedDocuments` with the input tokens Bedrock reports. */
  embedDocumentsWithUsage(documents: string[], options?: EmbeddingsCallOptions): Promise<EmbeddingsWithUsage>;
  /** The redacted configuration (never a secret). */
  toJSON(): Record<string, unknown>;
}

export {};
