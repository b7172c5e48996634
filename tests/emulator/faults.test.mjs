// `fault:` model ids behave as documented, on the wire.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { codec } from '../../emulator/eventstream-writer.mjs';
import { decodeFrames, splitFrames } from '../../emulator/eventstream-reader.mjs';
import { useEmulator } from './in-process-emulator.mjs';
import { BULK_TEXTS, BULK_TOOL, bulkText } from '../../emulator/scenarios/bulk.mjs';
import { reasoningSignature } from '../../emulator/scenarios/reasoning.mjs';
import { callModel, userSays } from './signed-client.mjs';

const emulator = useEmulator();

const HELLO = userSays('hello big world');
const eventTypes = (frames) => frames.map((f) => f.headers[':event-type'] ?? f.headers[':message-type']);
const errorType = (response) => response.headers['x-amzn-errortype']?.split(':')[0];

describe('HTTP error faults (every operation)', () => {
  const expected = {
    throttle: [429, 'ThrottlingException', 'Too many requests, please wait before trying again.'],
    validation: [400, 'ValidationException'],
    'access-denied': [403, 'AccessDeniedException'],
    internal: [500, 'InternalServerException'],
    unavailable: [503, 'ServiceUnavailableException'],
  };
  for (const [kind, [status, name, message]] of Object.entries(expected)) {
    test(`fault:${kind} → ${status} ${name}`, async () => {
      for (const op of ['converse', 'converse-stream', 'invoke', 'invoke-with-response-stream']) {
        const response = await callModel(emulator.port, `fault:${kind}`, op, HELLO);
        assert.equal(response.status, status, op);
        assert.equal(errorType(response), name);
        assert.equal(response.headers['content-type'], 'application/json');
        const body = JSON.parse(response.body);
        if (message) assert.equal(body.message, message);
      }
    });
  }

  test('faults still need a valid signature', async () => {
    const response = await callModel(emulator.port, 'fault:throttle', 'converse', HELLO, { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
    assert.equal(response.status, 403);
  });

  test('unknown fault → 400 listing the known ones', async () => {
    const response = await callModel(emulator.port, 'fault:gremlins', 'converse-stream', HELLO);
    assert.equal(response.status, 400);
    assert.match(JSON.parse(response.body).message, /exception-midstream/);
  });
});

describe('converse (non-streaming) faults', () => {
  test('fault:not-json → 200 with a body that is not JSON', async () => {
    const response = await callModel(emulator.port, 'fault:not-json', 'converse', HELLO);
    assert.equal(response.status, 200);
    assert.throws(() => JSON.parse(response.body));
  });

  test('fault:slow-drip delays the response', async () => {
    const start = Date.now();
    const response = await callModel(emulator.port, 'fault:slow-drip:150', 'converse', HELLO);
    assert.ok(Date.now() - start >= 140);
    assert.equal(JSON.parse(response.body).output.message.content[0].text, 'Echo: hello big world');
  });

  test('fault:cut and fault:truncated deliver half a JSON body', async () => {
    const cut = await callModel(emulator.port, 'fault:cut', 'converse', HELLO);
    assert.equal(cut.status, 200);
    assert.ok(cut.error, 'cut must surface as a connection error');
    const truncated = await callModel(emulator.port, 'fault:truncated', 'converse', HELLO);
    assert.equal(truncated.status, 200);
    assert.equal(truncated.error, null);
    assert.throws(() => JSON.parse(truncated.body));
  });

  test('fault:odd-chunks sends the JSON in 1..7-byte pieces', async () => {
    const response = await callModel(emulator.port, 'fault:odd-chunks', 'converse', HELLO);
    assert.equal(JSON.parse(response.body).output.message.content[0].text, 'Echo: hello big world');
    assert.ok(response.chunks.length > 20);
  });

  test('stream-only faults are refused on converse', async () => {
    for (const kind of ['exception-midstream', 'throttle-midstream', 'error-frame', 'bad-crc']) {
      assert.equal((await callModel(emulator.port, `fault:${kind}`, 'converse', HELLO)).status, 400, kind);
    }
    assert.equal((await callModel(emulator.port, 'fault:not-json', 'converse-stream', HELLO)).status, 400);
  });
});

describe('converse-stream faults', () => {
  test('fault:exception-midstream → messageStart, 2 deltas, modelStreamErrorException', async () => {
    const response = await callModel(emulator.port, 'fault:exception-midstream', 'converse-stream', HELLO);
    assert.equal(response.status, 200);
    assert.equal(response.error, null);
    const frames = decodeFrames(response.body);
    assert.deepEqual(eventTypes(frames), ['messageStart', 'contentBlockDelta', 'contentBlockDelta', 'exception']);
    const last = frames.at(-1);
    assert.deepEqual(last.headers, {
      ':message-type': 'exception',
      ':exception-type': 'modelStreamErrorException',
      ':content-type': 'application/json',
    });
    assert.deepEqual(last.payload, { message: 'Model Stream Error', originalStatusCode: 500, originalMessage: 'The model stream failed.' });
  });

  test('fault:throttle-midstream → throttlingException frame', async () => {
    const frames = decodeFrames((await callModel(emulator.port, 'fault:throttle-midstream', 'converse-stream', HELLO)).body);
    assert.deepEqual(eventTypes(frames), ['messageStart', 'contentBlockDelta', 'contentBlockDelta', 'exception']);
    assert.equal(frames.at(-1).headers[':exception-type'], 'throttlingException');
    assert.equal(frames.at(-1).payload.message, 'Too many requests, please wait before trying again.');
  });

  test('fault:error-frame → an unmodelled error frame with an empty payload', async () => {
    const frames = decodeFrames((await callModel(emulator.port, 'fault:error-frame', 'converse-stream', HELLO)).body);
    const last = frames.at(-1);
    assert.deepEqual(last.headers, { ':message-type': 'error', ':error-code': 'InternalFailure', ':error-message': 'something broke' });
    assert.equal(last.body.byteLength, 0);
  });

  test('fault:cut → the connection dies in the middle of a frame', async () => {
    const response = await callModel(emulator.port, 'fault:cut', 'converse-stream', HELLO);
    assert.equal(response.status, 200);
    assert.ok(response.error, 'expected a connection error');
    assert.throws(() => splitFrames(response.body), /claims/);
    assert.equal(decodeFrames(response.body.subarray(0, splitFrameBoundary(response.body))).length, 2);
  });

  test('fault:truncated → a clean end in the middle of a frame', async () => {
    const response = await callModel(emulator.port, 'fault:truncated', 'converse-stream', HELLO);
    assert.equal(response.status, 200);
    assert.equal(response.error, null);
    assert.throws(() => splitFrames(response.body), /claims/);
  });

  test('fault:bad-crc → the second frame fails its message CRC', async () => {
    const response = await callModel(emulator.port, 'fault:bad-crc', 'converse-stream', HELLO);
    const frames = splitFrames(response.body);
    codec.decode(frames[0]);
    assert.throws(() => codec.decode(frames[1]), /checksum/);
    for (const frame of frames.slice(2)) codec.decode(frame);
  });

  test('fault:slow-drip:<ms> waits before each frame', async () => {
    const start = Date.now();
    const response = await callModel(emulator.port, 'fault:slow-drip:30', 'converse-stream', HELLO);
    const frames = decodeFrames(response.body);
    assert.ok(Date.now() - start >= 30 * frames.length - 5, `${Date.now() - start} ms for ${frames.length} frames`);
    assert.ok(response.chunks.length >= frames.length - 1);
    assert.equal((await callModel(emulator.port, 'fault:slow-drip:abc', 'converse-stream', HELLO)).status, 400);
  });

  test('fault:odd-chunks → same frames, in 1..7-byte TCP pieces', async () => {
    const normal = await callModel(emulator.port, 'anthropic.claude-3-haiku-20240307-v1:0', 'converse-stream', HELLO);
    const odd = await callModel(emulator.port, 'fault:odd-chunks', 'converse-stream', HELLO);
    assert.ok(odd.body.equals(normal.body), 'same bytes as the scripted stream');
    assert.ok(odd.chunks.length > odd.body.byteLength / 8, `${odd.chunks.length} chunks for ${odd.body.byteLength} bytes`);
    assert.ok(odd.chunks.every((c) => c.byteLength <= 7), 'no coalesced chunks');
  });

  test('fault:bulk:<n> → n ~60-byte deltas and matching usage', async () => {
    const response = await callModel(emulator.port, 'fault:bulk:1000', 'converse-stream', HELLO);
    const frames = decodeFrames(response.body);
    assert.equal(frames.length, 1000 + 4);
    const deltas = frames.filter((f) => f.headers[':event-type'] === 'contentBlockDelta');
    assert.equal(deltas.length, 1000);
    assert.ok(deltas.every((f, i) => f.payload.delta.text === BULK_TEXTS[i % BULK_TEXTS.length] && f.payload.delta.text.length === 60));
    const words = deltas.map((f) => f.payload.delta.text).join('').split(/\s+/).filter(Boolean).length;
    assert.equal(frames.at(-1).payload.usage.outputTokens, words);
    for (const bad of ['fault:bulk', 'fault:bulk:0', 'fault:bulk:500001', 'fault:bulk:1e9']) {
      assert.equal((await callModel(emulator.port, bad, 'converse-stream', HELLO)).status, 400, bad);
    }
    const converse = JSON.parse((await callModel(emulator.port, 'fault:bulk:10', 'converse', HELLO)).body);
    assert.equal(converse.output.message.content[0].text.length, 600);
  });

  test('fault:bulk-tool:<n> → one tool call whose input JSON arrives in n 60-byte pieces', async () => {
    const frames = decodeFrames((await callModel(emulator.port, 'fault:bulk-tool:100', 'converse-stream', HELLO)).body);
    assert.equal(frames.length, 100 + 7);
    assert.deepEqual(frames[1].payload.start.toolUse, BULK_TOOL);
    const pieces = frames.filter((f) => f.headers[':event-type'] === 'contentBlockDelta').map((f) => f.payload.delta.toolUse.input);
    assert.equal(pieces.length, 102);
    assert.ok(pieces.slice(1, -1).every((p) => p.length === 60));
    assert.deepEqual(JSON.parse(pieces.join('')), { text: bulkText(100) });
    assert.equal(frames.at(-2).payload.stopReason, 'tool_use');
    assert.equal((await callModel(emulator.port, 'fault:bulk-tool:0', 'converse-stream', HELLO)).status, 400);
    assert.equal((await callModel(emulator.port, 'fault:bulk-tool:5', 'converse', HELLO)).status, 400);
  });

  test('fault:bulk-reasoning:<n> → n 60-byte reasoning deltas, then the signature', async () => {
    const frames = decodeFrames((await callModel(emulator.port, 'fault:bulk-reasoning:100', 'converse-stream', HELLO)).body);
    const deltas = frames.filter((f) => f.headers[':event-type'] === 'contentBlockDelta').map((f) => f.payload.delta.reasoningContent);
    assert.equal(deltas.length, 101);
    assert.equal(deltas.slice(0, -1).map((d) => d.text).join(''), bulkText(100));
    assert.deepEqual(deltas.at(-1), { signature: reasoningSignature(bulkText(100)) });
    assert.equal(frames.at(-2).payload.stopReason, 'end_turn');
  });

  test('fault:bulk:<n> on invoke-with-response-stream → n Claude text_delta chunk events', async () => {
    const body = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 50, messages: [{ role: 'user', content: 'hello' }] };
    const frames = decodeFrames((await callModel(emulator.port, 'fault:bulk:100', 'invoke-with-response-stream', body)).body);
    const events = frames.map((f) => JSON.parse(Buffer.from(f.payload.bytes, 'base64').toString('utf8')));
    assert.deepEqual([events[0].type, events[1].type, ...events.slice(-3).map((e) => e.type)],
      ['message_start', 'content_block_start', 'content_block_stop', 'message_delta', 'message_stop']);
    const deltas = events.filter((e) => e.type === 'content_block_delta');
    assert.equal(deltas.length, 100);
    assert.equal(deltas.map((e) => e.delta.text).join(''), bulkText(100));
  });

  test('stream faults work on invoke-with-response-stream too', async () => {
    const body = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 50, messages: [{ role: 'user', content: 'hello' }] };
    const frames = decodeFrames((await callModel(emulator.port, 'fault:exception-midstream', 'invoke-with-response-stream', body)).body);
    assert.deepEqual(eventTypes(frames), ['chunk', 'chunk', 'chunk', 'exception']);
  });
});

/** End of the last whole frame in a body that was cut mid-frame. */
function splitFrameBoundary(bytes) {
  let offset = 0;
  while (offset + 4 <= bytes.byteLength) {
    const total = bytes.readUInt32BE(offset);
    if (offset + total > bytes.byteLength) break;
    offset += total;
  }
  return offset;
}
