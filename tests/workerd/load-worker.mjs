// A Worker that loads one workerd isolate: POST { emulatorUrl, concurrent, sequential, breaks }
// and it runs `concurrent` streams at once (text, tool and reasoning scenarios mixed), checks
// what each delivered, then `sequential` invokes one after another, then `breaks` streams left
// after their first chunk, sampling wasm memory as it goes.
import { ChatBedrockConverse, concat, wasmMemoryBytes } from "bedrock-edge";

const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const WEATHER = {
  name: "get_weather",
  description: "Weather for a city",
  schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};
const THINKING = { thinking: { type: "enabled", budget_tokens: 1024 } };

const fold = async (stream) => {
  let full;
  for await (const chunk of stream) full = full === undefined ? chunk : concat(full, chunk);
  return full;
};

/** One stream of scenario `i % 3`; resolves to a problem description, or null when right. */
async function scenario(llm, i) {
  switch (i % 3) {
    case 0: {
      const full = await fold(llm.stream([["human", `stream number ${i}`]]));
      return full.text === `Echo: stream number ${i}` ? null : `text ${i}: ${JSON.stringify(full.text)}`;
    }
    case 1: {
      const full = await fold(llm.bindTools([WEATHER], { toolChoice: "get_weather" }).stream(`weather ${i}`));
      const call = full.tool_calls[0];
      return call?.name === "get_weather" && call.args.city === "city-value" && full.invalid_tool_calls.length === 0
        ? null
        : `tool ${i}: ${JSON.stringify(full.tool_calls)}`;
    }
    default: {
      const full = await fold(llm.stream(`think ${i}`, { maxTokens: 2048, additionalModelRequestFields: THINKING }));
      const reasoning = full.contentBlocks.find((b) => b.type === "reasoning");
      return reasoning?.reasoning === `Thinking about: think ${i}` && reasoning.extras?.signature && full.text === `Echo: think ${i}`
        ? null
        : `reasoning ${i}: ${JSON.stringify(full.contentBlocks)}`;
    }
  }
}

export default {
  async fetch(request) {
    if (request.method !== "POST") return new Response("POST { emulatorUrl }", { status: 405 });
    const { emulatorUrl, concurrent, sequential, breaks } = await request.json();
    const llm = new ChatBedrockConverse({
      model: "anthropic.claude-3-5-sonnet-20240620-v1:0",
      region: "us-east-1",
      endpoint: emulatorUrl,
      credentials: CREDENTIALS,
    });
    const started = Date.now();
    const outcomes = await Promise.allSettled(Array.from({ length: concurrent }, (_, i) => scenario(llm, i)));
    const problems = outcomes
      .map((o) => (o.status === "rejected" ? `${o.reason?.name}: ${o.reason?.message}` : o.value))
      .filter((p) => p !== null);
    const concurrentMs = Date.now() - started;

    const memory = [{ after: 0, bytes: wasmMemoryBytes() }];
    let wrong = 0;
    for (let i = 1; i <= sequential; i++) {
      const message = await llm.invoke(`request ${i}`);
      if (message.text !== `Echo: request ${i}`) wrong++;
      if (i % (sequential / 10) === 0) memory.push({ after: i, bytes: wasmMemoryBytes() });
    }
    const breakMemory = [{ after: 0, bytes: wasmMemoryBytes() }];
    let unbroken = 0;
    for (let i = 1; i <= breaks; i++) {
      let first;
      for await (const chunk of llm.stream(`break ${i}`)) {
        first = chunk;
        break;
      }
      if (first?.text !== "Echo") unbroken++;
      if (i % (breaks / 10) === 0) breakMemory.push({ after: i, bytes: wasmMemoryBytes() });
    }
    return Response.json({ concurrent, problems, concurrentMs, sequential, wrong, memory, breaks, unbroken, breakMemory });
  },
};
