// The embedding models over InvokeModel: Titan Text Embeddings v1/v2, Cohere Embed v3/v4 and Nova
// Multimodal Embeddings (text) reply
// in Bedrock's shapes with deterministic vectors (dimensions honoured, texts sharing words close),
// the input-token header, and Bedrock's ValidationExceptions for bad bodies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assert400 } from './converse-test-client.mjs';
import { useEmulator } from './in-process-emulator.mjs';
import { callModel } from './signed-client.mjs';

const emulator = useEmulator();
const TITAN_V1 = 'amazon.titan-embed-text-v1';
const TITAN_V2 = 'amazon.titan-embed-text-v2:0';
const COHERE_V3 = 'cohere.embed-english-v3';
const COHERE_V4 = 'us.cohere.embed-v4:0';
const NOVA = 'amazon.nova-2-multimodal-embeddings-v1:0';

async function embed(modelId, body) {
  const response = await callModel(emulator.port, modelId, 'invoke', body);
  assert.equal(response.status, 200, response.body.toString());
  return { reply: JSON.parse(response.body.toString('utf8')), tokens: Number(response.headers['x-amzn-bedrock-input-token-count']) };
}

const norm = (v) => Math.hypot(...v);
const cosine = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0) / (norm(a) * norm(b));

test('Titan v1 and v2: one vector, its token count, v2\'s dimensions, normalize and embeddingsByType', async () => {
  const v1 = await embed(TITAN_V1, { inputText: 'the quick brown fox' });
  assert.deepEqual(Object.keys(v1.reply), ['embedding', 'inputTextTokenCount']);
  assert.equal(v1.reply.embedding.length, 1536);
  assert.equal(v1.reply.inputTextTokenCount, 4);
  assert.equal(v1.tokens, 4);
  assert.ok(Math.abs(norm(v1.reply.embedding) - 1) > 0.01, 'v1 is not normalised');

  const v2 = await embed(TITAN_V2, { inputText: 'the quick brown fox' });
  assert.equal(v2.reply.embedding.length, 1024, 'default 1024');
  assert.ok(Math.abs(norm(v2.reply.embedding) - 1) < 1e-5, 'normalised by default');
  assert.deepEqual(v2.reply.embeddingsByType, { float: v2.reply.embedding });
  const small = await embed(TITAN_V2, { inputText: 'the quick brown fox', dimensions: 256, normalize: false });
  assert.equal(small.reply.embedding.length, 256);
  assert.ok(Math.abs(norm(small.reply.embedding) - 1) > 0.01, 'normalize: false');
  assert.deepEqual((await embed(TITAN_V2, { inputText: 'the quick brown fox' })).reply.embedding, v2.reply.embedding, 'deterministic');
  const near = (await embed(TITAN_V2, { inputText: 'a quick brown dog' })).reply.embedding;
  const far = (await embed(TITAN_V2, { inputText: 'tax law of 1998' })).reply.embedding;
  assert.ok(cosine(v2.reply.embedding, near) > cosine(v2.reply.embedding, far) + 0.2, 'shared words are closer');
});

test('Cohere v3 and v4: one vector per text in order, embeddings_by_type when asked, v4\'s output_dimension', async () => {
  const v3 = await embed(COHERE_V3, { texts: ['one two', 'three'], input_type: 'search_document' });
  assert.equal(v3.reply.response_type, 'embeddings_floats');
  assert.deepEqual(v3.reply.texts, ['one two', 'three']);
  assert.equal(v3.reply.embeddings.length, 2);
  assert.equal(v3.reply.embeddings[0].length, 1024);
  assert.equal(v3.tokens, 3);
  assert.match(v3.reply.id, /^[0-9a-f-]{36}$/);
  const v4 = await embed(COHERE_V4, { texts: ['three', 'one two'], input_type: 'search_query', embedding_types: ['float'], output_dimension: 512 });
  assert.equal(v4.reply.response_type, 'embeddings_by_type');
  assert.equal(v4.reply.embeddings.float[0].length, 512);
  assert.equal(v4.reply.embeddings.float.length, 2);
  const plain = await embed(COHERE_V4, { texts: ['x y'], input_type: 'search_query' });
  assert.equal(plain.reply.embeddings[0].length, 1536, 'v4 default 1536');
  const full = await embed(COHERE_V3, { texts: Array.from({ length: 96 }, (_, i) => `text ${i}`), input_type: 'search_document' });
  assert.equal(full.reply.embeddings.length, 96);
});

