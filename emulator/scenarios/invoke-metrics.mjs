// What every InvokeModel reply carries whatever the provider: the X-Amzn-Bedrock-* headers of a
// JSON reply and the `amazon-bedrock-invocationMetrics` member of a stream's last native event.
// Latency and token counts come from the plan (scripted-reply.mjs: tokens are words).

/** The member of a stream's last native event that holds the invocation metrics. */
export const METRICS_KEY = 'amazon-bedrock-invocationMetrics';

/** Fixed time to the first streamed byte (the Anthropic stream uses the same). */
export const FIRST_BYTE_LATENCY_MS = 50;

/**
 * `{inputTokenCount, outputTokenCount, invocationLatency, firstByteLatency, ...extra}`.
 * @param {{inputTokens: number, outputTokens: number, latencyMs: number}} plan
 * @param {object} [extra]  provider extras, e.g. Nova's cache token counts
 */
export function invocationMetrics(plan, extra = {}) {
  return {
    inputTokenCount: plan.inputTokens,
    outputTokenCount: plan.outputTokens,
    invocationLatency: plan.latencyMs,
    firstByteLatency: FIRST_BYTE_LATENCY_MS,
    ...extra,
  };
}

/**
 * An InvokeModel reply `{body, headers}`: the native JSON body plus the latency and token-count
 * headers (and `extraHeaders`, e.g. Nova's cache counts).
 */
export function jsonReply(native, plan, extraHeaders = {}) {
  return {
    body: JSON.stringify(native),
    headers: {
      'X-Amzn-Bedrock-Invocation-Latency': String(plan.latencyMs),
      ...extraHeaders,
      'X-Amzn-Bedrock-Output-Token-Count': String(plan.outputTokens),
      'X-Amzn-Bedrock-Input-Token-Count': String(plan.inputTokens),
    },
  };
}

/**
 * Text chunks of a stream: one per piece (at least one, `""` for an empty text), built by
 * `chunk(piece, index, soFar)`; the last gets `last(chunk)` merged in (stop reason, metrics).
 * `soFar` is the text streamed up to and including the piece.
 */
export function pieceChunks(pieces, chunk, last) {
  const all = pieces.length ? pieces : [''];
  let soFar = '';
  return all.map((piece, i) => {
    soFar += piece;
    const event = chunk(piece, i, soFar);
    return i === all.length - 1 ? { ...event, ...last(event) } : event;
  });
}
