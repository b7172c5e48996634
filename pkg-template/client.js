// The public JS surface shared by every runtime entry. The wasm side exports handle classes
// (ConverseClient, ChunkStream); this file turns them into the LangChain-shaped API: errors
// become BedrockError, streams become async-iterable ReadableStreams of plain chunk objects.
import { ConverseClient } from "./bedrock_edge.js";
import { BedrockError, toPublicError } from "./errors.js";
import { addAsyncIterator } from "./async-iterator.js";
import { withStructuredOutput } from "./structured-output.js";

export { BedrockError };

export { concat } from "./concat.js";

/** Amazon Bedrock Converse / ConverseStream as a LangChain-style chat model. */
export class ChatBedrockConverse {
  #client;
  #model;
  #options;

  constructor(options) {
    if (options === null || typeof options !== "object") {
      throw new TypeError("ChatBedrockConverse: options must be an object");
    }
    // Workers pass their `env` binding; elsewhere fall back to process.env when there is one.
    const env = options.env ?? globalThis.process?.env;
    try {
      this.#client = new ConverseClient({ ...options, env });
    } catch (error) {
      throw toPublicError(error);
    }
    this.#model = options.model ?? options.modelId;
    this.#options = { ...options };
  }

  /** A new model with these options over this one's; this one is unchanged. */
  _withOptions(options) {
    return new ChatBedrockConverse({ ...this.#options, ...options });
  }

  /**
   * A new model that offers `tools` to the model (each `{name, description, schema}`, OpenAI
   * `{type: "function", function}`, Bedrock `{toolSpec}` or `{cachePoint}`); `toolChoice` is
   * "auto", "any" or a tool name. This model is unchanged.
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

  _llmType() {
    return "bedrock-converse";
  }

  /** One Converse call; resolves to an AIMessage. `options.signal` aborts it. */
  async invoke(messages, options) {
    try {
      return await this.#client.invoke(messages, options);
    } catch (error) {
      throw toPublicError(error);
    }
  }

  /** ConverseStream: returns at once an async-iterable ReadableStream of AIMessageChunks. */
  stream(messages, options) {
    let chunks;
    try {
      chunks = this.#client.stream(messages, options);
    } catch (error) {
      throw toPublicError(error);
    }
    return chunkReadableStream(chunks);
  }

  /** The redacted configuration: never holds a secret key, session token or API key. */
  toJSON() {
    return this.#client.toJSON();
  }
}

// A pull-driven stream (high-water mark 0): the network is read only as fast as the consumer
// reads, and cancelling the stream (or breaking out of `for await`) cancels the HTTP body.
function chunkReadableStream(chunks) {
  let pulling = false;
  let released = false;
  let cancelled = false;
  const release = () => {
    if (!released) {
      released = true;
      chunks.free();
    }
  };
  const stream = new ReadableStream(
    {
      // next() resolves to the chunks of the next network read that produced any (never an
      // empty batch), or undefined at the end.
      async pull(controller) {
        let batch;
        pulling = true;
        try {
          batch = await chunks.next();
        } catch (error) {
          release();
          if (!cancelled) controller.error(toPublicError(error));
          return;
        } finally {
          pulling = false;
        }
        if (cancelled) {
          release();
          return;
        }
        if (batch === undefined) {
          release();
          controller.close();
          return;
        }
        for (const chunk of batch) controller.enqueue(chunk);
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
  addAsyncIterator(stream);
  return stream;
}
