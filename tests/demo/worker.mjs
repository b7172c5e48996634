// The demo Worker: streams the seed translation through ChatBedrockConverse and answers with
// one JSON line per chunk as it arrives ({ chunk } or, on failure, { error }).
import { ChatBedrockConverse } from "bedrock-edge";

const SEED = [
  ["system", "You are a helpful assistant that translates English to French. Translate the user sentence."],
  ["human", "I love programming."],
];

export default {
  async fetch(_request, env) {
    const llm = new ChatBedrockConverse({
      model: env.BEDROCK_MODEL,
      endpoint: env.BEDROCK_ENDPOINT || undefined,
      env, // region and credentials come from the Worker's bindings
    });
    const encoder = new TextEncoder();
    const line = (value) => encoder.encode(`${JSON.stringify(value)}\n`);
    const chunks = llm.stream(SEED)[Symbol.asyncIterator]();
    const body = new ReadableStream({
      async pull(controller) {
        try {
          const { done, value } = await chunks.next();
          if (done) controller.close();
          else controller.enqueue(line({ chunk: value }));
        } catch (error) {
          const { name, message, status, requestId } = error;
          controller.enqueue(line({ error: { name, message, status, requestId } }));
          controller.close();
        }
      },
      cancel: () => chunks.return?.(),
    });
    return new Response(body, { headers: { "content-type": "application/x-ndjson" } });
  },
};
