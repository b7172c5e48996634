// Public types of bedrock-edge, written by hand (the wasm-bindgen surface underneath is internal).
// Field names follow LangChain's message objects, so outputs can be handed to @langchain/core.

/**
 * Static AWS credentials; `sessionToken` for temporary (STS) credentials. Each is printable
 * ASCII: a line feed or a non-ASCII character is a TypeError naming it (a
 * "CredentialsProviderError" when a provider gave it).
 */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /**
   * When temporary credentials expire (a Date, an ISO 8601 string or epoch milliseconds). A
   * provider's credentials are reused until 5 minutes before it; without it, for the model's life.
   */
  expiration?: Date | string | number;
}

/**
 * Credentials, or a (possibly async) provider. The provider is called once per model and its
 * answer reused until 5 minutes before its `expiration`; concurrent calls share one provider
 * call; a failure ("CredentialsProviderError") is not kept, and an expired token asks again.
 */
export type CredentialsInput = AwsCredentials | (() => AwsCredentials | Promise<AwsCredentials>);

/**
 * Where environment variables are read: a Workers `env` binding, `process.env`, or any object
 * (`object`, so that a Worker's `interface Env` without an index signature fits).
 */
export type EnvLike = object;

/**
 * The `fetch` the client calls. When not given: in Node, `node:http` and `node:https` (as the AWS
 * SDK's Node handler); in Workers, browsers, Bun and Deno, the global `fetch`.
 */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A JSON Schema object (draft 2020-12 or what the model accepts). */
export type JsonSchema = Record<string, unknown>;

/** Converse `guardrailConfig`: apply a guardrail to the request and the answer. */
export interface GuardrailConfig {
  /** Guardrail id or ARN. */
  guardrailIdentifier: string;
  /** Guardrail version, e.g. "1" or "DRAFT". */
  guardrailVersion: string;
  /** Whether the response carries the guardrail trace (`response_metadata.trace`). */
  trace?: "enabled" | "disabled" | "enabled_full";
  /** Streaming only: assess chunks before ("sync") or while ("async") they are sent. */
  streamProcessingMode?: "sync" | "async";
}

/** Converse `performanceConfig`. */
export interface PerformanceConfig {
  /** "optimized" asks for latency-optimized inference where the model offers it. */
  latency: "standard" | "optimized";
}

/** Converse service tiers. */
export type ServiceTierName = "priority" | "default" | "flex" | "reserved";

/** Converse `serviceTier`, or just its name. */
export type ServiceTier = ServiceTierName | { type: ServiceTierName };

/** Values for a Bedrock Prompt Management prompt's variables (when `model` is a prompt ARN). */
export type PromptVariables = Record<string, { text: string }>;

/** Converse `outputConfig`, passed through; `textFormat` constrains the answer text to a JSON Schema. */
export interface OutputConfig {
  /** The answer's text format. */
  textFormat?: {
    /** The only format Converse defines. */
    type: "json_schema";
    /** The schema the answer follows. */
    structure: {
      /** `schema` is the JSON Schema as JSON text. */
      jsonSchema: { schema: string; name?: string; description?: string };
    };
  };
  [key: string]: unknown;
}

/** A tool as LangChain defines it: `schema` is the JSON Schema of its arguments. */
export interface ToolDefinition {
  /** Tool name, `^[a-zA-Z0-9_-]{1,64}$`. */
  name: string;
  /** What the tool does (the model reads this). */
  description?: string;
  /** JSON Schema of the arguments. */
  schema: JsonSchema;
}

/** An OpenAI-style function tool. */
export interface OpenAIFunctionTool {
  /** Always "function". */
  type: "function";
  /** The function: `parameters` is the JSON Schema of its arguments. */
  function: { name: string; description?: string; parameters: JsonSchema };
}

/** A Bedrock-native tool, passed through as it is. */
export interface BedrockToolSpec {
  /** Converse `toolSpec`. */
  toolSpec: { name: string; description?: string; inputSchema: { json: JsonSchema } };
}

/** Any object with a `name` and its argument schema under one of the usual keys. */
export type NamedSchemaTool = { name: string; description?: string } & (
  | { parameters: JsonSchema }
  | { input_schema: JsonSchema }
  | { inputSchema: JsonSchema }
);

/** A cache checkpoint in a tool list: the tools before it are cached. */
export interface CachePointBlock {
  /** Converse `cachePoint`. */
  cachePoint: { type: "default"; ttl?: "5m" | "1h" };
}

/** A Bedrock system tool, e.g. `{ systemTool: { name: "nova_grounding" } }`. */
export interface SystemTool {
  /** Converse `systemTool`. */
  systemTool: { name: string };
}

/** One entry of `tools` / `bindTools`; each becomes a Converse tool. */
export type ToolInput = ToolDefinition | OpenAIFunctionTool | BedrockToolSpec | NamedSchemaTool | CachePointBlock | SystemTool;

/**
 * "auto": the model decides; "any" / "required": it must call a tool; any other string: it must
 * call the tool of that name (which must be in `tools`, else a TypeError).
 */
export type ToolChoice = "auto" | "any" | "required" | (string & {});

/**
 * The model settings every class takes, in the constructor and per call (a call's replace the
 * constructor's). An InvokeModel provider that lacks one (e.g. `topK` for Llama, `tools` for
 * Titan) is a TypeError. On {@link ChatBedrockConverse}, `topK`, `thinking` and `betas` go into
 * `additionalModelRequestFields` for Anthropic models (as `top_k`, `thinking`, `anthropic_beta`)
 * and `modelKwargs` merges into it; for other models they are a TypeError naming where to put them.
 */
