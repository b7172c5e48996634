// The chat page: ChatBedrockConverse from bedrock-edge, in the browser. Shows tokens as they
// stream, reasoning in a collapsible panel, tool calls with their arguments (and runs the demo
// get_weather tool), usage and latency, errors in plain words, and a Stop button that aborts.
import { ChatBedrockConverse, concat } from "bedrock-edge";

const field = (id) => document.getElementById(id);
const config = await fetch("./config.json").then((r) => (r.ok ? r.json() : {}), () => ({}));
const defaults = {
  region: "us-east-1",
  model: "anthropic.claude-3-5-sonnet-20240620-v1:0",
  system: "You are a helpful assistant that translates English to French. Translate the user sentence.",
};
for (const id of ["endpoint", "region", "model", "accessKeyId", "secretAccessKey", "system"]) {
  field(id).value = config[id] ?? defaults[id] ?? "";
}
field("viaWorker").checked = Boolean(config.proxy);
field("cache").checked = Boolean(config.emulator);
field("backend").textContent = config.emulator
  ? "Backend: the local Bedrock emulator."
  : config.proxy
    ? "Backend: Amazon Bedrock (enter your keys under Settings; they stay in this tab)."
    : "";

// The demo tool: the model sees its JSON Schema; the page answers calls itself.
const WEATHER_TOOL = {
  name: "get_weather",
  description: "Current weather for a city",
  schema: {
    type: "object",
    properties: {
      city: { type: "string", description: "City name, e.g. Paris" },
      unit: { type: "string", enum: ["celsius", "fahrenheit"] },
    },
    required: ["city"],
  },
};
const runTool = (call) => {
  const { city = "somewhere", unit = "celsius" } = call.args ?? {};
  return unit === "fahrenheit" ? `${city}: 64°F and sunny` : `${city}: 18°C and sunny`;
};

// Bedrock's error names (and the package's own kinds) in plain words.
const PLAIN_WORDS = {
  ThrottlingException: "Bedrock is busy (throttled); try again in a moment.",
  TooManyRequestsException: "Bedrock is busy (too many requests); try again in a moment.",
  ServiceQuotaExceededException: "This account has reached a Bedrock quota; wait, or ask AWS for a higher limit.",
  ServiceUnavailableException: "Bedrock is temporarily unavailable; try again shortly.",
  InternalServerException: "Bedrock had an internal error; try again.",
  ModelStreamErrorException: "The model failed while streaming its answer; try again.",
  ModelErrorException: "The model could not process this request.",
  ModelNotReadyException: "The model is not ready yet; try again in a minute.",
  ModelTimeoutException: "The model took too long to answer.",
  AccessDeniedException: "Access denied: these credentials may not call this model (check IAM and model access in the Bedrock console).",
  UnrecognizedClientException: "AWS does not recognise these credentials; check the access key id.",
  InvalidSignatureException: "AWS rejected the request signature; check the secret access key and the clock of this computer.",
  ExpiredTokenException: "These temporary credentials have expired; get fresh ones.",
  ResourceNotFoundException: "Bedrock does not know this model id in this region.",
  ValidationException: "Bedrock rejected the request as invalid.",
  TimeoutError: "The call took too long and was stopped.",
  RequestTimeoutException: "The request timed out; try again.",
  NetworkError: "Could not reach Bedrock (a network error).",
  ConfigError: "The settings are incomplete.",
  SigningError: "The request could not be signed; check the credentials.",
  TypeError: "The request is not valid.",
};
const plainWords = (error) =>
  PLAIN_WORDS[error?.name] ?? `Something went wrong (${error?.name ?? "unknown error"}).`;

const log = field("log");
const show = (parent, className, text = "", tag = "div") => {
  const element = Object.assign(document.createElement(tag), { className, textContent: text });
  parent.append(element);
  element.scrollIntoView?.({ block: "end" });
  return element;
};

