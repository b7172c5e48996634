// The emulator over HTTP: authentication, error wire format, CORS, routing, validation, the
// scripted assistant (Converse, ConverseStream, InvokeModel*), and the request log.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeFrames } from '../../emulator/eventstream-reader.mjs';
import { useEmulator } from './in-process-emulator.mjs';
import {
  LONG_TERM, TEMPORARY, callModel, modelPath, send, signedHeaders, userSays,
} from './signed-client.mjs';

const MODEL = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const FRENCH = {
  system: [{ text: 'You are a translator. Translate the user sentence from English to French.' }],
  messages: [{ role: 'user', content: [{ text: 'I love programming.' }] }],
};

const emulator = useEmulator();

const json = (response) => JSON.parse(response.body.toString('utf8'));

/** Asserts the AWS error wire format and returns the body. */
function assertError(response, status, name) {
  assert.equal(response.status, status, response.body.toString());
  assert.equal(response.headers['x-amzn-errortype'], `${name}:http://internal.amazon.com/coral/com.amazon.bedrock/`);
  assert.match(response.headers['x-amzn-requestid'], UUID_V4);
  assert.equal(response.headers['content-type'], 'application/json');
  const body = json(response);
  assert.deepEqual(Object.keys(body), ['message']);
  return body;
}

function assertCommonHeaders(response) {
  assert.match(response.headers['x-amzn-requestid'], UUID_V4);
  assert.equal(response.headers['access-control-allow-origin'], '*');
  assert.match(response.headers['access-control-allow-headers'], /\bauthorization\b/);
  assert.match(response.headers['access-control-allow-headers'], /x-amz-security-token/);
  assert.equal(response.headers['access-control-allow-methods'], 'POST, GET, DELETE, OPTIONS');
  assert.equal(
    response.headers['access-control-expose-headers'],
    'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-bedrock-content-type, date, '
      + 'x-amzn-bedrock-input-token-count, x-amzn-bedrock-output-token-count, x-amzn-bedrock-invocation-latency, '
      + 'x-amzn-bedrock-cache-read-input-token-count, x-amzn-bedrock-cache-write-input-token-count',
  );
}

