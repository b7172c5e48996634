// Tool use: toolConfig validation, which tools the scripted model calls (auto / any / tool), ids,
// generated inputs, streamed input fragments, tool-result replies and fault:bad-tool-args.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assert400, assistant, converse, converseStream, deltasAt, user } from './converse-test-client.mjs';
import { useEmulator } from './in-process-emulator.mjs';
import { callModel } from './signed-client.mjs';

const emulator = useEmulator();

const WEATHER = {
  toolSpec: {
    name: 'get_weather',
    description: 'Weather for a city',
    inputSchema: { json: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] } },
  },
};
const TIME = { toolSpec: { name: 'get_time', inputSchema: { json: { type: 'object', properties: {} } } } };
const TOOLS = { tools: [WEATHER, TIME] };
const ask = (text, toolConfig = TOOLS, extra = {}) => ({ messages: [user({ text })], toolConfig, ...extra });
const ID = /^tooluse_[a-zA-Z0-9_]{22}$/;

describe('tool calls', () => {
  test('auto: calls the tools named in the user text, after a "Calling …" text block', async () => {
    const reply = await converse(emulator.port, ask('use get_time and get_weather'));
    assert.equal(reply.stopReason, 'tool_use');
    const [text, weather, time] = reply.output.message.content;
    assert.deepEqual(text, { text: 'Calling get_weather, get_time.' });
    assert.equal(weather.toolUse.name, 'get_weather');
    assert.match(weather.toolUse.toolUseId, ID);
    assert.deepEqual(weather.toolUse.input, { city: 'city-value', days: 42 });
    assert.deepEqual(time.toolUse.input, {});
    assert.notEqual(weather.toolUse.toolUseId, time.toolUse.toolUseId);
  });

  test('ids are deterministic for the same messages and change with them', async () => {
    const a = await converse(emulator.port, ask('get_time please'));
    const b = await converse(emulator.port, ask('get_time please'));
    const c = await converse(emulator.port, ask('get_time now'));
    assert.equal(a.output.message.content[1].toolUse.toolUseId, b.output.message.content[1].toolUse.toolUseId);
    assert.notEqual(a.output.message.content[1].toolUse.toolUseId, c.output.message.content[1].toolUse.toolUseId);
  });

  test('auto with no tool named → the normal text reply', async () => {
    const reply = await converse(emulator.port, ask('hello there'));
    assert.deepEqual(reply.output.message.content, [{ text: 'Echo: hello there' }]);
    assert.equal(reply.stopReason, 'end_turn');
  });

  test('any → the first toolSpec, no text block', async () => {
    const reply = await converse(emulator.port, ask('hello', { ...TOOLS, toolChoice: { any: {} } }));
    assert.equal(reply.output.message.content.length, 1);
    assert.equal(reply.output.message.content[0].toolUse.name, 'get_weather');
  });

  test('tool → that tool, no text block', async () => {
    const reply = await converse(emulator.port, ask('hello', { ...TOOLS, toolChoice: { tool: { name: 'get_time' } } }));
    assert.deepEqual(reply.output.message.content.map((b) => b.toolUse?.name), ['get_time']);
  });

  test('stream: contentBlockStart for tool use, "" first, ≤ 8-char fragments, {} → one ""', async () => {
    const body = ask('use get_time and get_weather');
    const { events, folded } = await converseStream(emulator.port, body);
    assert.deepEqual(events.filter(([t]) => t === 'contentBlockStart').map(([, p]) => [p.contentBlockIndex, p.start.toolUse.name]),
      [[1, 'get_weather'], [2, 'get_time']]);
    assert.ok(!events.some(([t, p]) => t === 'contentBlockStart' && p.contentBlockIndex === 0), 'no start for text');
    const weather = deltasAt(events, 1).map((d) => d.toolUse.input);
    assert.equal(weather[0], '');
    assert.ok(weather.every((f) => f.length <= 8));
    assert.equal(weather.join(''), '{"city":"city-value","days":42}');
    assert.deepEqual(deltasAt(events, 2), [{ toolUse: { input: '' } }]);
    assert.deepEqual(events.at(-2), ['messageStop', { stopReason: 'tool_use' }]);
    assert.deepEqual(folded, await converse(emulator.port, body));
  });
});