/** One assistant bubble (one model call): answer text, reasoning panel, tool calls. */
function assistantBubble() {
  const bubble = show(log, "msg assistant streaming");
  let reasoning;
  const answer = show(bubble, "answer");
  const calls = new Map(); // block index → { element, name, id, args }
  return {
    bubble,
    text: (text) => {
      answer.textContent += text;
    },
    reasoning: (text) => {
      if (!reasoning) {
        const details = document.createElement("details");
        details.className = "reasoning";
        details.innerHTML = "<summary>Reasoning</summary>";
        reasoning = show(details, "reasoning-text");
        bubble.insertBefore(details, bubble.firstChild);
      }
      reasoning.textContent += text;
    },
    toolChunk: (piece) => {
      let call = calls.get(piece.index);
      if (!call) {
        call = { element: show(bubble, "tool-call"), name: "", id: "", args: "" };
        calls.set(piece.index, call);
      }
      call.name ||= piece.name ?? "";
      call.id ||= piece.id ?? "";
      call.args += piece.args ?? "";
      call.element.innerHTML = "";
      show(call.element, "label", `Tool call: ${call.name}`, "span");
      show(call.element, "args", ` ${call.args}`, "span");
    },
    // Replaces the streamed argument text with the parsed arguments once the call is complete.
    toolCalls: (toolCalls) => {
      for (const call of toolCalls) {
        const shown = [...calls.values()].find((c) => c.id === call.id);
        if (!shown) continue;
        shown.element.querySelector(".args").textContent = ` ${JSON.stringify(call.args, null, 1).replace(/\n\s*/g, " ")}`;
        shown.element.dataset.args = JSON.stringify(call.args);
      }
    },
    done: (failed) => {
      bubble.classList.remove("streaming");
      // A call that failed before anything arrived leaves no empty bubble behind.
      if (failed && !answer.textContent && !reasoning && calls.size === 0) return bubble.remove();
      if (!answer.textContent && !reasoning && calls.size === 0) answer.textContent = "(no answer)";
    },
    answerText: () => answer.textContent,
  };
}

function showUsage(message, firstTokenMs, totalMs) {
  const usage = message?.usage_metadata;
  const details = usage?.input_token_details ?? {};
  const meta = show(log, "meta");
  const figures = [];
  if (usage) {
    figures.push(
      ["input", `${usage.input_tokens} input`],
      ["output", `${usage.output_tokens} output`],
      ["total", `${usage.total_tokens} total tokens`],
      ["cache", `cache read ${details.cache_read ?? 0} / write ${details.cache_creation ?? 0}`],
    );
  }
  figures.push(["ttft", `first token ${firstTokenMs === undefined ? "–" : `${Math.round(firstTokenMs)} ms`}`]);
  figures.push(["elapsed", `total ${Math.round(totalMs)} ms`]);
  const latency = message?.response_metadata?.metrics?.latencyMs;
  if (latency !== undefined) figures.push(["bedrock", `Bedrock latency ${latency} ms`]);
  const stop = message?.response_metadata?.stopReason;
  if (stop) figures.push(["stop", `stop: ${stop}`]);
  for (const [key, text] of figures) meta.append(show(meta, `figure ${key}`, text, "span"), " ");
}

function model() {
  const endpoint = field("endpoint").value.trim();
  const region = field("region").value.trim();
  const sessionToken = field("sessionToken").value.trim();
  const options = {
    model: field("model").value.trim(),
    region,
    endpoint: endpoint || undefined,
    credentials: {
      accessKeyId: field("accessKeyId").value.trim(),
      secretAccessKey: field("secretAccessKey").value.trim(),
      ...(sessionToken ? { sessionToken } : {}),
    },
    maxRetries: Number(field("maxRetries").value || 2),
  };
  if (field("viaWorker").checked && config.proxy) {
    // The request is signed for the backend's host; the Worker forwards it there unchanged.
    options.fetch = (url, init) => {
      const target = new URL(url);
      const headers = { ...init.headers, "x-bedrock-edge-target": target.origin };
      return fetch(`${config.proxy}${target.pathname}${target.search}`, { ...init, headers });
    };
  }
  if (field("thinking").checked) {
    options.additionalModelRequestFields = { thinking: { type: "enabled", budget_tokens: 1024 } };
    options.maxTokens = 4096;
  }
  const llm = new ChatBedrockConverse(options);
  return field("tools").checked ? llm.bindTools([WEATHER_TOOL], { toolChoice: "auto" }) : llm;
}

