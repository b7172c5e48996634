// Events that break the protocol inside valid frames (scenarios/malformed-events.mjs), and the
// `:error-code` / `:exception-type` arguments of fault:error-frame and fault:exception-midstream.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { codec } from '../../emulator/eventstream-writer.mjs';
import { decodeFrames, splitFrames } from '../../emulator/eventstream-reader.mjs';
import { useEmulator } from './in-process-emulator.mjs';
import { callModel, userSays } from './signed-client.mjs';

const emulator = useEmulator();

const HELLO = userSays('hello big world');
const MODEL = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const CLAUDE_TOOLS = {
  anthropic_version: 'bedrock-2023-05-31',
  max_tokens: 200,
  tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
  tool_choice: { type: 'any' },
  messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
};

/** Each frame of a body as `{type, text}`: its event type and its payload as text. */
const rawEvents = (body) => splitFrames(body).map((frame) => {
  const message = codec.decode(frame);
  return { type: message.headers[':event-type'].value, text: Buffer.from(message.body).toString('utf8') };
});

/** The JSON texts of an InvokeModel stream's chunk events. */
const chunkTexts = (body) => decodeFrames(body).map((frame) => Buffer.from(frame.payload.bytes, 'base64').toString('utf8'));

/** An event's JSON text without message_start's model (the model id of the call). */
const withoutModel = (text) => {
  const event = JSON.parse(text);
  if (event.message) event.message.model = '-';
  return JSON.stringify(event);
};

describe('fault:bad-json:<eventType>', () => {
  test('the first event of that type has a payload cut before its closing brace', async () => {
    const normal = rawEvents((await callModel(emulator.port, MODEL, 'converse-stream', HELLO)).body);
    for (const type of ['messageStart', 'contentBlockDelta', 'contentBlockStop', 'messageStop', 'metadata']) {
      const response = await callModel(emulator.port, `fault:bad-json:${type}`, 'converse-stream', HELLO);
      assert.equal(response.status, 200, type);
      const events = rawEvents(response.body);
      assert.deepEqual(events.map((e) => e.type), normal.map((e) => e.type), type);
      const at = events.findIndex((e) => e.type === type);
      assert.throws(() => JSON.parse(events[at].text), SyntaxError, type);
      const { p: _, ...expected } = JSON.parse(normal[at].text);
      assert.deepEqual(JSON.parse(`${events[at].text}}`), expected, type);
      events.forEach((e, i) => i === at || assert.equal(e.text, normal[i].text, `${type}: frame ${i}`));
    }
    assert.equal(rawEvents((await callModel(emulator.port, 'fault:bad-json:messageStart', 'converse-stream', HELLO)).body)[0].text, '{"role":"assistant"');
  });

  test('an event type the stream lacks, no type, or another operation → 400', async () => {
    for (const id of ['fault:bad-json:contentBlockStart', 'fault:bad-json', 'fault:bad-json:nope']) {
      const response = await callModel(emulator.port, id, 'converse-stream', HELLO);
      assert.equal(response.status, 400, id);
      assert.match(JSON.parse(response.body).message, /fault:bad-json:<event> needs one of this stream's events/, id);
    }
    assert.equal((await callModel(emulator.port, 'fault:bad-json:messageStart', 'converse', HELLO)).status, 400);
  });
});

describe('fault:block-index:<start|delta|stop>:<index>', () => {
  test('the tool-use block\'s events of that kind carry the index verbatim, or none', async () => {
    const normal = chunkTexts((await callModel(emulator.port, MODEL, 'invoke-with-response-stream', CLAUDE_TOOLS)).body);
    const toolBlock = normal.map((t) => JSON.parse(t)).find((e) => e.content_block?.type === 'tool_use').index;
    for (const [kind, type] of [['start', 'content_block_start'], ['delta', 'content_block_delta'], ['stop', 'content_block_stop']]) {
      for (const index of ['1.0', '-1', '"0"', '4294967296', 'missing']) {
        const response = await callModel(emulator.port, `fault:block-index:${kind}:${index}`, 'invoke-with-response-stream', CLAUDE_TOOLS);
        assert.equal(response.status, 200);
        assert.equal(response.headers['x-amzn-bedrock-content-type'], 'application/json');
        const texts = chunkTexts(response.body);
        assert.equal(texts.length, normal.length);
        let changed = 0;
        texts.forEach((text, i) => {
          const event = JSON.parse(normal[i]);
          if (event.type !== type || event.index !== toolBlock) {
            assert.equal(withoutModel(text), withoutModel(normal[i]), `${kind}:${index} event ${i}`);
            return;
          }
          changed += 1;
          const { index: _, ...rest } = event;
          const others = JSON.stringify(rest);
          assert.equal(text, index === 'missing' ? others : `{"index":${index},${others.slice(1)}`);
        });
        assert.ok(changed >= 1, `${kind}:${index} changed nothing`);
      }
    }
  });

  test('without a tool call, block 0; bad arguments, other bodies and operations → 400', async () => {
    const plain = { ...CLAUDE_TOOLS, tools: undefined, tool_choice: undefined };
    const texts = chunkTexts((await callModel(emulator.port, 'fault:block-index:start:"x"', 'invoke-with-response-stream', plain)).body);
    assert.ok(texts.includes('{"index":"x","type":"content_block_start","content_block":{"type":"text","text":""}}'), texts.join('\n'));
    for (const id of ['fault:block-index', 'fault:block-index:delta', 'fault:block-index:middle:1', 'fault:block-index:delta:{']) {
      const response = await callModel(emulator.port, id, 'invoke-with-response-stream', CLAUDE_TOOLS);
      assert.equal(response.status, 400, id);
      assert.match(JSON.parse(response.body).message, /fault:block-index needs <start\|delta\|stop>/, id);
    }
    const llama = await callModel(emulator.port, 'fault:block-index:delta:1.0', 'invoke-with-response-stream', { prompt: 'hi', max_gen_len: 5 });
    assert.equal(llama.status, 400);
    assert.match(JSON.parse(llama.body).message, /Anthropic Messages body/);
    assert.equal((await callModel(emulator.port, 'fault:block-index:delta:1.0', 'converse-stream', HELLO)).status, 400);
  });
});

describe('names in error and exception frames', () => {
  test('fault:error-frame:<code> sends that :error-code, whole', async () => {
    const frames = decodeFrames((await callModel(emulator.port, 'fault:error-frame:Internal:Failure#x', 'converse-stream', HELLO)).body);
    assert.deepEqual(frames.at(-1).headers, { ':message-type': 'error', ':error-code': 'Internal:Failure#x', ':error-message': 'something broke' });
  });

  test('fault:exception-midstream:<type> sends that :exception-type', async () => {
    const frames = decodeFrames((await callModel(emulator.port, 'fault:exception-midstream:throttlingException:x', 'converse-stream', HELLO)).body);
    assert.equal(frames.at(-1).headers[':message-type'], 'exception');
    assert.equal(frames.at(-1).headers[':exception-type'], 'throttlingException:x');
  });
});