export interface BedrockModelSettings {
  /** Maximum number of tokens in the answer (Anthropic's `max_tokens` defaults to 1024). */
  maxTokens?: number;
  /** Sampling temperature. */
  temperature?: number;
  /** Nucleus-sampling probability mass. */
  topP?: number;
  /** Top-k sampling (Anthropic, Nova, Mistral text models, Cohere). */
  topK?: number;
  /** Sequences that stop the answer. */
  stopSequences?: string[];
  /** Alias of `stopSequences`. */
  stop?: string[];
  /** Tools the model may call. */
  tools?: ToolInput[];
  /** Whether (and which) tool the model must call. */
  toolChoice?: ToolChoice;
  /** Anthropic extended thinking, e.g. `{ type: "enabled", budget_tokens: 1024 }`. */
  thinking?: { type: "enabled"; budget_tokens: number } | { type: "disabled" } | Record<string, unknown>;
  /** Anthropic beta flags, sent as `anthropic_beta`. */
  betas?: string[];
  /** Members merged last into the provider's native body (they override what was built); Converse: into `additionalModelRequestFields`. */
  modelKwargs?: Record<string, unknown>;
}

/** Limits every class takes, in the constructor and per call. */
export interface CallLimits {
  /** Retries after a failed first attempt (AWS standard mode, 0 to 10); default 2. */
  maxRetries?: number;
  /** Milliseconds the whole call may take, retries included; the call then fails with "TimeoutError". */
  timeout?: number;
  /** Milliseconds a stream may wait for its next chunk; default 60000. */
  streamIdleTimeout?: number;
}

/** Converse request members ({@link ChatBedrockConverse} only), in the constructor and per call. */
export interface ConverseRequestFields {
  /** Sent as Converse `additionalModelRequestFields` (model-specific settings). */
  additionalModelRequestFields?: Record<string, unknown>;
  /** JSON pointers of extra response fields to return in `response_metadata.additionalModelResponseFields`. */
  additionalModelResponseFieldPaths?: string[];
  /** A guardrail to apply. */
  guardrailConfig?: GuardrailConfig;
  /** Latency-optimized inference. */
  performanceConfig?: PerformanceConfig;
  /** Key/value tags recorded with the invocation (model invocation logs). */
  requestMetadata?: Record<string, string>;
  /** The service tier to run the request on. */
  serviceTier?: ServiceTier;
  /** Prompt-management variables. */
  promptVariables?: PromptVariables;
  /** Converse `outputConfig` (e.g. a JSON Schema for the answer text). */
  outputConfig?: OutputConfig;
}

/** Where and how to call: shared by the three chat models. */
export interface ConnectionOptions {
  /** Model id, inference-profile id or ARN, e.g. "anthropic.claude-3-5-sonnet-20240620-v1:0" ("." and ".." are TypeErrors). */
  model?: string;
  /** Alias of `model`. */
  modelId?: string;
  /** AWS region; else env `AWS_REGION` / `AWS_DEFAULT_REGION`. */
  region?: string;
  /** Used unless `apiKey` is given; else env `AWS_BEARER_TOKEN_BEDROCK`, then `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`. */
  credentials?: CredentialsInput;
  /** Bedrock API key (sent as `Authorization: Bearer`, printable ASCII); else env `AWS_BEARER_TOKEN_BEDROCK`. */
  apiKey?: string;
  /** Where to read env vars; defaults to `process.env` when the runtime has one. */
  env?: EnvLike;
  /** Base URL override, `http(s)://host[:port][/path]`, e.g. "http://127.0.0.1:4010"; else env `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` / `AWS_ENDPOINT_URL`. */
  endpoint?: string;
  /**
   * Allow an `http://` endpoint (or `aiGateway.baseUrl`) on a host other than this machine (`localhost`, `127.0.0.0/8`,
   * `[::1]`): without it, that is a TypeError, since credentials and messages would travel unencrypted.
   */
  allowInsecureEndpoint?: boolean;
  /**
   * A custom fetch (proxies, tests), else Node's `node:http`/`node:https` or the global `fetch`
   * elsewhere; cut off by `timeout` and `signal` even if it ignores `init.signal`.
   */
  fetch?: FetchLike;
  /** Send every request through Cloudflare AI Gateway (not together with `endpoint`). */
  aiGateway?: AiGatewayOptions;
}

/**
 * Cloudflare AI Gateway: requests go to
 * `{baseUrl}/v1/{accountId}/{gatewayId}/aws-bedrock/bedrock-runtime/{region}/model/{model}/{operation}`.
 * Unless `byok`, they are signed for Bedrock's own URL (the gateway forwards them there); the
 * `cf-aig-*` headers are added after signing. A bad member is a TypeError naming it, before
 * anything is sent; the gateway's own errors are a BedrockError named `AiGatewayError`.
 */
export interface AiGatewayOptions {
  /** Your Cloudflare account id (1 to 64 letters, digits, `-` or `_`). */
  accountId: string;
  /** The gateway's name (1 to 64 letters, digits, `-` or `_`). */
  gatewayId: string;
  /** The gateway's token, sent as `cf-aig-authorization: Bearer …` (printable ASCII, redacted from errors, never in `toJSON()`); else env `CF_AIG_TOKEN`. */
  token?: string;
  /** The gateway holds the AWS keys and signs ("bring your own keys"): no AWS credentials are read or sent; `apiKey` or `credentials` with it is a TypeError. */
  byok?: boolean;
  /** Default "https://gateway.ai.cloudflare.com"; `https://`, or `http://` to this machine only (as `endpoint`, unless `allowInsecureEndpoint`). */
  baseUrl?: string;
  /** `cf-aig-cache-ttl`: seconds a reply is cached, a whole number from 60 to 2592000 (30 days). */
  cacheTtl?: number;
  /** `cf-aig-skip-cache: true`: never answered from the gateway's cache. */
  skipCache?: boolean;
  /** `cf-aig-metadata`: at most 5 entries, for the gateway's logs. */
  metadata?: Record<string, string | number | boolean>;
}

/** The settings and limits of InvokeModel models, in the constructor and per call. */
export interface InvokeParameters extends BedrockModelSettings, CallLimits {}

/** The settings, limits and Converse request members of {@link ChatBedrockConverse}, in the constructor and per call. */
export interface ModelParameters extends BedrockModelSettings, CallLimits, ConverseRequestFields {}

