// Public types of bedrock-edge, written by hand (the wasm-bindgen surface underneath is internal).
// Field names follow LangChain's message objects, so outputs can be handed to @langchain/core.

/** Static AWS credentials; `sessionToken` for temporary (STS) credentials. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Credentials, or a (possibly async) provider called before each request is signed. */
export type CredentialsInput = AwsCredentials | (() => AwsCredentials | Promise<AwsCredentials>);

/**
 * Where environment variables are read: a Workers `env` binding, `process.env`, or any object
 * (`object`, so that a Worker's `interface Env` without an index signature fits).
 */
export type EnvLike = object;

/** The `fetch` the client calls; the runtime's global `fetch` when not given. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options of {@link ChatBedrockConverse}. `model` (or `modelId`) is required. */
export interface ChatBedrockConverseInput {
  /** Model id, inference-profile id or ARN, e.g. "anthropic.claude-3-5-sonnet-20240620-v1:0". */
  model?: string;
  /** Alias of `model`. */
  modelId?: string;
  /** AWS region; else env `AWS_REGION` / `AWS_DEFAULT_REGION`. */
  region?: string;
  /** Else env `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`. */
  credentials?: CredentialsInput;
  /** Bedrock API key (sent as `Authorization: Bearer`); else env `AWS_BEARER_TOKEN_BEDROCK`. */
  apiKey?: string;
  /** Where to read env vars; defaults to `process.env` when the runtime has one. */
  env?: EnvLike;
  /** Base URL override, e.g. "http://127.0.0.1:4010"; else env `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` / `AWS_ENDPOINT_URL`. */
  endpoint?: string;
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stopSequences?: string[];
  /** Sent as Converse `additionalModelRequestFields`. */
  additionalModelRequestFields?: Record<string, unknown>;
  additionalModelResponseFieldPaths?: string[];
  guardrailConfig?: Record<string, unknown>;
  performanceConfig?: { latency?: "standard" | "optimized" } & Record<string, unknown>;
  requestMetadata?: Record<string, string>;
  /** A custom fetch (proxies, tests). */
  fetch?: FetchLike;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborting it rejects the call, or ends the stream, with a BedrockError named "AbortError". */
  signal?: AbortSignal;
}

/** Message roles accepted in tuples and `{ role, content }` objects. */
export type MessageRole = "system" | "human" | "user" | "ai" | "assistant" | "tool";

/**
 * Input blocks: LangChain text blocks, and Bedrock-native one-key blocks passed through as
 * they are (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ContentBlock.html).
 */
export type InputContentBlock =
  | { type: "text"; text: string; [key: string]: unknown }
  | { text: string }
  | { cachePoint: { type: "default"; ttl?: "5m" | "1h" } }
  | { document: Record<string, unknown> }
  | { image: Record<string, unknown> }
  | { toolUse: Record<string, unknown> }
  | { toolResult: Record<string, unknown> }
  | { reasoningContent: Record<string, unknown> }
  | { guardContent: Record<string, unknown> };

export type MessageContent = string | InputContentBlock[];

/** A `[role, content]` tuple. */
export type MessageTuple = [MessageRole, MessageContent];

/** A `{ role, content }` object. */
export interface MessageObject {
  role: MessageRole;
  content: MessageContent;
  [key: string]: unknown;
}

/** A LangChain message object (duck-typed: `getType()` / `_getType()` or `type`). */
export interface LangChainMessageLike {
  content: MessageContent;
  type?: string;
  getType?(): string;
  _getType?(): string;
  [key: string]: unknown;
}

export type MessageInput = MessageTuple | MessageObject | LangChainMessageLike;

/** A complete tool call. */
export interface ToolCall {
  type: "tool_call";
  id: string;
  name: string;
  args: Record<string, unknown>;
}

/** A tool call whose arguments could not be parsed. */
export interface InvalidToolCall {
  type: "invalid_tool_call";
  id?: string;
  name?: string;
  args?: string;
  error?: string;
}

/** A piece of a streamed tool call: `args` is a fragment of JSON text. */
export interface ToolCallChunk {
  type: "tool_call_chunk";
  id?: string;
  name?: string;
  args?: string;
  index?: number;
}

/** Standard output blocks (LangChain v1 content blocks). */
export type ContentBlock =
  | { type: "text"; text: string; annotations?: Record<string, unknown>[]; index?: number }
  | { type: "reasoning"; reasoning: string; extras?: { signature?: string; [key: string]: unknown }; index?: number }
  | ToolCall
  | { type: "non_standard"; value: unknown; index?: number };

