// Pass-through members (performanceConfig, serviceTier, requestMetadata,
// additionalModelResponseFieldPaths), prompt ARNs with promptVariables, and fault:unknown-event.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assert400, converse, converseStream, user } from './converse-test-client.mjs';
import { useEmulator } from './in-process-emulator.mjs';
import { callModel } from './signed-client.mjs';

const emulator = useEmulator();

const says = (text, extra = {}) => ({ messages: [user({ text })], ...extra });

describe('pass-through members', () => {
  test('performanceConfig and serviceTier are echoed (response and stream metadata)', async () => {
    const body = says('hi', { performanceConfig: { latency: 'optimized' }, serviceTier: { type: 'flex' }, requestMetadata: { team: 'a-b', 'k:1': '' } });
    const reply = await converse(emulator.port, body);
    assert.deepEqual(reply.performanceConfig, { latency: 'optimized' });
    assert.deepEqual(reply.serviceTier, { type: 'flex' });
    const { events, folded } = await converseStream(emulator.port, body);
    assert.deepEqual(events.at(-1)[1].performanceConfig, { latency: 'optimized' });
    assert.deepEqual(events.at(-1)[1].serviceTier, { type: 'flex' });
    assert.deepEqual(folded, reply);
  });

  test('/stop_sequence → additionalModelResponseFields (messageStop in streams)', async () => {
    const body = says('alpha STOP beta', { inferenceConfig: { stopSequences: ['STOP'] }, additionalModelResponseFieldPaths: ['/stop_sequence', '/other'] });
    const reply = await converse(emulator.port, body);
    assert.deepEqual(reply.additionalModelResponseFields, { stop_sequence: 'STOP' });
    const { events, folded } = await converseStream(emulator.port, body);
    assert.deepEqual(events.at(-2), ['messageStop', { stopReason: 'stop_sequence', additionalModelResponseFields: { stop_sequence: 'STOP' } }]);
    assert.deepEqual(folded, reply);
    const none = await converse(emulator.port, says('hi', { additionalModelResponseFieldPaths: ['/stop_sequence'] }));
    assert.deepEqual(none.additionalModelResponseFields, { stop_sequence: null });
    const other = await converse(emulator.port, says('hi', { additionalModelResponseFieldPaths: ['/x'] }));
    assert.deepEqual(other.additionalModelResponseFields, {});
  });

  const invalid = {
    'performanceConfig.latency': [{ performanceConfig: { latency: 'fast' } }, /performanceConfig\.latency.*\[standard, optimized\]/],
    'serviceTier.type': [{ serviceTier: { type: 'gold' } }, /serviceTier\.type/],
    'empty requestMetadata': [{ requestMetadata: {} }, /requestMetadata/],
    '17 requestMetadata entries': [{ requestMetadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }, /requestMetadata/],
    'requestMetadata value chars': [{ requestMetadata: { k: 'no!' } }, /requestMetadata\.k/],
    'requestMetadata long key': [{ requestMetadata: { ['k'.repeat(257)]: 'v' } }, /requestMetadata/],
    'field path not a pointer': [{ additionalModelResponseFieldPaths: ['/ok', 'stop_sequence'] }, 'additionalModelResponseFieldPaths.1: must be a valid JSON pointer'],
    '11 field paths': [{ additionalModelResponseFieldPaths: Array(11).fill('/a') }, /additionalModelResponseFieldPaths/],
    'promptVariables on a model': [{ promptVariables: { a: { text: 'b' } } }, 'promptVariables can only be used with a prompt resource'],
  };
  for (const [name, [extra, pattern]] of Object.entries(invalid)) {
    test(`${name} → 400`, () => assert400(emulator.port, says('x', extra), pattern));
  }
});

describe('prompt ARNs', () => {
  const ARN = 'arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT12AB:3';
  test('reply names the prompt and its variables; messages optional', async () => {
    const body = { promptVariables: { genre: { text: 'jazz' }, n: { text: '3' } } };
    const reply = await converse(emulator.port, body, ARN);
    assert.deepEqual(reply.output.message.content, [{ text: 'Prompt PROMPT12AB with genre=jazz, n=3' }]);
    const { folded } = await converseStream(emulator.port, body, ARN);
    assert.deepEqual(folded, reply);
    const withMessages = await converse(emulator.port, says('hi', body), ARN);
    assert.equal(withMessages.output.message.content[0].text, 'Prompt PROMPT12AB with genre=jazz, n=3');
  });

  test('bad promptVariables → 400; other models still need messages', async () => {
    await assert400(emulator.port, { promptVariables: { genre: 'jazz' } }, /promptVariables\.genre/, { modelId: ARN });
    await assert400(emulator.port, { promptVariables: { genre: { text: 'x' } } }, /messages/);
  });
});

describe('fault:unknown-event', () => {
  test('stream: an unknown event type and an unknown delta member between normal events', async () => {
    const { events, folded } = await converseStream(emulator.port, says('hi'), 'fault:unknown-event');
    assert.deepEqual(events.map(([t, p]) => [t, t === 'metadata' ? undefined : p]), [
      ['messageStart', { role: 'assistant' }],
      ['contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hi' } }],
      ['somethingNew', { x: 1 }],
      ['contentBlockDelta', { contentBlockIndex: 0, delta: { newThing: { y: 2 } } }],
      ['contentBlockStop', { contentBlockIndex: 0 }],
      ['messageStop', { stopReason: 'end_turn' }],
      ['metadata', undefined],
    ]);
    assert.deepEqual(folded.output.message.content, [{ text: 'Hi' }]);
  });

  test('converse → 400 (stream only)', async () => {
    const response = await callModel(emulator.port, 'fault:unknown-event', 'converse', says('hi'));
    assert.equal(response.status, 400);
  });
});
