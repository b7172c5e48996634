// The emulator's request handling, independent of the runtime: routing (Cloudflare AI Gateway's
// Bedrock route too: gateway.mjs), authentication gate, request log, and the choice of scenario
// by model id (scripted assistant, `replay:…`, `fault:…`).
// Two adapters drive it: app.mjs (a node:http server; `res` is Node's ServerResponse) and
// fetch-handler.mjs (a `fetch` handler for Workers, browsers, Bun, Deno; `res` is a ResponseSink
// there). Nothing here imports a node: module or uses Buffer.
//
// The boundary:
//   request: {method, target (the request-target as on the wire, path?query), headers (lower-case
//     name → values in wire order), readBody(): Promise<Uint8Array> (400 if too large),
//     resume?() (drain an unread body), otherSockets?() (open connections besides this one)}
//   res: the subset of Node's ServerResponse the scenarios use — setHeader, writeHead(status,
//     headers), write(bytes|string) → false when congested, end(bytes|string?), destroy(),
//     statusCode, headersSent, destroyed, writableEnded, on/off('drain'|'finish'|'close'), and
//     socket {destroyed, setNoDelay(), destroy()} (destroying it = the connection reset / cut).
import { authenticate } from './auth.mjs';
import { GatewayError, admitThroughGateway, parseGatewayPath, sendGatewayError } from './gateway.mjs';
import { parseJsonBody, validateConverseRequest } from './converse-validation.mjs';
import { BedrockError, sendError, validationError } from './errors.mjs';
import { sendJson, sendJsonText, setCommonHeaders } from './http-response.mjs';
import { RequestLog } from './request-log.mjs';
import { deliverFrames } from './stream-delivery.mjs';
import { FAULT_PREFIX, serveFault } from './scenarios/faults.mjs';
import { AttemptCounter } from './scenarios/flaky.mjs';
import { checkSigningTime, requireValidSkew, skewMinutes, skewedNow } from './scenarios/clock-skew.mjs';
import { REPLAY_PREFIX, foldConverseStream, requireOperation, sendInvokeRecording, sendRecording } from './scenarios/replay.mjs';
import { PromptCache } from './scenarios/caching.mjs';
import { planConverseReply } from './scenarios/converse-reply-plan.mjs';
import { converseResponse, converseStreamFrames } from './scenarios/scripted-converse.mjs';
import { invokeReply, invokeStreamReply, planInvoke } from './scenarios/invoke-providers.mjs';
import { countTokens } from './scenarios/count-tokens.mjs';

const OPERATIONS = {
  converse: 'Converse',
  'converse-stream': 'ConverseStream',
  invoke: 'InvokeModel',
  'invoke-with-response-stream': 'InvokeModelWithResponseStream',
  'count-tokens': 'CountTokens',
};
const MODEL_ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream|invoke|invoke-with-response-stream|count-tokens)$/;
export const MAX_BODY_BYTES = 26 * 1024 * 1024; // InvokeModel allows 25,000,000 B; a little headroom

/** `replay:` ids without recordings (the fetch handler): a 400 that says why. */
export const NO_RECORDINGS = {
  names: () => [],
  get() {
    throw validationError('replay: model ids need the recorded traffic on disk, which only the Node emulator (emulator/server.mjs) reads; this emulator has no recordings.');
  },
};

/**
 * @param {object} options
 * @param {{get(name: string, operation: string): object, names(): string[]}} [options.recordings]
 *   the `replay:` recordings (scenarios/recording-files.mjs); default none (400 for `replay:` ids)
 * @param {(...args: unknown[]) => void} [options.log]  diagnostics (signature mismatches, bugs)
 * @returns {{serve(req, res): Promise<void>, requests: RequestLog, promptCache: PromptCache,
 *   attempts: AttemptCounter, activeResponses: Set<object>}}
 */
