// Reliability faults: AWS's signature-mismatch text, expired credentials, clock skew, failures of
// the first attempts only (retries), broken streams, and the open-connection count.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { describe, test } from 'node:test';
import { codec } from '../../emulator/eventstream-writer.mjs';
import { decodeFrames, splitFrames } from '../../emulator/eventstream-reader.mjs';
import { useEmulator } from './in-process-emulator.mjs';
import { CREDENTIALS } from '../../emulator/auth.mjs';
import { amzDateOf } from '../../emulator/scenarios/clock-skew.mjs';
import { AttemptCounter } from '../../emulator/scenarios/flaky.mjs';
import { GARBAGE, OVERSIZE_FRAME_BYTES } from '../../emulator/scenarios/broken-streams.mjs';
import { LONG_TERM, TEMPORARY, callModel, modelPath, send, signedHeaders, userSays } from './signed-client.mjs';

const emulator = useEmulator();

const MODEL = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const HELLO = userSays('hello big world');
const errorType = (response) => response.headers['x-amzn-errortype']?.split(':')[0];
const messageOf = (response) => JSON.parse(response.body).message;
const eventTypes = (frames) => frames.map((f) => f.headers[':event-type'] ?? f.headers[':message-type']);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

describe('InvalidSignatureException text', () => {
  const MISMATCH = /^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. Consult the service documentation for details\.\n\nThe Canonical String for this request should have been\n'([^]*)'\n\nThe String-to-Sign should have been\n'([^]*)'\n$/;

  test('has the canonical request and the string to sign, like AWS', async () => {
    const response = await callModel(emulator.port, MODEL, 'converse', HELLO, { credentials: { ...LONG_TERM, secretAccessKey: 'wrong' } });
    assert.equal(response.status, 403);
    assert.equal(errorType(response), 'InvalidSignatureException');
    const [, canonical, stringToSign] = MISMATCH.exec(messageOf(response));
    assert.match(canonical, /^POST\n\/model\/anthropic\.claude-3-5-sonnet-20240620-v1%253A0\/converse\n/);
    const requests = await send({ port: emulator.port, path: '/_emulator/requests', method: 'GET' });
    const amzDate = JSON.parse(requests.body).at(-1).headers['x-amz-date'];
    const hash = createHash('sha256').update(canonical).digest('hex');
    assert.equal(stringToSign, `AWS4-HMAC-SHA256\n${amzDate}\n${amzDate.slice(0, 8)}/us-east-1/bedrock/aws4_request\n${hash}`);
  });

  test('shows a signed session token verbatim (clients must redact it)', async () => {
    const response = await callModel(emulator.port, MODEL, 'converse', HELLO, { credentials: { ...TEMPORARY, secretAccessKey: 'wrong' } });
    assert.equal(errorType(response), 'InvalidSignatureException');
    const [, canonical] = MISMATCH.exec(messageOf(response));
    assert.match(canonical, /\nx-amz-security-token:emulator-session-token\n/);
    assert.ok(messageOf(response).includes('emulator-session-token'));
  });
});

describe('expired credentials', () => {
  const EXPIRED = { accessKeyId: 'ASIAEMULATOREXPIRED', ...CREDENTIALS.ASIAEMULATOREXPIRED };

  test('always → 403 ExpiredTokenException', async () => {
    assert.equal(EXPIRED.secretAccessKey, 'emulatorExpiredSecretKey0123456789abcdefg');
    assert.equal(EXPIRED.sessionToken, 'emulator-expired-token');
    for (const credentials of [EXPIRED, { ...EXPIRED, secretAccessKey: 'wrong' }]) {
      for (const op of ['converse', 'converse-stream']) {
        const response = await callModel(emulator.port, MODEL, op, HELLO, { credentials });
        assert.equal(response.status, 403);
        assert.equal(errorType(response), 'ExpiredTokenException');
        assert.equal(messageOf(response), 'The security token included in the request is expired');
      }
    }
  });
});

