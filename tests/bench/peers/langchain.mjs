// Peer (c): LangChain JS, @langchain/aws ChatBedrockConverse over the AWS SDK client (made here:
// `endpointHost` would force https; HTTP/1.1 in Node as for (a)), consuming the text,
// tool-call-chunk arguments and reasoning of every chunk.
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { ChatBedrockConverse } from "@langchain/aws";
import { CREDENTIALS, MODEL, PROMPT, REGION, TOOL } from "../workload.mjs";

function chunkChars(chunk) {
  let chars = 0;
  if (typeof chunk.content === "string") chars += chunk.content.length;
  else {
    for (const block of chunk.content) {
      if (block.type === "text") chars += block.text.length;
      else if (block.type === "reasoning") chars += block.reasoning.length;
    }
  }
  for (const piece of chunk.tool_call_chunks ?? []) chars += piece.args?.length ?? 0;
  return chars;
}

export function create({ endpoint, requestHandler }) {
  const client = new BedrockRuntimeClient({ region: REGION, endpoint, credentials: CREDENTIALS, ...(requestHandler && { requestHandler }) });
  return {
    async stream(kind, n) {
      let llm = new ChatBedrockConverse({ model: MODEL[kind](n), region: REGION, credentials: CREDENTIALS, client });
      if (kind === "tool") llm = llm.bindTools([{ name: TOOL.name, description: TOOL.description, schema: TOOL.schema }]);
      let chunks = 0;
      let chars = 0;
      for await (const chunk of await llm.stream(PROMPT)) {
        chunks++;
        chars += chunkChars(chunk);
      }
      return { chunks, chars };
    },
  };
}
