// A Worker that streams a Bedrock chat reply as Server-Sent Events.
//   POST /  {"messages": [["system", "…"], ["human", "…"]]}   (any bedrock-edge message form)
//   GET  /?q=Hello                                            (one human message; works with EventSource)
// Region, model and credentials come from the Worker's bindings (wrangler.toml vars and secrets).
import { ChatBedrockConverse, toSSE } from "bedrock-edge";

const DEFAULT_MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const MAX_BODY_BYTES = 1 << 20;

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
};

const problem = (status, message) =>
  new Response(JSON.stringify({ error: message }), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });

/** The chat messages of a request, or a Response saying what is wrong with it. */
async function messagesOf(request) {
  const url = new URL(request.url);
  if (request.method === "GET") {
    const q = url.searchParams.get("q");
    if (!q) return problem(400, 'ask with GET /?q=<text> or POST {"messages": [...]}');
    return [["human", q]];
  }
  if (request.method !== "POST") return problem(405, "use GET or POST");
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) return problem(413, "the request body is too large");
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return problem(400, "the body is not JSON");
  }
  if (!Array.isArray(body?.messages) || body.messages.length === 0) {
    return problem(400, 'the body must be {"messages": [...]} with at least one message');
  }
  return body.messages;
}

export default {
  async fetch(request, env) {
    const messages = await messagesOf(request);
    if (messages instanceof Response) return messages;

    let chunks;
    try {
      const llm = new ChatBedrockConverse({
        model: env.BEDROCK_MODEL || DEFAULT_MODEL,
        env, // AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_BEARER_TOKEN_BEDROCK
        endpoint: env.BEDROCK_ENDPOINT || undefined,
      });
      chunks = llm.stream(messages); // throws a TypeError at once for messages it cannot send
    } catch (error) {
      // Bad messages are the client's fault; anything else (a missing region, say) is ours.
      // bedrock-edge's errors never contain a credential.
      if (error instanceof TypeError) return problem(400, error.message);
      console.error(`bedrock-edge: ${error.name}: ${error.message}`);
      return problem(500, `${error.name}: ${error.message}`);
    }
    // A client that disconnects cancels the body, which cancels the Bedrock call.
    const body = toSSE(chunks, {
      onError: (error) => console.error(`bedrock-edge: ${error.name}: ${error.message}`),
    });
    return new Response(body, { headers: SSE_HEADERS });
  },
};