describe('clock skew', () => {
  const dateHeaderOffset = (response) => Date.parse(response.headers.date) - Date.now();

  test('every response has a real Date header', async () => {
    const response = await callModel(emulator.port, MODEL, 'converse', HELLO);
    assert.match(response.headers.date, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    assert.ok(Math.abs(dateHeaderOffset(response)) < 5000);
  });

  test('fault:skew:10 → a request signed now has expired; Date shows the skewed clock', async () => {
    const response = await callModel(emulator.port, 'fault:skew:10', 'converse', HELLO);
    assert.equal(response.status, 403);
    assert.equal(errorType(response), 'InvalidSignatureException');
    assert.ok(Math.abs(dateHeaderOffset(response) - 600_000) < 5000);
    const m = /^Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) - 5 min\.\)$/.exec(messageOf(response));
    assert.ok(m, messageOf(response));
    const serverNow = new Date(response.headers.date);
    assert.equal(m[3], amzDateOf(serverNow));
    assert.equal(m[2], amzDateOf(new Date(serverNow.getTime() - 300_000)));
  });

  test('fault:skew:-10 → signature not yet current', async () => {
    const response = await callModel(emulator.port, 'fault:skew:-10', 'converse-stream', HELLO);
    assert.equal(response.status, 403);
    assert.match(messageOf(response), /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/);
    assert.ok(Math.abs(dateHeaderOffset(response) + 600_000) < 5000);
  });

  test('within 5 minutes, or signed with the corrected clock → the normal reply', async () => {
    const near = await callModel(emulator.port, 'fault:skew:3', 'converse', HELLO);
    assert.equal(near.status, 200, near.body.toString());
    assert.ok(Math.abs(dateHeaderOffset(near) - 180_000) < 5000);
    const corrected = await callModel(emulator.port, 'fault:skew:60', 'converse-stream', HELLO, { signingDate: new Date(Date.now() + 3_600_000) });
    assert.equal(corrected.status, 200);
    assert.equal(decodeFrames(corrected.body).at(-1).headers[':event-type'], 'metadata');
  });

  test('fault:skew:<not an integer> → 400', async () => {
    assert.equal((await callModel(emulator.port, 'fault:skew:abc', 'converse', HELLO)).status, 400);
  });
});