/** Streams one model call into a new bubble; resolves to the folded message. */
async function streamOnce(llm, messages, signal) {
  const view = assistantBubble();
  const started = performance.now();
  let firstTokenMs;
  let message;
  let failed = true;
  try {
    for await (const chunk of llm.stream(messages, { signal })) {
      if (firstTokenMs === undefined && chunk.content?.length) firstTokenMs = performance.now() - started;
      message = message ? concat(message, chunk) : chunk;
      for (const block of chunk.content ?? []) {
        if (block.type === "text") view.text(block.text);
        else if (block.type === "reasoning") view.reasoning(block.reasoning ?? "");
        else if (block.type === "tool_call_chunk") view.toolChunk(block);
      }
    }
    failed = false;
  } catch (error) {
    if (error && typeof error === "object") error.elapsedMs = performance.now() - started;
    throw error;
  } finally {
    view.done(failed);
  }
  view.toolCalls(message?.tool_calls ?? []);
  showUsage(message, firstTokenMs, performance.now() - started);
  return { message, text: view.answerText() };
}

let history = [];
let controller;
const busy = (on) => {
  field("send").disabled = on;
  field("stop").disabled = !on;
  document.body.dataset.busy = on ? "1" : "";
};

async function send(text) {
  controller = new AbortController();
  busy(true);
  show(log, "msg user", text);
  const system = field("system").value.trim();
  const systemMessage = field("cache").checked
    ? { role: "system", content: [{ type: "text", text: system || "You are helpful." }, { cachePoint: { type: "default" } }] }
    : ["system", system || "You are helpful."];
  const messages = [systemMessage, ...history, ["human", text]];
  try {
    const llm = model();
    let { message, text: answer } = await streamOnce(llm, messages, controller.signal);
    // One round of tool use: answer each call with the demo tool, then stream the reply.
    if (message?.tool_calls?.length) {
      const results = message.tool_calls.map((call) => {
        const content = call.name === WEATHER_TOOL.name ? runTool(call) : `unknown tool ${call.name}`;
        show(log, "msg assistant tool-result", "").append(
          Object.assign(document.createElement("span"), { className: "label", textContent: `${call.name} returned: ` }),
          content,
        );
        return { role: "tool", tool_call_id: call.id, content };
      });
      ({ text: answer } = await streamOnce(llm, [...messages, message, ...results], controller.signal));
    }
    history.push(["human", text], ["ai", answer || "(no text)"]);
  } catch (error) {
    if (error?.name === "AbortError") {
      const after = error.elapsedMs === undefined ? "" : ` after ${(error.elapsedMs / 1000).toFixed(1)} s`;
      show(log, "stopped", `Stopped${after}: the request was aborted; the partial answer above is kept.`);
    } else {
      const element = show(log, "error", plainWords(error));
      const detail = [error?.name, error?.status && `HTTP ${error.status}`, error?.requestId && `request ${error.requestId}`]
        .filter(Boolean)
        .join(" · ");
      show(element, "", `${detail}${error?.message ? `: ${error.message}` : ""}`, "small");
      console.warn(error);
    }
  } finally {
    busy(false);
    controller = undefined;
  }
}

field("form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = field("input").value.trim();
  if (!text || controller) return;
  field("input").value = "";
  send(text);
});
field("input").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    field("form").requestSubmit();
  }
});
field("stop").addEventListener("click", () => controller?.abort());
field("clear").addEventListener("click", () => {
  controller?.abort();
  history = [];
  log.replaceChildren();
});
field("send").disabled = false;
document.body.dataset.ready = "1";