/**
 * Options of {@link ChatBedrockConverse}. `model` (or `modelId`) is required. Any other key is a
 * TypeError naming it (and the class that takes it, or the option meant).
 */
export interface ChatBedrockConverseInput extends ModelParameters, ConnectionOptions {}

/** The providers {@link ChatBedrock} speaks; `amazon` is Titan when the id says `titan`, else Nova. */
export type BedrockProvider = "anthropic" | "amazon" | "nova" | "titan" | "meta" | "llama" | "mistral" | "cohere" | "ai21";

/** Options of {@link ChatBedrock}. `model` (or `modelId`) is required; any other key is a TypeError. */
export interface ChatBedrockInput extends InvokeParameters, ConnectionOptions {
  /** The provider, when the model id cannot tell (application inference profiles, imported models). */
  provider?: BedrockProvider;
}

/** Options of {@link ChatAnthropicBedrock} (ChatAnthropic's). `model` (or `modelId`) is required; any other key is a TypeError. */
export interface ChatAnthropicBedrockInput extends InvokeParameters, ConnectionOptions {
  /** Only "anthropic". */
  provider?: "anthropic";
}

/** Per-call options of ChatBedrock and ChatAnthropicBedrock; each setting given replaces the constructor's. */
export interface InvokeCallOptions extends InvokeParameters {
  /** Aborting it rejects the call, or ends the stream, with a BedrockError named "AbortError". */
  signal?: AbortSignal;
}

/** Per-call options of ChatBedrockConverse; each setting given replaces the constructor's. */
export interface CallOptions extends InvokeCallOptions, ConverseRequestFields {}

/** The options a structured-output model sets itself. */
type StructuredOutputOwnOptions = "tools" | "toolChoice" | "outputConfig";

/** Per-call options of a structured-output model: the tools and output format are its own. */
export type StructuredOutputCallOptions<Options = CallOptions> = Omit<Options, StructuredOutputOwnOptions>;

/** Message roles accepted in tuples and `{ role, content }` objects. */
export type MessageRole = "system" | "human" | "user" | "ai" | "assistant" | "tool";

// ---- input content blocks -------------------------------------------------------------------

/** Binary data: bytes, or base64 text. */
export type Bytes = Uint8Array | string;

/**
 * Where the media of a standard block comes from: `data` (bytes, base64 or a data: URL),
 * `base64`, or `url` (a data: URL or an s3:// URI). `mimeType` picks the format.
 */
export interface MediaSourceFields {
  /** MIME type, e.g. "image/png", "application/pdf", "video/mp4" (else taken from a data: URL). */
  mimeType?: string;
  /** Alias of `mimeType`. */
  mime_type?: string;
  /** The bytes, base64 text, or a data: URL. */
  data?: Uint8Array | ArrayBuffer | string;
  /** Base64 text (alias of a string `data`). */
  base64?: string;
  /** A data: URL or an s3:// URI (http(s) URLs are a TypeError). */
  url?: string;
  /** LangChain v0 marker of which of `data` / `url` is set. */
  source_type?: "base64" | "url";
  /** Owner account of the bucket of an s3:// `url`. */
  bucketOwner?: string;
}

/** Text. */
export interface TextInputBlock {
  /** Discriminator. */
  type: "text";
  /** The text. */
  text: string;
  [key: string]: unknown;
}

/** An image (becomes a Converse image block). */
export interface ImageInputBlock extends MediaSourceFields {
  /** Discriminator. */
  type: "image";
}

/** An OpenAI-style image given as a data: URL. */
export interface ImageUrlInputBlock {
  /** Discriminator. */
  type: "image_url";
  /** A data: URL, or `{ url }` holding one. */
  image_url: string | { url: string; detail?: string };
}

/** A file: a document (PDF, CSV, Word, Excel, HTML, text, Markdown), or an image / video by its MIME type. */
export interface FileInputBlock extends MediaSourceFields {
  /** Discriminator. */
  type: "file";
  /** Document name (sanitised to Bedrock's rules); else derived from the bytes. */
  filename?: string;
  /** Alias of `filename`. */
  name?: string;
  /** Ask for citations into this document. */
  citations?: true | { enabled: boolean };
  /** Context about the document for the model. */
  context?: string;
}

/** Plain text sent as a text document. */
export interface PlainTextInputBlock {
  /** Discriminator. */
  type: "text-plain";
  /** The document's text. */
  text: string;
  /** Always "text/plain" when given. */
  mimeType?: "text/plain";
  /** Document name. */
  filename?: string;
}

/** A video. */
export interface VideoInputBlock extends MediaSourceFields {
  /** Discriminator. */
  type: "video";
}

/** Reasoning from an earlier answer, sent back unchanged (with its signature). */
export interface ReasoningInputBlock {
  /** Discriminator. */
  type: "reasoning";
  /** The reasoning text ("" when redacted). */
  reasoning: string;
  /** Signature or redacted content, as the answer carried them. */
  extras?: { signature?: string; redactedContent?: string };
}

/** A tool call of an earlier answer. */
export interface ToolCallInputBlock {
  /** Discriminator. */
  type: "tool_call";
  /** Tool-use id. */
  id: string;
  /** Tool name. */
  name: string;
  /** Arguments. */
  args: Record<string, unknown>;
}

/** A folded streamed tool call of an earlier answer: `args` is JSON text. */
export interface ToolCallChunkInputBlock {
  /** Discriminator. */
  type: "tool_call_chunk";
  /** Tool-use id. */
  id: string;
  /** Tool name. */
  name: string;
  /** Arguments as JSON text. */
  args: string;
  /** Content-block index (ignored). */
  index?: number;
}

/** A Bedrock block carried whole (as output `non_standard` blocks are). */
export interface NonStandardInputBlock {
  /** Discriminator. */
  type: "non_standard";
  /** A Bedrock content block. */
  value: BedrockContentBlock | Record<string, unknown>;
}

