// Peer (a): the official SDK, @aws-sdk/client-bedrock-runtime (ConverseStreamCommand; for the
// embeddings case InvokeModelCommand + JSON.parse of each body, 8 at a time). In Node the bench
// passes an HTTP/1.1 NodeHttpHandler (the emulator speaks HTTP/1.1; the client's default is
// HTTP/2) or a handler that replays a body in given pieces; in workerd and the browser bundle
// the SDK's default FetchHttpHandler is used.
import { BedrockRuntimeClient, ConverseStreamCommand, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import { CREDENTIALS, EMBEDDING_MODEL, MODEL, PROMPT, REGION, TOOL } from "../workload.mjs";

const toolConfig = { tools: [{ toolSpec: { name: TOOL.name, description: TOOL.description, inputSchema: { json: TOOL.schema } } }] };

export function create({ endpoint, requestHandler }) {
  const client = new BedrockRuntimeClient({ region: REGION, endpoint, credentials: CREDENTIALS, ...(requestHandler && { requestHandler }) });
  return {
    async stream(kind, n) {
      const reply = await client.send(new ConverseStreamCommand({
        modelId: MODEL[kind](n),
        messages: [{ role: "user", content: [{ text: PROMPT }] }],
        ...(kind === "tool" && { toolConfig }),
      }));
      let chunks = 0;
      let chars = 0;
      for await (const event of reply.stream) {
        chunks++;
        const delta = event.contentBlockDelta?.delta;
        if (delta) chars += (delta.text ?? delta.toolUse?.input ?? delta.reasoningContent?.text ?? "").length;
      }
      return { chunks, chars };
    },
    async embed(texts, dimensions) {
      const decoder = new TextDecoder();
      const out = new Array(texts.length);
      let next = 0;
      const worker = async () => {
        while (next < texts.length) {
          const i = next++;
          const body = JSON.stringify({ inputText: texts[i], dimensions });
          const reply = await client.send(new InvokeModelCommand({ modelId: EMBEDDING_MODEL, body, contentType: "application/json", accept: "application/json" }));
          out[i] = JSON.parse(decoder.decode(reply.body)).embedding;
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      return out;
    },
  };
}