describe('tool results', () => {
  const history = (results, toolConfig = TOOLS) => ({
    toolConfig,
    messages: [
      user({ text: 'use get_weather' }),
      assistant({ text: 'Calling get_weather.' }, { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } }),
      user(...results),
    ],
  });

  test('reply renders each result; error status marked', async () => {
    const body = history([{
      toolResult: {
        toolUseId: 'tooluse_1',
        content: [{ text: 'sunny' }, { json: { t: 21 } }, { image: { format: 'png', source: { bytes: 'AAAA' } } }],
      },
    }]);
    const reply = await converse(emulator.port, body);
    assert.deepEqual(reply.output.message.content, [{ text: 'Tool results: sunny {"t":21} [image png 3 bytes]' }]);
    assert.equal(reply.stopReason, 'end_turn');
    const { folded } = await converseStream(emulator.port, body);
    assert.deepEqual(folded, reply);
  });

  test('two results joined by "; ", status error', async () => {
    const body = {
      toolConfig: TOOLS,
      messages: [
        user({ text: 'x' }),
        assistant({ toolUse: { toolUseId: 'a', name: 'get_weather', input: {} } }, { toolUse: { toolUseId: 'b', name: 'get_time', input: {} } }),
        user({ toolResult: { toolUseId: 'b', content: [{ text: 'noon' }] } },
          { toolResult: { toolUseId: 'a', content: [{ text: 'down' }], status: 'error' } }),
      ],
    };
    const reply = await converse(emulator.port, body);
    assert.equal(reply.output.message.content[0].text, 'Tool results: noon; down (error)');
  });

  test('toolResult without toolConfig → 400', async () => {
    const body = history([{ toolResult: { toolUseId: 'tooluse_1', content: [{ text: 'x' }] } }]);
    delete body.toolConfig;
    await assert400(emulator.port, body, 'The toolConfig field must be defined when using toolUse and toolResult content blocks.');
  });

  test('more results than uses → 400', async () => {
    await assert400(emulator.port, history([
      { toolResult: { toolUseId: 'tooluse_1', content: [{ text: 'x' }] } },
      { toolResult: { toolUseId: 'tooluse_2', content: [{ text: 'y' }] } },
    ]), 'The number of toolResult blocks at messages.2.content exceeds the number of toolUse blocks of previous turn.');
  });

  test('unknown toolUseId → 400', async () => {
    await assert400(emulator.port, history([{ toolResult: { toolUseId: 'nope', content: [{ text: 'x' }] } }]),
      'messages.2.content.0.toolResult.toolUseId: Tool use id nope does not match any toolUse in the previous assistant turn.');
  });

  test('a toolUse left unanswered → 400', async () => {
    await assert400(emulator.port, history([{ text: 'never mind' }]), /^messages\.2: `tool_use` ids were found without `tool_result` blocks immediately after: tooluse_1\./);
  });

  test('bad status and bad content members → 400', async () => {
    await assert400(emulator.port, history([{ toolResult: { toolUseId: 'tooluse_1', content: [{ text: 'x' }], status: 'meh' } }]),
      /at 'messages\.2\.content\.0\.toolResult\.status'.*enum value set: \[success, error\]/);
    await assert400(emulator.port, history([{ toolResult: { toolUseId: 'tooluse_1', content: [{ sticker: 'x' }] } }]),
      /messages\.2\.content\.0\.toolResult\.content\.0/);
    await assert400(emulator.port, history([{ toolResult: { toolUseId: 'tooluse_1', content: [{ image: { format: 'bmp', source: { bytes: 'AAAA' } } }] } }]),
      /at 'messages\.2\.content\.0\.toolResult\.content\.0\.image\.format'/);
  });
});

