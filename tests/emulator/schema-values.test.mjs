// The shared JSON Schema value generator, and structured output (outputConfig.textFormat).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assert400, converse, converseStream, deltasAt, user } from './converse-test-client.mjs';
import { useEmulator } from './in-process-emulator.mjs';
import { valueForSchema } from '../../emulator/scenarios/schema-values.mjs';

describe('valueForSchema', () => {
  test('scalars', () => {
    assert.equal(valueForSchema({ type: 'string' }), 'value');
    assert.equal(valueForSchema({ type: 'string', enum: ['b', 'a'] }), 'b');
    assert.equal(valueForSchema({ type: 'integer' }), 42);
    assert.equal(valueForSchema({ type: 'integer', minimum: 7 }), 7);
    assert.equal(valueForSchema({ type: 'number' }), 4.2);
    assert.equal(valueForSchema({ type: 'boolean' }), true);
    assert.equal(valueForSchema({ type: 'null' }), null);
    assert.equal(valueForSchema({}), null);
  });

  test('objects keep property order, name strings, one array item', () => {
    assert.deepEqual(valueForSchema({
      type: 'object',
      properties: {
        z: { type: 'string' },
        a: { type: 'array', items: { type: 'string' } },
        n: { type: 'object', properties: { deep: { type: 'boolean' } } },
        opt: { type: ['string', 'null'] },
      },
      required: ['a'],
    }), { z: 'z-value', a: ['a-value'], n: { deep: true }, opt: 'opt-value' });
  });

  test('anyOf/oneOf take the first branch; $ref into $defs and definitions', () => {
    assert.deepEqual(valueForSchema({
      type: 'object',
      properties: {
        u: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
        o: { oneOf: [{ type: 'boolean' }] },
        r: { $ref: '#/$defs/Point' },
        d: { $ref: '#/definitions/Name' },
      },
      $defs: { Point: { type: 'object', properties: { x: { type: 'number' } } } },
      definitions: { Name: { type: 'string' } },
    }), { u: 42, o: true, r: { x: 4.2 }, d: 'd-value' });
  });

  test('recursive $ref stops (null) instead of looping', () => {
    const value = valueForSchema({ $ref: '#/$defs/N', $defs: { N: { type: 'object', properties: { next: { $ref: '#/$defs/N' } } } } });
    let depth = 0;
    for (let v = value; v && v.next !== undefined; v = v.next) depth++;
    assert.ok(depth > 1 && depth < 20);
  });
});

describe('structured output', () => {
  const emulator = useEmulator();
  const SCHEMA = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } } };
  const body = (schema = JSON.stringify(SCHEMA)) => ({
    messages: [user({ text: 'describe someone' })],
    outputConfig: { textFormat: { type: 'json_schema', structure: { jsonSchema: { schema, name: 'person' } } } },
  });
  const EXPECTED = '{"name":"name-value","age":42,"tags":["tags-value"]}';

  test('converse: one text block with the generated JSON', async () => {
    const reply = await converse(emulator.port, body());
    assert.deepEqual(reply.output.message.content, [{ text: EXPECTED }]);
    assert.equal(reply.stopReason, 'end_turn');
  });

  test('stream: the JSON in ≤ 8-char text deltas', async () => {
    const { events, folded } = await converseStream(emulator.port, body());
    const pieces = deltasAt(events, 0).map((d) => d.text);
    assert.ok(pieces.every((p) => p.length <= 8 && p.length > 0));
    assert.equal(pieces.join(''), EXPECTED);
    assert.deepEqual(folded, await converse(emulator.port, body()));
  });

  test('schema not JSON / not an object / bad type → 400', async () => {
    await assert400(emulator.port, body('{not json'), /outputConfig\.textFormat\.structure\.jsonSchema\.schema/);
    await assert400(emulator.port, body('[1]'), /outputConfig\.textFormat\.structure\.jsonSchema\.schema/);
    const bad = body();
    bad.outputConfig.textFormat.type = 'xml';
    await assert400(emulator.port, bad, /outputConfig\.textFormat\.type/);
  });
});
