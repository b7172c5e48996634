// InvokeModel / InvokeModelWithResponseStream for every provider's native body (README
// "InvokeModel: other providers"): reply shapes, stream events, validation, provider detection,
// faults on non-Anthropic bodies and replay of recorded non-streaming replies.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { decodeFrames } from '../../emulator/eventstream-reader.mjs';
import { RECORDINGS_DIR, useEmulator } from './in-process-emulator.mjs';
import { providerFor } from '../../emulator/scenarios/invoke-providers.mjs';
import { callModel, send } from './signed-client.mjs';

const emulator = useEmulator();

const FRENCH_SYSTEM = 'Translate English to French.';
const FRENCH = "J'adore la programmation.";
const METRICS = 'amazon-bedrock-invocationMetrics';

/** InvokeModel → `{json, headers}` (asserts 200). */
async function invoke(modelId, body) {
  const response = await callModel(emulator.port, modelId, 'invoke', body);
  assert.equal(response.status, 200, response.body.toString());
  assert.equal(response.headers['content-type'], 'application/json');
  return { json: JSON.parse(response.body), headers: response.headers };
}

/** InvokeModelWithResponseStream → the decoded native events (asserts 200 and chunk framing). */
async function invokeStream(modelId, body) {
  const response = await callModel(emulator.port, modelId, 'invoke-with-response-stream', body);
  assert.equal(response.status, 200, response.body.toString());
  assert.equal(response.headers['content-type'], 'application/vnd.amazon.eventstream');
  assert.equal(response.headers['x-amzn-bedrock-content-type'], 'application/json');
  return decodeFrames(response.body).map(({ headers, payload }) => {
    assert.equal(headers[':event-type'], 'chunk');
    assert.equal(typeof payload.p, 'string', 'every payload is padded');
    return JSON.parse(Buffer.from(payload.bytes, 'base64').toString('utf8'));
  });
}

/** Both invoke operations answer 400 ValidationException with exactly `message`. */
async function assert400(modelId, body, message) {
  for (const op of ['invoke', 'invoke-with-response-stream']) {
    const response = await callModel(emulator.port, modelId, op, body);
    assert.equal(response.status, 400, `${op}: ${response.body}`);
    assert.match(response.headers['x-amzn-errortype'], /^ValidationException:/);
    assert.equal(JSON.parse(response.body).message, message, op);
  }
}

const malformed = (detail) => `Malformed input request: ${detail}, please reformat your input and try again.`;

/** The token-count and latency headers every InvokeModel reply carries. */
function assertInvocationHeaders(headers, { input, output }) {
  assert.equal(headers['x-amzn-bedrock-input-token-count'], String(input));
  assert.equal(headers['x-amzn-bedrock-output-token-count'], String(output));
  assert.equal(headers['x-amzn-bedrock-invocation-latency'], String(100 + 10 * output));
}

const metrics = (input, output, extra = {}) => ({
  inputTokenCount: input, outputTokenCount: output, invocationLatency: 100 + 10 * output, firstByteLatency: 50, ...extra,
});