describe('toolConfig validation', () => {
  const cases = {
    'bad tool name': [{ tools: [{ toolSpec: { name: 'bad name', inputSchema: { json: {} } } }] }, /toolConfig\.tools\.0\.toolSpec\.name/],
    'empty description': [{ tools: [{ toolSpec: { name: 't', description: '', inputSchema: { json: {} } } }] }, /toolConfig\.tools\.0\.toolSpec\.description/],
    'schema not an object': [{ tools: [{ toolSpec: { name: 't', inputSchema: { json: 'x' } } }] }, /inputSchema\.json/],
    'two members in a tool': [{ tools: [{ toolSpec: { name: 't', inputSchema: { json: {} } }, cachePoint: { type: 'default' } }] }, /toolConfig\.tools\.0/],
    'unknown tool member': [{ tools: [{ mcp: {} }] }, /toolConfig\.tools\.0/],
    'bad toolChoice': [{ ...TOOLS, toolChoice: { required: {} } }, /toolConfig\.toolChoice/],
    'toolChoice names a missing tool': [{ ...TOOLS, toolChoice: { tool: { name: 'nope' } } }, /^The tool name nope in toolChoice doesn't match any tool in toolConfig/],
  };
  for (const [name, [toolConfig, pattern]] of Object.entries(cases)) {
    test(`${name} → 400`, () => assert400(emulator.port, ask('x', toolConfig), pattern));
  }

  test('systemTool and cachePoint entries are accepted', async () => {
    const reply = await converse(emulator.port, ask('hi', { tools: [{ systemTool: { name: 'nova_grounding' } }, WEATHER, { cachePoint: { type: 'default' } }] }));
    assert.equal(reply.stopReason, 'end_turn');
  });

  test('toolUse in history: bad id, non-object input → 400', async () => {
    const body = (toolUse) => ({
      toolConfig: TOOLS,
      messages: [user({ text: 'x' }), assistant({ toolUse }), user({ toolResult: { toolUseId: 'a', content: [] } })],
    });
    await assert400(emulator.port, body({ toolUseId: 'bad id!', name: 'get_time', input: {} }), /messages\.1\.content\.0\.toolUse\.toolUseId/);
    await assert400(emulator.port, body({ toolUseId: 'a', name: 'get_time', input: 'x' }), /messages\.1\.content\.0\.toolUse\.input/);
  });
});

describe('fault:bad-tool-args', () => {
  test('stream: unterminated JSON fragments for the first tool', async () => {
    const response = await callModel(emulator.port, 'fault:bad-tool-args', 'converse-stream', ask('hello'));
    assert.equal(response.status, 200);
    const { decodeFrames } = await import('../../emulator/eventstream-reader.mjs');
    const events = decodeFrames(response.body).map(({ headers, payload: { p: _p, ...rest } }) => [headers[':event-type'], rest]);
    assert.equal(events[1][0], 'contentBlockStart');
    assert.equal(events[1][1].start.toolUse.name, 'get_weather');
    assert.deepEqual(deltasAt(events, 0).map((d) => d.toolUse.input), ['', '{"city": ', '"Par']);
    assert.deepEqual(events.slice(-3).map(([t]) => t), ['contentBlockStop', 'messageStop', 'metadata']);
    assert.equal(events.at(-2)[1].stopReason, 'tool_use');
  });

  test('converse: input is the string', async () => {
    const response = await callModel(emulator.port, 'fault:bad-tool-args', 'converse', ask('hello'));
    const reply = JSON.parse(response.body);
    assert.equal(reply.stopReason, 'tool_use');
    assert.equal(reply.output.message.content[0].toolUse.input, '{"city": "Par');
    assert.equal(reply.output.message.content[0].toolUse.name, 'get_weather');
  });
});
