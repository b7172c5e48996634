// `replay:<source>/<name>` model ids: serve a real recorded Bedrock stream from
// shared/vectors/recorded/derived byte for byte, or fold it into the Converse JSON response the
// same conversation would have produced (independently of our Rust folding code). Non-streaming
// InvokeModel replies come from the openinference-js nock recordings (invoke-recordings.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { BedrockError, errorNameForExceptionType, validationError } from '../errors.mjs';
import { decodeFrames } from '../eventstream-reader.mjs';
import { loadInvokeRecordings } from './invoke-recordings.mjs';

export const REPLAY_PREFIX = 'replay:';

// Response headers worth replaying; connection/transfer-encoding/date are the server's business.
const REPLAYED_HEADERS = ['content-type', 'x-amzn-requestid', 'x-amzn-bedrock-content-type'];

/**
 * The recordings listed in `<dir>/index.json`, by name `<source>/<file without .eventstream>`,
 * and the InvokeModel JSON replies recorded beside `<dir>` (invoke-recordings.mjs).
 */
export class Recordings {
  #dir;
  #byName = new Map();
  #bytes = new Map();
  #invoke;

  /** @param {string} dir  @param {(...args: unknown[]) => void} log */
  constructor(dir, log) {
    this.#dir = dir;
    this.#invoke = loadInvokeRecordings(path.dirname(dir), log);
    const indexPath = path.join(dir, 'index.json');
    if (!fs.existsSync(indexPath)) {
      log(`no recordings at ${indexPath}; replay: model ids will return 404`);
      return;
    }
    for (const entry of JSON.parse(fs.readFileSync(indexPath, 'utf8'))) {
      const name = entry.file.replace(/\.eventstream$/, '');
      // vercel-ai's synthetic exception frame has no path; it stands for a ConverseStream body.
      const operation = entry.path?.endsWith('/invoke-with-response-stream')
        ? 'InvokeModelWithResponseStream'
        : 'ConverseStream';
      this.#byName.set(name, { name, file: entry.file, operation, status: entry.status ?? 200, headers: entry.http_headers ?? {} });
    }
  }

  names() {
    return [...new Set([...this.#byName.keys(), ...this.#invoke.keys()])];
  }

  /**
   * The recording called `name` with its bytes, or a 404 ResourceNotFoundException. For
   * `operation` InvokeModel an InvokeModel reply of that name comes first.
   */
  get(name, operation) {
    if (this.#invoke.has(name) && (operation === 'InvokeModel' || !this.#byName.has(name))) return this.#invoke.get(name);
    const entry = this.#byName.get(name);
    if (!entry) {
      throw new BedrockError('ResourceNotFoundException', `No recording named '${name}' in ${this.#dir} (see index.json).`);
    }
    if (!this.#bytes.has(name)) this.#bytes.set(name, fs.readFileSync(path.join(this.#dir, entry.file)));
    return { ...entry, bytes: this.#bytes.get(name) };
  }
}

/** Rejects a recording that belongs to the other API family (Converse vs InvokeModel). */
export function requireOperation(recording, streamOperation) {
  if (recording.operation !== streamOperation) {
    throw validationError(`Recording '${recording.name}' is a ${recording.operation} capture; call the matching operation.`);
  }
}

/** Sends the recorded body exactly, with its recorded content type and request id. */
export function sendRecording(res, recording) {
  const headers = {};
  for (const name of REPLAYED_HEADERS) {
    if (recording.headers[name]) headers[name] = recording.headers[name];
  }
  headers['content-type'] ??= 'application/vnd.amazon.eventstream';
  res.writeHead(recording.status, headers);
  res.end(recording.bytes);
}

/** Parses accumulated tool input like Bedrock's Converse does; no fragments means `{}`. */
function parseToolInput(input) {
  return input === '' ? {} : JSON.parse(input);
}

/**
 * Folds a ConverseStream recording into a Converse response. An exception frame in the recording
 * becomes the corresponding error, as a non-streaming call would have failed.
 */
export function foldConverseStream(bytes) {
  const blocks = [];
  const response = { output: { message: { role: 'assistant', content: [] } } };
  for (const { headers, payload } of decodeFrames(bytes)) {
    const messageType = headers[':message-type'];
    if (messageType === 'exception') {
      throw new BedrockError(errorNameForExceptionType(headers[':exception-type']), payload?.message ?? 'stream exception');
    }
    if (messageType === 'error') {
      throw new BedrockError('InternalServerException', `${headers[':error-code']}: ${headers[':error-message']}`);
    }
    const { p: _padding, ...event } = payload ?? {};
    const index = event.contentBlockIndex;
    switch (headers[':event-type']) {
      case 'messageStart':
        response.output.message.role = event.role;
        break;
      case 'contentBlockStart':
        blocks[index] = startedBlock(event.start);
        break;
      case 'contentBlockDelta':
        blocks[index] = applyDelta(blocks[index], event.delta);
        break;
      case 'contentBlockStop':
        if (blocks[index]?.toolUse) blocks[index].toolUse.input = parseToolInput(blocks[index].toolUse.input);
        break;
      case 'messageStop':
        response.stopReason = event.stopReason;
        if (event.additionalModelResponseFields !== undefined) {
          response.additionalModelResponseFields = event.additionalModelResponseFields;
        }
        break;
      case 'metadata':
        for (const key of ['usage', 'metrics', 'trace', 'performanceConfig', 'serviceTier']) {
          if (event[key] !== undefined) response[key] = event[key];
        }
        break;
      default:
        // New event types are tolerated by clients; nothing to fold.
        break;
    }
  }
  response.output.message.content = blocks.filter(Boolean).map(finishedBlock);
  return response;
}

function startedBlock(start) {
  if (start.toolUse) return { toolUse: { ...start.toolUse, input: '' } };
  if (start.toolResult) return { toolResult: { ...start.toolResult, content: [] } };
  if (start.image) return { image: { ...start.image } };
  return {};
}

/** Merges one delta into the block being built (blocks without a start begin empty). */
function applyDelta(block = {}, delta) {
  if (typeof delta.text === 'string') {
    block.text = (block.text ?? '') + delta.text;
  } else if (delta.toolUse) {
    block.toolUse ??= { input: '' };
    block.toolUse.input += delta.toolUse.input ?? '';
  } else if (delta.reasoningContent) {
    const r = delta.reasoningContent;
    if (r.redactedContent !== undefined) {
      block.redactedContent = r.redactedContent;
    } else {
      block.reasoningText ??= { text: '' };
      if (r.text !== undefined) block.reasoningText.text += r.text;
      if (r.signature !== undefined) block.reasoningText.signature = r.signature;
    }
  } else if (delta.citation) {
    (block.citations ??= []).push(delta.citation);
  } else if (Array.isArray(delta.toolResult)) {
    block.toolResult ??= { content: [] };
    block.toolResult.content.push(...delta.toolResult);
  } else if (delta.image) {
    block.image = { ...block.image, ...delta.image };
  }
  return block;
}

/** The Converse shape of a built block: reasoning and cited text get their wrapper members. */
function finishedBlock(block) {
  if (block.reasoningText || block.redactedContent !== undefined) {
    return {
      reasoningContent: block.redactedContent !== undefined
        ? { redactedContent: block.redactedContent }
        : { reasoningText: block.reasoningText },
    };
  }
  if (block.citations) {
    return { citationsContent: { content: [{ text: block.text ?? '' }], citations: block.citations } };
  }
  return block;
}