describe('authentication', () => {
  test('a SigV4-signed request succeeds', async () => {
    const response = await callModel(emulator.port, MODEL, 'converse', userSays('hi'));
    assert.equal(response.status, 200, response.body.toString());
    assertCommonHeaders(response);
  });

  test('no Authorization → 403 InvalidSignatureException', async () => {
    const response = await send({ port: emulator.port, path: modelPath(MODEL, 'converse'), body: JSON.stringify(userSays('hi')) });
    assertError(response, 403, 'InvalidSignatureException');
    assertCommonHeaders(response);
  });

  test('wrong secret → 403 InvalidSignatureException naming the canonical request', async () => {
    const response = await callModel(emulator.port, MODEL, 'converse', userSays('hi'), {
      credentials: { ...LONG_TERM, secretAccessKey: 'wrong' },
    });
    const { message } = assertError(response, 403, 'InvalidSignatureException');
    assert.match(message, /signature we calculated does not match/);
    assert.match(message, /anthropic\.claude-3-5-sonnet-20240620-v1%253A0\/converse/);
  });

  test('body changed after signing → 403', async () => {
    const path = modelPath(MODEL, 'converse');
    const headers = await signedHeaders({ port: emulator.port, path, body: JSON.stringify(userSays('hi')) });
    const response = await send({ port: emulator.port, path, headers, body: JSON.stringify(userSays('ho')) });
    assertError(response, 403, 'InvalidSignatureException');
  });

  test('unknown access key → 403 UnrecognizedClientException', async () => {
    const response = await callModel(emulator.port, MODEL, 'converse', userSays('hi'), {
      credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' },
    });
    assertError(response, 403, 'UnrecognizedClientException');
  });

  test('scope for another service → 403', async () => {
    const path = modelPath(MODEL, 'converse');
    const body = JSON.stringify(userSays('hi'));
    const headers = await signedHeaders({ port: emulator.port, path, body });
    headers.authorization = headers.authorization.replace('/bedrock/', '/bedrock-runtime/');
    assertError(await send({ port: emulator.port, path, headers, body }), 403, 'InvalidSignatureException');
  });

  test('temporary credentials need their session token', async () => {
    const ok = await callModel(emulator.port, MODEL, 'converse', userSays('hi'), { credentials: TEMPORARY });
    assert.equal(ok.status, 200, ok.body.toString());
    const { sessionToken: _, ...withoutToken } = TEMPORARY;
    const missing = await callModel(emulator.port, MODEL, 'converse', userSays('hi'), { credentials: withoutToken });
    assertError(missing, 403, 'UnrecognizedClientException');
    const wrong = await callModel(emulator.port, MODEL, 'converse', userSays('hi'), { credentials: { ...TEMPORARY, sessionToken: 'other' } });
    assertError(wrong, 403, 'UnrecognizedClientException');
  });

  test('a session token that was not signed is accepted (added after signing)', async () => {
    const { sessionToken, ...unsignedToken } = TEMPORARY;
    const path = modelPath(MODEL, 'converse');
    const body = JSON.stringify(userSays('hi'));
    const headers = await signedHeaders({ port: emulator.port, path, body, credentials: unsignedToken });
    headers['x-amz-security-token'] = sessionToken;
    assert.equal((await send({ port: emulator.port, path, headers, body })).status, 200);
  });

  test('the long-term key rejects a session token', async () => {
    const response = await callModel(emulator.port, MODEL, 'converse', userSays('hi'), { credentials: { ...LONG_TERM, sessionToken: 'x' } });
    assertError(response, 403, 'UnrecognizedClientException');
  });

  test('other regions verify too (the region comes from the scope)', async () => {
    const response = await callModel(emulator.port, MODEL, 'converse', userSays('hi'), { region: 'eu-west-3' });
    assert.equal(response.status, 200);
  });

  test('Bedrock API key: Bearer emulator-api-key works, others → 403', async () => {
    const path = modelPath(MODEL, 'converse');
    const body = JSON.stringify(userSays('hi'));
    const good = await send({ port: emulator.port, path, body, headers: { authorization: 'Bearer emulator-api-key', 'content-type': 'application/json' } });
    assert.equal(good.status, 200);
    const bad = await send({ port: emulator.port, path, body, headers: { authorization: 'Bearer bedrock-api-key-nope' } });
    assertError(bad, 403, 'UnrecognizedClientException');
  });
});

