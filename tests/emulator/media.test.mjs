// Images, documents and videos: Bedrock-style validation with paths, and the reply's media notes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assert400, converse, converseStream, user } from './converse-test-client.mjs';
import { useEmulator } from './in-process-emulator.mjs';

const emulator = useEmulator();

const b64 = (n) => Buffer.alloc(n, 7).toString('base64');
const image = (format = 'png', source = { bytes: b64(67) }) => ({ image: { format, source } });
const doc = (name = 'report', source = { bytes: b64(120) }, extra = {}) => ({ document: { name, source, ...extra } });
const video = (format = 'mp4', source = { bytes: b64(1000) }) => ({ video: { format, source } });
const says = (...blocks) => ({ messages: [user({ text: 'look' }, ...blocks)] });

describe('media replies', () => {
  test('each media block of the last user message is noted in order', async () => {
    const body = says(image(), doc(), video(), image('jpeg', { s3Location: { uri: 's3://bucket/key', bucketOwner: '123456789012' } }));
    const reply = await converse(emulator.port, body);
    assert.deepEqual(reply.output.message.content, [{
      text: 'Echo: look [image png 67 bytes] [document report txt 120 bytes] [video mp4 1000 bytes] [image jpeg s3://bucket/key]',
    }]);
    const { folded } = await converseStream(emulator.port, body);
    assert.deepEqual(folded, reply);
  });

  test('document text and content sources count their UTF-8 bytes; format shown', async () => {
    const reply = await converse(emulator.port, says(doc('a (1)', { text: 'héllo' }, { format: 'md' }), doc('b [2]', { content: [{ text: 'abc' }, { text: 'de' }] })));
    assert.equal(reply.output.message.content[0].text, 'Echo: look [document a (1) md 6 bytes] [document b [2] txt 5 bytes]');
  });
});

describe('media validation', () => {
  const cases = {
    'image format': [says(image('bmp')), /^1 validation error detected: Value 'bmp' at 'messages\.0\.content\.1\.image\.format' failed to satisfy constraint: Member must satisfy enum value set: \[png, jpeg, gif, webp\]$/],
    'image two sources': [says(image('png', { bytes: 'AAAA', s3Location: { uri: 's3://b/k' } })), /messages\.0\.content\.1\.image\.source/],
    'image empty bytes': [says(image('png', { bytes: '' })), /messages\.0\.content\.1\.image\.source\.bytes/],
    'image bad base64': [says(image('png', { bytes: 'abc$' })), /messages\.0\.content\.1\.image\.source\.bytes is not valid base64/],
    'image text source': [says(image('png', { text: 'x' })), /messages\.0\.content\.1\.image\.source/],
    's3 uri': [says(image('png', { s3Location: { uri: 'https://b/k' } })), /messages\.0\.content\.1\.image\.source\.s3Location\.uri/],
    'document format': [says(doc('r', { text: 'x' }, { format: 'rtf' })), /messages\.0\.content\.1\.document\.format/],
    'document no name': [says({ document: { source: { text: 'x' } } }), /messages\.0\.content\.1\.document\.name/],
    'document long name': [says(doc('x'.repeat(201), { text: 'x' })), /messages\.0\.content\.1\.document\.name/],
    'document name chars': [says(doc('report.pdf', { text: 'x' })), "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character."],
    'document double space': [says(doc('my  report', { text: 'x' })), /can't contain more than one consecutive whitespace/],
    'duplicate document names': [says(doc('same', { text: 'x' }), doc('same', { text: 'y' })), /^messages\.0\.content: Duplicate document names are not allowed/],
    'video format': [says(video('avi')), /messages\.0\.content\.1\.video\.format.*three_gp/],
  };
  for (const [name, [body, pattern]] of Object.entries(cases)) {
    test(`${name} → 400`, () => assert400(emulator.port, body, pattern));
  }
});
