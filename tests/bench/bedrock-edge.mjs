// bedrock-edge as a bench client: ChatBedrockConverse streams of each kind (text, tool-argument
// and reasoning deltas), `invoke` with given content, models made and dropped, and
// BedrockEmbeddings.embedDocuments. The package is passed in (`edge`: the namespace of a built
// package's entry), so one file serves every package directory (PKG, BASELINE), in Node and in
// workerd. Used by child.mjs, cold-start-child.mjs and the workerd bench worker.
import { CREDENTIALS, EMBEDDING_MODEL, MODEL, PROMPT, REGION, TOOL } from "./workload.mjs";

/** Characters of one chunk: its text, tool-argument pieces or reasoning deltas. */
function chunkChars(chunk) {
  let chars = chunk.text.length;
  for (const piece of chunk.tool_call_chunks ?? []) chars += piece.args?.length ?? 0;
  for (const block of chunk.content) if (block.type === "reasoning") chars += block.reasoning.length;
  return chars;
}

/** `edge`: the package's exports; `endpoint`: the emulator; `fetch`: a custom fetch, if any. */
export function create({ edge, endpoint, fetch }) {
  const options = { region: REGION, endpoint, credentials: CREDENTIALS, ...(fetch && { fetch }) };
  return {
    /** `kind`: text, tool or reasoning through ChatBedrockConverse; claude: text through ChatAnthropicBedrock. */
    async stream(kind, n) {
      const Model = kind === "claude" ? edge.ChatAnthropicBedrock : edge.ChatBedrockConverse;
      const llm = new Model({ ...options, model: MODEL[kind](n), ...(kind === "tool" && { tools: [TOOL] }) });
      let chunks = 0;
      let chars = 0;
      for await (const chunk of await llm.stream(PROMPT)) {
        chunks++;
        chars += chunkChars(chunk);
      }
      return { chunks, chars };
    },
    /**
     * One `invoke` of a scripted model with `content` as the user message's content; `maxTokens: 1`
     * keeps the reply to one word (the emulator would echo the content back).
     */
    async invoke(content) {
      const llm = new edge.ChatBedrockConverse({ ...options, model: "anthropic.claude-3-haiku-20240307-v1:0", maxTokens: 1 });
      const reply = await llm.invoke([{ role: "user", content }]);
      return reply.text.length;
    },
    /** `count` models made and dropped, each with a fetch closure that can reach its model. */
    makeAndDropModels(count) {
      for (let i = 0; i < count; i++) {
        const model = new edge.ChatBedrockConverse({
          ...options,
          model: "anthropic.claude-3-haiku-20240307-v1:0",
          fetch: (input, init) => (model ? globalThis.fetch(input, init) : undefined),
        });
      }
    },
    async embed(texts, dimensions) {
      const embeddings = new edge.BedrockEmbeddings({ ...options, model: EMBEDDING_MODEL, dimensions, maxConcurrency: 8 });
      return embeddings.embedDocuments(texts);
    },
    wasmMemoryBytes: () => edge.wasmMemoryBytes(),
  };
}
