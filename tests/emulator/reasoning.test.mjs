// Extended thinking: reasoning blocks (signed, streamed as text deltas then a signature delta),
// redacted reasoning, budget validation, and the round-trip checks on assistant history.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assert400, assistant, converse, converseStream, deltasAt, user } from './converse-test-client.mjs';
import { useEmulator } from './in-process-emulator.mjs';
import { reasoningSignature } from '../../emulator/scenarios/reasoning.mjs';

const emulator = useEmulator();

const THINKING = { additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } } };
const think = (messages, extra = {}) => ({ messages, ...THINKING, ...extra });

describe('reasoning replies', () => {
  test('converse: signed reasoning block, then the normal reply', async () => {
    const reply = await converse(emulator.port, think([user({ text: 'why is the sky blue' })]));
    const text = 'Thinking about: why is the sky blue';
    assert.deepEqual(reply.output.message.content, [
      { reasoningContent: { reasoningText: { text, signature: reasoningSignature(text) } } },
      { text: 'Echo: why is the sky blue' },
    ]);
    assert.equal(reasoningSignature('abc'), '4/pgyJw9Xm71ooz+u9CONZRXHAKQHPm3jYrXWTFyU9A=');
  });

  test('stream: ≤ 12-char reasoning text deltas, then one signature delta, same index, no start', async () => {
    const body = think([user({ text: 'why is the sky blue' })]);
    const { events, folded } = await converseStream(emulator.port, body);
    assert.ok(!events.some(([t]) => t === 'contentBlockStart'));
    const deltas = deltasAt(events, 0);
    const texts = deltas.slice(0, -1).map((d) => d.reasoningContent.text);
    assert.ok(texts.every((t) => t.length <= 12));
    assert.equal(texts.join(''), 'Thinking about: why is the sky blue');
    assert.deepEqual(deltas.at(-1), { reasoningContent: { signature: reasoningSignature('Thinking about: why is the sky blue') } });
    assert.equal(deltasAt(events, 1).map((d) => d.text).join(''), 'Echo: why is the sky blue');
    assert.deepEqual(folded, await converse(emulator.port, body));
  });

  test('"redacted" adds a redacted block right after; streamed as one delta', async () => {
    const body = think([user({ text: 'show redacted thoughts' })]);
    const reply = await converse(emulator.port, body);
    const redactedContent = Buffer.from('redacted thinking for: show redacted thoughts').toString('base64');
    assert.deepEqual(reply.output.message.content[1], { reasoningContent: { redactedContent } });
    assert.equal(reply.output.message.content.length, 3);
    const { events, folded } = await converseStream(emulator.port, body);
    assert.deepEqual(deltasAt(events, 1), [{ reasoningContent: { redactedContent } }]);
    assert.deepEqual(folded, reply);
  });

  test('thinking disabled → no reasoning', async () => {
    const reply = await converse(emulator.port, { messages: [user({ text: 'hi' })], additionalModelRequestFields: { thinking: { type: 'disabled' } } });
    assert.deepEqual(reply.output.message.content, [{ text: 'Echo: hi' }]);
  });

  test('with tools: reasoning, then the tool call', async () => {
    const toolConfig = { tools: [{ toolSpec: { name: 'lookup', inputSchema: { json: { type: 'object', properties: { q: { type: 'string' } } } } } }] };
    const reply = await converse(emulator.port, think([user({ text: 'please lookup' })], { toolConfig }));
    assert.deepEqual(reply.output.message.content.map((b) => Object.keys(b)[0]), ['reasoningContent', 'text', 'toolUse']);
  });
});

describe('reasoning validation', () => {
  test('budget below 1024 → 400', () => assert400(emulator.port,
    { messages: [user({ text: 'x' })], additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1000 } } },
    'thinking.budget_tokens: Input should be greater than or equal to 1024'));

  test('maxTokens not above the budget → 400', () => assert400(emulator.port,
    think([user({ text: 'x' })], { inferenceConfig: { maxTokens: 1024 } }),
    '`max_tokens` must be greater than `thinking.budget_tokens`'));

  const toolConfig = { tools: [{ toolSpec: { name: 'lookup', inputSchema: { json: { type: 'object' } } } }] };
  const signed = (text) => ({ reasoningContent: { reasoningText: { text, signature: reasoningSignature(text) } } });
  const toolTurn = (first) => think([
    user({ text: 'lookup' }),
    assistant(...first, { toolUse: { toolUseId: 't1', name: 'lookup', input: {} } }),
    user({ toolResult: { toolUseId: 't1', content: [{ text: 'found' }] } }),
  ], { toolConfig });

  test('a tool-using assistant turn must start with reasoning', () => assert400(emulator.port, toolTurn([]),
    /^messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`\. When `thinking` is enabled, a final `assistant` message must start with a thinking block/));

  test('reasoning sent back unchanged is accepted (signed text, then redacted)', async () => {
    const reply = await converse(emulator.port, toolTurn([signed('Thinking about: lookup'), { reasoningContent: { redactedContent: 'AAAA' } }]));
    assert.equal(reply.output.message.content[1].text, 'Tool results: found');
  });

  test('a changed reasoning text → 400 invalid signature', async () => {
    const tampered = { reasoningContent: { reasoningText: { text: 'Thinking about: lookup!', signature: reasoningSignature('Thinking about: lookup') } } };
    await assert400(emulator.port, toolTurn([tampered]), 'messages.1.content.0: Invalid `signature` in `thinking` block');
    const unsigned = { reasoningContent: { reasoningText: { text: 'x' } } };
    await assert400(emulator.port, toolTurn([unsigned]), 'messages.1.content.0: Invalid `signature` in `thinking` block');
  });

  test('redactedContent must be non-empty base64', async () => {
    await assert400(emulator.port, think([user({ text: 'a' }), assistant({ reasoningContent: { redactedContent: 'not base64!' } }), user({ text: 'b' })]),
      /messages\.1\.content\.0\.reasoningContent\.redactedContent/);
    await assert400(emulator.port, think([user({ text: 'a' }), assistant({ reasoningContent: { redactedContent: '' } }), user({ text: 'b' })]),
      /messages\.1\.content\.0\.reasoningContent\.redactedContent/);
  });
});
