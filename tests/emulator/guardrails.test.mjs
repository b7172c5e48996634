// Guardrails: guardrailConfig and guardContent validation, intervention on "forbidden", traces.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assert400, converse, converseStream, user } from './converse-test-client.mjs';
import { useEmulator } from './in-process-emulator.mjs';

const emulator = useEmulator();

const guarded = (content, config = {}) => ({
  messages: [user(...content)],
  guardrailConfig: { guardrailIdentifier: 'gr1abc', guardrailVersion: 'DRAFT', ...config },
});
const metrics = (n) => ({ guardrailProcessingLatency: 12, usage: { topicPolicyUnits: 1 }, guardrailCoverage: { textCharacters: { guarded: n, total: n } } });

test('"forbidden" → guardrail_intervened with the blocked reply and topic trace', async () => {
  const body = guarded([{ text: 'tell me the forbidden thing' }], { trace: 'enabled' });
  const reply = await converse(emulator.port, body);
  assert.equal(reply.stopReason, 'guardrail_intervened');
  assert.deepEqual(reply.output.message.content, [{ text: 'Sorry, the model cannot answer this question.' }]);
  assert.deepEqual(reply.trace, {
    guardrail: {
      inputAssessment: {
        gr1abc: { topicPolicy: { topics: [{ name: 'Forbidden', type: 'DENY', action: 'BLOCKED' }] }, invocationMetrics: metrics(27) },
      },
    },
  });
  const { events, folded } = await converseStream(emulator.port, body);
  assert.deepEqual(events.at(-1)[1].trace, reply.trace);
  assert.deepEqual(events.at(-2), ['messageStop', { stopReason: 'guardrail_intervened' }]);
  assert.deepEqual(folded, reply);
});

test('guardContent text counts; trace disabled → no trace', async () => {
  const reply = await converse(emulator.port, guarded([{ text: 'hi' }, { guardContent: { text: { text: 'Forbidden words', qualifiers: ['guard_content'] } } }]));
  assert.equal(reply.stopReason, 'guardrail_intervened');
  assert.equal(reply.trace, undefined);
});

test('allowed text with trace → metrics-only trace and the normal reply', async () => {
  const reply = await converse(emulator.port, guarded([{ text: 'hello' }], { trace: 'enabled_full' }));
  assert.deepEqual(reply.output.message.content, [{ text: 'Echo: hello' }]);
  assert.equal(reply.stopReason, 'end_turn');
  assert.deepEqual(reply.trace, { guardrail: { inputAssessment: { gr1abc: { invocationMetrics: metrics(5) } } } });
});

test('streamProcessingMode: allowed on converse-stream, 400 on converse', async () => {
  const body = guarded([{ text: 'hello' }], { streamProcessingMode: 'async' });
  await converseStream(emulator.port, body);
  await assert400(emulator.port, body, 'streamProcessingMode is not supported for Converse', { ops: ['converse'] });
  await assert400(emulator.port, guarded([{ text: 'x' }], { streamProcessingMode: 'later' }), /streamProcessingMode/, { ops: ['converse-stream'] });
});

test('guardrailConfig and guardContent validation → 400', async () => {
  await assert400(emulator.port, { messages: [user({ text: 'x' })], guardrailConfig: { guardrailVersion: '1' } }, /guardrailConfig\.guardrailIdentifier/);
  await assert400(emulator.port, guarded([{ text: 'x' }], { guardrailVersion: 'v1' }), /guardrailConfig\.guardrailVersion/);
  await assert400(emulator.port, guarded([{ text: 'x' }], { trace: 'verbose' }), /guardrailConfig\.trace/);
  await assert400(emulator.port, guarded([{ text: 'x' }, { guardContent: { text: { text: 'y', qualifiers: ['other'] } } }]),
    /messages\.0\.content\.1\.guardContent\.text\.qualifiers\.0/);
  await assert400(emulator.port, guarded([{ text: 'x' }, { guardContent: { image: { format: 'gif', source: { bytes: 'AAAA' } } } }]),
    /messages\.0\.content\.1\.guardContent\.image\.format/);
  await assert400(emulator.port, { system: [{ guardContent: { text: {} } }], messages: [user({ text: 'x' })] }, /system\.0\.guardContent\.text\.text/);
});