describe('fault:flaky:<n>:<kind>', () => {
  const call = (modelId, headers = {}, op = 'converse') => callModel(emulator.port, modelId, op, HELLO, { headers });
  const attempt = (id, n) => ({ 'amz-sdk-invocation-id': id, 'amz-sdk-request': `attempt=${n}; max=5` });

  test('the first n attempts of an invocation throttle, later ones succeed', async () => {
    const id = randomUUID();
    for (const n of [1, 2]) {
      const response = await call('fault:flaky:2:throttle', attempt(id, n));
      assert.equal(response.status, 429);
      assert.equal(errorType(response), 'ThrottlingException');
    }
    const ok = await call('fault:flaky:2:throttle', attempt(id, 3));
    assert.equal(ok.status, 200);
    assert.equal(JSON.parse(ok.body).output.message.content[0].text, 'Echo: hello big world');
    assert.equal((await call('fault:flaky:2:throttle', attempt(randomUUID(), 1))).status, 429, 'another invocation starts over');
  });

  test('each kind of failure', async () => {
    const expected = { unavailable: [503, 'ServiceUnavailableException'], internal: [500, 'InternalServerException'] };
    for (const [kind, [status, name]] of Object.entries(expected)) {
      const response = await call(`fault:flaky:1:${kind}`, attempt(randomUUID(), 1));
      assert.equal(response.status, status);
      assert.equal(errorType(response), name);
    }
    for (const [kind, status] of [['bad-gateway', 502], ['gateway-timeout', 504]]) {
      const response = await call(`fault:flaky:1:${kind}`, attempt(randomUUID(), 1));
      assert.equal(response.status, status);
      assert.equal(response.headers['x-amzn-errortype'], undefined);
      assert.equal(response.headers['content-type'], 'text/html');
      assert.match(response.body.toString(), new RegExp(`<h1>${status} `));
    }
    const id = randomUUID();
    const reset = await call('fault:flaky:1:reset', attempt(id, 1), 'converse-stream');
    assert.equal(reset.status, 0);
    assert.ok(reset.error);
    const ok = await call('fault:flaky:1:reset', attempt(id, 2), 'converse-stream');
    assert.equal(ok.status, 200);
    assert.equal(decodeFrames(ok.body).at(-1).headers[':event-type'], 'metadata');
  });

  test('without an invocation id: amz-sdk-request attempt=N; without either: always fails', async () => {
    assert.equal((await call('fault:flaky:1:throttle', { 'amz-sdk-request': 'attempt=1; max=3' })).status, 429);
    assert.equal((await call('fault:flaky:1:throttle', { 'amz-sdk-request': 'attempt=2; max=3' })).status, 200);
    for (let i = 0; i < 3; i++) assert.equal((await call('fault:flaky:1:throttle')).status, 429);
    assert.equal((await call('fault:flaky:0:throttle')).status, 200);
  });

  test('bad arguments → 400', async () => {
    for (const id of ['fault:flaky', 'fault:flaky:x:throttle', 'fault:flaky:1:gremlins', 'fault:flaky:1', 'fault:flaky:1:throttle:2']) {
      assert.equal((await call(id)).status, 400, id);
    }
  });

  test('remembers the last 1000 invocation ids', () => {
    const counter = new AttemptCounter();
    const headers = (id) => ({ 'amz-sdk-invocation-id': [id] });
    assert.equal(counter.attempt(headers('first')), 1);
    assert.equal(counter.attempt(headers('first')), 2);
    for (let i = 0; i < 1000; i++) counter.attempt(headers(`other-${i}`));
    assert.equal(counter.attempt(headers('first')), 1, 'forgotten');
    assert.equal(counter.attempt(headers('other-999')), 2, 'kept');
  });

  test('fault:flaky-midstream:<n> → 2 frames and a throttlingException, then the full stream', async () => {
    const id = randomUUID();
    const failing = await call('fault:flaky-midstream:1', attempt(id, 1), 'converse-stream');
    assert.equal(failing.status, 200);
    const frames = decodeFrames(failing.body);
    assert.deepEqual(eventTypes(frames), ['messageStart', 'contentBlockDelta', 'exception']);
    assert.equal(frames.at(-1).headers[':exception-type'], 'throttlingException');
    const normal = await call(MODEL, {}, 'converse-stream');
    const ok = await call('fault:flaky-midstream:1', attempt(id, 2), 'converse-stream');
    assert.ok(ok.body.equals(normal.body));
    assert.equal((await call('fault:flaky-midstream:1')).status, 400, 'stream operations only');
  });
});

