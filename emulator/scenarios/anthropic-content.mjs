// Anthropic Messages content blocks on Bedrock: the shape of each block type (text, image,
// document, tool_use, tool_result, thinking, redacted_thinking) and of `cache_control`, with
// Anthropic's messages. Conversation-level rules live in anthropic-validation.mjs.
import {
  invalid, isObject, optionalString, requireBase64, requireDict, requireLiteral, requireString, unionTag,
} from './anthropic-messages.mjs';

export const MESSAGE_BLOCK_TYPES = ['text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking'];
const TOOL_RESULT_ITEM_TYPES = ['text', 'image', 'document'];
const DOCUMENT_CONTENT_TYPES = ['text', 'image'];
export const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
const TOOL_USE_ID = /^[a-zA-Z0-9_-]+$/;
export const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** `cache_control: {type: "ephemeral", ttl?: "5m" | "1h"}` (absent or null is fine). */
export function validateCacheControl(cacheControl, path) {
  if (cacheControl === undefined || cacheControl === null) return;
  unionTag(cacheControl, path, ['ephemeral']);
  if (cacheControl.ttl !== undefined) requireLiteral(cacheControl.ttl, `${path}.ephemeral.ttl`, ['5m', '1h']);
}

/** A text block (messages or system): a string with more than whitespace. `where` names the list for the message. */
export function validateTextBlock(block, path, where = 'messages') {
  requireString(block.text, `${path}.text.text`);
  if (block.text.length === 0) throw invalid(where, 'text content blocks must be non-empty');
  if (block.text.trim() === '') throw invalid(where, 'text content blocks must contain non-whitespace text');
  if (block.citations !== undefined && block.citations !== null && !Array.isArray(block.citations)) {
    throw invalid(`${path}.text.citations`, 'Input should be a valid list');
  }
}

function validateImage(block, path) {
  const sourcePath = `${path}.image.source`;
  requireDict(block.source, sourcePath);
  // Bedrock takes inline images only: no `url` or `file` (Files API) sources.
  unionTag(block.source, sourcePath, ['base64']);
  requireLiteral(block.source.media_type, `${sourcePath}.base64.media_type`, IMAGE_MEDIA_TYPES);
  requireBase64(block.source.data, `${sourcePath}.base64.data`);
}

function validateDocument(block, path) {
  const sourcePath = `${path}.document.source`;
  requireDict(block.source, sourcePath);
  const kind = unionTag(block.source, sourcePath, ['base64', 'text', 'content']);
  const { source } = block;
  if (kind === 'base64') {
    requireLiteral(source.media_type, `${sourcePath}.base64.media_type`, ['application/pdf']);
    requireBase64(source.data, `${sourcePath}.base64.data`);
  } else if (kind === 'text') {
    requireLiteral(source.media_type, `${sourcePath}.text.media_type`, ['text/plain']);
    requireString(source.data, `${sourcePath}.text.data`);
  } else if (typeof source.content !== 'string') {
    const contentPath = `${sourcePath}.content.content`;
    if (!Array.isArray(source.content)) throw invalid(contentPath, source.content === undefined ? 'Field required' : 'Input should be a valid list');
    if (source.content.length === 0) throw invalid(contentPath, 'List should have at least 1 item after validation, not 0');
    source.content.forEach((item, k) => validateBlock(item, `${contentPath}.${k}`, DOCUMENT_CONTENT_TYPES));
  }
  optionalString(block.title, `${path}.document.title`);
  optionalString(block.context, `${path}.document.context`);
  const { citations } = block;
  if (citations !== undefined && citations !== null) {
    if (!isObject(citations)) throw invalid(`${path}.document.citations`, 'Input should be a valid dictionary');
    if (citations.enabled !== undefined && typeof citations.enabled !== 'boolean') {
      throw invalid(`${path}.document.citations.enabled`, 'Input should be a valid boolean');
    }
  }
}

function validateToolUse(block, path) {
  requireString(block.id, `${path}.tool_use.id`);
  if (!TOOL_USE_ID.test(block.id)) throw invalid(`${path}.tool_use.id`, `String should match pattern '${TOOL_USE_ID.source}'`);
  requireString(block.name, `${path}.tool_use.name`);
  if (!TOOL_NAME.test(block.name)) throw invalid(`${path}.tool_use.name`, `String should match pattern '${TOOL_NAME.source}'`);
  requireDict(block.input, `${path}.tool_use.input`);
}

function validateToolResult(block, path) {
  requireString(block.tool_use_id, `${path}.tool_result.tool_use_id`);
  if (!TOOL_USE_ID.test(block.tool_use_id)) {
    throw invalid(`${path}.tool_result.tool_use_id`, `String should match pattern '${TOOL_USE_ID.source}'`);
  }
  const { content } = block;
  if (content !== undefined && typeof content !== 'string') {
    if (!Array.isArray(content)) throw invalid(`${path}.tool_result.content`, 'Input should be a valid string or a valid list');
    content.forEach((item, k) => validateBlock(item, `${path}.tool_result.content.${k}`, TOOL_RESULT_ITEM_TYPES));
  }
  if (block.is_error !== undefined && typeof block.is_error !== 'boolean') {
    throw invalid(`${path}.tool_result.is_error`, 'Input should be a valid boolean');
  }
}

const VALIDATORS = {
  text: (block, path) => validateTextBlock(block, path),
  image: validateImage,
  document: validateDocument,
  tool_use: validateToolUse,
  tool_result: validateToolResult,
  thinking: (block, path) => {
    requireString(block.thinking, `${path}.thinking.thinking`);
    requireString(block.signature, `${path}.thinking.signature`);
  },
  redacted_thinking: (block, path) => {
    requireString(block.data, `${path}.redacted_thinking.data`);
    if (block.data.length === 0) throw invalid(`${path}.redacted_thinking.data`, 'String should have at least 1 character');
  },
};

/** One content block whose `type` must be one of `types` (default: any message block type). */
export function validateBlock(block, path, types = MESSAGE_BLOCK_TYPES) {
  const type = unionTag(block, path, types);
  VALIDATORS[type](block, path);
  validateCacheControl(block.cache_control, `${path}.${type}.cache_control`);
}

/** A message's `content`: a string or a list of blocks (emptiness is checked by the caller). */
export function validateMessageContent(content, path) {
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw invalid(`${path}.content`, 'Input should be a valid string or a valid list');
  content.forEach((block, j) => validateBlock(block, `${path}.content.${j}`));
}

/** A message's content as a block list (a string is one text block). */
export const blocksOf = (content) => (typeof content === 'string' ? [{ type: 'text', text: content }] : content);