describe('Amazon Nova (messages-v1)', () => {
  const MODEL = 'us.amazon.nova-lite-v1:0';
  const say = (text, extra = {}) => ({ schemaVersion: 'messages-v1', messages: [{ role: 'user', content: [{ text }] }], ...extra });

  test('reply: output.message, stopReason, usage and headers', async () => {
    const { json, headers } = await invoke(MODEL, say('hello there'));
    assert.deepEqual(json, {
      output: { message: { content: [{ text: 'Echo: hello there' }], role: 'assistant' } },
      stopReason: 'end_turn',
      usage: { inputTokens: 2, outputTokens: 3, totalTokens: 5, cacheReadInputTokenCount: 0, cacheWriteInputTokenCount: 0 },
    });
    assertInvocationHeaders(headers, { input: 2, output: 3 });
    assert.equal(headers['x-amzn-bedrock-cache-read-input-token-count'], '0');
    const french = await invoke(MODEL, say('I love programming.', { system: [{ text: FRENCH_SYSTEM }] }));
    assert.equal(french.json.output.message.content[0].text, FRENCH);
    const capped = await invoke(MODEL, say('a b c', { inferenceConfig: { max_new_tokens: 2 } }));
    assert.deepEqual([capped.json.output.message.content[0].text, capped.json.stopReason], ['Echo: a', 'max_tokens']);
    const stopped = await invoke(MODEL, say('a STOP b', { inferenceConfig: { maxTokens: 50, stopSequences: ['STOP'] } }));
    assert.deepEqual([stopped.json.output.message.content[0].text, stopped.json.stopReason], ['Echo: a ', 'stop_sequence']);
  });

  test('stream: one content block per text piece, then messageStop and metadata with metrics', async () => {
    const events = await invokeStream(MODEL, say('hello there'));
    assert.deepEqual(events, [
      { messageStart: { role: 'assistant' } },
      { contentBlockDelta: { delta: { text: 'Echo' }, contentBlockIndex: 0 } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { contentBlockDelta: { delta: { text: ':' }, contentBlockIndex: 1 } },
      { contentBlockStop: { contentBlockIndex: 1 } },
      { contentBlockDelta: { delta: { text: ' hello' }, contentBlockIndex: 2 } },
      { contentBlockStop: { contentBlockIndex: 2 } },
      { contentBlockDelta: { delta: { text: ' there' }, contentBlockIndex: 3 } },
      { contentBlockStop: { contentBlockIndex: 3 } },
      { messageStop: { stopReason: 'end_turn' } },
      {
        metadata: { usage: { inputTokens: 2, outputTokens: 3, cacheReadInputTokenCount: 0, cacheWriteInputTokenCount: 0 }, metrics: {}, trace: {} },
        [METRICS]: metrics(2, 3, { cacheReadInputTokenCount: 0, cacheWriteInputTokenCount: 0 }),
      },
    ]);
  });

  test('tools as for Converse: a call with the schema value, streamed with contentBlockStart', async () => {
    const toolConfig = {
      tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object', properties: { location: { type: 'string' } } } } } }],
    };
    const body = say('Use get_weather for Paris', { toolConfig });
    const { json } = await invoke(MODEL, body);
    assert.equal(json.stopReason, 'tool_use');
    const [text, call] = json.output.message.content;
    assert.deepEqual(text, { text: 'Calling get_weather.' });
    assert.equal(call.toolUse.name, 'get_weather');
    assert.deepEqual(call.toolUse.input, { location: 'location-value' });
    assert.match(call.toolUse.toolUseId, /^tooluse_/);

    const events = await invokeStream(MODEL, body);
    const start = events.find((e) => e.contentBlockStart);
    assert.deepEqual(start.contentBlockStart.start, { toolUse: { toolUseId: call.toolUse.toolUseId, name: 'get_weather' } });
    const index = start.contentBlockStart.contentBlockIndex;
    const input = events.filter((e) => e.contentBlockDelta?.contentBlockIndex === index).map((e) => e.contentBlockDelta.delta.toolUse.input).join('');
    assert.deepEqual(JSON.parse(input), { location: 'location-value' });
    assert.deepEqual(events.at(-2), { messageStop: { stopReason: 'tool_use' } });

    const answered = await invoke(MODEL, {
      messages: [
        body.messages[0],
        { role: 'assistant', content: [{ toolUse: call.toolUse }] },
        { role: 'user', content: [{ toolResult: { toolUseId: call.toolUse.toolUseId, content: [{ json: { temp: 21 } }] } }] },
      ],
      toolConfig,
    });
    assert.deepEqual(answered.json.output.message.content, [{ text: 'Tool results: {"temp":21}' }]);
  });

  test('cache points: write, then read, in usage, headers and metrics', async () => {
    const body = { system: [{ text: 'a long shared system prompt' }, { cachePoint: { type: 'default' } }], messages: [{ role: 'user', content: [{ text: 'hi' }] }] };
    const first = await invoke('amazon.nova-pro-v1:0', body);
    assert.equal(first.json.usage.cacheWriteInputTokenCount, 5);
    assert.equal(first.headers['x-amzn-bedrock-cache-write-input-token-count'], '5');
    const events = await invokeStream('amazon.nova-pro-v1:0', body);
    assert.equal(events.at(-1)[METRICS].cacheReadInputTokenCount, 5);
    assert.equal(events.at(-1).metadata.usage.inputTokens, 1);
  });

  test('validation', async () => {
    await assert400(MODEL, { ...say('hi'), foo: 1 }, malformed('#: extraneous key [foo] is not permitted'));
    await assert400(MODEL, { inferenceConfig: { maxTokens: 5 } }, malformed('#: required key [messages] not found'));
    await assert400(MODEL, say('hi', { inferenceConfig: { maxTokens: '5' } }), malformed('#/inferenceConfig/maxTokens: expected type: Integer, found: String'));
    await assert400(MODEL, say('hi', { inferenceConfig: { temperature: 1.5 } }), malformed('#/inferenceConfig/temperature: 1.5 is not less or equal to 1'));
    await assert400(MODEL, say('hi', { schemaVersion: 'messages-v2' }), malformed('#/schemaVersion: messages-v2 is not a valid enum value'));
    await assert400(MODEL, { messages: [{ role: 'user', content: [{ guardContent: {} }] }] }, malformed('#/messages/0/content/0: extraneous key [guardContent] is not permitted'));
    // Deeper rules are Converse's (converse-validation.mjs).
    await assert400(MODEL, { messages: [{ role: 'assistant', content: [{ text: 'hi' }] }] },
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.');
  });
});

describe('Amazon Titan Text', () => {
  const MODEL = 'amazon.titan-text-express-v1';

  test('reply: the User:/Bot: transcript is read back; FINISH, LENGTH, STOP_CRITERIA_MET', async () => {
    const { json, headers } = await invoke(MODEL, { inputText: `${FRENCH_SYSTEM}\n\nUser: I love programming.\nBot:` });
    assert.deepEqual(json, { inputTextTokenCount: 7, results: [{ tokenCount: 3, outputText: FRENCH, completionReason: 'FINISH' }] });
    assertInvocationHeaders(headers, { input: 7, output: 3 });
    const turns = await invoke(MODEL, { inputText: 'User: first question\nBot: an answer\nUser: second one\nBot:' });
    assert.deepEqual(turns.json.results[0], { tokenCount: 3, outputText: 'Echo: second one', completionReason: 'FINISH' });
    assert.equal(turns.json.inputTextTokenCount, 6);
    const plain = await invoke(MODEL, { inputText: 'Write a haiku' });
    assert.equal(plain.json.results[0].outputText, 'Echo: Write a haiku');
    const capped = await invoke(MODEL, { inputText: 'User: a b c\nBot:', textGenerationConfig: { maxTokenCount: 2 } });
    assert.deepEqual(capped.json.results[0], { tokenCount: 2, outputText: 'Echo: a', completionReason: 'LENGTH' });
    const stopped = await invoke(MODEL, { inputText: 'User: left | right\nBot:', textGenerationConfig: { stopSequences: ['|', 'User:'] } });
    assert.deepEqual(stopped.json.results[0], { tokenCount: 2, outputText: 'Echo: left ', completionReason: 'STOP_CRITERIA_MET' });
  });

  test('stream: outputText chunks, input count first, totals and metrics last', async () => {
    const events = await invokeStream(MODEL, { inputText: 'User: hello world\nBot:' });
    const chunk = (outputText, inputTextTokenCount = null) => ({ outputText, index: 0, totalOutputTextTokenCount: null, completionReason: null, inputTextTokenCount });
    assert.deepEqual(events, [
      chunk('Echo', 2), chunk(':'), chunk(' hello'),
      { ...chunk(' world'), totalOutputTextTokenCount: 3, completionReason: 'FINISH', [METRICS]: metrics(2, 3) },
    ]);
  });

  test('validation', async () => {
    await assert400(MODEL, {}, malformed('#: required key [inputText] not found'));
    await assert400(MODEL, { inputText: '' }, malformed('#/inputText: expected minLength: 1, actual: 0'));
    await assert400(MODEL, { inputText: 'x', textGenerationConfig: { stopSequences: ['STOP'] } }, malformed('string [STOP] does not match pattern ^(\\|+|User:)$'));
    await assert400(MODEL, { inputText: 'x', textGenerationConfig: { maxTokenCount: 9000 } }, malformed('#/textGenerationConfig/maxTokenCount: 9000 is not less or equal to 8192'));
    await assert400(MODEL, { inputText: 'x', textGenerationConfig: { max_tokens: 5 } }, malformed('#/textGenerationConfig: extraneous key [max_tokens] is not permitted'));
  });
});

const llamaPrompt = (system, ...turns) => '<|begin_of_text|>'
  + (system ? `<|start_header_id|>system<|end_header_id|>\n\n${system}<|eot_id|>` : '')
  + turns.map((text, i) => `<|start_header_id|>${i % 2 ? 'assistant' : 'user'}<|end_header_id|>\n\n${text}<|eot_id|>`).join('')
  + '<|start_header_id|>assistant<|end_header_id|>\n\n';

describe('Meta Llama', () => {
  const MODEL = 'meta.llama3-8b-instruct-v1:0';

  test('reply: the chat template is read back; stop and length', async () => {
    const { json, headers } = await invoke(MODEL, { prompt: llamaPrompt(FRENCH_SYSTEM, 'I love programming.'), max_gen_len: 100 });
    assert.deepEqual(json, { generation: FRENCH, prompt_token_count: 7, generation_token_count: 3, stop_reason: 'stop' });
    assertInvocationHeaders(headers, { input: 7, output: 3 });
    const turns = await invoke(MODEL, { prompt: llamaPrompt(null, 'first', 'a reply', 'second question') });
    assert.deepEqual([turns.json.generation, turns.json.prompt_token_count], ['Echo: second question', 5]);
    const bare = await invoke(MODEL, { prompt: 'Hello, how are you?', max_gen_len: 100, temperature: 0.7, top_p: 0.9 });
    assert.equal(bare.json.generation, 'Echo: Hello, how are you?');
    const capped = await invoke(MODEL, { prompt: llamaPrompt(null, 'a b c'), max_gen_len: 2 });
    assert.deepEqual([capped.json.generation, capped.json.stop_reason], ['Echo: a', 'length']);
  });

  test('stream: generation pieces with running counts; stop_reason and metrics last', async () => {
    const events = await invokeStream(MODEL, { prompt: llamaPrompt(null, 'hi there') });
    assert.deepEqual(events, [
      { generation: 'Echo', prompt_token_count: 2, generation_token_count: 1, stop_reason: null },
      { generation: ':', prompt_token_count: null, generation_token_count: 1, stop_reason: null },
      { generation: ' hi', prompt_token_count: null, generation_token_count: 2, stop_reason: null },
      { generation: ' there', prompt_token_count: null, generation_token_count: 3, stop_reason: 'stop', [METRICS]: metrics(2, 3) },
    ]);
  });

  test('validation', async () => {
    await assert400(MODEL, { prompt: 'x', stop: ['a'] }, malformed('#: extraneous key [stop] is not permitted'));
    await assert400(MODEL, { max_gen_len: 10 }, malformed('#: required key [prompt] not found'));
    await assert400(MODEL, { prompt: 'x', max_gen_len: 4096 }, malformed('#/max_gen_len: 4096 is not less or equal to 2048'));
    await assert400(MODEL, { prompt: 'x', max_gen_len: 0 }, malformed('#/max_gen_len: 0 is not greater or equal to 1'));
    await assert400(MODEL, { prompt: 'x', temperature: 'hot' }, malformed('#/temperature: expected type: Number, found: String'));
  });
});

describe('Mistral text completion', () => {
  const MODEL = 'mistral.mistral-7b-instruct-v0:2';

  test('reply: [INST] turns (system before the first blank line of the first); stop and length', async () => {
    const { json, headers } = await invoke(MODEL, { prompt: `<s>[INST] ${FRENCH_SYSTEM}\n\nI love programming. [/INST]` });
    assert.deepEqual(json, { outputs: [{ text: FRENCH, stop_reason: 'stop' }] });
    assertInvocationHeaders(headers, { input: 7, output: 3 });
    const turns = await invoke(MODEL, { prompt: '<s>[INST] first [/INST] an answer</s>[INST] second q [/INST]', stop: ['q'] });
    assert.deepEqual(turns.json.outputs, [{ text: 'Echo: second ', stop_reason: 'stop' }]);
    assert.equal(turns.headers['x-amzn-bedrock-input-token-count'], '5');
    const capped = await invoke(MODEL, { prompt: '[INST] a b [/INST]', max_tokens: 1 });
    assert.deepEqual(capped.json.outputs, [{ text: 'Echo:', stop_reason: 'length' }]);
  });

  test('stream: outputs chunks; stop_reason and metrics last', async () => {
    const events = await invokeStream(MODEL, { prompt: '<s>[INST] hello [/INST]' });
    assert.deepEqual(events, [
      { outputs: [{ text: 'Echo', stop_reason: null }] },
      { outputs: [{ text: ':', stop_reason: null }] },
      { outputs: [{ text: ' hello', stop_reason: 'stop' }], [METRICS]: metrics(1, 2) },
    ]);
  });

  test('validation', async () => {
    await assert400(MODEL, { prompt: 'x', max_gen_len: 5 }, malformed('#: extraneous key [max_gen_len] is not permitted'));
    await assert400(MODEL, { prompt: 'x', top_k: 500 }, malformed('#/top_k: 500 is not less or equal to 200'));
    await assert400(MODEL, { prompt: 'x', stop: 'END' }, malformed('#/stop: expected type: JSONArray, found: String'));
  });
});

describe('Mistral chat completion (Large 2407/2411, Pixtral)', () => {
  const MODEL = 'mistral.mistral-large-2407-v1:0';

  test('reply: chat.completion with the system message as system text', async () => {
    const { json, headers } = await invoke(MODEL, {
      messages: [{ role: 'system', content: FRENCH_SYSTEM }, { role: 'user', content: 'I love programming.' }], max_tokens: 100,
    });
    assert.equal(json.object, 'chat.completion');
    assert.equal(json.model, 'mistral-large-2407');
    assert.equal(typeof json.id, 'string');
    assert.deepEqual(json.choices, [{ index: 0, message: { role: 'assistant', content: FRENCH, tool_calls: null }, stop_reason: 'stop' }]);
    assert.deepEqual(json.usage, { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    assertInvocationHeaders(headers, { input: 7, output: 3 });
    const pixtral = await invoke('us.mistral.pixtral-large-2502-v1:0', {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Describe this' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }],
    });
    assert.deepEqual([pixtral.json.model, pixtral.json.choices[0].message.content], ['pixtral-large-2502', 'Echo: Describe this']);
    const capped = await invoke(MODEL, { messages: [{ role: 'user', content: 'a b' }], max_tokens: 1 });
    assert.deepEqual([capped.json.choices[0].message.content, capped.json.choices[0].stop_reason], ['Echo:', 'length']);
  });

  test('stream: chat.completion.chunk with message.content pieces', async () => {
    const events = await invokeStream(MODEL, { messages: [{ role: 'user', content: 'hello' }] });
    const chunk = (content, reason = null) => ({ id: events[0].id, object: 'chat.completion.chunk', choices: [{ index: 0, message: { role: 'assistant', content }, stop_reason: reason }] });
    assert.deepEqual(events, [chunk('Echo'), chunk(':'), { ...chunk(' hello', 'stop'), [METRICS]: metrics(1, 2) }]);
  });

  test('validation', async () => {
    await assert400(MODEL, { max_tokens: 5 }, malformed('#: required key [messages] not found'));
    await assert400(MODEL, { messages: [{ role: 'bot', content: 'x' }] }, malformed('#/messages/0/role: bot is not a valid enum value'));
    await assert400(MODEL, { messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: [{ type: 'text', text: 'y' }] }] },
      malformed('#/messages/1/content: expected type: String, found: JSONArray'));
  });
});

describe('Cohere Command R (chat)', () => {
  const MODEL = 'cohere.command-r-plus-v1:0';

  test('reply: preamble and chat_history; COMPLETE, STOP_SEQUENCE, MAX_TOKENS', async () => {
    const { json, headers } = await invoke(MODEL, { message: 'I love programming.', preamble: FRENCH_SYSTEM });
    assert.deepEqual(json, {
      response_id: json.response_id,
      text: FRENCH,
      generation_id: json.generation_id,
      chat_history: [{ role: 'USER', message: 'I love programming.' }, { role: 'CHATBOT', message: FRENCH }],
      finish_reason: 'COMPLETE',
    });
    assertInvocationHeaders(headers, { input: 7, output: 3 });
    const history = [{ role: 'USER', message: 'earlier' }, { role: 'CHATBOT', message: 'a reply' }];
    const next = await invoke(MODEL, { message: 'now this', chat_history: history, stop_sequences: ['this'] });
    assert.deepEqual([next.json.text, next.json.finish_reason, next.json.chat_history.length], ['Echo: now ', 'STOP_SEQUENCE', 4]);
    assert.equal(next.headers['x-amzn-bedrock-input-token-count'], '5');
    const capped = await invoke(MODEL, { message: 'a b', max_tokens: 1 });
    assert.deepEqual([capped.json.text, capped.json.finish_reason], ['Echo:', 'MAX_TOKENS']);
  });

  test('stream: stream-start, text-generation pieces, stream-end with the response and metrics', async () => {
    const events = await invokeStream(MODEL, { message: 'hello' });
    const generationId = events[0].generation_id;
    assert.deepEqual(events.slice(0, 4), [
      { is_finished: false, event_type: 'stream-start', generation_id: generationId },
      { is_finished: false, event_type: 'text-generation', text: 'Echo' },
      { is_finished: false, event_type: 'text-generation', text: ':' },
      { is_finished: false, event_type: 'text-generation', text: ' hello' },
    ]);
    const end = events[4];
    assert.deepEqual([events.length, end.is_finished, end.event_type, end.finish_reason], [5, true, 'stream-end', 'COMPLETE']);
    assert.equal(end.response.text, 'Echo: hello');
    assert.equal(end.response.generation_id, generationId);
    assert.deepEqual(end[METRICS], metrics(1, 2));
  });

  test('validation', async () => {
    await assert400(MODEL, { preamble: 'x' }, malformed('#: required key [message] not found'));
    await assert400(MODEL, { message: 'x', chat_history: [{ role: 'BOT', message: 'y' }] }, malformed('#/chat_history/0/role: BOT is not a valid enum value'));
    await assert400(MODEL, { message: 'x', prompt: 'y' }, malformed('#: extraneous key [prompt] is not permitted'));
  });
});

describe('Cohere Command (legacy text)', () => {
  const MODEL = 'cohere.command-text-v14';

  test('reply: generations, the prompt echoed; max_tokens defaults to 20', async () => {
    const body = { prompt: 'Hello, how are you?', max_tokens: 100, temperature: 0.7, p: 0.9, k: 0, stop_sequences: [] };
    const { json, headers } = await invoke(MODEL, body);
    assert.deepEqual(json, {
      id: json.id, generations: [{ id: json.generations[0].id, text: 'Echo: Hello, how are you?', finish_reason: 'COMPLETE' }], prompt: 'Hello, how are you?',
    });
    assertInvocationHeaders(headers, { input: 4, output: 5 });
    const long = await invoke(MODEL, { prompt: Array.from({ length: 25 }, (_, i) => `w${i}`).join(' ') });
    assert.equal(long.json.generations[0].finish_reason, 'MAX_TOKENS');
    assert.equal(long.json.generations[0].text.split(' ').length, 20);
    const two = await invoke(MODEL, { prompt: 'hi', num_generations: 2 });
    assert.equal(two.json.generations.length, 2);
    assert.notEqual(two.json.generations[0].id, two.json.generations[1].id);
    assertInvocationHeaders(two.headers, { input: 1, output: 4 });
    const transcript = await invoke(MODEL, { prompt: `${FRENCH_SYSTEM}\n\nUser: Hi\nChatbot: Hello!\nUser: I love programming.\nChatbot:` });
    assert.equal(transcript.json.generations[0].text, FRENCH);
    assertInvocationHeaders(transcript.headers, { input: 9, output: 3 });
  });

  test('stream: text chunks, then is_finished with finish_reason and metrics', async () => {
    assert.deepEqual(await invokeStream(MODEL, { prompt: 'hello' }), [
      { text: 'Echo', is_finished: false },
      { text: ':', is_finished: false },
      { text: ' hello', is_finished: false },
      { is_finished: true, finish_reason: 'COMPLETE', [METRICS]: metrics(1, 2) },
    ]);
  });

  test('validation', async () => {
    await assert400(MODEL, { prompt: 'x', num_generations: 6 }, malformed('#/num_generations: 6 is not less or equal to 5'));
    await assert400(MODEL, { prompt: 'x', return_likelihoods: 'SOME' }, malformed('#/return_likelihoods: SOME is not a valid enum value'));
  });
});

describe('AI21 Jamba', () => {
  const MODEL = 'ai21.jamba-1-5-mini-v1:0';

  test('reply: choices, usage, meta and the model name', async () => {
    const body = { messages: [{ role: 'user', content: 'Hello, how are you?' }], max_tokens: 100, temperature: 0.7 };
    const { json, headers } = await invoke(MODEL, body);
    assert.match(json.id, /^chatcmpl-/);
    assert.deepEqual({ ...json, id: undefined }, {
      id: undefined,
      choices: [{ index: 0, message: { role: 'assistant', content: 'Echo: Hello, how are you?', tool_calls: null }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 4, completion_tokens: 5, total_tokens: 9 },
      meta: { requestDurationMillis: 150 },
      model: 'jamba-1.5-mini',
    });
    assertInvocationHeaders(headers, { input: 4, output: 5 });
    const french = await invoke(MODEL, { messages: [{ role: 'system', content: FRENCH_SYSTEM }, { role: 'user', content: 'I love programming.' }] });
    assert.equal(french.json.choices[0].message.content, FRENCH);
    const stopped = await invoke(MODEL, { messages: [{ role: 'user', content: 'Hello, how are you?' }], stop: ['how'] });
    assert.deepEqual([stopped.json.choices[0].message.content, stopped.json.choices[0].finish_reason], ['Echo: Hello, ', 'stop']);
    const capped = await invoke(MODEL, { messages: [{ role: 'user', content: 'a b' }], max_tokens: 1 });
    assert.equal(capped.json.choices[0].finish_reason, 'length');
  });

  test('stream: a role delta, content deltas, then an empty delta with finish_reason, usage, metrics', async () => {
    const events = await invokeStream(MODEL, { messages: [{ role: 'user', content: 'hello' }] });
    const chunk = (delta, reason = null) => ({ id: events[0].id, choices: [{ index: 0, delta, finish_reason: reason }] });
    assert.deepEqual(events, [
      chunk({ role: 'assistant', content: '' }), chunk({ content: 'Echo' }), chunk({ content: ':' }), chunk({ content: ' hello' }),
      { ...chunk({}, 'stop'), usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 }, [METRICS]: metrics(1, 2) },
    ]);
  });

  test('validation', async () => {
    await assert400(MODEL, { messages: [{ role: 'user', content: 'x' }], n: 2 }, malformed('#/n: 2 is not less or equal to 1'));
    await assert400(MODEL, { messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] }, malformed('#/messages/0/content: expected type: String, found: JSONArray'));
    await assert400(MODEL, { messages: [{ role: 'user', content: 'x' }], top_k: 5 }, malformed('#: extraneous key [top_k] is not permitted'));
  });
});

describe('provider detection', () => {
  const name = (modelId, body = {}) => providerFor(modelId, body).name;

  test('by model id: ARNs, cross-region prefixes, model families', () => {
    const cases = {
      'anthropic.claude-3-5-sonnet-20240620-v1:0': 'anthropic',
      'us.anthropic.claude-sonnet-4-20250514-v1:0': 'anthropic',
      'global.anthropic.claude-opus-4-5-20251101-v1:0': 'anthropic',
      'apac.amazon.nova-micro-v1:0': 'nova',
      'amazon.nova-lite-v1:0': 'nova',
      'jp.amazon.nova-2-lite-v1:0': 'nova',
      'amazon.titan-text-express-v1': 'titan',
      'amazon.titan-tg1-large': 'titan',
      'eu.meta.llama3-2-3b-instruct-v1:0': 'llama',
      'us-gov.meta.llama3-8b-instruct-v1:0': 'llama',
      'arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-8b-instruct-v1:0': 'llama',
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0': 'nova',
      'mistral.mistral-7b-instruct-v0:2': 'mistral-text',
      'mistral.mixtral-8x7b-instruct-v0:1': 'mistral-text',
      'mistral.mistral-large-2402-v1:0': 'mistral-text',
      'mistral.mistral-large-2407-v1:0': 'mistral-chat',
      'au.mistral.mistral-large-2411-v1:0': 'mistral-chat',
      'us.mistral.pixtral-large-2502-v1:0': 'mistral-chat',
      'cohere.command-r-v1:0': 'cohere-chat',
      'ca.cohere.command-r-plus-v1:0': 'cohere-chat',
      'cohere.command-text-v14': 'cohere-command',
      'cohere.command-light-text-v14': 'cohere-command',
      'ai21.jamba-1-5-large-v1:0': 'ai21',
    };
    for (const [id, want] of Object.entries(cases)) assert.equal(name(id, { inputText: 'x' }), want, id);
  });

  test('by body shape when the id cannot tell', () => {
    const profile = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/mi1dadi0g15f';
    const cases = [
      [{ anthropic_version: 'bedrock-2023-05-31', max_tokens: 5, messages: [] }, 'anthropic'],
      [{ inputText: 'x' }, 'titan'],
      [{ prompt: 'x', max_gen_len: 5 }, 'llama'],
      [{ prompt: '<|begin_of_text|>x' }, 'llama'],
      [{ prompt: '<s>[INST] x [/INST]' }, 'mistral-text'],
      [{ message: 'x' }, 'cohere-chat'],
      [{ prompt: 'x', max_tokens: 5 }, 'cohere-command'],
      [{ messages: [{ role: 'user', content: [{ text: 'x' }] }] }, 'nova'],
      [{ schemaVersion: 'messages-v1', messages: [] }, 'nova'],
      [{ messages: [], inferenceConfig: {} }, 'nova'],
      [{ messages: [{ role: 'user', content: 'x' }] }, 'ai21'],
      [{ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:' } }] }] }, 'mistral-chat'],
      [{ messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] }, 'anthropic'],
      [{}, 'anthropic'],
    ];
    for (const [body, want] of cases) {
      assert.equal(name(profile, body), want, JSON.stringify(body));
      assert.equal(name('fault:exception-midstream', body), want, JSON.stringify(body));
    }
    assert.equal(name('arn:aws:bedrock:us-east-1:1:custom-model/mistral.mistral-large-2407-v1:0/abc', { messages: [{ role: 'user', content: 'x' }] }), 'mistral-chat');
  });

  test('on the wire: an application inference profile with a Llama body gets a Llama reply', async () => {
    const { json } = await invoke('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123', { prompt: 'hi', max_gen_len: 10 });
    assert.deepEqual(json, { generation: 'Echo: hi', prompt_token_count: 1, generation_token_count: 2, stop_reason: 'stop' });
  });
});

describe('faults on non-Anthropic bodies', () => {
  const eventTypes = (body) => decodeFrames(body).map((f) => f.headers[':event-type'] ?? f.headers[':message-type']);

  test('exception-midstream: the first Llama chunks (never the whole stream), then the exception', async () => {
    const response = await callModel(emulator.port, 'fault:exception-midstream', 'invoke-with-response-stream', { prompt: 'hi', max_gen_len: 5 });
    assert.equal(response.status, 200);
    const frames = decodeFrames(response.body);
    assert.deepEqual(eventTypes(response.body), ['chunk', 'chunk', 'exception']);
    assert.deepEqual(JSON.parse(Buffer.from(frames[0].payload.bytes, 'base64')), { generation: 'Echo', prompt_token_count: 1, generation_token_count: 1, stop_reason: null });
    assert.equal(frames[2].headers[':exception-type'], 'modelStreamErrorException');
    const cohere = await callModel(emulator.port, 'fault:throttle-midstream', 'invoke-with-response-stream', { message: 'hello there' });
    assert.deepEqual(eventTypes(cohere.body), ['chunk', 'chunk', 'chunk', 'exception']);
  });

  test('cut on a two-chunk Titan stream: one whole frame, half of the last, then the socket dies', async () => {
    const response = await callModel(emulator.port, 'fault:cut', 'invoke-with-response-stream', { inputText: 'a b', textGenerationConfig: { maxTokenCount: 1 } });
    assert.equal(response.status, 200);
    assert.ok(response.error, 'the body ends prematurely');
    const total = response.body.readUInt32BE(0);
    assert.ok(response.body.byteLength > total, 'part of the second frame arrived');
    assert.equal(decodeFrames(response.body.subarray(0, total)).length, 1);
  });

  test('flaky: the first attempt fails, the retry gets the AI21 reply; slow-drip serves Nova JSON', async () => {
    const body = { messages: [{ role: 'user', content: 'hello' }] };
    const headers = { 'amz-sdk-invocation-id': 'invoke-providers-flaky-1' };
    const first = await callModel(emulator.port, 'fault:flaky:1:throttle', 'invoke', body, { headers });
    assert.equal(first.status, 429);
    const second = await callModel(emulator.port, 'fault:flaky:1:throttle', 'invoke', body, { headers });
    assert.equal(second.status, 200, second.body.toString());
    assert.equal(JSON.parse(second.body).choices[0].message.content, 'Echo: hello');
    const slow = await callModel(emulator.port, 'fault:slow-drip:10', 'invoke', { messages: [{ role: 'user', content: [{ text: 'hey' }] }] });
    assert.equal(JSON.parse(slow.body).output.message.content[0].text, 'Echo: hey');
    await assert400('fault:slow-drip:10', { prompt: 'x', max_gen_len: 9999 }, malformed('#/max_gen_len: 9999 is not less or equal to 2048'));
  });
});

describe('replay of recorded InvokeModel replies', () => {
  const RECORDINGS = path.join(path.dirname(RECORDINGS_DIR), 'openinference-js', 'recordings');
  const record = (file, n = 0) => JSON.parse(fs.readFileSync(path.join(RECORDINGS, `${file}.json`), 'utf8'))
    .filter((r) => r.path.endsWith('/invoke'))[n];
  const header = (rec, name) => {
    const i = rec.rawHeaders.findIndex((h, k) => k % 2 === 0 && h.toLowerCase() === name);
    return i < 0 ? undefined : rec.rawHeaders[i + 1];
  };

  for (const file of [
    'should-handle-amazon-titan-models', 'should-handle-meta-llama-models-invoke', 'should-handle-ai21-jamba-models',
    'should-handle-cohere-command-models', 'should-handle-amazon-nova-models', 'should-handle-mistral-pixtral-models',
    'should-handle-api-errors-gracefully',
  ]) {
    test(`replay:openinference-js/${file} on invoke serves the recorded reply`, async () => {
      const rec = record(file);
      const response = await callModel(emulator.port, `replay:openinference-js/${file}`, 'invoke', rec.body);
      assert.equal(response.status, rec.status);
      assert.equal(response.body.toString('utf8'), JSON.stringify(rec.response));
      assert.equal(response.headers['content-type'], 'application/json');
      assert.equal(response.headers['x-amzn-requestid'], header(rec, 'x-amzn-requestid'));
      for (const name of ['x-amzn-errortype', 'x-amzn-bedrock-input-token-count', 'x-amzn-bedrock-output-token-count', 'x-amzn-bedrock-invocation-latency']) {
        assert.equal(response.headers[name], header(rec, name), name);
      }
    });
  }

  test('#N names the later records of a file; all are listed', async () => {
    const file = 'should-use-the-provided-tracer-provider-instead-of-the-global-one-registerinstrumentations';
    const response = await callModel(emulator.port, `replay:openinference-js/${file}#2`, 'invoke', {});
    assert.equal(response.headers['x-amzn-requestid'], header(record(file, 2), 'x-amzn-requestid'));
    const names = JSON.parse((await send({ port: emulator.port, path: '/_emulator/recordings', method: 'GET' })).body);
    for (const name of ['openinference-js/should-handle-amazon-titan-models', `openinference-js/${file}#1`, `openinference-js/${file}#2`,
      'openinference-js/should-handle-meta-llama-streaming']) {
      assert.ok(names.includes(name), name);
    }
    assert.equal(names.length, new Set(names).size);
  });

  test('the wrong operation → 400, an unknown name → 404', async () => {
    const streamOnInvoke = await callModel(emulator.port, 'replay:openinference-js/should-handle-meta-llama-streaming', 'invoke', {});
    assert.equal(streamOnInvoke.status, 400);
    const invokeOnStream = await callModel(emulator.port, 'replay:openinference-js/should-handle-amazon-titan-models', 'invoke-with-response-stream', {});
    assert.equal(invokeOnStream.status, 400);
    const invokeOnConverse = await callModel(emulator.port, 'replay:openinference-js/should-handle-amazon-titan-models', 'converse', { messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
    assert.equal(invokeOnConverse.status, 400);
    const unknown = await callModel(emulator.port, 'replay:openinference-js/no-such-recording', 'invoke', {});
    assert.equal(unknown.status, 404);
    assert.match(unknown.headers['x-amzn-errortype'], /^ResourceNotFoundException:/);
  });
});
