// The LangChain side of the public types, checked with `tsc --strict --noEmit` in the consumer
// project (which installs @langchain/core and zod next to the package; see
// tsconfig.langchain.json). Not executed. The core models take @langchain/core's messages, a
// prompt value and their own outputs; bedrock-edge/langchain's models are BaseChatModels.
import { ChatBedrock as CoreChatBedrock, ChatBedrockConverse as CoreChatBedrockConverse, type MessageInput } from "bedrock-edge";
import { BedrockEmbeddings, ChatAnthropicBedrock, ChatBedrock, ChatBedrockConverse } from "bedrock-edge/langchain";
import type { Embeddings } from "@langchain/core/embeddings";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, AIMessageChunk, HumanMessage, SystemMessage, ToolMessage, isAIMessage } from "@langchain/core/messages";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { tool } from "@langchain/core/tools";
import { concat } from "@langchain/core/utils/stream";
import { z } from "zod";

const prompt = ChatPromptTemplate.fromMessages([
  ["system", "You are a helpful assistant that translates {input_language} to {output_language}."],
  ["human", "{input}"],
]);
const vars = { input_language: "English", output_language: "French", input: "I love programming." };

export async function chains(signal: AbortSignal): Promise<string> {
  const llm = new ChatBedrockConverse({ model: "anthropic.claude-3-5-sonnet-20240620-v1:0", region: "us-east-1", temperature: 0, tags: ["seed"] });
  const asBase: BaseChatModel = llm;
  const message: AIMessageChunk = await prompt.pipe(llm).invoke(vars, { signal });
  let full: AIMessageChunk | undefined;
  for await (const chunk of await prompt.pipe(new ChatBedrock({ model: "meta.llama3-8b-instruct-v1:0" })).stream(vars)) {
    full = full === undefined ? chunk : concat(full, chunk);
  }
  const weather = tool(async ({ city }: { city: string }) => `18C in ${city}`, {
    name: "get_weather",
    description: "Get the weather",
    schema: z.object({ city: z.string() }),
  });
  const bound = new ChatAnthropicBedrock({ model: "anthropic.claude-3-5-sonnet-20240620-v1:0" }).bindTools([weather], { tool_choice: "auto" });
  const reply = await bound.invoke([new HumanMessage("What about get_weather?")]);
  const calls: string[] = (reply.tool_calls ?? []).map((call) => call.name);
  const person: { name: string } = await llm.withStructuredOutput(z.object({ name: z.string() })).invoke("Who?");
  const raw = await llm.withStructuredOutput(z.object({ name: z.string() }), { includeRaw: true }).invoke("Who?");
  console.log(asBase._llmType(), isAIMessage(message), full?.text, calls, person.name, raw.parsed.name, raw.raw.content);
  return message.text;
}

// The core models (without LangChain) take LangChain's messages, a prompt value and their own outputs.
export async function core(): Promise<void> {
  const llm = new CoreChatBedrockConverse({ model: "anthropic.claude-3-5-sonnet-20240620-v1:0" });
  const answer = await llm.invoke(await prompt.invoke(vars));
  const history: MessageInput[] = [
    new SystemMessage("Be brief."),
    new HumanMessage({ content: [{ type: "text", text: "What about get_weather?" }] }),
    new AIMessage({ content: "", tool_calls: [{ id: "t1", name: "get_weather", args: { city: "Paris" } }] }),
    new ToolMessage({ tool_call_id: "t1", content: "18C" }),
    answer,
  ];
  for await (const chunk of new CoreChatBedrock({ model: "anthropic.claude-3-5-sonnet-20240620-v1:0" }).stream(history)) console.log(chunk.text);
  const chunks = [];
  for await (const chunk of llm.stream(history)) chunks.push(chunk);
  await llm.invoke([...history, chunks[0]]);
}

// BedrockEmbeddings is a LangChain Embeddings.
export async function embeddings(): Promise<number[][]> {
  const model: Embeddings = new BedrockEmbeddings({ model: "cohere.embed-english-v3", region: "us-east-1", truncate: "END" });
  const query: number[] = await model.embedQuery("capital of France");
  return [query, ...(await model.embedDocuments(["Paris is the capital of France"]))];
}
