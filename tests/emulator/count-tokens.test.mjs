// CountTokens: the converse and invokeModel inputs, counted as the same request's input tokens
// (cache points included, the prompt cache untouched), Bedrock's errors for bad bodies, and the
// models it refuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MODEL, assert400, converse, user } from './converse-test-client.mjs';
import { useEmulator } from './in-process-emulator.mjs';
import { callModel } from './signed-client.mjs';

const emulator = useEmulator();
const base64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64');

async function count(body, modelId = MODEL) {
  const response = await callModel(emulator.port, modelId, 'count-tokens', body);
  assert.equal(response.status, 200, response.body.toString());
  return JSON.parse(response.body.toString('utf8'));
}

test('a converse input counts what Converse would charge: system, tool specs and message text', async () => {
  const request = {
    system: [{ text: 'be very brief' }],
    toolConfig: { tools: [{ toolSpec: { name: 'get_time', inputSchema: { json: { type: 'object' } } } }] },
    messages: [user({ text: 'what time is it' })],
  };
  const charged = (await converse(emulator.port, request)).usage.inputTokens;
  assert.deepEqual(await count({ input: { converse: request } }), { inputTokens: charged });
  // With a cache point: the prefix counts too, and the count neither writes nor reads the cache.
  const cached = { ...request, system: [...request.system, { cachePoint: { type: 'default' } }] };
  assert.deepEqual(await count({ input: { converse: cached } }), { inputTokens: charged });
  const first = (await converse(emulator.port, cached)).usage;
  assert.equal(first.cacheWriteInputTokens, 3, 'the count did not write the prefix');
  assert.equal(first.inputTokens + first.cacheWriteInputTokens, charged);
});

test('an invokeModel input is the native body, base64; it counts as InvokeModel would', async () => {
  const body = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, system: 'be brief', messages: [{ role: 'user', content: 'one two three' }] };
  const invoked = await callModel(emulator.port, MODEL, 'invoke', body);
  const charged = JSON.parse(invoked.body.toString('utf8')).usage.input_tokens;
  assert.deepEqual(await count({ input: { invokeModel: { body: base64(body) } } }), { inputTokens: charged });
  assert.equal(charged, 5);
});

test('bad bodies are ValidationExceptions in Bedrock\'s words', async () => {
  const cases = [
    [{}, "1 validation error detected: Value 'null' at 'input' failed to satisfy constraint: Member must not be null"],
    [{ input: {} }, 'Malformed input request: input must set exactly one of [converse, invokeModel], got [].'],
    [{ input: { converse: { messages: [user({ text: 'x' })] }, invokeModel: { body: 'e30=' } } }, /exactly one of \[converse, invokeModel\]/],
    [{ input: { converse: { messages: [user({ text: 'x' })], inferenceConfig: { maxTokens: 5 } } } }, 'Malformed input request: extraneous key [inferenceConfig] is not permitted, please reformat your input and try again.'],
    [{ input: { converse: { messages: [] } } }, /messages/],
    [{ input: { invokeModel: {} } }, "1 validation error detected: Value 'null' at 'input.invokeModel.body' failed to satisfy constraint: Member must not be null"],
    [{ input: { invokeModel: { body: 'not base64!' } } }, 'Malformed input request: input.invokeModel.body must be base64-encoded bytes.'],
    [{ input: { invokeModel: { body: base64({ anthropic_version: 'bedrock-2023-05-31', messages: [] }) } } }, /max_tokens|messages/],
  ];
  for (const [body, message] of cases) await assert400(emulator.port, body, message, { ops: ['count-tokens'] });
});

test('only Anthropic foundation models count tokens: other models, inference profiles and ARNs are refused', async () => {
  const body = { input: { converse: { messages: [user({ text: 'hi' })] } } };
  for (const modelId of ['amazon.nova-lite-v1:0', `us.${MODEL}`, `arn:aws:bedrock:us-east-1::foundation-model/${MODEL}`, 'meta.llama3-8b-instruct-v1:0']) {
    await assert400(emulator.port, body, "The provided model doesn't support counting tokens.", { modelId, ops: ['count-tokens'] });
  }
});
