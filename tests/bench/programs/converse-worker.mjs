// bedrock-edge's Worker for the size case: imports ChatBedrockConverse only and streams its reply
// as text, the smallest useful Worker (bundled with the workerd conditions; the .wasm is a module).
import { ChatBedrockConverse } from "bedrock-edge";

export default {
  async fetch(request, env) {
    const llm = new ChatBedrockConverse({ model: env.MODEL, region: env.AWS_REGION, credentials: env });
    const stream = await llm.stream(await request.text());
    const encoder = new TextEncoder();
    return new Response(stream.pipeThrough(new TransformStream({ transform: (chunk, out) => out.enqueue(encoder.encode(chunk.text)) })));
  },
};
