// bedrock-edge's program for the size case (browser bundle): all three chat classes and
// BedrockEmbeddings, each used once, as an app using the whole package would.
import { BedrockEmbeddings, ChatAnthropicBedrock, ChatBedrock, ChatBedrockConverse } from "bedrock-edge";

export async function run(options, prompt) {
  const text = async (llm) => (await llm.invoke(prompt)).text;
  return {
    converse: await text(new ChatBedrockConverse({ ...options, model: "anthropic.claude-3-haiku-20240307-v1:0" })),
    native: await text(new ChatBedrock({ ...options, model: "meta.llama3-8b-instruct-v1:0" })),
    anthropic: await text(new ChatAnthropicBedrock({ ...options, model: "anthropic.claude-3-haiku-20240307-v1:0" })),
    vectors: await new BedrockEmbeddings({ ...options, model: "amazon.titan-embed-text-v2:0" }).embedDocuments([prompt]),
  };
}