/** Image formats Bedrock accepts. */
export type ImageFormat = "png" | "jpeg" | "gif" | "webp";
/** Document formats Bedrock accepts. */
export type DocumentFormat = "pdf" | "csv" | "doc" | "docx" | "xls" | "xlsx" | "html" | "txt" | "md";
/** Video formats Bedrock accepts. */
export type VideoFormat = "mkv" | "mov" | "mp4" | "webm" | "flv" | "mpeg" | "mpg" | "wmv" | "three_gp";

/** An object in S3. */
export interface S3Location {
  /** "s3://bucket/key". */
  uri: string;
  /** Owner account id of the bucket. */
  bucketOwner?: string;
}

/** Converse `image`. */
export interface BedrockImageBlock {
  /** The image: bytes (Uint8Array or base64) or an S3 object. */
  image: { format: ImageFormat; source: { bytes: Bytes } | { s3Location: S3Location } };
}

/** Converse `document`. */
export interface BedrockDocumentBlock {
  /** The document: bytes, S3 object, or text. */
  document: {
    format?: DocumentFormat;
    name: string;
    source: { bytes: Bytes } | { s3Location: S3Location } | { text: string } | { content: { text: string }[] };
    context?: string;
    citations?: { enabled: boolean };
  };
}

/** Converse `video`. */
export interface BedrockVideoBlock {
  /** The video: bytes or an S3 object. */
  video: { format: VideoFormat; source: { bytes: Bytes } | { s3Location: S3Location } };
}

/** Converse `toolUse`. */
export interface BedrockToolUseBlock {
  /** A tool call. */
  toolUse: { toolUseId: string; name: string; input: unknown };
}

/** Content of a Converse `toolResult`. */
export type BedrockToolResultContent =
  | { text: string }
  | { json: unknown }
  | BedrockImageBlock
  | BedrockDocumentBlock
  | BedrockVideoBlock;

/** Converse `toolResult`. */
export interface BedrockToolResultBlock {
  /** A tool's result. */
  toolResult: { toolUseId: string; content: BedrockToolResultContent[]; status?: "success" | "error" };
}

/** Converse `reasoningContent`. */
export interface BedrockReasoningBlock {
  /** Reasoning text with its signature, or redacted reasoning. */
  reasoningContent: { reasoningText: { text: string; signature?: string } } | { redactedContent: Bytes };
}

/** Converse `guardContent`: content the guardrail assesses. */
export interface BedrockGuardContentBlock {
  /** Text (with qualifiers) or an image. */
  guardContent:
    | { text: { text: string; qualifiers?: ("grounding_source" | "query" | "guard_content")[] } }
    | { image: { format: "png" | "jpeg"; source: { bytes: Bytes } } };
}

/** Converse `citationsContent` (an earlier cited answer). */
export interface BedrockCitationsContentBlock {
  /** The cited text and its citations. */
  citationsContent: { content: { text: string }[]; citations: Record<string, unknown>[] };
}

/** Converse `searchResult`. */
export interface BedrockSearchResultBlock {
  /** A search result the model may cite. */
  searchResult: { source: string; title: string; content: { text: string }[]; citations?: { enabled: boolean } };
}

/**
 * Bedrock-native one-key blocks, passed through as they are
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ContentBlock.html).
 */
export type BedrockContentBlock =
  | { text: string }
  | CachePointBlock
  | BedrockImageBlock
  | BedrockDocumentBlock
  | BedrockVideoBlock
  | BedrockToolUseBlock
  | BedrockToolResultBlock
  | BedrockReasoningBlock
  | BedrockGuardContentBlock
  | BedrockCitationsContentBlock
  | BedrockSearchResultBlock;

/** Blocks of a message's content: LangChain standard blocks, or Bedrock-native ones. */
export type InputContentBlock =
  | TextInputBlock
  | ImageInputBlock
  | ImageUrlInputBlock
  | FileInputBlock
  | PlainTextInputBlock
  | VideoInputBlock
  | ReasoningInputBlock
  | ToolCallInputBlock
  | ToolCallChunkInputBlock
  | NonStandardInputBlock
  | BedrockContentBlock;

/** A message's content: a string (one text block) or blocks. */
export type MessageContent = string | InputContentBlock[];

/** Blocks of a tool result: text, images, documents, JSON. */
export type ToolResultInputBlock =
  | TextInputBlock
  | ImageInputBlock
  | FileInputBlock
  | VideoInputBlock
  | { type: "json"; json: unknown }
  | BedrockToolResultContent;

/** A tool result: text, blocks, or a plain object (sent as JSON). */
export type ToolMessageContent = string | ToolResultInputBlock[] | Record<string, unknown>;

/**
 * A `[role, content]` tuple, or `[role, content, fields]` with the fields of a message object
 * (`["tool", "18°C", { tool_call_id }]`: a tool result needs the id of the call it answers).
 */
export type MessageTuple =
  | [Exclude<MessageRole, "tool">, MessageContent]
  | [Exclude<MessageRole, "tool">, MessageContent, { tool_calls?: ToolCallInput[] }]
  | ["tool", ToolMessageContent, { tool_call_id: string; status?: "success" | "error" }];

/** A tool call on an assistant message (LangChain `tool_calls`). */
export interface ToolCallInput {
  /** Tool-use id. */
  id: string;
  /** Tool name. */
  name: string;
  /** Arguments. */
  args: Record<string, unknown>;
  /** "tool_call" when given. */
  type?: "tool_call";
}

/** A `{ role, content }` object. */
export interface MessageObject {
  /** Who speaks. */
  role: Exclude<MessageRole, "tool">;
  /** What is said. */
  content: MessageContent;
  /** Assistant messages: calls not already among the content blocks (matched by id). */
  tool_calls?: ToolCallInput[];
  [key: string]: unknown;
}

/** A tool result answering the tool call `tool_call_id`. */
export interface ToolMessageObject {
  /** Always "tool". */
  role: "tool";
  /** The id of the tool call answered. */
  tool_call_id: string;
  /** The result. */
  content: ToolMessageContent;
  /** "error" marks a failed tool run. */
  status?: "success" | "error";
  [key: string]: unknown;
}

