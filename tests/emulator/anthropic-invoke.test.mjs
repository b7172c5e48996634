// InvokeModel / InvokeModelWithResponseStream with Anthropic Messages bodies: validation, and the
// scripted assistant's tools, reasoning, citations, media notes and prompt caching in Claude's
// format; every stream folds into the InvokeModel reply (README "InvokeModel: Anthropic Messages").
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { MODEL } from './converse-test-client.mjs';
import { decodeFrames } from '../../emulator/eventstream-reader.mjs';
import { useEmulator } from './in-process-emulator.mjs';
import { callModel, send } from './signed-client.mjs';

const emulator = useEmulator();

const VERSION = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 2000 };
const ask = (content, extra = {}) => ({ ...VERSION, messages: [{ role: 'user', content }], ...extra });
/** A message; a single string argument is string content, anything else a block list. */
const message = (role) => (...content) => ({ role, content: content.length === 1 && typeof content[0] === 'string' ? content[0] : content });
const user = message('user');
const assistant = message('assistant');
const text = (t, extra = {}) => ({ type: 'text', text: t, ...extra });

const WEATHER = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] },
};
const TIME = { name: 'get_time', input_schema: { type: 'object', properties: {} } };
const TOOLS = [WEATHER, TIME];

const signature = (t) => createHash('sha256').update(`bedrock-emulator-signature:${t}`).digest('base64');

/** The documented id scheme, computed independently of the emulator's code. */
function expectedToolUseId(name, position, messages) {
  const hash = createHash('sha256').update(JSON.stringify(messages)).digest('hex');
  const digest = createHash('sha256').update(`${name}\n${position}\n${hash}`).digest('base64url');
  return `toolu_bdrk_${digest.replace(/-/g, '_').slice(0, 22)}`;
}

/** InvokeModel → `{body, headers}` (asserts 200). */
async function invoke(body, modelId = MODEL) {
  const response = await callModel(emulator.port, modelId, 'invoke', body);
  assert.equal(response.status, 200, response.body.toString());
  return { body: JSON.parse(response.body.toString('utf8')), headers: response.headers };
}

/** InvokeModelWithResponseStream → the decoded Claude events (asserts 200 and chunk frames). */
async function invokeStream(body, modelId = MODEL) {
  const response = await callModel(emulator.port, modelId, 'invoke-with-response-stream', body);
  assert.equal(response.status, 200, response.body.toString());
  return decodeFrames(response.body).map((frame) => {
    assert.equal(frame.headers[':event-type'], 'chunk');
    assert.equal(typeof frame.payload.p, 'string', 'padded');
    return JSON.parse(Buffer.from(frame.payload.bytes, 'base64').toString('utf8'));
  });
}

/** Folds Claude stream events into a Message, as a client would (independent of the emulator). */
function fold(events) {
  let message;
  const json = [];
  for (const event of events) {
    if (event.type === 'message_start') message = structuredClone(event.message);
    else if (event.type === 'content_block_start') {
      message.content[event.index] = structuredClone(event.content_block);
      json[event.index] = '';
    } else if (event.type === 'content_block_delta') {
      const block = message.content[event.index];
      const { delta } = event;
      if (delta.type === 'text_delta') block.text += delta.text;
      else if (delta.type === 'input_json_delta') json[event.index] += delta.partial_json;
      else if (delta.type === 'thinking_delta') block.thinking += delta.thinking;
      else if (delta.type === 'signature_delta') block.signature = delta.signature;
      else if (delta.type === 'citations_delta') (block.citations ??= []).push(delta.citation);
      else assert.fail(`unexpected delta ${delta.type}`);
    } else if (event.type === 'content_block_stop') {
      const block = message.content[event.index];
      if (block.type === 'tool_use') block.input = json[event.index] ? JSON.parse(json[event.index]) : {};
    } else if (event.type === 'message_delta') {
      Object.assign(message, event.delta);
      message.usage.output_tokens = event.usage.output_tokens;
    }
  }
  return message;
}

/** Both operations answer 400 ValidationException with exactly / matching `expected`. */
async function assert400(body, expected) {
  for (const op of ['invoke', 'invoke-with-response-stream']) {
    const response = await callModel(emulator.port, MODEL, op, body);
    assert.equal(response.status, 400, `${op}: ${response.body}`);
    assert.match(response.headers['x-amzn-errortype'], /^ValidationException:/);
    const { message } = JSON.parse(response.body.toString('utf8'));
    if (typeof expected === 'string') assert.equal(message, expected, op);
    else assert.match(message, expected, op);
  }
}