describe('routing and CORS', () => {
  test('OPTIONS preflight → 204 with CORS headers, no auth', async () => {
    const response = await send({
      port: emulator.port, path: modelPath(MODEL, 'converse-stream'), method: 'OPTIONS',
      headers: { origin: 'http://localhost:8080', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,x-amz-date' },
    });
    assert.equal(response.status, 204);
    assertCommonHeaders(response);
  });

  test('unknown routes → 404 UnknownOperationException (after auth)', async () => {
    for (const path of ['/', '/model/x/chat', '/model/a/b/converse', '/foo']) {
      const headers = await signedHeaders({ port: emulator.port, path, body: '{}' });
      assertError(await send({ port: emulator.port, path, headers, body: '{}' }), 404, 'UnknownOperationException');
    }
    const headers = await signedHeaders({ port: emulator.port, path: modelPath(MODEL, 'converse'), method: 'GET' });
    assertError(await send({ port: emulator.port, path: modelPath(MODEL, 'converse'), method: 'GET', headers }), 404, 'UnknownOperationException');
  });

  test('model ids may be ARNs and inference profiles', async () => {
    for (const id of [
      'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/mi1dadi0g15f',
      'us.anthropic.claude-sonnet-4-20250514-v1:0',
      'us.anthropic.claude-sonnet-4-6',
    ]) {
      const response = await callModel(emulator.port, id, 'converse', userSays('hi'));
      assert.equal(response.status, 200, `${id}: ${response.body}`);
    }
  });

  test("a raw ':' in the path (Anthropic SDK style) verifies too", async () => {
    const path = `/model/${MODEL}/converse`;
    const body = JSON.stringify(userSays('hi'));
    const headers = await signedHeaders({ port: emulator.port, path, body });
    const response = await send({ port: emulator.port, path, headers, body });
    assert.equal(response.status, 200, response.body.toString());
  });

  test('control routes', async () => {
    const health = await send({ port: emulator.port, path: '/_emulator/health', method: 'GET' });
    assert.deepEqual(json(health), { ok: true });
    assertCommonHeaders(health);
    const names = json(await send({ port: emulator.port, path: '/_emulator/recordings', method: 'GET' }));
    assert.ok(names.includes('pydantic-ai/test_bedrock_model_thinking_part_stream'));
  });
});

describe('validation', () => {
  const cases = {
    'not JSON': '{"messages": [',
    'not an object': '[]',
    'no messages': {},
    'empty messages': { messages: [] },
    'bad role': { messages: [{ role: 'system', content: [{ text: 'x' }] }] },
    'content not array': { messages: [{ role: 'user', content: 'x' }] },
    'empty content': { messages: [{ role: 'user', content: [] }] },
    'two members in a block': { messages: [{ role: 'user', content: [{ text: 'x', image: {} }] }] },
    'unknown block': { messages: [{ role: 'user', content: [{ sticker: 'x' }] }] },
    'starts with assistant': { messages: [{ role: 'assistant', content: [{ text: 'x' }] }] },
    'does not alternate': userSays('a', { messages: [{ role: 'user', content: [{ text: 'a' }] }, { role: 'user', content: [{ text: 'b' }] }] }),
    'system not array': userSays('x', { system: 'be nice' }),
    'empty system text': userSays('x', { system: [{ text: '' }] }),
    'maxTokens 0': userSays('x', { inferenceConfig: { maxTokens: 0 } }),
    'maxTokens not integer': userSays('x', { inferenceConfig: { maxTokens: 1.5 } }),
    'temperature 2': userSays('x', { inferenceConfig: { temperature: 2 } }),
    'topP -0.1': userSays('x', { inferenceConfig: { topP: -0.1 } }),
    'stopSequences not array': userSays('x', { inferenceConfig: { stopSequences: 'x' } }),
    'empty tools': userSays('x', { toolConfig: { tools: [] } }),
    'blank text': { messages: [{ role: 'user', content: [{ text: 'a' }, { text: ' \n' }] }] },
    'a Claude prefill ending in whitespace': { messages: [{ role: 'user', content: [{ text: 'a' }] }, { role: 'assistant', content: [{ text: 'b' }, { text: 'c \n' }, { cachePoint: { type: 'default' } }] }] },
  };
  for (const [name, body] of Object.entries(cases)) {
    test(`${name} → 400 ValidationException`, async () => {
      for (const op of ['converse', 'converse-stream']) {
        const { message } = assertError(await callModel(emulator.port, MODEL, op, body), 400, 'ValidationException');
        assert.ok(message.length > 10, message);
      }
    });
  }

  test('only Claude refuses a prefill ending in whitespace, with its own message', async () => {
    const prefill = (text) => ({ messages: [{ role: 'user', content: [{ text: 'a' }] }, { role: 'assistant', content: [{ text }] }] });
    const { message } = assertError(await callModel(emulator.port, MODEL, 'converse', prefill('b ')), 400, 'ValidationException');
    assert.equal(message, 'messages: final assistant content cannot end with trailing whitespace');
    assert.equal((await callModel(emulator.port, MODEL, 'converse', prefill('b'))).status, 200);
    assert.equal((await callModel(emulator.port, 'us.amazon.nova-lite-v1:0', 'converse', prefill('b '))).status, 200);
  });

  test('a valid request with every optional member passes', async () => {
    const response = await callModel(emulator.port, MODEL, 'converse', {
      messages: [
        { role: 'user', content: [{ text: 'a' }, { image: { format: 'png', source: { bytes: 'AA==' } } }] },
        { role: 'assistant', content: [{ text: 'b' }] },
        { role: 'user', content: [{ text: 'c' }] },
      ],
      system: [{ text: 's' }, { cachePoint: { type: 'default' } }],
      inferenceConfig: { maxTokens: 2048, temperature: 0, topP: 1, stopSequences: [] },
      toolConfig: { tools: [{ toolSpec: { name: 't', inputSchema: { json: {} } } }] },
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } },
      unknownFutureMember: true,
    });
    assert.equal(response.status, 200, response.body.toString());
  });
});