/**
 * Members of a LangChain message that are read. Structural, so that @langchain/core's messages
 * (`new HumanMessage(…)`, `AIMessage`, `ToolMessage`, `SystemMessage`) and this package's own
 * outputs fit without importing @langchain/core; the blocks are checked when the call is made.
 */
export interface LangChainMessageFields {
  /** The message content: a string or content blocks (LangChain's, Bedrock's or this package's output blocks). */
  content: MessageContent | ToolMessageContent | readonly object[];
  /** AI messages: their tool calls (LangChain's `id` is optional). */
  tool_calls?: readonly (Omit<ToolCallInput, "id"> & { id?: string })[];
  /** Tool messages: the id of the call answered. */
  tool_call_id?: string;
  /** Tool messages: "error" marks a failed tool run. */
  status?: "success" | "error";
}

/** A LangChain message object, recognised by `getType()`, `_getType()` or `type` ("human", "ai", …). */
export type LangChainMessageLike = LangChainMessageFields &
  ({ getType(): string } | { _getType(): string } | { type: string });

/** One input message. */
export type MessageInput = MessageTuple | MessageObject | ToolMessageObject | LangChainMessageLike;

/** A LangChain prompt value (e.g. a ChatPromptTemplate's `ChatPromptValue`): its `toChatMessages()` are sent. */
export interface PromptValueLike {
  /** The prompt's messages. */
  toChatMessages(): MessageInput[];
}

/** What `invoke` and `stream` take: a string (one human message), messages, or a LangChain prompt value. */
export type ModelInput = string | MessageInput[] | PromptValueLike;

// ---- output -----------------------------------------------------------------------------------

/** A complete tool call. */
export interface ToolCall {
  /** Discriminator. */
  type: "tool_call";
  /** Tool-use id. */
  id: string;
  /** Tool name. */
  name: string;
  /** Parsed arguments. */
  args: Record<string, unknown>;
}

/** A tool call whose arguments could not be parsed. */
export interface InvalidToolCall {
  /** Discriminator. */
  type: "invalid_tool_call";
  /** Tool-use id. */
  id: string;
  /** Tool name. */
  name: string;
  /** The arguments as the model sent them. */
  args: string;
  /** Why they did not parse. */
  error: string;
}

/** A piece of a streamed tool call: `args` is a fragment of JSON text. */
export interface ToolCallChunk {
  /** Discriminator. */
  type: "tool_call_chunk";
  /** Tool-use id (first piece of a call only). */
  id?: string;
  /** Tool name (first piece of a call only). */
  name?: string;
  /** A fragment of the arguments' JSON text. */
  args?: string;
  /** Content-block index shared by the pieces of one call. */
  index?: number;
}

/** Bedrock's citation location union, e.g. `{ documentChar: { documentIndex, start, end } }`. */
export interface CitationLocation {
  /** Character range in a text document. */
  documentChar?: { documentIndex?: number; start?: number; end?: number };
  /** Page range in a PDF. */
  documentPage?: { documentIndex?: number; start?: number; end?: number };
  /** Chunk range in a chunked document. */
  documentChunk?: { documentIndex?: number; start?: number; end?: number };
  /** Block range in a search result. */
  searchResultLocation?: { searchResultIndex?: number; start?: number; end?: number };
  /** A web page. */
  web?: { url?: string; domain?: string };
  [key: string]: unknown;
}

/** A citation annotating a text block. */
export interface Citation {
  /** Discriminator. */
  type: "citation";
  /** Title of the cited document. */
  title?: string;
  /** Source of the cited content (e.g. a search result's source). */
  source?: string;
  /** URL of a cited web page. */
  url?: string;
  /** The cited passages, joined. */
  citedText?: string;
  /** Where in the source. */
  location?: CitationLocation;
}

/** Text; `annotations` holds its citations. */
export interface TextBlock {
  /** Discriminator. */
  type: "text";
  /** The text. */
  text: string;
  /** Citations of this text. */
  annotations?: Citation[];
}

/** Reasoning ("" when redacted); send it back unchanged in the next request. */
export interface ReasoningBlock {
  /** Discriminator. */
  type: "reasoning";
  /** The reasoning text. */
  reasoning: string;
  /** `signature` of the reasoning, or `redactedContent` (base64) when redacted. */
  extras?: { signature?: string; redactedContent?: string };
}

/** A Bedrock block with no standard equivalent, kept whole. */
export interface NonStandardBlock {
  /** Discriminator. */
  type: "non_standard";
  /** The Bedrock block (or stream event). */
  value: Record<string, unknown>;
}

/** Standard output blocks (LangChain v1 content blocks). */
export type ContentBlock = TextBlock | ReasoningBlock | ToolCall | InvalidToolCall | NonStandardBlock;

/** Blocks of a streamed chunk, each tagged with its content-block `index`. */
export type ChunkContentBlock =
  | (TextBlock & { index: number })
  | (ReasoningBlock & { index: number })
  | (ToolCallChunk & { index: number })
  | (NonStandardBlock & { index?: number });

/** Token counts; `input_tokens` includes cache reads and writes. */
export interface UsageMetadata {
  /** Input tokens, cached ones included. */
  input_tokens: number;
  /** Output tokens. */
  output_tokens: number;
  /** Bedrock's totalTokens. */
  total_tokens: number;
  /** Cache reads and writes. */
  input_token_details?: { cache_read?: number; cache_creation?: number };
}

/** Bedrock's own usage object. */
export interface BedrockUsage {
  /** Input tokens not read from or written to the cache. */
  inputTokens: number;
  /** Output tokens. */
  outputTokens: number;
  /** Total tokens. */
  totalTokens: number;
  /** Tokens read from the prompt cache. */
  cacheReadInputTokens?: number;
  /** Tokens written to the prompt cache. */
  cacheWriteInputTokens?: number;
}

