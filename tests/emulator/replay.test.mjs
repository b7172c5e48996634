// `replay:` model ids: every recording is served byte-identical with its recorded headers, and
// ConverseStream recordings fold into Converse responses that agree with the Python-decoded
// `.events.jsonl` next to them.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { RECORDINGS_DIR, useEmulator } from './in-process-emulator.mjs';
import { callModel, userSays } from './signed-client.mjs';

const INDEX = JSON.parse(fs.readFileSync(path.join(RECORDINGS_DIR, 'index.json'), 'utf8'));
const nameOf = (entry) => entry.file.replace(/\.eventstream$/, '');
const isInvoke = (entry) => entry.path?.endsWith('/invoke-with-response-stream') ?? false;
const ANTHROPIC_BODY = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };

const emulator = useEmulator();

test('the index lists 32 recordings', () => assert.equal(INDEX.length, 32));

for (const entry of INDEX) {
  test(`replay ${nameOf(entry)} byte-identical`, async () => {
    const op = isInvoke(entry) ? 'invoke-with-response-stream' : 'converse-stream';
    const response = await callModel(emulator.port, `replay:${nameOf(entry)}`, op, isInvoke(entry) ? ANTHROPIC_BODY : userSays('hi'));
    assert.equal(response.status, 200, response.body.toString());
    assert.equal(response.body.byteLength, entry.bytes);
    assert.equal(createHash('sha256').update(response.body).digest('hex'), entry.sha256);
    assert.ok(response.body.equals(fs.readFileSync(path.join(RECORDINGS_DIR, entry.file))));
    assert.equal(response.headers['content-type'], entry.http_headers['content-type'] ?? 'application/vnd.amazon.eventstream');
    if (entry.http_headers['x-amzn-requestid']) {
      assert.equal(response.headers['x-amzn-requestid'], entry.http_headers['x-amzn-requestid']);
    } else {
      assert.match(response.headers['x-amzn-requestid'], /^[0-9a-f-]{36}$/);
    }
    if (entry.http_headers['x-amzn-bedrock-content-type']) {
      assert.equal(response.headers['x-amzn-bedrock-content-type'], entry.http_headers['x-amzn-bedrock-content-type']);
    }
    assert.equal(response.headers['access-control-allow-origin'], '*');
  });
}

/** The Converse content a recording should fold to, computed from the Python-decoded frames. */
function expectedFold(entry) {
  const lines = fs.readFileSync(path.join(RECORDINGS_DIR, entry.file.replace(/\.eventstream$/, '.events.jsonl')), 'utf8')
    .trim().split('\n').map((line) => JSON.parse(line));
  const blocks = new Map();
  let stopReason;
  let usage;
  for (const { headers, payload } of lines) {
    const event = JSON.parse(payload);
    const at = (i) => blocks.get(i) ?? blocks.set(i, { text: '', toolInput: '', reasoning: '', signature: undefined, redacted: undefined }).get(i);
    switch (headers[':event-type']) {
      case 'contentBlockStart':
        if (event.start.toolUse) at(event.contentBlockIndex).toolUse = event.start.toolUse;
        break;
      case 'contentBlockDelta': {
        const b = at(event.contentBlockIndex);
        const d = event.delta;
        if (d.text !== undefined) b.text += d.text;
        if (d.toolUse) b.toolInput += d.toolUse.input;
        if (d.reasoningContent?.text !== undefined) b.reasoning += d.reasoningContent.text;
        if (d.reasoningContent?.signature !== undefined) b.signature = d.reasoningContent.signature;
        if (d.reasoningContent?.redactedContent !== undefined) b.redacted = d.reasoningContent.redactedContent;
        if (d.toolResult) b.toolResult = true;
        break;
      }
      case 'messageStop':
        stopReason = event.stopReason;
        break;
      case 'metadata':
        usage = event.usage;
        break;
      default:
    }
  }
  return { blocks: [...blocks.entries()].sort(([a], [b]) => a - b).map(([, b]) => b), stopReason, usage };
}

