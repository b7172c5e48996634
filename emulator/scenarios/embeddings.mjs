// The text embedding models' InvokeModel bodies: Amazon Titan Text Embeddings v1
// (`amazon.titan-embed-text-v1`, `{inputText}`) and v2 (`amazon.titan-embed-text-v2:0`,
// `{inputText, dimensions, normalize, embeddingTypes}`) → `{embedding, inputTextTokenCount}`
// (v2 adds `embeddingsByType`); Cohere Embed v3 (`cohere.embed-english-v3`,
// `cohere.embed-multilingual-v3`) and v4 (`cohere.embed-v4:0`), `{texts (≤ 96), input_type,
// truncate, embedding_types, output_dimension (v4)}` → `{id, embeddings, response_type, texts}`,
// `embeddings` a list of float vectors, or `{float: […]}` when `embedding_types` is given;
// Amazon Nova Multimodal Embeddings (`amazon.nova-2-multimodal-embeddings-v1:0`), text only:
// `{schemaVersion, taskType: "SINGLE_EMBEDDING", singleEmbeddingParams: {embeddingPurpose,
// embeddingDimension, text: {truncationMode, value}}}` → `{embeddings: [{embeddingType: "TEXT",
// embedding}]}` (Amazon Nova user guide, "Complete embeddings request and response schema"; the
// AWS News Blog post of 28 October 2025). Bad bodies get Titan's JSON-schema wording: Nova's own
// was not found in a public source.
// Vectors are deterministic: each word of a text adds the word's pseudo-random direction (so texts
// sharing words are close), then the sum is scaled to unit length (Titan v1: left as is), each
// component rounded to 7 decimals. A token is a word, as for the scripted assistant.
import { validationError } from '../errors.mjs';
import { checkBody } from './native-body-checks.mjs';

const TITAN_V1_DIMENSIONS = 1536;
const COHERE_V3_DIMENSIONS = 1024;
const COHERE_V4_DIMENSIONS = 1536;
const COHERE_MAX_TEXTS = 96;
const NOVA_DIMENSIONS = 3072;

const TITAN_V1_FIELDS = { inputText: { type: 'string', required: true, minLength: 1 } };
const TITAN_V2_FIELDS = {
  inputText: { type: 'string', required: true, minLength: 1 },
  dimensions: { type: 'integer', enum: [256, 512, 1024] },
  normalize: { type: 'boolean' },
  embeddingTypes: { type: 'array', minItems: 1, items: { type: 'string', enum: ['float', 'binary'] } },
};
const cohereFields = (v4) => ({
  texts: { type: 'array', required: true, maxItems: COHERE_MAX_TEXTS, items: { type: 'string' } },
  input_type: { type: 'string', required: true, enum: ['search_document', 'search_query', 'classification', 'clustering'] },
  truncate: { type: 'string', enum: v4 ? ['NONE', 'LEFT', 'RIGHT'] : ['NONE', 'START', 'END'] },
  embedding_types: { type: 'array', minItems: 1, items: { type: 'string', enum: ['float', 'int8', 'uint8', 'binary', 'ubinary'] } },
  ...(v4 ? { output_dimension: { type: 'integer', enum: [256, 512, 1024, 1536] }, max_tokens: { type: 'integer', min: 1 } } : {}),
});

const NOVA_FIELDS = {
  schemaVersion: { type: 'string', enum: ['nova-multimodal-embed-v1'] },
  taskType: { type: 'string', required: true, enum: ['SINGLE_EMBEDDING'] },
  singleEmbeddingParams: {
    type: 'object',
    required: true,
    fields: {
      embeddingPurpose: {
        type: 'string',
        required: true,
        enum: ['GENERIC_INDEX', 'GENERIC_RETRIEVAL', 'TEXT_RETRIEVAL', 'IMAGE_RETRIEVAL', 'VIDEO_RETRIEVAL', 'DOCUMENT_RETRIEVAL', 'AUDIO_RETRIEVAL', 'CLASSIFICATION', 'CLUSTERING'],
      },
      embeddingDimension: { type: 'integer', enum: [256, 384, 1024, 3072] },
      text: {
        type: 'object',
        required: true,
        fields: {
          truncationMode: { type: 'string', required: true, enum: ['START', 'END', 'NONE'] },
          value: { type: 'string', required: true, minLength: 1 },
        },
      },
    },
  },
};