/** Response metadata (on the AIMessage, or the last chunk of a stream). */
export interface ResponseMetadata {
  /** Why the answer ended, e.g. "end_turn", "tool_use", "max_tokens", "guardrail_intervened". */
  stopReason?: string;
  /** Bedrock's latency. */
  metrics?: { latencyMs: number };
  /** Bedrock's raw usage. */
  usage?: BedrockUsage;
  /** The model id. */
  model_name?: string;
  /** ChatBedrock / ChatAnthropicBedrock: the provider's own stop reason ("end_turn", "stop", "FINISH", "COMPLETE", …). */
  stop_reason?: string;
  /** ChatBedrock / ChatAnthropicBedrock: the model id the call was made with. */
  model_id?: string;
  /** HTTP details. */
  ResponseMetadata?: {
    RequestId?: string;
    HTTPStatusCode?: number;
    HTTPHeaders?: Record<string, string>;
    RetryAttempts?: number;
  };
  /** The fields asked for with `additionalModelResponseFieldPaths`. */
  additionalModelResponseFields?: Record<string, unknown>;
  /** Guardrail trace (with `guardrailConfig.trace`). */
  trace?: Record<string, unknown>;
  /** The performance configuration used. */
  performanceConfig?: PerformanceConfig;
  /** The service tier used. */
  serviceTier?: { type: ServiceTierName | (string & {}) };
  [key: string]: unknown;
}

/** What `invoke` resolves to. */
export interface AIMessage {
  /** Always "ai". */
  type: "ai";
  /** "run-…". */
  id?: string;
  /** A string for one plain text block, else the standard blocks in Bedrock's order. */
  content: string | ContentBlock[];
  /** The standard blocks in Bedrock's order. */
  contentBlocks: ContentBlock[];
  /** The text blocks joined. */
  text: string;
  /** Tool calls whose arguments parsed. */
  tool_calls: ToolCall[];
  /** Tool calls whose arguments did not parse. */
  invalid_tool_calls: InvalidToolCall[];
  /** Token counts. */
  usage_metadata?: UsageMetadata;
  /** Stop reason, metrics, request id, … */
  response_metadata: ResponseMetadata;
}

/** One streamed event; the final metadata chunk carries usage and response metadata. */
export interface AIMessageChunk {
  /** Always "AIMessageChunk". */
  type: "AIMessageChunk";
  /** "run-…", the same on every chunk of a stream. */
  id?: string;
  /** The deltas of this event. */
  content: ChunkContentBlock[];
  /** After {@link concat}: the standard blocks. */
  contentBlocks?: ContentBlock[];
  /** Text deltas of this event, joined. */
  text: string;
  /** After {@link concat}: complete tool calls. */
  tool_calls?: ToolCall[];
  /** After {@link concat}: tool calls whose arguments did not parse. */
  invalid_tool_calls?: InvalidToolCall[];
  /** Tool-call pieces of this event (the same entries as in `content`). */
  tool_call_chunks?: ToolCallChunk[];
  /** Token counts (final chunk). */
  usage_metadata?: UsageMetadata;
  /** Stop reason, metrics, … (final chunk). */
  response_metadata?: ResponseMetadata;
}

/** A ReadableStream of chunks that `for await` can iterate; cancelling it cancels the request. */
export type AIMessageChunkStream = ReadableStream<AIMessageChunk> & AsyncIterable<AIMessageChunk>;

// ---- structured output ------------------------------------------------------------------------

/** `T` with every member (at every depth) optional: an object still streaming in. */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** How structured output is obtained. */
export type StructuredOutputMethod =
  | "functionCalling"
  | "toolCalling"
  | "function_calling"
  | "tool_calling"
  | "jsonSchema"
  | "json_schema";

/** Options of {@link ChatBedrockConverse.withStructuredOutput}. */
export interface StructuredOutputOptions {
  /** Tool / schema name, `^[a-zA-Z0-9_-]{1,64}$`; default `schema.title`, else "extract". */
  name?: string;
  /** Tool / schema description. */
  description?: string;
  /** "functionCalling" (default): one forced tool call; "jsonSchema": `outputConfig.textFormat`. */
  method?: StructuredOutputMethod;
  /** Also return the raw message and the parse error instead of rejecting. */
  includeRaw?: boolean;
}

/** `invoke` result with `includeRaw`. */
export interface StructuredOutputWithRaw<T> {
  /** The model's message. */
  raw: AIMessage;
  /** The parsed object, or null when it did not parse. */
  parsed: T | null;
  /** Why it did not parse (a BedrockError named "OutputParserException"). */
  parsingError: BedrockError | null;
}

/** `stream` item with `includeRaw`. */
export interface StructuredOutputChunkWithRaw<T> {
  /** The chunks so far, concatenated. */
  raw: AIMessageChunk;
  /** The object so far. */
  parsed: DeepPartial<T> | null;
  /** On the last item only: why the complete answer did not parse. */
  parsingError: BedrockError | null;
}

/** A model whose answers are objects of a JSON Schema; `Options` are its model's call options. */
export interface StructuredOutputRunnable<T, Chunk = DeepPartial<T>, Options = CallOptions> {
  /** Resolves to the parsed object; rejects with a BedrockError named "OutputParserException" when it does not parse. */
  invoke(messages: ModelInput, options?: StructuredOutputCallOptions<Options>): Promise<T>;
  /** The object as it fills in; the last item is complete. */
  stream(messages: ModelInput, options?: StructuredOutputCallOptions<Options>): ReadableStream<Chunk> & AsyncIterable<Chunk>;
}

// ---- errors -----------------------------------------------------------------------------------

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
  | "TooManyRequestsException"
  | "RequestTimeout"
  | "RequestTimeoutException"
  | "InvalidEventStream"
  | "IncompleteStream"
  | "ExpiredTokenException"
  | "ExpiredToken"
  | "RequestExpired"
  | "RequestTimeTooSkewed"
  | "RequestInTheFuture"
  | "AbortError"
  | "TimeoutError"
  | "ConfigError"
  | "CredentialsProviderError"
  | "NetworkError"
  | "InvalidResponse"
  | "OutputParserException"
  /** Cloudflare AI Gateway's own error (its JSON body): a bad gateway token (401), its rate limit (429, retryable). */
  | "AiGatewayError"
  | (string & {});

