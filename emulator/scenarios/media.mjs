// Images, documents and videos (in messages and in toolResult content): Bedrock's validation, and
// the scripted reply's note of each one, e.g. " [image png 67 bytes]".
import { validationError } from '../errors.mjs';
import { fromBase64, utf8Length } from '../bytes.mjs';
import { constraint, isBase64, isObject, requireEnum, unionMember } from '../validation-messages.mjs';

const IMAGE_FORMATS = ['png', 'jpeg', 'gif', 'webp'];
const DOCUMENT_FORMATS = ['pdf', 'csv', 'doc', 'docx', 'xls', 'xlsx', 'html', 'txt', 'md'];
const VIDEO_FORMATS = ['mkv', 'mov', 'mp4', 'webm', 'flv', 'mpeg', 'mpg', 'wmv', 'three_gp'];
const MEDIA_MEMBERS = ['image', 'document', 'video'];
const DOCUMENT_NAME = /^[A-Za-z0-9\s\-()[\]]+$/;

function validateSource(source, path, members) {
  const member = unionMember(source, path, members);
  const value = source[member];
  if (member === 'bytes') {
    if (typeof value !== 'string' || value.length === 0) {
      throw constraint(`${path}.bytes`, value, 'Member must have length greater than or equal to 1');
    }
    if (!isBase64(value)) throw validationError(`Malformed input request: ${path}.bytes is not valid base64.`);
  } else if (member === 's3Location') {
    if (!isObject(value) || typeof value.uri !== 'string' || !value.uri.startsWith('s3://')) {
      throw constraint(`${path}.s3Location.uri`, value?.uri, 'Member must satisfy regular expression pattern: s3://.*');
    }
    if (value.bucketOwner !== undefined && !/^[0-9]{12}$/.test(value.bucketOwner)) {
      throw constraint(`${path}.s3Location.bucketOwner`, value.bucketOwner, 'Member must satisfy regular expression pattern: [0-9]{12}');
    }
  } else if (member === 'text') {
    if (typeof value !== 'string' || value.length === 0) {
      throw constraint(`${path}.text`, value, 'Member must have length greater than or equal to 1');
    }
  } else if (member === 'content') {
    if (!Array.isArray(value) || value.length === 0 || !value.every((c) => isObject(c) && typeof c.text === 'string')) {
      throw constraint(`${path}.content`, value, 'Member must be a non-empty list of {text} blocks');
    }
  }
}

export function validateImage(image, path) {
  if (!isObject(image)) throw constraint(path, image, 'Member must be an object');
  requireEnum(`${path}.format`, image.format, IMAGE_FORMATS);
  validateSource(image.source, `${path}.source`, ['bytes', 's3Location']);
}

export function validateVideo(video, path) {
  if (!isObject(video)) throw constraint(path, video, 'Member must be an object');
  requireEnum(`${path}.format`, video.format, VIDEO_FORMATS);
  validateSource(video.source, `${path}.source`, ['bytes', 's3Location']);
}

export function validateDocument(document, path) {
  if (!isObject(document)) throw constraint(path, document, 'Member must be an object');
  if (document.format !== undefined) requireEnum(`${path}.format`, document.format, DOCUMENT_FORMATS);
  const { name } = document;
  if (typeof name !== 'string' || name.length < 1 || name.length > 200) {
    throw constraint(`${path}.name`, name ?? null, 'Member must have length between 1 and 200');
  }
  if (!DOCUMENT_NAME.test(name) || /\s\s/.test(name)) {
    throw validationError("The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character.");
  }
  validateSource(document.source, `${path}.source`, ['bytes', 's3Location', 'text', 'content']);
  if (document.citations !== undefined && (!isObject(document.citations) || typeof document.citations.enabled !== 'boolean')) {
    throw constraint(`${path}.citations.enabled`, document.citations?.enabled ?? null, 'Member must be a boolean');
  }
}

/** Two documents with the same name in one message (or one toolResult) are rejected. */
export function validateDocumentNames(blocks, path) {
  const seen = new Set();
  for (const block of blocks) {
    const name = block?.document?.name;
    if (name === undefined) continue;
    if (seen.has(name)) {
      throw validationError(`${path}: Duplicate document names are not allowed. The name '${name}' is used by more than one document in the same message.`);
    }
    seen.add(name);
  }
}

/** Decoded byte length of a source, or its S3 URI. */
function sourceSize(source) {
  if (source.bytes !== undefined) return `${fromBase64(source.bytes).byteLength} bytes`;
  if (source.s3Location !== undefined) return source.s3Location.uri;
  if (source.text !== undefined) return `${utf8Length(source.text)} bytes`;
  return `${source.content.reduce((n, c) => n + utf8Length(c.text), 0)} bytes`;
}

/** "image png 67 bytes", "document report txt 120 bytes", "video mp4 s3://b/k"; null for other blocks. */
export function describeMedia(block) {
  if (block.image) return `image ${block.image.format} ${sourceSize(block.image.source)}`;
  if (block.document) return `document ${block.document.name} ${block.document.format ?? 'txt'} ${sourceSize(block.document.source)}`;
  if (block.video) return `video ${block.video.format} ${sourceSize(block.video.source)}`;
  return null;
}

/** " [image png 67 bytes] [document …]" for the media blocks of a message, "" if none. */
export function mediaSuffix(message) {
  return (message?.content ?? [])
    .filter((b) => MEDIA_MEMBERS.some((m) => b[m] !== undefined))
    .map((b) => ` [${describeMedia(b)}]`)
    .join('');
}
