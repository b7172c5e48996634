// Helpers for the Converse feature tests: one call per operation, stream events without padding,
// the stream folded into a Converse response, and the 400 check for both operations.
import assert from 'node:assert/strict';
import { decodeFrames } from '../../emulator/eventstream-reader.mjs';
import { foldConverseStream } from '../../emulator/scenarios/replay.mjs';
import { callModel } from './signed-client.mjs';

export const MODEL = 'anthropic.claude-3-5-sonnet-20240620-v1:0';

/** Converse → parsed response body (asserts 200). */
export async function converse(port, body, modelId = MODEL) {
  const response = await callModel(port, modelId, 'converse', body);
  assert.equal(response.status, 200, response.body.toString());
  return JSON.parse(response.body.toString('utf8'));
}

/** ConverseStream → `{events: [[type, payload without p]], folded, body}` (asserts 200). */
export async function converseStream(port, body, modelId = MODEL) {
  const response = await callModel(port, modelId, 'converse-stream', body);
  assert.equal(response.status, 200, response.body.toString());
  const frames = decodeFrames(response.body);
  for (const { payload } of frames) assert.equal(typeof payload.p, 'string', 'every payload is padded');
  const events = frames.map(({ headers, payload: { p: _p, ...rest } }) => [headers[':event-type'], rest]);
  return { events, folded: foldConverseStream(response.body), body: response.body };
}

/** Asserts both operations answer 400 ValidationException with a message matching `pattern`. */
export async function assert400(port, body, pattern, { modelId = MODEL, ops = ['converse', 'converse-stream'] } = {}) {
  for (const op of ops) {
    const response = await callModel(port, modelId, op, body);
    assert.equal(response.status, 400, `${op}: ${response.body}`);
    assert.match(response.headers['x-amzn-errortype'], /^ValidationException:/);
    const { message } = JSON.parse(response.body.toString('utf8'));
    if (typeof pattern === 'string') assert.equal(message, pattern, op);
    else assert.match(message, pattern, op);
  }
}

/** The deltas of one block index, in order. */
export const deltasAt = (events, index) => events
  .filter(([type, p]) => type === 'contentBlockDelta' && p.contentBlockIndex === index)
  .map(([, p]) => p.delta);

export const user = (...content) => ({ role: 'user', content });
export const assistant = (...content) => ({ role: 'assistant', content });
