// Peer (d): the minimal hand-rolled client (the recipe the Vercel AI SDK uses inside): sign the
// ConverseStream request with aws4fetch, decode the event-stream frames with
// @smithy/eventstream-codec's EventStreamCodec (framing by hand), then UTF-8 decode,
// JSON.parse and concatenate the deltas. No LangChain shapes, no retries, no mapping.
import { AwsClient } from "aws4fetch";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { CREDENTIALS, MODEL, PROMPT, REGION, TOOL } from "../workload.mjs";

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const codec = new EventStreamCodec((bytes) => decoder.decode(bytes), (text) => encoder.encode(text));
const toolConfig = { tools: [{ toolSpec: { name: TOOL.name, description: TOOL.description, inputSchema: { json: TOOL.schema } } }] };

/**
 * The body's frames decoded, as (b) does it: pieces appended to a buffer, each whole frame (its
 * length is the first 4 bytes, big-endian) cut off and decoded by the codec (CRCs checked).
 */
async function* frames(body) {
  const reader = body.getReader();
  let buffer = new Uint8Array(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (buffer.length === 0) buffer = value;
    else {
      const joined = new Uint8Array(buffer.length + value.length);
      joined.set(buffer);
      joined.set(value, buffer.length);
      buffer = joined;
    }
    while (buffer.length >= 4) {
      const length = new DataView(buffer.buffer, buffer.byteOffset, 4).getUint32(0);
      if (buffer.length < length) break;
      yield codec.decode(buffer.subarray(0, length));
      buffer = buffer.subarray(length);
    }
  }
  if (buffer.length > 0) throw new Error("the stream ended inside a frame");
}

/** The signer, for the bench's credentials and region. */
export const signer = () => new AwsClient({ ...CREDENTIALS, region: REGION, service: "bedrock" });

/**
 * The ConverseStream request of a `kind` stream of n deltas, signed by `aws`: a `Request` (also
 * what the cold-start case's bare-fetch floor sends).
 */
export function signedStream(aws, endpoint, kind, n) {
  const url = `${endpoint}/model/${encodeURIComponent(MODEL[kind](n))}/converse-stream`;
  const body = JSON.stringify({ messages: [{ role: "user", content: [{ text: PROMPT }] }], ...(kind === "tool" && { toolConfig }) });
  return aws.sign(url, { method: "POST", headers: { "content-type": "application/json" }, body });
}

export function create({ endpoint, fetch = globalThis.fetch }) {
  const aws = signer();
  return {
    async stream(kind, n) {
      const response = await fetch(await signedStream(aws, endpoint, kind, n));
      if (!response.ok) throw new Error(`${response.status}: ${await response.text()}`);
      let chunks = 0;
      let chars = 0;
      for await (const message of frames(response.body)) {
        if (message.headers[":message-type"]?.value !== "event") throw new Error(decoder.decode(message.body));
        chunks++;
        const delta = JSON.parse(decoder.decode(message.body)).delta;
        if (delta) chars += (delta.text ?? delta.toolUse?.input ?? delta.reasoningContent?.text ?? "").length;
      }
      return { chunks, chars };
    },
  };
}