export function createEmulatorCore({ recordings = NO_RECORDINGS, log = () => {} } = {}) {
  const requests = new RequestLog();
  const promptCache = new PromptCache();
  const attempts = new AttemptCounter();
  // Responses still being sent, for GET /_emulator/connections (did a client leave a stream
  // behind?). An idle keep-alive socket is not a leak; an unfinished response is.
  const activeResponses = new Set();

  /** Answers one request on `res`; never rejects (errors become Bedrock error responses). */
  function serve(req, res) {
    setCommonHeaders(res);
    return handle(req, res).catch((err) => {
      if (!(err instanceof BedrockError)) log('internal error:', err);
      else if (err.serverLog) log(err.serverLog);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof GatewayError) {
        sendGatewayError(res, err);
        return;
      }
      sendError(res, err instanceof BedrockError ? err : new BedrockError('InternalServerException', String(err?.message ?? err)));
    });
  }

  async function handle(req, res) {
    const { target } = req;
    const path = target.split('?')[0];

    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'Access-Control-Max-Age': '600' });
      res.end();
      return;
    }
    if (path.startsWith('/_emulator/')) {
      controlRoute(req, res, path);
      return;
    }

    const body = await req.readBody();
    const { headers } = req;
    // Through Cloudflare AI Gateway (gateway.mjs): the rest of the path is Bedrock's.
    const gateway = parseGatewayPath(path);
    const route = req.method === 'POST' ? MODEL_ROUTE.exec(gateway ? gateway.path : path) : null;
    let modelId = null;
    try {
      modelId = route ? decodeURIComponent(route[1]) : null;
    } catch {
      // Reported below, after authentication, like any other bad request.
    }
    const operation = route ? OPERATIONS[route[2]] : null;
    const entry = requests.add({ method: req.method, path: target, modelId, operation, headers, body });
    activeResponses.add(res);
    res.on('close', () => activeResponses.delete(res));
    res.on('finish', () => { entry.status = res.statusCode; });
    res.on('close', () => { entry.status ??= res.headersSent ? res.statusCode : null; }); // null: no response (reset)

    // fault:skew:<minutes>: every response shows the skewed clock, even an authentication error.
    // (Other responses get the adapter's real `Date`: Node's own, or fetch-handler.mjs's.)
    const skew = skewMinutes(modelId);
    const now = Number.isFinite(skew) ? skewedNow(skew) : null;
    if (now) res.setHeader('Date', now.toUTCString());

    const request = { method: req.method, target, headers, body };
    const { scheme } = await (gateway ? admitThroughGateway(gateway, request) : authenticate(request));
    if (skew !== null) {
      requireValidSkew(skew);
      if (scheme === 'sigv4') checkSigningTime(headers['x-amz-date'][0], now);
    }
    if (!route) {
      throw new BedrockError('UnknownOperationException', `No operation matches ${req.method} ${path}.`);
    }
    if (modelId === null) throw validationError('The model identifier in the path is not valid percent-encoding.');

    if (operation === 'CountTokens') {
      sendJson(res, 200, countTokens(body, modelId));
    } else if (modelId.startsWith(FAULT_PREFIX)) {
      await serveFault({
        res, operation, modelId, headers, attempts,
        validate: () => planFor(operation, body, modelId),
        scripted: () => scripted(operation, modelId, body),
        converse: () => converseRequestAndPlan(operation, body, modelId),
      });
    } else if (modelId.startsWith(REPLAY_PREFIX)) {
      await serveReplay(res, operation, modelId.slice(REPLAY_PREFIX.length), body);
    } else {
      const reply = scripted(operation, modelId, body);
      if (reply.frames) await deliverFrames(res, reply.frames, { headers: reply.headers });
      else sendJsonText(res, 200, reply.body, reply.headers);
    }
  }

  /** A Converse body → `{request, plan}` (validated; the plan as in converse-reply-plan.mjs). */
  function converseRequestAndPlan(operation, body, modelId) {
    const request = parseJsonBody(body);
    validateConverseRequest(request, { operation, modelId });
    return { request, plan: planConverseReply(request, { modelId, promptCache }) };
  }

  /**
   * Validates the body (Converse shape, or a provider's native InvokeModel body: see
   * scenarios/invoke-providers.mjs) and plans the scripted reply (InvokeModel: `{provider, plan}`).
   */
  function planFor(operation, body, modelId) {
    if (operation === 'Converse' || operation === 'ConverseStream') {
      return converseRequestAndPlan(operation, body, modelId).plan;
    }
    return planInvoke(parseJsonBody(body), { modelId, promptCache });
  }

  /** The scripted assistant's reply: `{frames, headers}` when streaming, else `{body, headers}`. */
  function scripted(operation, modelId, body) {
    const plan = planFor(operation, body, modelId);
    switch (operation) {
      case 'Converse':
        return { body: JSON.stringify(converseResponse(plan)), headers: {} };
      case 'ConverseStream':
        return { frames: converseStreamFrames(plan), headers: {} };
      case 'InvokeModel':
        return invokeReply(plan, modelId);
      default:
        return invokeStreamReply(plan, modelId);
    }
  }

  async function serveReplay(res, operation, name, body) {
    const recording = recordings.get(name, operation);
    // Converse bodies are validated as usual; InvokeModel bodies are model-native (Titan, Llama,
    // Nova… recordings), so only JSON is required there.
    if (operation === 'Converse' || operation === 'ConverseStream') planFor(operation, body, `${REPLAY_PREFIX}${name}`);
    else parseJsonBody(body);
    switch (operation) {
      case 'ConverseStream':
      case 'InvokeModelWithResponseStream':
        requireOperation(recording, operation);
        sendRecording(res, recording);
        return;
      case 'Converse':
        requireOperation(recording, 'ConverseStream');
        sendJson(res, 200, foldConverseStream(recording.bytes));
        return;
      default:
        requireOperation(recording, 'InvokeModel');
        sendInvokeRecording(res, recording);
    }
  }

  function controlRoute(req, res, path) {
    if (path === '/_emulator/health' && req.method === 'GET') {
      sendJson(res, 200, { ok: true });
    } else if (path === '/_emulator/requests' && req.method === 'GET') {
      sendJson(res, 200, requests.list());
    } else if (path === '/_emulator/requests' && req.method === 'DELETE') {
      requests.clear();
      sendJson(res, 200, { ok: true });
    } else if (path === '/_emulator/cache' && req.method === 'DELETE') {
      promptCache.clear();
      sendJson(res, 200, { ok: true });
    } else if (path === '/_emulator/connections' && req.method === 'GET') {
      // Not counting the connection this question came on.
      sendJson(res, 200, { open: activeResponses.size, sockets: req.otherSockets?.() ?? 0 });
    } else if (path === '/_emulator/recordings' && req.method === 'GET') {
      sendJson(res, 200, recordings.names());
    } else {
      sendError(res, new BedrockError('UnknownOperationException', `No control route ${req.method} ${path}.`));
    }
    req.resume?.();
  }

  return { serve, requests, promptCache, attempts, activeResponses };
}
