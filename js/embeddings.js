// BedrockEmbeddings over the wasm EmbeddingsClient: the options, time limit and signal as the
// chat models take them, failures as BedrockError, the batches of a call sent with a bounded
// concurrency. The vectors are the plain number arrays the engine's JSON.parse made of each
// reply (on the wasm side, once).
import { EmbeddingsClient } from "./bedrock_edge.js";
import { toPublicError } from "./errors.js";
import { heedingSignal, timeLimit, withTimeout } from "./chat-models.js";

/**
 * Text embeddings on Amazon Bedrock through InvokeModel (models: README, Embeddings).
 */
export class BedrockEmbeddings {
  #client;
  // The options the client was made with, passed to each of its calls (see chat-models.js).
  #clientOptions;
  #model;
  #timeout;

  constructor(options) {
    if (options === null || typeof options !== "object") {
      throw new TypeError("BedrockEmbeddings: options must be an object");
    }
    // Workers pass their `env` binding; elsewhere fall back to process.env when there is one.
    const env = options.env ?? globalThis.process?.env;
    this.#timeout = timeLimit(options, "timeout");
    this.#clientOptions = { ...options, env, fetch: heedingSignal(options.fetch) };
    try {
      this.#client = new EmbeddingsClient(this.#clientOptions);
    } catch (error) {
      throw toPublicError(error);
    }
    this.#model = options.model ?? options.modelId;
  }

  get model() {
    return this.#model;
  }

  get modelId() {
    return this.#model;
  }

  /** The vector of one search query. */
  async embedQuery(text, options) {
    const { embeddings } = await this.#embed([text], true, options);
    return embeddings[0];
  }

  /** The vectors of `texts` as search documents, in their order. */
  async embedDocuments(texts, options) {
    return (await this.#embed(texts, false, options)).embeddings;
  }

  /**
   * `embedDocuments` with the input tokens Bedrock reports: `{ embeddings, inputTokens }`
   * (`inputTokens` is undefined when a reply does not say).
   */
  embedDocumentsWithUsage(texts, options) {
    return this.#embed(texts, false, options);
  }

  /**
   * One call: the texts and options checked by the wasm client before anything is sent, then
   * its batches (one text for Titan and Nova, up to 96 for Cohere) sent `maxConcurrency` at a time, the
   * vectors put back in the order of the texts. The first failure rejects the call: no further
   * batch starts, and those in flight are aborted (the call's own controller). The call's `timeout`
   * and `signal` reach every request.
   */
  async #embed(texts, query, options) {
    let callOptions = options;
    let timerDone = () => {};
    const stop = new AbortController();
    try {
      const size = this.#client.check(texts, query, options);
      [callOptions, timerDone] = withTimeout(options, this.#timeout);
      const replies = new Array(Math.ceil(texts.length / size));
      let next = 0;
      const sender = async () => {
        // After a failure every request runs on an aborted signal: none is sent.
        while (next < replies.length) {
          const i = next++;
          replies[i] = await this.#client.embed(texts.slice(i * size, (i + 1) * size), query, stoppable(callOptions, stop.signal), this.#clientOptions);
        }
      };
      const senders = Array.from({ length: Math.min(this.#client.maxConcurrency, replies.length) }, sender);
      await Promise.all(senders.map((s) => s.catch((error) => { stop.abort(); throw error; })));
      const counted = replies.every(([, tokens]) => tokens !== undefined);
      return {
        embeddings: replies.flatMap(([vectors]) => vectors),
        inputTokens: counted ? replies.reduce((sum, [, tokens]) => sum + tokens, 0) : undefined,
      };
    } catch (error) {
      throw toPublicError(error, callOptions?.signal);
    } finally {
      timerDone();
      stop.abort();
    }
  }

  /** The redacted configuration: never holds a secret key, session token or API key. */
  toJSON() {
    return this.#client.toJSON();
  }
}

/** The call options for one request, its own signal joined to theirs and to `stop` (see README). */
function stoppable(options, stop) {
  return { ...options, signal: AbortSignal.any(options?.signal ? [options.signal, stop] : [stop]) };
}