/** Invoke and stream agree (fold) — for requests without cache_control. */
async function bothOperations(body) {
  const reply = await invoke(body);
  const events = await invokeStream(body);
  assert.deepEqual(fold(events), reply.body);
  return { ...reply, events };
}

describe('plain text (unchanged)', () => {
  test('the Message and its stream are exactly the scripted reply', async () => {
    const body = { ...VERSION, max_tokens: 100, system: 'Translate English to French.', messages: [user('I love programming.')] };
    const { body: reply, headers, events } = await bothOperations(body);
    assert.deepEqual(reply, {
      id: 'msg_bdrk_01EmulatorScriptedReply00', type: 'message', role: 'assistant', model: 'claude-3-5-sonnet-20240620',
      content: [{ type: 'text', text: "J'adore la programmation." }],
      stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 7, output_tokens: 3 },
    });
    assert.equal(headers['x-amzn-bedrock-input-token-count'], '7');
    assert.equal(headers['x-amzn-bedrock-invocation-latency'], '130');
    assert.equal(headers['x-amzn-bedrock-cache-read-input-token-count'], undefined);
    assert.deepEqual(events.at(-1), {
      type: 'message_stop',
      'amazon-bedrock-invocationMetrics': { inputTokenCount: 7, outputTokenCount: 3, invocationLatency: 130, firstByteLatency: 50 },
    });
    assert.deepEqual(events[0].message.usage, { input_tokens: 7, output_tokens: 1 });
  });

  test('stop sequences and max_tokens', async () => {
    const stopped = await bothOperations(ask('one two three', { stop_sequences: ['two'] }));
    assert.deepEqual(stopped.body.content, [text('Echo: one ')]);
    assert.equal(stopped.body.stop_reason, 'stop_sequence');
    assert.equal(stopped.body.stop_sequence, 'two');
    const truncated = await bothOperations(ask('a b c d', { max_tokens: 2 }));
    assert.deepEqual(truncated.body.content, [text('Echo: a')]);
    assert.equal(truncated.body.stop_reason, 'max_tokens');
  });

  test('anthropic_beta is accepted (array of strings) and echoed nowhere', async () => {
    const { body, events } = await bothOperations(ask('hello', { anthropic_beta: ['interleaved-thinking-2025-05-14'] }));
    assert.ok(!JSON.stringify([body, events]).includes('interleaved'));
    assert.deepEqual(body.content, [text('Echo: hello')]);
  });
});

