// The emulator as a fetch handler (fetch-handler.mjs, shipped as `bedrock-edge/testing`):
// representative scenarios through `emulator.fetch` with a real SigV4 client — no socket involved.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { decodeFrames } from '../../emulator/eventstream-reader.mjs';
import { createEmulator } from '../../emulator/fetch-handler.mjs';
import { LONG_TERM, modelPath, userSays } from './signed-client.mjs';

const ORIGIN = 'http://bedrock.test';
const CLAUDE = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const FRENCH = {
  system: [{ text: 'You are a helpful assistant that translates English to French. Translate the user sentence.' }],
  ...userSays('I love programming.'),
};

/** Signs like an AWS SDK (host = the URL's) and calls `emulator.fetch`. */
async function call(emulator, modelId, op, body, { credentials = LONG_TERM, headers = {}, signal } = {}) {
  const path = modelPath(modelId, op);
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const signer = new SignatureV4({ service: 'bedrock', region: 'us-east-1', credentials, sha256: Sha256, applyChecksum: false });
  const signed = await signer.sign(new HttpRequest({
    method: 'POST', protocol: 'http:', hostname: 'bedrock.test', path,
    headers: { host: 'bedrock.test', 'content-type': 'application/json', ...headers }, body: payload,
  }));
  const { host: _host, ...sent } = signed.headers;
  return emulator.fetch(`${ORIGIN}${path}`, { method: 'POST', headers: sent, body: payload, signal });
}

const bytesOf = async (response) => new Uint8Array(await response.arrayBuffer());
const streamedText = (frames) => frames
  .filter((f) => f.headers[':event-type'] === 'contentBlockDelta')
  .map((f) => f.payload.delta.text ?? '').join('');

/** Reads a body chunk by chunk; resolves with the chunks and the error that ended it, if any. */
async function readChunks(response) {
  const chunks = [];
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { chunks, error: null };
      chunks.push({ value, at: performance.now() });
    }
  } catch (error) {
    return { chunks, error };
  }
}