describe('broken streams (converse-stream)', () => {
  const stream = (kind) => callModel(emulator.port, `fault:${kind}`, 'converse-stream', HELLO);

  test('fault:json-error-200 → 200 with a JSON error body', async () => {
    const response = await stream('json-error-200');
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.equal(response.body.toString(), '{"message":"Internal failure","__type":"InternalServerException"}');
  });

  test('fault:wrong-content-type → 200 text/html', async () => {
    const response = await stream('wrong-content-type');
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'text/html');
    assert.match(response.body.toString(), /^<!DOCTYPE html>/);
  });

  test('fault:garbage → 200 fixed bytes that fail the prelude CRC', async () => {
    const response = await stream('garbage');
    assert.equal(response.headers['content-type'], 'application/vnd.amazon.eventstream');
    assert.equal(response.error, null);
    assert.ok(response.body.equals(GARBAGE) && GARBAGE.byteLength === 200);
    assert.ok((await stream('garbage')).body.equals(response.body), 'fixed');
    assert.throws(() => codec.decode(response.body.subarray(0, 100)), /checksum/i);
  });

  test('fault:oversize-frame → a valid prelude claiming 40 MiB, some bytes, hang-up', async () => {
    const response = await stream('oversize-frame');
    assert.equal(response.status, 200);
    assert.ok(response.error);
    assert.equal(response.body.readUInt32BE(0), OVERSIZE_FRAME_BYTES);
    assert.ok(response.body.byteLength < 64 * 1024);
  });

  test('fault:bad-prelude-crc → the second frame fails its prelude CRC', async () => {
    const frames = splitFrames((await stream('bad-prelude-crc')).body);
    codec.decode(frames[0]);
    assert.throws(() => codec.decode(frames[1]), /prelude checksum/i);
    for (const frame of frames.slice(2)) codec.decode(frame);
  });

  test('fault:no-message-stop → ends cleanly after contentBlockStop', async () => {
    const response = await stream('no-message-stop');
    assert.equal(response.error, null);
    assert.deepEqual(eventTypes(decodeFrames(response.body)), ['messageStart', 'contentBlockDelta', 'contentBlockDelta', 'contentBlockStop']);
  });

  test('fault:bad-utf8 → a delta with a truncated UTF-8 sequence, valid CRCs', async () => {
    const frames = splitFrames((await stream('bad-utf8')).body).map((f) => codec.decode(f));
    assert.deepEqual(frames.map((f) => f.headers[':event-type'].value),
      ['messageStart', 'contentBlockDelta', 'contentBlockDelta', 'contentBlockStop', 'messageStop', 'metadata']);
    const bad = Buffer.from(frames[2].body);
    assert.ok(bad.includes(Buffer.from([0x63, 0x61, 0x66, 0xc3, 0x22])), 'caf, lone 0xC3, quote');
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bad));
  });

  test('fault:stall:<ms> → 2 frames, a pause, then the rest', async () => {
    const start = Date.now();
    const response = await stream('stall:300');
    assert.ok(Date.now() - start >= 290);
    const normal = await callModel(emulator.port, MODEL, 'converse-stream', HELLO);
    assert.ok(response.body.equals(normal.body));
    assert.equal((await stream('stall:x')).status, 400);
  });

  test('fault:cut-between → 2 whole frames, then the connection dies', async () => {
    const response = await stream('cut-between');
    assert.equal(response.status, 200);
    assert.ok(response.error);
    assert.equal(splitFrames(response.body).length, 2);
  });

  test('stream-only faults are refused on converse', async () => {
    for (const kind of ['garbage', 'stall:10', 'cut-between', 'no-message-stop', 'bad-utf8']) {
      assert.equal((await callModel(emulator.port, `fault:${kind}`, 'converse', HELLO)).status, 400, kind);
    }
  });
});

describe('GET /_emulator/connections', () => {
  const count = async (key) => JSON.parse((await send({ port: emulator.port, path: '/_emulator/connections', method: 'GET' })).body)[key];
  async function waitFor(key, n) {
    for (let i = 0; i < 100 && (await count(key)) !== n; i++) await sleep(10);
    return count(key);
  }
  const waitForOpen = (n) => waitFor('open', n);

  test('counts open sockets, not the one asking', async () => {
    assert.equal(await waitFor('sockets', 0), 0);
    const socket = net.connect(emulator.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    assert.equal(await waitFor('sockets', 1), 1);
    assert.equal(await count('open'), 0, 'a socket without a request is no open response');
    socket.destroy();
    assert.equal(await waitFor('sockets', 0), 0);
  });

  test('counts a stream still being sent as open', async () => {
    const path = modelPath('fault:stall:600000', 'converse-stream');
    const body = JSON.stringify(HELLO);
    const headers = await signedHeaders({ port: emulator.port, path, body });
    const req = http.request({ host: '127.0.0.1', port: emulator.port, path, method: 'POST', headers, agent: false });
    await new Promise((resolve, reject) => {
      req.on('response', (res) => res.once('data', resolve));
      req.on('error', reject);
      req.end(body);
    });
    assert.equal(await waitForOpen(1), 1);
    req.destroy();
    assert.equal(await waitForOpen(0), 0);
  });

  test('a client that gives up during a stall leaves nothing open', async () => {
    const path = modelPath('fault:stall:600000', 'converse-stream');
    const body = JSON.stringify(HELLO);
    const headers = await signedHeaders({ port: emulator.port, path, body });
    await new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: emulator.port, path, method: 'POST', headers, agent: false }, (res) => {
        res.once('data', () => { req.destroy(); resolve(); });
      });
      req.on('error', (err) => { if (!req.destroyed) reject(err); });
      req.end(body);
    });
    assert.equal(await waitForOpen(0), 0);
  });
});