test('Nova Multimodal Embeddings: one TEXT entry per request, embeddingDimension (default 3072), the token header', async () => {
  const text = (value, params = {}) => ({ taskType: 'SINGLE_EMBEDDING', singleEmbeddingParams: { embeddingPurpose: 'GENERIC_INDEX', text: { truncationMode: 'END', value }, ...params } });
  const plain = await embed(NOVA, text('the quick brown fox'));
  assert.deepEqual(Object.keys(plain.reply), ['embeddings']);
  assert.equal(plain.reply.embeddings.length, 1);
  assert.equal(plain.reply.embeddings[0].embeddingType, 'TEXT');
  assert.equal(plain.reply.embeddings[0].embedding.length, 3072, 'default 3072');
  assert.equal(plain.tokens, 4);
  const small = await embed(`us.${NOVA}`, { schemaVersion: 'nova-multimodal-embed-v1', ...text('the quick brown fox', { embeddingDimension: 384, embeddingPurpose: 'GENERIC_RETRIEVAL' }) });
  assert.equal(small.reply.embeddings[0].embedding.length, 384);
  const near = (await embed(NOVA, text('a quick brown dog', { embeddingDimension: 384 }))).reply.embeddings[0].embedding;
  const far = (await embed(NOVA, text('tax law of 1998', { embeddingDimension: 384 }))).reply.embeddings[0].embedding;
  assert.ok(cosine(small.reply.embeddings[0].embedding, near) > cosine(small.reply.embeddings[0].embedding, far) + 0.2, 'shared words are closer');
});

test('bad bodies are ValidationExceptions in Bedrock\'s words; embedding models do not stream', async () => {
  const cases = [
    [TITAN_V2, { inputText: '' }, 'Malformed input request: #/inputText: expected minLength: 1, actual: 0, please reformat your input and try again.'],
    [TITAN_V2, { inputText: 'x', dimensions: 300 }, 'Malformed input request: #/dimensions: 300 is not a valid enum value, please reformat your input and try again.'],
    [TITAN_V2, {}, 'Malformed input request: #: required key [inputText] not found, please reformat your input and try again.'],
    [TITAN_V1, { inputText: 'x', dimensions: 256 }, 'Malformed input request: #: extraneous key [dimensions] is not permitted, please reformat your input and try again.'],
    [COHERE_V3, { texts: Array.from({ length: 97 }, () => 'x'), input_type: 'search_document' }, 'Malformed input request: #/texts: expected maximum item count: 96, found: 97, please reformat your input and try again.'],
    [COHERE_V3, { texts: ['x'] }, 'Malformed input request: #: required key [input_type] not found, please reformat your input and try again.'],
    [COHERE_V3, { texts: ['x'], input_type: 'search_query', truncate: 'LEFT' }, 'Malformed input request: #/truncate: LEFT is not a valid enum value, please reformat your input and try again.'],
    [COHERE_V3, { texts: ['x'], input_type: 'search_query', output_dimension: 256 }, 'Malformed input request: #: extraneous key [output_dimension] is not permitted, please reformat your input and try again.'],
    [COHERE_V4, { texts: ['x'], input_type: 'search_query', output_dimension: 300 }, 'Malformed input request: #/output_dimension: 300 is not a valid enum value, please reformat your input and try again.'],
    [NOVA, { taskType: 'SINGLE_EMBEDDING', singleEmbeddingParams: { embeddingPurpose: 'GENERIC_INDEX', embeddingDimension: 512, text: { truncationMode: 'END', value: 'x' } } }, 'Malformed input request: #/singleEmbeddingParams/embeddingDimension: 512 is not a valid enum value, please reformat your input and try again.'],
    [NOVA, { taskType: 'SINGLE_EMBEDDING', singleEmbeddingParams: { embeddingPurpose: 'GENERIC_INDEX', text: { value: 'x' } } }, 'Malformed input request: #/singleEmbeddingParams/text: required key [truncationMode] not found, please reformat your input and try again.'],
    [NOVA, { taskType: 'SEGMENTED_EMBEDDING', singleEmbeddingParams: { embeddingPurpose: 'GENERIC_INDEX', text: { truncationMode: 'END', value: 'x' } } }, 'Malformed input request: #/taskType: SEGMENTED_EMBEDDING is not a valid enum value, please reformat your input and try again.'],
  ];
  for (const [modelId, body, message] of cases) await assert400(emulator.port, body, message, { modelId, ops: ['invoke'] });
  await assert400(emulator.port, { inputText: 'x' }, 'The model is unsupported for streaming.', { modelId: TITAN_V2, ops: ['invoke-with-response-stream'] });
});