/** Every failure except bad input (which throws a TypeError before anything is sent). */
export class BedrockError extends Error {
  constructor(
    message: string,
    options?: { name?: string; code?: string; status?: number; requestId?: string; retryable?: boolean; cause?: unknown },
  );
  /** The AWS error type, or a local kind such as "AbortError" or "OutputParserException". */
  name: BedrockErrorName;
  /** The same as `name`, as the AWS SDKs call it. */
  code: string;
  /** HTTP status, when the failure came from an HTTP response. */
  status: number | undefined;
  /** The `x-amzn-requestid` of the failed request, when known. */
  requestId: string | undefined;
  /** Whether retrying the same request may succeed (throttling, 5xx, some stream errors). */
  retryable: boolean;
  /** The underlying error, when there is one. */
  cause?: unknown;
  /** OutputParserException: the text or tool arguments that did not parse. */
  llmOutput?: string;
}

// ---- the model --------------------------------------------------------------------------------

/**
 * What the three chat models share. `Options` are a class's call options, `LlmType` its
 * LangChain model type tag.
 */
declare abstract class BedrockChatModel<Options extends InvokeCallOptions, LlmType extends string> {
  /** The model id. */
  readonly model: string;
  /** The model id. */
  readonly modelId: string;
  /** LangChain's model type tag. */
  _llmType(): LlmType;
  /** One call (a string is one human message). Rejects with a BedrockError, or a TypeError for bad messages or options. */
  invoke(messages: ModelInput, options?: Options): Promise<AIMessage>;
  /** A streamed call: chunks as their frames arrive. Throws a TypeError at once for bad messages or options. */
  stream(messages: ModelInput, options?: Options): AIMessageChunkStream;
  /**
   * The input tokens Bedrock's CountTokens counts for `messages` with this model and the call's
   * settings: the request `invoke` would send, counted, not run. Rejects like `invoke`.
   */
  countTokens(messages: ModelInput, options?: Options): Promise<number>;
  /** A new model of the same class with these tools (and tool choice); this one is unchanged. Throws a TypeError naming a bad entry. */
  bindTools(tools: ToolInput[], options?: { toolChoice?: ToolChoice }): this;
  /** Answers as `{ raw, parsed, parsingError }`: parse failures are reported, never thrown. */
  withStructuredOutput<T = Record<string, unknown>>(
    schema: JsonSchema,
    options: StructuredOutputOptions & { includeRaw: true },
  ): StructuredOutputRunnable<StructuredOutputWithRaw<T>, StructuredOutputChunkWithRaw<T>, Options>;
  /** Answers as objects of `schema` (`T` is their type; nothing checks it at run time). */
  withStructuredOutput<T = Record<string, unknown>>(
    schema: JsonSchema,
    options?: StructuredOutputOptions & { includeRaw?: false },
  ): StructuredOutputRunnable<T, DeepPartial<T>, Options>;
  /** `includeRaw` not known statically. */
  withStructuredOutput<T = Record<string, unknown>>(
    schema: JsonSchema,
    options?: StructuredOutputOptions,
  ):
    | StructuredOutputRunnable<T, DeepPartial<T>, Options>
    | StructuredOutputRunnable<StructuredOutputWithRaw<T>, StructuredOutputChunkWithRaw<T>, Options>;
  /** The configuration with every secret redacted. */
  toJSON(): Record<string, unknown>;
}

/** Amazon Bedrock Converse / ConverseStream as a LangChain-style chat model. */
export class ChatBedrockConverse extends BedrockChatModel<CallOptions, "bedrock-converse"> {
  /** Throws a TypeError for bad options (an unknown or misplaced key, a bad tool or toolChoice). */
  constructor(options: ChatBedrockConverseInput);
}

/**
 * Amazon Bedrock InvokeModel in each provider's native format (Anthropic, Amazon Nova, Titan Text,
 * Meta Llama, Mistral, Cohere, AI21 Jamba), chosen from the model id or `provider`. Throws a
 * TypeError naming the supported providers when the id cannot tell and `provider` is missing.
 */
export class ChatBedrock extends BedrockChatModel<InvokeCallOptions, "bedrock"> {
  /** Throws a TypeError for bad options (an unknown or misplaced key, a bad tool or toolChoice). */
  constructor(options: ChatBedrockInput);
  /** The provider the model speaks: "anthropic", "nova", "titan", "meta", "mistral", "cohere" or "ai21". */
  readonly provider: string;
}

/** Anthropic's Claude on Amazon Bedrock through InvokeModel, with ChatAnthropic's options. */
export class ChatAnthropicBedrock extends BedrockChatModel<InvokeCallOptions, "anthropic-bedrock"> {
  /** Throws a TypeError for bad options (an unknown or misplaced key, a bad tool or toolChoice). */
  constructor(options: ChatAnthropicBedrockInput);
}

/** The text embedding models {@link BedrockEmbeddings} knows (a version suffix, a cross-region prefix or a foundation-model ARN around them is fine). */
export type EmbeddingModelId =
  | "amazon.titan-embed-text-v1"
  | "amazon.titan-embed-text-v2:0"
  | "cohere.embed-english-v3"
  | "cohere.embed-multilingual-v3"
  | "cohere.embed-v4:0"
  | "amazon.nova-2-multimodal-embeddings-v1:0"
  | (string & {});

/**
 * Options of {@link BedrockEmbeddings}: the connection and limits of the chat models, and the
 * embedding model's own. An option the model has no place for, or a value it does not accept, is
 * a TypeError naming it; so is any other key.
 */
