// Peer (b): the Vercel AI SDK, `ai` streamText over @ai-sdk/amazon-bedrock (ConverseStream),
// consuming the full stream's text, tool-input and reasoning deltas.
import { createAmazonBedrock } from "@ai-sdk/amazon-bedrock";
import { jsonSchema, streamText, tool } from "ai";
import { CREDENTIALS, MODEL, PROMPT, REGION, TOOL } from "../workload.mjs";

const tools = { [TOOL.name]: tool({ description: TOOL.description, inputSchema: jsonSchema(TOOL.schema) }) };

export function create({ endpoint, fetch }) {
  const bedrock = createAmazonBedrock({ region: REGION, baseURL: endpoint, ...CREDENTIALS, ...(fetch && { fetch }) });
  return {
    async stream(kind, n) {
      const result = streamText({ model: bedrock(MODEL[kind](n)), prompt: PROMPT, maxRetries: 0, ...(kind === "tool" && { tools }) });
      let chunks = 0;
      let chars = 0;
      for await (const part of result.fullStream) {
        chunks++;
        if (part.type === "error") throw part.error;
        if (part.type === "text-delta" || part.type === "reasoning-delta") chars += part.text.length;
        else if (part.type === "tool-input-delta") chars += part.delta.length;
      }
      return { chunks, chars };
    },
  };
}
