// A Worker that streams a Bedrock chat reply as Server-Sent Events.
//   POST /  {"messages": [["system", "…"], ["human", "…"]]}   ([role, text] or {role, content: text})
//   GET  /?q=Hello                                            (one human message; works with EventSource)
// Region, model and credentials come from the Worker's bindings (wrangler.toml vars and secrets).
// Anyone can call it, so it takes text and nothing else: a content block can name an S3 object
// (`{type: "file", url: "s3://…"}`) that Bedrock then reads as the Worker's IAM identity, or pass
// native Bedrock blocks through. And its error events tell a client the error's name and request
// id, never AWS's message (an AccessDeniedException names the account and the IAM role); the
// Worker's log gets the whole error.
import { ChatBedrockConverse, toSSE } from "bedrock-edge";

const DEFAULT_MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const MAX_BODY_BYTES = 1 << 20;
const MAX_MESSAGES = 100;
const ROLES = new Set(["system", "human", "user", "ai", "assistant"]);
const PUBLIC_ERROR = "The model could not answer. Quote the request id when you report it.";

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
  if (!Array.isArray(body?.messages) || body.messages.length === 0 || body.messages.length > MAX_MESSAGES) {
    return problem(400, `the body must be {"messages": [...]} with 1 to ${MAX_MESSAGES} messages`);
  }
  const messages = body.messages.map(textMessage);
  const bad = messages.findIndex((message) => message === undefined);
  if (bad >= 0) return problem(400, `messages[${bad}] must be [role, text] or {role, content: text}, role one of ${[...ROLES].join(", ")}`);
  return messages;
}

/** `[role, text]` of a message that is one role and plain text, else undefined. */
function textMessage(message) {
  const [role, content] = Array.isArray(message) ? message : [message?.role, message?.content];
  const ok = (Array.isArray(message) ? message.length === 2 : message !== null && typeof message === "object")
    && ROLES.has(role) && typeof content === "string" && content.trim() !== "";
  return ok ? [role, content] : undefined;
}

/**
 * Where the Worker reaches Bedrock: through Cloudflare AI Gateway when CF_ACCOUNT_ID and
 * CF_GATEWAY_ID are set (with AI_GATEWAY_BYOK = "true", the gateway holds the AWS keys and the
 * Worker none), else BEDROCK_ENDPOINT, else Bedrock's regional endpoint.
 */
function connection(env) {
  if (!env.CF_ACCOUNT_ID || !env.CF_GATEWAY_ID) return { endpoint: env.BEDROCK_ENDPOINT || undefined };
  const aiGateway = { accountId: env.CF_ACCOUNT_ID, gatewayId: env.CF_GATEWAY_ID, byok: env.AI_GATEWAY_BYOK === "true" };
  if (env.AI_GATEWAY_BASE_URL) aiGateway.baseUrl = env.AI_GATEWAY_BASE_URL;
  return { aiGateway };
}

const logError = (error) => console.error("bedrock-edge:", error.name, error.message, { status: error.status, requestId: error.requestId });

export default {
  async fetch(request, env) {
    const messages = await messagesOf(request);
    if (messages instanceof Response) return messages;

    let llm;
    try {
      llm = new ChatBedrockConverse({
        model: env.BEDROCK_MODEL || DEFAULT_MODEL,
        env, // AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_BEARER_TOKEN_BEDROCK, CF_AIG_TOKEN
        ...connection(env),
      });
    } catch (error) {
      // The Worker's configuration (a missing region, say): only the log hears the details.
      logError(error);
      return problem(500, `${error.name}: the Worker is not configured to call Bedrock`);
    }
    let chunks;
    try {
      chunks = llm.stream(messages); // throws a TypeError at once for messages it cannot send
    } catch (error) {
      // Text the client sent that Bedrock cannot take: the client's own words come back.
      return problem(400, error.message);
    }
    // A client that disconnects cancels the body, which cancels the Bedrock call.
    const body = toSSE(chunks, { onError: logError, errorMessage: PUBLIC_ERROR });
    return new Response(body, { headers: SSE_HEADERS });
  },
};