const words = (text) => text.split(/\s+/).filter(Boolean);

/** FNV-1a of a word, the seed of its direction. */
function hash(word) {
  let h = 0x811c9dc5;
  for (const c of new TextEncoder().encode(word.toLowerCase())) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return h || 1;
}

/** The embedding of `text`: its words' directions summed, unit length when `normalize`. */
export function embeddingOf(text, dimensions, normalize = true) {
  const sum = new Float64Array(dimensions);
  for (const word of words(text)) {
    let state = hash(word);
    for (let i = 0; i < dimensions; i++) {
      // xorshift32: a fixed stream per word.
      state ^= state << 13; state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5; state >>>= 0;
      sum[i] += state / 0x80000000 - 1;
    }
  }
  const length = normalize ? Math.hypot(...sum) || 1 : 1;
  return Array.from(sum, (x) => Math.round((x / length) * 1e7) / 1e7);
}

const tokenHeaders = (tokens) => ({ 'X-Amzn-Bedrock-Input-Token-Count': String(tokens) });

function noStream() {
  throw validationError('The model is unsupported for streaming.');
}

/** Titan Text Embeddings v1 and v2 (v2 when the id says so). */
export const titanEmbed = {
  name: 'titan-embed',
  plan(body, { modelId }) {
    const v2 = /titan-embed-text-v2/.test(modelId);
    checkBody(body, v2 ? TITAN_V2_FIELDS : TITAN_V1_FIELDS);
    const dimensions = v2 ? body.dimensions ?? 1024 : TITAN_V1_DIMENSIONS;
    return { v2, tokens: words(body.inputText).length, embedding: embeddingOf(body.inputText, dimensions, v2 ? body.normalize ?? true : false), types: body.embeddingTypes ?? ['float'] };
  },
  response({ v2, tokens, embedding, types }) {
    const reply = { embedding, inputTextTokenCount: tokens };
    if (v2) {
      reply.embeddingsByType = {};
      if (types.includes('float')) reply.embeddingsByType.float = embedding;
      if (types.includes('binary')) reply.embeddingsByType.binary = embedding.map((x) => (x > 0 ? 1 : 0));
    }
    return { body: JSON.stringify(reply), headers: tokenHeaders(tokens) };
  },
  streamEvents: noStream,
};

/** Cohere Embed v3 and v4 (v4 when the id says so): float vectors only. */
export const cohereEmbed = {
  name: 'cohere-embed',
  plan(body, { modelId }) {
    const v4 = /cohere\.embed-v4/.test(modelId);
    checkBody(body, cohereFields(v4));
    const types = body.embedding_types;
    if (types && !types.every((t) => t === 'float')) {
      throw validationError('The emulator answers embedding_types "float" only.');
    }
    const dimensions = v4 ? body.output_dimension ?? COHERE_V4_DIMENSIONS : COHERE_V3_DIMENSIONS;
    return {
      texts: body.texts,
      byType: types !== undefined,
      tokens: body.texts.reduce((n, text) => n + words(text).length, 0),
      embeddings: body.texts.map((text) => embeddingOf(text, dimensions)),
    };
  },
  response({ texts, byType, tokens, embeddings }) {
    const reply = {
      id: crypto.randomUUID(),
      embeddings: byType ? { float: embeddings } : embeddings,
      response_type: byType ? 'embeddings_by_type' : 'embeddings_floats',
      texts,
    };
    return { body: JSON.stringify(reply), headers: tokenHeaders(tokens) };
  },
  streamEvents: noStream,
};

/** Amazon Nova Multimodal Embeddings, text input only (images, audio and video are not emulated). */
export const novaEmbed = {
  name: 'nova-embed',
  plan(body) {
    checkBody(body, NOVA_FIELDS);
    const { embeddingDimension = NOVA_DIMENSIONS, text } = body.singleEmbeddingParams;
    return { tokens: words(text.value).length, embedding: embeddingOf(text.value, embeddingDimension) };
  },
  response({ tokens, embedding }) {
    return { body: JSON.stringify({ embeddings: [{ embeddingType: 'TEXT', embedding }] }), headers: tokenHeaders(tokens) };
  },
  streamEvents: noStream,
};