describe('fetch handler', () => {
  it('answers Converse with the seed reply and the common headers', async () => {
    const emulator = createEmulator();
    const response = await call(emulator, CLAUDE, 'converse', FRENCH);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('x-amzn-requestid'), /^[0-9a-f-]{36}$/);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.ok(!Number.isNaN(Date.parse(response.headers.get('date'))));
    const reply = await response.json();
    assert.equal(reply.output.message.content[0].text, "J'adore la programmation.");
    assert.equal(reply.stopReason, 'end_turn');
  });

  it('streams ConverseStream as event-stream frames, one chunk per frame', async () => {
    const emulator = createEmulator();
    const response = await call(emulator, CLAUDE, 'converse-stream', FRENCH);
    assert.equal(response.headers.get('content-type'), 'application/vnd.amazon.eventstream');
    const { chunks, error } = await readChunks(response);
    assert.equal(error, null);
    const frames = chunks.flatMap((c) => decodeFrames(c.value));
    assert.equal(frames.length, chunks.length);
    assert.deepEqual(frames.map((f) => f.headers[':event-type']).slice(0, 2), ['messageStart', 'contentBlockDelta']);
    assert.equal(streamedText(frames), "J'adore la programmation.");
    assert.equal(frames.at(-1).headers[':event-type'], 'metadata');
  });

  it('answers InvokeModel and InvokeModelWithResponseStream in the native format', async () => {
    const emulator = createEmulator();
    const body = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages: [{ role: 'user', content: 'Hello there' }] };
    const response = await call(emulator, CLAUDE, 'invoke', body);
    assert.equal(response.status, 200);
    const message = await response.json();
    assert.equal(message.content[0].text, 'Echo: Hello there');
    assert.equal(response.headers.get('x-amzn-bedrock-output-token-count'), '3');

    const streamed = await call(emulator, CLAUDE, 'invoke-with-response-stream', body);
    const events = decodeFrames(await bytesOf(streamed))
      .map((f) => JSON.parse(atob(f.payload.bytes)));
    assert.equal(events[0].type, 'message_start');
    assert.equal(events.filter((e) => e.delta?.type === 'text_delta').map((e) => e.delta.text).join(''), 'Echo: Hello there');
    assert.equal(events.at(-1).type, 'message_stop');
  });

  it('returns Bedrock errors: throttling, validation, unknown routes', async () => {
    const emulator = createEmulator();
    const throttled = await call(emulator, 'fault:throttle', 'converse', userSays('hi'));
    assert.equal(throttled.status, 429);
    assert.match(throttled.headers.get('x-amzn-errortype'), /^ThrottlingException:/);
    assert.deepEqual(await throttled.json(), { message: 'Too many requests, please wait before trying again.' });

    const invalid = await call(emulator, CLAUDE, 'converse', { messages: [] });
    assert.equal(invalid.status, 400);
    assert.match(invalid.headers.get('x-amzn-errortype'), /^ValidationException:/);

    const unknown = await call(emulator, CLAUDE, 'converse-sideways', userSays('hi'));
    assert.equal(unknown.status, 404);
    assert.match(unknown.headers.get('x-amzn-errortype'), /^UnknownOperationException:/);

    const replay = await call(emulator, 'replay:bedrock/anything', 'converse', userSays('hi'));
    assert.equal(replay.status, 400);
    assert.match((await replay.json()).message, /replay: model ids need the recorded traffic/);
  });

  it('fails the first attempts of fault:flaky, then answers', async () => {
    const emulator = createEmulator();
    const headers = { 'amz-sdk-invocation-id': 'c0ffee00-0000-4000-8000-000000000001' };
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(emulator, 'fault:flaky:2:throttle', 'converse', FRENCH, { headers })).status);
    assert.deepEqual(statuses, [429, 429, 200]);
  });

  it('refuses bad credentials and accepts the API key', async () => {
    const emulator = createEmulator();
    const wrong = await call(emulator, CLAUDE, 'converse', FRENCH, { credentials: { ...LONG_TERM, secretAccessKey: 'wrong' } });
    assert.equal(wrong.status, 403);
    assert.match(wrong.headers.get('x-amzn-errortype'), /^InvalidSignatureException:/);
    assert.match((await wrong.json()).message, /^The request signature we calculated does not match/);

    const unknown = await call(emulator, CLAUDE, 'converse', FRENCH, { credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' } });
    assert.equal(unknown.status, 403);
    assert.match(unknown.headers.get('x-amzn-errortype'), /^UnrecognizedClientException:/);

    const unsigned = await emulator.fetch(`${ORIGIN}${modelPath(CLAUDE, 'converse')}`, { method: 'POST', body: JSON.stringify(FRENCH) });
    assert.equal(unsigned.status, 403);

    const bearer = await emulator.fetch(`${ORIGIN}${modelPath(CLAUDE, 'converse')}`, {
      method: 'POST', headers: { authorization: `Bearer ${emulator.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(FRENCH),
    });
    assert.equal(bearer.status, 200);
    assert.equal((await bearer.json()).output.message.content[0].text, "J'adore la programmation.");
  });

  it('turns a cut connection into an erroring body and a reset into a rejected fetch', async () => {
    const emulator = createEmulator();
    const cut = await call(emulator, 'fault:cut', 'converse-stream', FRENCH);
    assert.equal(cut.status, 200);
    const { chunks, error } = await readChunks(cut);
    assert.ok(chunks.length >= 2);
    assert.ok(error instanceof TypeError, String(error));

    await assert.rejects(
      call(emulator, 'fault:flaky:1:reset', 'converse', FRENCH, { headers: { 'amz-sdk-invocation-id': 'c0ffee00-0000-4000-8000-000000000002' } }),
      TypeError,
    );
  });

  it('delivers fault:slow-drip frames with their delays', async () => {
    const emulator = createEmulator();
    const started = performance.now();
    const response = await call(emulator, 'fault:slow-drip:40', 'converse-stream', FRENCH);
    const { chunks, error } = await readChunks(response);
    assert.equal(error, null);
    assert.ok(chunks.length >= 5);
    assert.ok(chunks.at(-1).at - started >= 40 * (chunks.length - 1), 'frames arrived too fast');
    assert.equal(streamedText(chunks.flatMap((c) => decodeFrames(c.value))), "J'adore la programmation.");
  });

  it('stops streaming when the caller aborts', async () => {
    const emulator = createEmulator();
    const controller = new AbortController();
    const response = await call(emulator, 'fault:slow-drip:50', 'converse-stream', FRENCH, { signal: controller.signal });
    const reader = response.body.getReader();
    await reader.read();
    controller.abort();
    await assert.rejects(async () => { for (;;) if ((await reader.read()).done) break; });
    const connections = await (await emulator.fetch(`${ORIGIN}/_emulator/connections`)).json();
    assert.equal(connections.open, 0);
  });

  it('keeps a request log (redacted), answers CORS preflights, and resets', async () => {
    const emulator = createEmulator();
    await call(emulator, CLAUDE, 'converse', FRENCH);
    const [entry] = emulator.requests();
    assert.equal(entry.operation, 'Converse');
    assert.equal(entry.modelId, CLAUDE);
    assert.equal(entry.status, 200);
    assert.equal(entry.path, '/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse');
    assert.match(entry.headers.authorization, /Signature=REDACTED$/);
    assert.deepEqual(entry.body, FRENCH);
    const viaRoute = await (await emulator.fetch(`${ORIGIN}/_emulator/requests`)).json();
    assert.equal(viaRoute.length, 1);

    const preflight = await emulator.fetch(`${ORIGIN}${modelPath(CLAUDE, 'converse')}`, { method: 'OPTIONS' });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.body, null);
    assert.match(preflight.headers.get('access-control-allow-headers'), /authorization/);

    emulator.reset();
    assert.deepEqual(emulator.requests(), []);
  });
});