describe('scripted assistant', () => {
  test('Converse: the French translation', async () => {
    const response = await callModel(emulator.port, MODEL, 'converse', FRENCH);
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.deepEqual(json(response), {
      output: { message: { role: 'assistant', content: [{ text: "J'adore la programmation." }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 15, outputTokens: 3, totalTokens: 18, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
      metrics: { latencyMs: 130 },
    });
  });

  test('Converse: echo of the last user message', async () => {
    const body = {
      messages: [
        { role: 'user', content: [{ text: 'first' }] },
        { role: 'assistant', content: [{ text: 'ok' }] },
        { role: 'user', content: [{ text: 'hello' }, { text: 'there' }] },
      ],
    };
    const reply = json(await callModel(emulator.port, MODEL, 'converse', body));
    assert.deepEqual(reply.output.message.content, [{ text: 'Echo: hello there' }]);
    assert.equal(reply.stopReason, 'end_turn');
  });

  test('Converse: maxTokens truncates to that many words', async () => {
    const reply = json(await callModel(emulator.port, MODEL, 'converse', userSays('one two three four', { inferenceConfig: { maxTokens: 3 } })));
    assert.equal(reply.output.message.content[0].text, 'Echo: one two');
    assert.equal(reply.stopReason, 'max_tokens');
    assert.equal(reply.usage.outputTokens, 3);
  });

  test('Converse: a stop sequence cuts before it', async () => {
    const reply = json(await callModel(emulator.port, MODEL, 'converse', userSays('alpha STOP beta', { inferenceConfig: { stopSequences: ['STOP', 'beta'] } })));
    assert.equal(reply.output.message.content[0].text, 'Echo: alpha ');
    assert.equal(reply.stopReason, 'stop_sequence');
  });

  test('ConverseStream: frames shaped like real Bedrock', async () => {
    const response = await callModel(emulator.port, MODEL, 'converse-stream', FRENCH);
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/vnd.amazon.eventstream');
    assert.equal(response.headers['transfer-encoding'], 'chunked');
    assertCommonHeaders(response);
    const frames = decodeFrames(response.body);
    for (const { headers, payload } of frames) {
      assert.deepEqual(Object.keys(headers), [':event-type', ':content-type', ':message-type']);
      assert.equal(headers[':message-type'], 'event');
      assert.equal(headers[':content-type'], 'application/json');
      assert.match(payload.p, /^abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$|^[a-zA-Z0-9]+$/);
      assert.deepEqual(Object.keys(payload), Object.keys(payload).sort(), 'members sorted like real payloads');
    }
    assert.ok(new Set(frames.map((f) => f.payload.p.length)).size > 3, 'padding length varies');
    const events = frames.map(({ headers, payload: { p: _, ...rest } }) => [headers[':event-type'], rest]);
    assert.deepEqual(events, [
      ['messageStart', { role: 'assistant' }],
      ...['J', "'adore", ' la', ' programmation', '.'].map((text) => ['contentBlockDelta', { contentBlockIndex: 0, delta: { text } }]),
      ['contentBlockStop', { contentBlockIndex: 0 }],
      ['messageStop', { stopReason: 'end_turn' }],
      ['metadata', {
        metrics: { latencyMs: 130 },
        usage: { inputTokens: 15, outputTokens: 3, totalTokens: 18, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
      }],
    ]);
    // Each frame is written on its own (one chunk per frame), like the real service.
    assert.ok(response.chunks.length >= 2);
  });

  test('ConverseStream: stop reasons carry over', async () => {
    const response = await callModel(emulator.port, MODEL, 'converse-stream', userSays('a b c d e', { inferenceConfig: { maxTokens: 2 } }));
    const frames = decodeFrames(response.body);
    const text = frames.filter((f) => f.headers[':event-type'] === 'contentBlockDelta').map((f) => f.payload.delta.text).join('');
    assert.equal(text, 'Echo: a');
    assert.equal(frames.find((f) => f.headers[':event-type'] === 'messageStop').payload.stopReason, 'max_tokens');
  });

  test('ConverseStream: an empty reply still has one (empty) text delta', async () => {
    const response = await callModel(emulator.port, MODEL, 'converse-stream', userSays('x', { inferenceConfig: { stopSequences: ['Echo'] } }));
    const types = decodeFrames(response.body).map((f) => [f.headers[':event-type'], f.payload.delta?.text]);
    assert.deepEqual(types.slice(0, 3), [['messageStart', undefined], ['contentBlockDelta', ''], ['contentBlockStop', undefined]]);
  });

  const ANTHROPIC = {
    anthropic_version: 'bedrock-2023-05-31', max_tokens: 100,
    system: 'Translate English to French.',
    messages: [{ role: 'user', content: 'I love programming.' }],
  };

  test('InvokeModel: an Anthropic Messages reply', async () => {
    const response = await callModel(emulator.port, MODEL, 'invoke', ANTHROPIC);
    assert.equal(response.status, 200, response.body.toString());
    const body = json(response);
    assert.deepEqual(body.content, [{ type: 'text', text: "J'adore la programmation." }]);
    assert.equal(body.stop_reason, 'end_turn');
    assert.equal(body.model, 'claude-3-5-sonnet-20240620');
    assert.equal(response.headers['x-amzn-bedrock-output-token-count'], '3');
    assertError(await callModel(emulator.port, MODEL, 'invoke', { max_tokens: 5, messages: [] }), 400, 'ValidationException');
  });

  test('InvokeModelWithResponseStream: chunk frames with base64 Claude events', async () => {
    const response = await callModel(emulator.port, MODEL, 'invoke-with-response-stream', ANTHROPIC);
    assert.equal(response.status, 200);
    assert.equal(response.headers['x-amzn-bedrock-content-type'], 'application/json');
    const events = decodeFrames(response.body).map((f) => {
      assert.equal(f.headers[':event-type'], 'chunk');
      return JSON.parse(Buffer.from(f.payload.bytes, 'base64').toString());
    });
    assert.deepEqual(events.map((e) => e.type), [
      'message_start', 'content_block_start', ...Array(5).fill('content_block_delta'),
      'content_block_stop', 'message_delta', 'message_stop',
    ]);
    assert.equal(events.filter((e) => e.delta?.text).map((e) => e.delta.text).join(''), "J'adore la programmation.");
    assert.equal(events.at(-1)['amazon-bedrock-invocationMetrics'].outputTokenCount, 3);
  });
});

describe('request log', () => {
  test('records requests with secrets redacted; DELETE clears', async () => {
    await send({ port: emulator.port, path: '/_emulator/requests', method: 'DELETE' });
    await callModel(emulator.port, 'us.anthropic.claude-sonnet-4-20250514-v1:0', 'converse-stream', FRENCH, { credentials: TEMPORARY });
    await send({ port: emulator.port, path: modelPath(MODEL, 'converse'), body: '{}', headers: { authorization: 'Bearer secret-key-value' } });
    const entries = json(await send({ port: emulator.port, path: '/_emulator/requests', method: 'GET' }));
    assert.equal(entries.length, 2);
    const [signed, bearer] = entries;
    assert.equal(signed.method, 'POST');
    assert.equal(signed.path, '/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse-stream');
    assert.equal(signed.modelId, 'us.anthropic.claude-sonnet-4-20250514-v1:0');
    assert.equal(signed.operation, 'ConverseStream');
    assert.deepEqual(signed.body, FRENCH);
    assert.equal(signed.status, 200);
    assert.match(signed.headers.authorization, /^AWS4-HMAC-SHA256 Credential=ASIAEMULATORTEMP\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=REDACTED$/);
    assert.equal(signed.headers['x-amz-security-token'], 'REDACTED');
    assert.match(signed.headers['x-amz-date'], /^\d{8}T\d{6}Z$/);
    assert.equal(bearer.headers.authorization, 'Bearer REDACTED');
    assert.equal(bearer.status, 403);
    assert.ok(!JSON.stringify(entries).includes('emulator-session-token'));
    assert.ok(!JSON.stringify(entries).includes('secret-key-value'));

    await send({ port: emulator.port, path: '/_emulator/requests', method: 'DELETE' });
    assert.deepEqual(json(await send({ port: emulator.port, path: '/_emulator/requests', method: 'GET' })), []);
  });

  test('keeps the last 100', async () => {
    await send({ port: emulator.port, path: '/_emulator/requests', method: 'DELETE' });
    await Promise.all(Array.from({ length: 105 }, () => send({ port: emulator.port, path: '/nowhere', body: 'x' })));
    const entries = json(await send({ port: emulator.port, path: '/_emulator/requests', method: 'GET' }));
    assert.equal(entries.length, 100);
    assert.equal(entries[0].body, null);
  });
});
