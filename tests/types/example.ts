// A small real program against the public types, checked with `tsc --strict --noEmit` in a
// consumer project that installed the package (see tsconfig.json). Not executed.
import {
  BedrockError,
  ChatBedrockConverse,
  concat,
  type AIMessage,
  type AIMessageChunk,
  type ChatBedrockConverseInput,
  type MessageInput,
} from "bedrock-edge";

interface Env {
  AWS_REGION: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
}

const messages: MessageInput[] = [
  ["system", "You are a helpful assistant that translates English to French. Translate the user sentence."],
  ["human", "I love programming."],
  { role: "assistant", content: "J'adore la programmation." },
  { role: "user", content: [{ type: "text", text: "And I love Rust." }, { cachePoint: { type: "default" } }] },
];

// A Cloudflare Worker: stream the answer to the client as text.
export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    const llm = new ChatBedrockConverse({ model: "anthropic.claude-3-5-sonnet-20240620-v1:0", env, maxTokens: 256 });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        for await (const chunk of llm.stream(messages)) controller.enqueue(encoder.encode(chunk.text));
        controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/plain; charset=utf-8" } });
  },
};

export async function translate(options: ChatBedrockConverseInput, signal: AbortSignal): Promise<string> {
  const llm = new ChatBedrockConverse({
    ...options,
    credentials: async () => ({ accessKeyId: "AKID", secretAccessKey: "secret", sessionToken: "token" }),
    fetch: (input, init) => fetch(input, init),
  });
  const modelName: string = llm.model;
  try {
    const message: AIMessage = await llm.invoke(messages, { signal });
    const usage = message.usage_metadata;
    const cacheRead: number | undefined = usage?.input_token_details?.cache_read;
    const requestId: string | undefined = message.response_metadata.ResponseMetadata?.RequestId;
    const content: string = typeof message.content === "string" ? message.content : message.text;
    for (const block of message.contentBlocks) {
      if (block.type === "text") console.log(block.text);
      else if (block.type === "tool_call") console.log(block.name, block.args);
    }
    console.log(modelName, cacheRead, requestId, JSON.stringify(llm));
    return content;
  } catch (error) {
    if (error instanceof BedrockError && error.retryable) {
      console.log(error.name, error.status, error.requestId);
    }
    throw error;
  }
}

export async function fold(llm: ChatBedrockConverse): Promise<AIMessageChunk> {
  const chunks: AIMessageChunk[] = [];
  const stream = llm.stream(messages);
  for await (const chunk of stream) {
    for (const block of chunk.content) if (block.type === "text") console.log(block.index, block.text);
    chunks.push(chunk);
  }
  const reader = llm.stream(messages).getReader();
  await reader.cancel();
  return chunks.reduce(concat);
}

// The types reject what the runtime rejects with a TypeError.
// @ts-expect-error unknown role
new ChatBedrockConverse({ model: "m" }).invoke([["wizard", "hi"]]);
// @ts-expect-error messages are a string or an array
new ChatBedrockConverse({ model: "m" }).stream({ role: "user", content: "hi" });
// @ts-expect-error temperature is a number
new ChatBedrockConverse({ model: "m", temperature: "hot" });