describe('validation', () => {
  const cases = [
    ['model in the body', ask('hi', { model: 'x' }), 'Malformed input request: #: extraneous key [model] is not permitted, please reformat your input and try again.'],
    ['stream in the body', ask('hi', { stream: true }), 'Malformed input request: #: extraneous key [stream] is not permitted, please reformat your input and try again.'],
    ['anthropic_beta a string', ask('hi', { anthropic_beta: 'x' }), 'Malformed input request: #/anthropic_beta: expected type: JSONArray, found: String, please reformat your input and try again.'],
    ['anthropic_beta item', ask('hi', { anthropic_beta: [1] }), 'Malformed input request: #/anthropic_beta/0: expected type: String, found: Integer, please reformat your input and try again.'],
    ['two user turns', { ...VERSION, messages: [user('a'), user('b')] }, 'messages: roles must alternate between "user" and "assistant", but found multiple "user" roles in a row'],
    ['assistant first', { ...VERSION, messages: [assistant('a'), user('b')] }, 'messages: first message must use the "user" role'],
    ['empty content', ask([]), 'messages.0: all messages must have non-empty content except for the optional final assistant message'],
    ['empty text', ask([text('')]), 'messages: text content blocks must be non-empty'],
    ['whitespace text', ask([text('a'), text(' \t')]), 'messages: text content blocks must contain non-whitespace text'],
    ['prefill ending in whitespace', { ...VERSION, messages: [user('a'), assistant(text('b'), text('c\n'))] },
      'messages: final assistant content cannot end with trailing whitespace'],
    ['unknown block', ask([{ type: 'video' }]), "messages.0.content.0: Input tag 'video' found using 'type' does not match any of the expected tags: 'text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking'"],
    ['system block type', ask('hi', { system: [{ type: 'image' }] }), "system.0.type: Input should be 'text'"],
    ['image media type', ask([{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: 'AAAA' } }]),
      "messages.0.content.0.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'"],
    ['image url source', ask([{ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }]),
      "messages.0.content.0.image.source: Input tag 'url' found using 'type' does not match any of the expected tags: 'base64'"],
    ['pdf media type', ask([{ type: 'document', source: { type: 'base64', media_type: 'text/plain', data: 'AAAA' } }]),
      "messages.0.content.0.document.source.base64.media_type: Input should be 'application/pdf'"],
    ['tool_use input', { ...VERSION, tools: TOOLS, messages: [user('a'), assistant({ type: 'tool_use', id: 't1', name: 'get_time', input: 'x' })] },
      'messages.1.content.0.tool_use.input: Input should be a valid dictionary'],
    ['cache_control type', ask([text('a', { cache_control: { type: 'persistent' } })]),
      "messages.0.content.0.text.cache_control: Input tag 'persistent' found using 'type' does not match any of the expected tags: 'ephemeral'"],
    ['cache_control ttl', ask('hi', { system: [text('s', { cache_control: { type: 'ephemeral', ttl: '2h' } })] }),
      "system.0.cache_control.ephemeral.ttl: Input should be '5m' or '1h'"],
    ['five breakpoints', ask([1, 2, 3, 4, 5].map((n) => text(`t${n}`, { cache_control: { type: 'ephemeral' } }))),
      'A maximum of 4 blocks with cache_control may be provided. Found 5.'],
    ['input_schema type', ask('hi', { tools: [{ name: 'x', input_schema: { type: 'string' } }] }), "tools.0.custom.input_schema.type: Input should be 'object'"],
    ['tool name', ask('hi', { tools: [{ name: 'bad name', input_schema: { type: 'object' } }] }), "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'"],
    ['duplicate tools', ask('hi', { tools: [TIME, TIME] }), 'tools: Tool names must be unique.'],
    ['tool_choice type', ask('hi', { tools: TOOLS, tool_choice: { type: 'required' } }),
      "tool_choice: Input tag 'required' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'"],
    ['tool_choice unknown tool', ask('hi', { tools: TOOLS, tool_choice: { type: 'tool', name: 'nope' } }), "tool_choice: Tool 'nope' not found in provided tools"],
    ['tool blocks without tools', { ...VERSION, messages: [user('a'), assistant({ type: 'tool_use', id: 't1', name: 'get_time', input: {} }), user({ type: 'tool_result', tool_use_id: 't1', content: 'ok' })] },
      'Requests which include `tool_use` or `tool_result` blocks must define tools.'],
    ['unanswered tool_use', { ...VERSION, tools: TOOLS, messages: [user('a'), assistant({ type: 'tool_use', id: 't1', name: 'get_time', input: {} }, { type: 'tool_use', id: 't2', name: 'get_time', input: {} }), user({ type: 'tool_result', tool_use_id: 't1' })] },
      'messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: t2. Each `tool_use` block must have a corresponding `tool_result` block in the next message.'],
    ['unknown tool_result id', { ...VERSION, tools: TOOLS, messages: [user('a'), assistant(text('b')), user(text('c'), { type: 'tool_result', tool_use_id: 'zz' })] },
      'messages.2.content.1: unexpected `tool_use_id` found in `tool_result` blocks: zz. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.'],
    ['budget missing', ask('hi', { thinking: { type: 'enabled' } }), 'thinking.enabled.budget_tokens: Field required'],
    ['budget too small', ask('hi', { thinking: { type: 'enabled', budget_tokens: 1000 } }), 'thinking.budget_tokens: Input should be greater than or equal to 1024'],
    ['max_tokens not above budget', ask('hi', { max_tokens: 1024, thinking: { type: 'enabled', budget_tokens: 1024 } }), '`max_tokens` must be greater than `thinking.budget_tokens`'],
    ['thinking type', ask('hi', { thinking: { type: 'on' } }), "thinking: Input tag 'on' found using 'type' does not match any of the expected tags: 'enabled', 'disabled'"],
    ['thinking + temperature', ask('hi', { temperature: 0.5, thinking: { type: 'enabled', budget_tokens: 1024 } }), /^`temperature` may only be set to 1 when thinking is enabled\./],
    ['thinking + forced tool', ask('hi', { tools: TOOLS, tool_choice: { type: 'any' }, thinking: { type: 'enabled', budget_tokens: 1024 } }), 'Thinking may not be enabled when tool_choice forces tool use.'],
    ['thinking without signature', { ...VERSION, messages: [user('a'), assistant({ type: 'thinking', thinking: 'x' }, text('b')), user('c')] },
      'messages.1.content.0.thinking.signature: Field required'],
    ['foreign signature', { ...VERSION, messages: [user('a'), assistant({ type: 'thinking', thinking: 'x', signature: 'forged' }, text('b')), user('c')] },
      'messages.1.content.0: Invalid `signature` in `thinking` block'],
    ['temperature range', ask('hi', { temperature: 1.5 }), 'temperature: Input should be less than or equal to 1'],
  ];
  for (const [name, body, expected] of cases) {
    test(name, () => assert400(body, expected));
  }

  test('existing envelope checks', async () => {
    await assert400({ max_tokens: 5, messages: [user('a')] }, /required key \[anthropic_version\]/);
    await assert400({ anthropic_version: 'bedrock-2023-05-31', messages: [user('a')] }, /required key \[max_tokens\]/);
    await assert400({ ...VERSION, messages: [] }, /#\/messages: expected a non-empty array/);
    await assert400({ ...VERSION, messages: [{ role: 'system', content: 'a' }] }, /#\/messages\/0\/role: must be user or assistant/);
  });

  test('thinking on: a final tool-using assistant turn must start with thinking', async () => {
    const history = (first) => ({
      ...VERSION, tools: TOOLS, thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [user('a'), assistant(...first, { type: 'tool_use', id: 't1', name: 'get_time', input: {} }), user({ type: 'tool_result', tool_use_id: 't1', content: 'noon' })],
    });
    await assert400(history([text('let me see')]), /^messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`, but found `text`\. When `thinking` is enabled, a final `assistant` message must start with a thinking block/);
    await assert400(history([]), /but found `tool_use`/);
    const ok = await invoke(history([{ type: 'thinking', thinking: 'plan', signature: signature('plan') }]));
    assert.equal(ok.body.content.at(-1).text, 'Tool results: noon');
    await invoke(history([{ type: 'redacted_thinking', data: 'abc=' }]));
  });
});

describe('tools', () => {
  test('auto: the tools named in the user text, after "Calling …"; ids, inputs, tool_use', async () => {
    const body = ask('use get_time and get_weather', { tools: TOOLS });
    const { body: reply, events } = await bothOperations(body);
    assert.deepEqual(reply.content, [
      text('Calling get_weather, get_time.'),
      { type: 'tool_use', id: expectedToolUseId('get_weather', 0, body.messages), name: 'get_weather', input: { city: 'city-value', days: 42 } },
      { type: 'tool_use', id: expectedToolUseId('get_time', 1, body.messages), name: 'get_time', input: {} },
    ]);
    assert.match(reply.content[1].id, /^toolu_bdrk_[A-Za-z0-9_]{22}$/);
    assert.equal(reply.stop_reason, 'tool_use');
    // input: 4 words + tool JSON words (get_weather 19, get_time 6); output: 3 words + 1 + 1 (input JSON).
    assert.deepEqual(reply.usage, { input_tokens: 29, output_tokens: 5 });
    // Streams: tool_use starts with input {}, then "" and ≤ 8-char partial_json pieces; {} → one "".
    const starts = events.filter((e) => e.type === 'content_block_start').map((e) => e.content_block);
    assert.deepEqual(starts[1], { type: 'tool_use', id: reply.content[1].id, name: 'get_weather', input: {} });
    const pieces = (i) => events.filter((e) => e.type === 'content_block_delta' && e.index === i).map((e) => e.delta);
    assert.ok(pieces(1).every((d) => d.type === 'input_json_delta' && d.partial_json.length <= 8));
    assert.equal(pieces(1)[0].partial_json, '');
    assert.equal(pieces(1).map((d) => d.partial_json).join(''), '{"city":"city-value","days":42}');
    assert.deepEqual(pieces(2), [{ type: 'input_json_delta', partial_json: '' }]);
  });

  test('any → the first tool, tool → that one, none → text; no tool named → text', async () => {
    const any = await bothOperations(ask('hello', { tools: TOOLS, tool_choice: { type: 'any' } }));
    assert.deepEqual(any.body.content.map((b) => b.name), ['get_weather']);
    const one = await bothOperations(ask('hello', { tools: TOOLS, tool_choice: { type: 'tool', name: 'get_time', disable_parallel_tool_use: true } }));
    assert.deepEqual(one.body.content.map((b) => [b.type, b.name]), [['tool_use', 'get_time']]);
    const none = await bothOperations(ask('use get_time', { tools: TOOLS, tool_choice: { type: 'none' } }));
    assert.deepEqual(none.body.content, [text('Echo: use get_time')]);
    const unnamed = await bothOperations(ask('hello', { tools: TOOLS }));
    assert.deepEqual(unnamed.body.content, [text('Echo: hello')]);
    assert.equal(unnamed.body.stop_reason, 'end_turn');
  });

  test('tool results → "Tool results: …" (string, items, is_error, media)', async () => {
    const first = ask('use get_time and get_weather', { tools: TOOLS });
    const called = (await invoke(first)).body.content;
    const body = {
      ...first,
      messages: [
        ...first.messages,
        assistant(...called),
        user(
          { type: 'tool_result', tool_use_id: called[1].id, content: [text('sunny'), { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }] },
          { type: 'tool_result', tool_use_id: called[2].id, content: 'clock broken', is_error: true },
        ),
      ],
    };
    const { body: reply } = await bothOperations(body);
    assert.deepEqual(reply.content, [text('Tool results: sunny [image png 3 bytes]; clock broken (error)')]);
    assert.equal(reply.stop_reason, 'end_turn');
  });
});

describe('reasoning', () => {
  const THINKING = { thinking: { type: 'enabled', budget_tokens: 1024 } };

  test('a signed thinking block first; stream: thinking_delta ≤ 12 chars then signature_delta', async () => {
    const { body: reply, events } = await bothOperations(ask('why is the sky blue', THINKING));
    const thought = 'Thinking about: why is the sky blue';
    assert.deepEqual(reply.content, [
      { type: 'thinking', thinking: thought, signature: signature(thought) },
      text('Echo: why is the sky blue'),
    ]);
    assert.equal(reply.usage.output_tokens, 7 + 6);
    assert.deepEqual(events[1], { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } });
    const deltas = events.filter((e) => e.type === 'content_block_delta' && e.index === 0).map((e) => e.delta);
    assert.ok(deltas.slice(0, -1).every((d) => d.type === 'thinking_delta' && d.thinking.length <= 12));
    assert.deepEqual(deltas.at(-1), { type: 'signature_delta', signature: signature(thought) });
  });

  test('"redacted" adds a redacted_thinking block; the reply can be sent back', async () => {
    const body = ask('a redacted question', THINKING);
    const { body: reply, events } = await bothOperations(body);
    const data = Buffer.from('redacted thinking for: a redacted question').toString('base64');
    assert.deepEqual(reply.content[1], { type: 'redacted_thinking', data });
    assert.deepEqual(events.filter((e) => e.index === 1).map((e) => e.type), ['content_block_start', 'content_block_stop']);
    const next = { ...body, messages: [...body.messages, assistant(...reply.content), user('thanks')] };
    assert.equal((await invoke(next)).body.content.at(-1).text, 'Echo: thanks');
  });

  test('thinking + tools: thinking comes before the "Calling" text and the tool calls', async () => {
    const { body: reply } = await bothOperations(ask('get_time please', { ...THINKING, tools: TOOLS }));
    assert.deepEqual(reply.content.map((b) => b.type), ['thinking', 'text', 'tool_use']);
    assert.equal(reply.stop_reason, 'tool_use');
  });
});

describe('documents, media and citations', () => {
  const b64 = (s) => Buffer.from(s).toString('base64');

  test('media notes after the normal text', async () => {
    const { body: reply } = await bothOperations(ask([
      text('look'),
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: b64('12345') } },
      { type: 'document', title: 'Report', source: { type: 'base64', media_type: 'application/pdf', data: b64('%PDF-1.4 x') } },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'héllo' } },
      { type: 'document', source: { type: 'content', content: [text('ab'), text('cd')] } },
    ]));
    assert.deepEqual(reply.content, [text('Echo: look [image jpeg 5 bytes] [document Report pdf 10 bytes] [document document txt 6 bytes] [document document txt 4 bytes]')]);
    assert.equal(reply.usage.input_tokens, 1);
  });

  test('char_location citation for a text document; citations_delta before the text', async () => {
    const body = ask([
      { type: 'document', title: 'Sky', source: { type: 'text', media_type: 'text/plain', data: 'The sky is blue. Grass is green.' }, citations: { enabled: true } },
      text('what colour is the sky?'),
    ]);
    const { body: reply, events } = await bothOperations(body);
    const citation = {
      type: 'char_location', cited_text: 'The sky is blue.', document_index: 0, document_title: 'Sky', start_char_index: 0, end_char_index: 16,
    };
    assert.deepEqual(reply.content, [{ type: 'text', text: 'According to the document, The sky is blue.', citations: [citation] }]);
    const deltas = events.filter((e) => e.type === 'content_block_delta').map((e) => e.delta);
    assert.deepEqual(deltas[0], { type: 'citations_delta', citation });
    assert.ok(deltas.slice(1).every((d) => d.type === 'text_delta'));
  });

  test('document_index counts the whole request; PDFs cite pages, content sources blocks', async () => {
    const earlier = { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'old.' } };
    const body = {
      ...VERSION,
      messages: [
        user(earlier, text('read this')),
        assistant(text('ok')),
        user(
          { type: 'document', source: { type: 'content', content: [text('First part. Second.')] } },
          { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: b64('Page one text. More.') }, citations: { enabled: true } },
          text('cite it'),
        ),
      ],
    };
    const { body: reply } = await bothOperations(body);
    assert.deepEqual(reply.content[0].citations, [{
      type: 'page_location', cited_text: 'Page one text.', document_index: 2, document_title: null, start_page_number: 1, end_page_number: 2,
    }]);
    body.messages[2].content[0].citations = { enabled: true };
    const blocks = await invoke(body);
    assert.deepEqual(blocks.body.content[0].citations, [{
      type: 'content_block_location', cited_text: 'First part.', document_index: 1, document_title: null, start_block_index: 0, end_block_index: 1,
    }]);
  });
});

describe('prompt caching', () => {
  const CACHE = { cache_control: { type: 'ephemeral' } };
  // system: 4 words, cached; message: 2 words.
  const body = (message = 'hello there', system = 'you are very helpful') => ({
    ...VERSION, system: [text(system, CACHE)], messages: [user(message)],
  });

  test('first sight writes the prefix, later requests read it; headers and metrics', async () => {
    const first = await invoke(body());
    assert.deepEqual(first.body.usage, { input_tokens: 2, cache_creation_input_tokens: 4, cache_read_input_tokens: 0, output_tokens: 3 });
    assert.equal(first.headers['x-amzn-bedrock-cache-write-input-token-count'], '4');
    assert.equal(first.headers['x-amzn-bedrock-cache-read-input-token-count'], '0');
    const events = await invokeStream(body('something else entirely'));
    assert.deepEqual(events[0].message.usage, { input_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 4, output_tokens: 1 });
    assert.deepEqual(events.at(-1)['amazon-bedrock-invocationMetrics'], {
      inputTokenCount: 3, outputTokenCount: 4, invocationLatency: 140, firstByteLatency: 50, cacheReadInputTokenCount: 4, cacheWriteInputTokenCount: 0,
    });
    assert.deepEqual(fold(events).usage, { input_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 4, output_tokens: 4 });
    // Another model id writes again; DELETE /_emulator/cache forgets.
    assert.equal((await invoke(body(), 'us.anthropic.claude-sonnet-4-20250514-v1:0')).body.usage.cache_creation_input_tokens, 4);
    await send({ port: emulator.port, path: '/_emulator/cache', method: 'DELETE' });
    assert.equal((await invoke(body())).body.usage.cache_creation_input_tokens, 4);
  });

  test('prefix order is tools, system, messages; the last breakpoint counts', async () => {
    const request = {
      ...VERSION,
      system: 'sys one',
      tools: [{ name: 'tool_x', input_schema: { type: 'object' }, ...CACHE }],
      messages: [user(text('a b c', CACHE), text('d e'))],
    };
    const reply = await invoke(request);
    // tool JSON words: name tool_x input_schema type object (5) + "sys one" (2) + "a b c" (3)
    assert.deepEqual(reply.body.usage, { input_tokens: 2, cache_creation_input_tokens: 10, cache_read_input_tokens: 0, output_tokens: 6 });
    const toolOnly = await invoke({ ...request, system: 'other system', messages: [user('d e')] });
    assert.deepEqual(toolOnly.body.usage, { input_tokens: 4, cache_creation_input_tokens: 5, cache_read_input_tokens: 0, output_tokens: 3 });
  });
});
