// Prompt caching: cachePoint validation, write-then-read accounting per prefix and model id, the
// unmodelled usage members, and DELETE /_emulator/cache.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MODEL, assert400, converse, converseStream, user } from './converse-test-client.mjs';
import { useEmulator } from './in-process-emulator.mjs';
import { send } from './signed-client.mjs';

const emulator = useEmulator();

const CACHE = { cachePoint: { type: 'default' } };
// system: 4 words, then the cache point; messages: 2 words.
const body = (system = 'you are very helpful', text = 'hello there') => ({
  system: [{ text: system }, CACHE],
  messages: [user({ text })],
});

test('first request writes the prefix, an identical prefix then reads it', async () => {
  const first = await converse(emulator.port, body());
  assert.deepEqual(first.usage, {
    inputTokens: 2, outputTokens: 3, totalTokens: 9,
    cacheReadInputTokens: 0, cacheWriteInputTokens: 4,
    cacheReadInputTokenCount: 0, cacheWriteInputTokenCount: 4, serverToolUsage: {},
  });
  const second = await converse(emulator.port, body('you are very helpful', 'something else entirely'));
  assert.deepEqual(second.usage, {
    inputTokens: 3, outputTokens: 4, totalTokens: 11,
    cacheReadInputTokens: 4, cacheWriteInputTokens: 0,
    cacheReadInputTokenCount: 4, cacheWriteInputTokenCount: 0, serverToolUsage: {},
  });
  // Same prefix on another model id: written again.
  const other = await converse(emulator.port, body(), 'us.anthropic.claude-sonnet-4-6');
  assert.equal(other.usage.cacheWriteInputTokens, 4);
});

test('stream metadata carries the same usage; DELETE /_emulator/cache forgets prefixes', async () => {
  const b = body('stream prefix words here five');
  const { events } = await converseStream(emulator.port, b);
  assert.equal(events.at(-1)[1].usage.cacheWriteInputTokens, 5);
  const again = await converseStream(emulator.port, b);
  assert.equal(again.events.at(-1)[1].usage.cacheReadInputTokens, 5);
  const cleared = await send({ port: emulator.port, path: '/_emulator/cache', method: 'DELETE' });
  assert.equal(cleared.status, 200);
  const after = await converse(emulator.port, b);
  assert.equal(after.usage.cacheWriteInputTokens, 5);
  assert.equal(after.usage.cacheReadInputTokens, 0);
});

test('the last cache point counts: tools and message blocks are part of the prefix', async () => {
  const request = {
    system: [{ text: 'sys one' }, CACHE],
    toolConfig: { tools: [{ toolSpec: { name: 'tool_x', inputSchema: { json: { type: 'object' } } } }, CACHE] },
    messages: [user({ text: 'a b c' }, CACHE, { text: 'd e' })],
  };
  const reply = await converse(emulator.port, request);
  // prefix: "sys one" (2) + tool spec JSON words (name tool_x inputSchema json type object = 6) + "a b c" (3)
  assert.equal(reply.usage.cacheWriteInputTokens, 11);
  assert.equal(reply.usage.inputTokens, 2);
});

test('without a cache point usage is unchanged', async () => {
  const reply = await converse(emulator.port, { system: [{ text: 'you are very helpful' }], messages: [user({ text: 'hello there' })] });
  assert.deepEqual(reply.usage, { inputTokens: 6, outputTokens: 3, totalTokens: 9, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 });
});

test('bad cache points → 400', async () => {
  await assert400(emulator.port, { messages: [user({ text: 'x' }, { cachePoint: { type: 'ephemeral' } })] },
    /at 'messages\.0\.content\.1\.cachePoint\.type'.*\[default\]/);
  await assert400(emulator.port, { system: [{ text: 's' }, { cachePoint: { type: 'default', ttl: '2h' } }], messages: [user({ text: 'x' })] },
    /at 'system\.1\.cachePoint\.ttl'.*\[5m, 1h\]/);
  await assert400(emulator.port, { toolConfig: { tools: [{ cachePoint: { type: 'x' } }] }, messages: [user({ text: 'x' })] },
    /toolConfig\.tools\.0\.cachePoint\.type/);
  assert.ok(MODEL);
});
