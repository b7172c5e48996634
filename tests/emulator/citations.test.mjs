// Citations: a citing document makes the reply a citationsContent block; in the stream a citation
// delta precedes the cited text in one block. Also folds vercel-ai's real citations capture.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { converse, converseStream, deltasAt, user } from './converse-test-client.mjs';
import { eventFrame } from '../../emulator/eventstream-writer.mjs';
import { RECORDINGS_DIR, useEmulator } from './in-process-emulator.mjs';
import { foldConverseStream } from '../../emulator/scenarios/replay.mjs';

const emulator = useEmulator();

const TEXT = 'Generative AI predicts likely outputs. It learns from data.';
const cite = (source, name = 'ai notes') => ({
  messages: [user({ text: 'what is it?' }, { document: { name, format: 'txt', source, citations: { enabled: true } } })],
});
const Q = 'Generative AI predicts likely outputs.';
const EXPECTED = {
  citationsContent: {
    content: [{ text: `According to the document, ${Q}` }],
    citations: [{ title: 'ai notes', sourceContent: [{ text: Q }], location: { documentChar: { documentIndex: 0, start: 0, end: Q.length } } }],
  },
};

test('converse: citationsContent quoting the first sentence (bytes or text source)', async () => {
  for (const source of [{ bytes: Buffer.from(TEXT).toString('base64') }, { text: TEXT }]) {
    const reply = await converse(emulator.port, cite(source));
    assert.deepEqual(reply.output.message.content, [EXPECTED]);
    assert.equal(reply.stopReason, 'end_turn');
  }
});

test('the quote stops at 60 characters', async () => {
  const reply = await converse(emulator.port, cite({ text: 'x'.repeat(100) }));
  assert.equal(reply.output.message.content[0].citationsContent.citations[0].sourceContent[0].text, 'x'.repeat(60));
});

test('stream: citation delta first, then text deltas, one block index', async () => {
  const body = cite({ text: TEXT });
  const { events, folded } = await converseStream(emulator.port, body);
  const deltas = deltasAt(events, 0);
  assert.deepEqual(deltas[0], { citation: EXPECTED.citationsContent.citations[0] });
  assert.equal(deltas.slice(1).map((d) => d.text).join(''), `According to the document, ${Q}`);
  assert.ok(!events.some(([t]) => t === 'contentBlockStart'));
  assert.equal(events.filter(([t]) => t === 'contentBlockStop').length, 1);
  assert.deepEqual(folded, await converse(emulator.port, body));
});

test('citations disabled → the normal reply with the document note', async () => {
  const body = cite({ text: TEXT });
  body.messages[0].content[1].document.citations.enabled = false;
  const reply = await converse(emulator.port, body);
  assert.equal(reply.output.message.content[0].text, 'Echo: what is it? [document ai notes txt 59 bytes]');
});

test("folding vercel-ai's real document-citations capture", () => {
  const file = path.resolve(RECORDINGS_DIR, '../vercel-ai/fixtures/amazon-bedrock-document-citations.chunks.txt');
  const events = fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => Object.entries(JSON.parse(line))[0]);
  const bytes = Buffer.concat(events.map(([type, { p: _p, ...payload }], seq) => eventFrame(type, payload, seq)));
  const folded = foldConverseStream(bytes);
  const content = folded.output.message.content;
  assert.ok(content.length >= 4);
  assert.ok(content[0].text.startsWith('Based on the supplied document'));
  const cited = content[1].citationsContent;
  assert.equal(cited.citations[0].title, 'document');
  assert.deepEqual(cited.citations[0].location, { documentPage: { documentIndex: 0, end: 2, start: 1 } });
  assert.ok(cited.content[0].text.startsWith('generative artificial intelligence refers to'));
});