for (const entry of INDEX.filter((e) => !isInvoke(e) && e.event_types.includes('messageStart'))) {
  test(`converse on replay ${nameOf(entry)} folds the stream`, async () => {
    const response = await callModel(emulator.port, `replay:${nameOf(entry)}`, 'converse', userSays('hi'));
    assert.equal(response.status, 200, response.body.toString());
    assert.equal(response.headers['content-type'], 'application/json');
    const folded = JSON.parse(response.body);
    const expected = expectedFold(entry);
    assert.equal(folded.output.message.role, 'assistant');
    assert.equal(folded.stopReason, expected.stopReason);
    assert.deepEqual(folded.usage, expected.usage);
    assert.equal(typeof folded.metrics.latencyMs, 'number');
    const content = folded.output.message.content;
    assert.equal(content.length, expected.blocks.length);
    content.forEach((block, i) => {
      const want = expected.blocks[i];
      if (want.toolUse) {
        assert.equal(block.toolUse.toolUseId, want.toolUse.toolUseId);
        assert.equal(block.toolUse.name, want.toolUse.name);
        assert.deepEqual(block.toolUse.input, want.toolInput === '' ? {} : JSON.parse(want.toolInput));
      } else if (want.redacted !== undefined) {
        assert.deepEqual(block, { reasoningContent: { redactedContent: want.redacted } });
      } else if (want.signature !== undefined || want.reasoning !== '') {
        const reasoningText = want.signature === undefined ? { text: want.reasoning } : { text: want.reasoning, signature: want.signature };
        assert.deepEqual(block, { reasoningContent: { reasoningText } });
      } else if (want.toolResult) {
        assert.ok(Array.isArray(block.toolResult.content));
      } else {
        assert.deepEqual(block, { text: want.text });
      }
    });
  });
}

test('the folded thinking stream has reasoning then text', async () => {
  const response = await callModel(emulator.port, 'replay:pydantic-ai/test_bedrock_model_thinking_part_stream', 'converse', userSays('hi'));
  const [reasoning, text] = JSON.parse(response.body).output.message.content;
  assert.ok(reasoning.reasoningContent.reasoningText.text.length > 20);
  assert.ok(reasoning.reasoningContent.reasoningText.signature.length > 20);
  assert.ok(text.text.length > 0);
});

test('a recorded exception frame makes converse fail with that error', async () => {
  const response = await callModel(emulator.port, 'replay:vercel-ai/model-stream-error-exception', 'converse', userSays('hi'));
  assert.equal(response.status, 424);
  assert.match(response.headers['x-amzn-errortype'], /^ModelStreamErrorException:/);
  assert.deepEqual(JSON.parse(response.body), { message: 'Model Stream Error' });
});

test('unknown recording → 404 ResourceNotFoundException', async () => {
  for (const op of ['converse', 'converse-stream']) {
    const response = await callModel(emulator.port, 'replay:pydantic-ai/no-such-thing', op, userSays('hi'));
    assert.equal(response.status, 404);
    assert.match(response.headers['x-amzn-errortype'], /^ResourceNotFoundException:/);
  }
});

test('a recording of the other API family → 400', async () => {
  const invokeOnConverse = await callModel(emulator.port, 'replay:openinference-js/should-handle-amazon-nova-streaming', 'converse-stream', userSays('hi'));
  assert.equal(invokeOnConverse.status, 400);
  const converseOnInvoke = await callModel(emulator.port, 'replay:pydantic-ai/test_bedrock_model_stream', 'invoke-with-response-stream', ANTHROPIC_BODY);
  assert.equal(converseOnInvoke.status, 400);
});

test('replays still validate the request body', async () => {
  const response = await callModel(emulator.port, 'replay:pydantic-ai/test_bedrock_model_stream', 'converse-stream', { messages: [] });
  assert.equal(response.status, 400);
});