/** Blocks of a streamed chunk: like ContentBlock, each tagged with its content-block index. */
export type ChunkContentBlock =
  | { type: "text"; text: string; index: number }
  | { type: "reasoning"; reasoning: string; extras?: { signature?: string; [key: string]: unknown }; index: number }
  | (ToolCallChunk & { index: number })
  | { type: "non_standard"; value: unknown; index?: number };

export interface UsageMetadata {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  input_token_details?: { cache_read?: number; cache_creation?: number };
}

export interface ResponseMetadata {
  stopReason?: string;
  metrics?: { latencyMs: number };
  model_name?: string;
  ResponseMetadata?: {
    RequestId?: string;
    HTTPStatusCode?: number;
    HTTPHeaders?: Record<string, string>;
    RetryAttempts?: number;
  };
  [key: string]: unknown;
}

/** What `invoke` resolves to. */
export interface AIMessage {
  type: "ai";
  id?: string;
  /** A string for one text block, else the standard blocks in the order Bedrock returned them. */
  content: string | ContentBlock[];
  contentBlocks: ContentBlock[];
  text: string;
  tool_calls: ToolCall[];
  invalid_tool_calls: InvalidToolCall[];
  usage_metadata?: UsageMetadata;
  response_metadata: ResponseMetadata;
}

/** One streamed event; the final metadata chunk carries usage and response metadata. */
export interface AIMessageChunk {
  type: "AIMessageChunk";
  id?: string;
  content: ChunkContentBlock[];
  contentBlocks?: ContentBlock[];
  text: string;
  tool_calls?: ToolCall[];
  tool_call_chunks?: ToolCallChunk[];
  usage_metadata?: UsageMetadata;
  response_metadata?: ResponseMetadata;
}

/** A ReadableStream of chunks that `for await` can iterate; cancelling it cancels the request. */
export type AIMessageChunkStream = ReadableStream<AIMessageChunk> & AsyncIterable<AIMessageChunk>;

/** Well-known `BedrockError` names; any other AWS error type may appear too. */
export type BedrockErrorName =
  | "ThrottlingException"
  | "ValidationException"
  | "AccessDeniedException"
  | "InvalidSignatureException"
  | "UnrecognizedClientException"
  | "ResourceNotFoundException"
  | "ModelStreamErrorException"
  | "ModelTimeoutException"
  | "ModelNotReadyException"
  | "ModelErrorException"
  | "ServiceUnavailableException"
  | "InternalServerException"
  | "ServiceQuotaExceededException"
  | "InvalidEventStream"
  | "IncompleteStream"
  | "AbortError"
  | "ConfigError"
  | "NetworkError"
  | "InvalidResponse"
  | (string & {});

/** Every failure except bad input (which throws a TypeError before anything is sent). */
export class BedrockError extends Error {
  constructor(
    message: string,
    options?: { name?: string; status?: number; requestId?: string; retryable?: boolean; cause?: unknown },
  );
  name: BedrockErrorName;
  /** HTTP status, when the failure came from an HTTP response. */
  status: number | undefined;
  /** The `x-amzn-requestid` of the failed request, when known. */
  requestId: string | undefined;
  /** Whether retrying the same request may succeed (throttling, 5xx, some stream errors). */
  retryable: boolean;
  cause?: unknown;
}

/** Amazon Bedrock Converse / ConverseStream as a LangChain-style chat model. */
export class ChatBedrockConverse {
  constructor(options: ChatBedrockConverseInput);
  readonly model: string;
  readonly modelId: string;
  _llmType(): "bedrock-converse";
  /** One Converse call (a string is one human message). Rejects with a BedrockError, or a TypeError for bad messages. */
  invoke(messages: string | MessageInput[], options?: CallOptions): Promise<AIMessage>;
  /** ConverseStream: chunks as their frames arrive. Throws a TypeError at once for bad messages. */
  stream(messages: string | MessageInput[], options?: CallOptions): AIMessageChunkStream;
  /** The configuration with every secret redacted. */
  toJSON(): Record<string, unknown>;
}

/** Merges two chunks; folding a stream's chunks gives what `invoke` returns, modulo metadata. */
export function concat(a: AIMessageChunk, b: AIMessageChunk): AIMessageChunk;
