// The three chat models over the wasm handle class (ChatClient, made for each model's ChatClass):
// failures become BedrockError, a streamed call's chunks an async-iterable ReadableStream.
import { ChatClass, ChatClient } from "./bedrock_edge.js";
import { localError, toPublicError } from "./errors.js";
import { addAsyncIterator } from "./async-iterator.js";
import { countChunks, turnIfDue } from "./event-loop.js";
import { withStructuredOutput } from "./structured-output.js";

const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 60_000;

/** The messages of a LangChain prompt value (`toChatMessages()`), else the input as given. */
const chatMessages = (messages) =>
  typeof messages?.toChatMessages === "function" ? messages.toChatMessages() : messages;

/** A time limit in milliseconds: undefined, or a positive finite number. */
export function timeLimit(options, key) {
  const value = options?.[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${key} must be a positive number of milliseconds`);
  }
  return value;
}

/**
 * The call's options with `timeout` folded into its signal (joined to the caller's), and the
 * function that clears its timer. Not `AbortSignal.timeout`: Node does not stay alive for that
 * timer, so a call whose provider or fetch never settles would never settle either.
 */
export function withTimeout(options, modelTimeout) {
  const timeout = timeLimit(options, "timeout") ?? modelTimeout;
  if (timeout === undefined) return [options, () => {}];
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`timeout of ${timeout} ms`, "TimeoutError")), timeout);
  const signal = options?.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  return [{ ...options, signal }, () => clearTimeout(timer)];
}

// The transport of a model whose options name no `fetch`: the global `fetch` (undefined here: the
// wasm side calls it), unless the runtime entry sets one (node.js: node:http, see node-http.js).
let defaultFetch;

/** Sets the transport of models whose options name no `fetch` (a runtime entry's, at import). */
export function setDefaultFetch(fetch) {
  defaultFetch = fetch;
}

/**
 * The caller's `fetch`, rejecting when the signal aborts even if that `fetch` ignores it; else
 * the runtime's default transport.
 */
export function heedingSignal(fetch) {
  if (typeof fetch !== "function") return fetch ?? defaultFetch;
  return (input, init) =>
    new Promise((resolve, reject) => {
      const signal = init?.signal;
      const onAbort = () => reject(signal.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      new Promise((sent) => sent(fetch(input, init)))
        .then(resolve, reject)
        .finally(() => signal?.removeEventListener("abort", onAbort));
    });
}

// A model's wasm client, for the subclasses in this file (the field itself stays private).
let wasmClientOf;

/**
 * What the three chat models share: options, timeouts, `invoke`, `stream`, `bindTools`,
 * `withStructuredOutput`. A subclass names its wasm client's class and its LangChain type.
 */
class BedrockChatModel {
  #client;
  // The options the client was made with, passed to each of its calls: the client keeps none of
  // the caller's functions (`fetch`, a credentials provider), so that one of them reaching this
  // model cannot keep it, and its wasm memory, alive for ever.
  #clientOptions;
  #model;
  #options;
  #timeout;
  #streamIdleTimeout;

  static {
    wasmClientOf = (model) => model.#client;
  }

  constructor(options, chatClass) {
    if (options === null || typeof options !== "object") {
      throw new TypeError(`${new.target.name}: options must be an object`);
    }
    // Workers pass their `env` binding; elsewhere fall back to process.env when there is one.
    const env = options.env ?? globalThis.process?.env;
    this.#timeout = timeLimit(options, "timeout");
    this.#streamIdleTimeout = timeLimit(options, "streamIdleTimeout") ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;
    this.#clientOptions = { ...options, env, fetch: heedingSignal(options.fetch) };
    try {
      this.#client = new ChatClient(this.#clientOptions, chatClass);
    } catch (error) {
      throw toPublicError(error);
    }
    this.#model = options.model ?? options.modelId;
    this.#options = { ...options };
  }

  /** A new model of the same class with these options over this one's; this one is unchanged. */
  _withOptions(options) {
    return new this.constructor({ ...this.#options, ...options });
  }

  /**
   * A new model that offers `tools` to the model (each `{name, description, schema}`, OpenAI
   * `{type: "function", function}`, Bedrock `{toolSpec}`, Anthropic `{name, input_schema}` or
   * `{cachePoint}`); `toolChoice` is "auto", "any" or a tool name. This model is unchanged.
   */
  bindTools(tools, { toolChoice } = {}) {
    return this._withOptions({ tools, toolChoice });
  }

  /** A runnable whose `invoke` and `stream` give objects that follow `schema`. */
  withStructuredOutput(schema, options) {
    return withStructuredOutput(this, schema, options);
  }

  get model() {
    return this.#model;
  }

  get modelId() {
    return this.#model;
  }

  /** One call; resolves to an AIMessage. `options.signal` aborts it, `timeout` limits it. */
  invoke(messages, options) {
    return this.#unary(messages, options, false);
  }

  /**
   * The input tokens Bedrock counts for `messages` with this model and the call's settings
   * (CountTokens, over the request `invoke` would send); resolves to a number.
   */
  countTokens(messages, options) {
    return this.#unary(messages, options, true);
  }

  /** A non-streaming call of the wasm client: `invoke`, or CountTokens when `countTokens`. */
  async #unary(messages, options, countTokens) {
    let callOptions = options;
    let timerDone = () => {};
    try {
      [callOptions, timerDone] = withTimeout(options, this.#timeout);
      return await this.#client.invoke(chatMessages(messages), callOptions, countTokens, this.#clientOptions);
    } catch (error) {
      throw toPublicError(error, callOptions?.signal);
    } finally {
      timerDone();
    }
  }

  /** A streamed call: returns at once an async-iterable ReadableStream of AIMessageChunks. */
  stream(messages, options) {
    let chunks;
    let idleTimeout;
    let callOptions = options;
    let timerDone = () => {};
    try {
      idleTimeout = timeLimit(options, "streamIdleTimeout") ?? this.#streamIdleTimeout;
      [callOptions, timerDone] = withTimeout(options, this.#timeout);
      chunks = this.#client.stream(chatMessages(messages), callOptions, this.#clientOptions);
    } catch (error) {
      timerDone();
      throw toPublicError(error, callOptions?.signal);
    }
    return chunkReadableStream(chunks, idleTimeout, callOptions?.signal, timerDone);
  }

  /** The redacted configuration: never holds a secret key, session token or API key. */
  toJSON() {
    return this.#client.toJSON();
  }
}

/** Amazon Bedrock Converse / ConverseStream as a LangChain-style chat model. */
export class ChatBedrockConverse extends BedrockChatModel {
  constructor(options) {
    super(options, ChatClass.Converse);
  }

  _llmType() {
    return "bedrock-converse";
  }
}

/**
 * Amazon Bedrock InvokeModel / InvokeModelWithResponseStream as a LangChain-style chat model:
 * each provider's native body (Anthropic, Amazon Nova, Titan Text, Meta Llama, Mistral,
 * Cohere, AI21 Jamba), chosen from the model id or the `provider` option.
 */
export class ChatBedrock extends BedrockChatModel {
  constructor(options) {
    super(options, ChatClass.Bedrock);
  }

  /** The provider whose native format the model speaks (the wasm client's). */
  get provider() {
    return wasmClientOf(this).provider;
  }

  _llmType() {
    return "bedrock";
  }
}

/**
 * Anthropic's Claude on Amazon Bedrock through InvokeModel, with the ChatAnthropic options:
 * `maxTokens`, `temperature`, `topK`, `topP`, `stopSequences`, `thinking` and `betas`.
 */
export class ChatAnthropicBedrock extends BedrockChatModel {
  constructor(options) {
    super(options, ChatClass.AnthropicBedrock);
  }

  _llmType() {
    return "anthropic-bedrock";
  }
}

// The chunks of one next() batch (laid out as src/chunk_batch.rs says): plain deltas built from
// their text, kind and index, member for member their JSON (AIMessageChunk::as_delta), and the
// other chunks parsed from one JSON array.
function chunksOf([string, layout]) {
  let at = layout[0];
  const id = string.slice(0, at);
  const others = layout[1] < string.length ? JSON.parse(string.slice(layout[1])) : [];
  const out = [];
  for (let i = 2, other = 0; i < layout.length; ) {
    const tag = layout[i++];
    if (tag === 0) {
      out.push(others[other++]);
      continue;
    }
    const index = tag & 4 ? layout[i++] : undefined;
    const text = string.slice(at, (at += layout[i++]));
    out.push(deltaChunk(tag & 3, id, text, index));
  }
  return out;
}

function deltaChunk(kind, id, text, index) {
  if (kind === 1) {
    const block = index === undefined ? { type: "text", text } : { type: "text", text, index };
    return { type: "AIMessageChunk", id, content: [block], text, tool_call_chunks: [] };
  }
  if (kind === 3) {
    const block = index === undefined ? { type: "reasoning", reasoning: text } : { type: "reasoning", reasoning: text, index };
    return { type: "AIMessageChunk", id, content: [block], text: "", tool_call_chunks: [] };
  }
  const piece = () => (index === undefined ? { type: "tool_call_chunk", args: text } : { type: "tool_call_chunk", args: text, index });
  return { type: "AIMessageChunk", id, content: [piece()], text: "", tool_call_chunks: [piece()] };
}

const IDLE = Symbol("idle");

/** `promise`, or IDLE if it has not settled after `ms`. */
async function orIdle(promise, ms) {
  let timer;
  const idle = new Promise((resolve) => {
    timer = setTimeout(resolve, ms, IDLE);
  });
  try {
    return await Promise.race([promise, idle]);
  } finally {
    clearTimeout(timer);
  }
}

// A pull-driven stream (high-water mark 0): the network is read only as fast as the consumer
// reads, and cancelling the stream (or breaking out of `for await`) cancels the HTTP body. A
// wait longer than `idleTimeout` for the next chunks ends it with a TimeoutError. `for await`
// takes whole batches from nextBatch while nothing is queued.
function chunkReadableStream(chunks, idleTimeout, signal, timerDone) {
  let pulling = false;
  let released = false;
  let cancelled = false;
  let controller;
  const release = () => {
    if (!released) {
      released = true;
      timerDone();
      chunks.free();
    }
  };
  // The chunks of the next network read that gave any; undefined at the end (the stream is
  // closed) or once cancelled; rejects with the error the stream is errored with.
  const nextBatch = async () => {
    let batch;
    pulling = true;
    await turnIfDue();
    const next = chunks.next();
    try {
      batch = await orIdle(next, idleTimeout);
    } catch (error) {
      release();
      if (cancelled) return undefined;
      const publicError = toPublicError(error, signal);
      controller.error(publicError);
      throw publicError;
    } finally {
      pulling = false;
    }
    if (cancelled) {
      release();
      return undefined;
    }
    if (batch === IDLE) {
      // The pending read settles once the body is cancelled; the handle is freed then.
      cancelled = true;
      chunks.cancel();
      next.then(release, release);
      const timeout = localError("TimeoutError", `no data for ${idleTimeout} ms (streamIdleTimeout)`);
      controller.error(timeout);
      throw timeout;
    }
    if (batch === undefined) {
      release();
      controller.close();
      return undefined;
    }
    const out = chunksOf(batch);
    countChunks(out.length);
    return out;
  };
  const stream = new ReadableStream(
    {
      start(streamController) {
        controller = streamController;
      },
      async pull() {
        // A failure has already errored the stream.
        const batch = await nextBatch().catch(() => undefined);
        for (const chunk of batch ?? []) controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
        if (released) return;
        chunks.cancel();
        // A pending next() still uses the handle; it is freed when that read settles.
        if (!pulling) release();
      },
    },
    { highWaterMark: 0 },
  );
  const ready = () => !pulling && !released && !cancelled && controller.desiredSize === 0;
  addAsyncIterator(stream, { ready, nextBatch });
  return stream;
}