export interface BedrockEmbeddingsInput extends Omit<ConnectionOptions, "model" | "modelId">, Omit<CallLimits, "streamIdleTimeout"> {
  /** The embedding model id, inference profile or ARN (`model` or `modelId` is required). */
  model?: EmbeddingModelId;
  /** Alias of `model`. */
  modelId?: EmbeddingModelId;
  /** Titan v2: 256, 512 or 1024 (Bedrock's default 1024). Cohere v4: 256, 512, 1024 or 1536 (`output_dimension`, default 1536). Nova: 256, 384, 1024 or 3072 (`embeddingDimension`, default 3072). */
  dimensions?: number;
  /** Titan v2 only: scale each vector to unit length (Bedrock's default true). */
  normalize?: boolean;
  /** Cohere and Nova: what to cut from a text that is too long; Cohere v3 and Nova "NONE" | "START" | "END" (Nova's `truncationMode`, "END" when not set), Cohere v4 "NONE" | "LEFT" | "RIGHT". */
  truncate?: "NONE" | "START" | "END" | "LEFT" | "RIGHT";
  /** Requests in flight at once for one call, 1 to 32 (default 8). Titan and Nova send one request per text, Cohere one per 96 texts. */
  maxConcurrency?: number;
}

/** Per-call options of {@link BedrockEmbeddings}. */
export interface EmbeddingsCallOptions {
  /** Aborting it rejects the call with a BedrockError named "AbortError". */
  signal?: AbortSignal;
  /** Milliseconds for the whole call (every request); a BedrockError named "TimeoutError" after it. */
  timeout?: number;
  /** Retries of each request after its first attempt, 0 to 10. */
  maxRetries?: number;
}

/** Vectors with the input tokens Bedrock reports. */
export interface EmbeddingsWithUsage {
  /** One vector per text, in the order of the texts. */
  embeddings: number[][];
  /** The input tokens of every request, summed; undefined when a reply does not say. */
  inputTokens?: number;
}

/**
 * Text embeddings on Amazon Bedrock through InvokeModel: Amazon Titan Text Embeddings v1 and v2
 * and Amazon Nova Multimodal Embeddings' text (one request per text, `maxConcurrency` at a time;
 * Nova's documents as `GENERIC_INDEX`, queries as `GENERIC_RETRIEVAL`) and Cohere Embed v3 and v4
 * (up to 96 texts a request; documents as `search_document`, queries as `search_query`). The retries, `timeout`,
 * `signal`, credentials and errors are the chat models'. An empty or non-string text is a
 * TypeError before anything is sent; the first failed request rejects the call.
 */
export class BedrockEmbeddings {
  /** Throws a TypeError for bad options (an unknown key, a model that is no known embedding model, a bad dimension). */
  constructor(options: BedrockEmbeddingsInput);
  /** The model id. */
  readonly model: string;
  /** Alias of `model`. */
  readonly modelId: string;
  /** The vector of one search query. */
  embedQuery(text: string, options?: EmbeddingsCallOptions): Promise<number[]>;
  /** The vectors of `texts` as search documents, in their order (none sent for an empty list). */
  embedDocuments(texts: string[], options?: EmbeddingsCallOptions): Promise<number[][]>;
  /** `embedDocuments` with the input tokens Bedrock reports. */
  embedDocumentsWithUsage(texts: string[], options?: EmbeddingsCallOptions): Promise<EmbeddingsWithUsage>;
  /** The redacted configuration: never holds a secret key, session token or API key. */
  toJSON(): Record<string, unknown>;
}

/** Merges two chunks; folding a stream's chunks gives what `invoke` returns, modulo metadata. */
export function concat(a: AIMessageChunk, b: AIMessageChunk): AIMessageChunk;

/** Diagnostics: the bytes of wasm linear memory this instance holds (it grows and never shrinks). */
export function wasmMemoryBytes(): number;

// ---- edge helpers: a chunk stream as a Response body ----------------------------------------

/** What `toSSE` and `toTextStream` read: a stream from `llm.stream()`, any (async) iterable, or a promise of one. */
export type ChunkSource<T = AIMessageChunk> =
  | ReadableStream<T>
  | AsyncIterable<T>
  | Iterable<T>
  | PromiseLike<ReadableStream<T> | AsyncIterable<T> | Iterable<T>>;

/** The data of toSSE's `error` event: never a stack, a cause or a credential. */
export interface SSEErrorData {
  /** The BedrockError name: "ThrottlingException", "ModelStreamErrorException", "TimeoutError", … */
  name: string;
  message: string;
  /** The HTTP status, for errors Bedrock answered with. */
  status?: number;
  retryable: boolean;
  requestId?: string;
}

/** One event of a toSSE body, as a client parses it (`data` is the JSON of its `data:` line). */
export type SSEEvent =
  | { event: "chunk"; data: AIMessageChunk }
  | { event: "end"; data: Record<string, never> }
  | { event: "error"; data: SSEErrorData };

export interface ToSSEOptions {
  /** Called with the full error (e.g. to log it) before the `error` event goes out. */
  onError?: (error: BedrockError) => void;
  /**
   * The `error` event's `message` in place of the error's own, for clients who must not read
   * AWS's words (an AccessDeniedException names the account and the IAM role). Name, status,
   * `retryable` and `requestId` still go out.
   */
  errorMessage?: string;
}

/**
 * The chunks as Server-Sent Events, UTF-8: `event: chunk` with each chunk's JSON (the last one
 * carries `usage_metadata` and `response_metadata`), then exactly one `event: end` (data `{}`)
 * or `event: error` (data {@link SSEErrorData}). Pull-driven; cancelling the body (a client
 * that disconnects) cancels the stream and its Bedrock HTTP body. Throws a TypeError at once
 * for something that is not a stream or iterable.
 * `return new Response(toSSE(llm.stream(messages)), { headers: { "content-type": "text/event-stream" } })`
 */
export function toSSE(stream: ChunkSource<unknown>, options?: ToSSEOptions): ReadableStream<Uint8Array>;

/**
 * The chunks' `text` as UTF-8 bytes (strings as they are), for a `text/plain` Response.
 * Pull-driven; cancelling it cancels the stream. A failed stream errors the byte stream (the
 * response is cut off). Throws a TypeError at once for something that is not a stream or iterable.
 */
export function toTextStream(stream: ChunkSource<{ text?: string } | string>): ReadableStream<Uint8Array>;

// Only what is exported above is public (the base class and helper types are not).
export {};
