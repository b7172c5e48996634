// Peer (e): Anthropic's @anthropic-ai/bedrock-sdk (InvokeModelWithResponseStream with Claude
// events only, so the text stream only: `fault:bulk:<n>` answers it with n text_delta events; the
// bench's `text` and `claude` kinds are the same stream for it).
import AnthropicBedrock from "@anthropic-ai/bedrock-sdk";
import { CREDENTIALS, MODEL, PROMPT, REGION } from "../workload.mjs";

export function create({ endpoint, fetch }) {
  const client = new AnthropicBedrock({
    awsRegion: REGION, awsAccessKey: CREDENTIALS.accessKeyId, awsSecretKey: CREDENTIALS.secretAccessKey,
    baseURL: endpoint, maxRetries: 0, ...(fetch && { fetch }),
  });
  return {
    async stream(kind, n) {
      if (kind !== "text" && kind !== "claude") throw new Error(`(e) streams text only, not ${kind}`);
      const stream = await client.messages.create({
        model: MODEL[kind](n), max_tokens: 1024, stream: true, messages: [{ role: "user", content: PROMPT }],
      });
      let chunks = 0;
      let chars = 0;
      for await (const event of stream) {
        chunks++;
        if (event.type === "content_block_delta" && event.delta.type === "text_delta") chars += event.delta.text.length;
      }
      return { chunks, chars };
    },
  };
}
