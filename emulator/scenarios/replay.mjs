// `replay:<source>/<name>` model ids: serve a real recorded Bedrock stream from
// shared/vectors/recorded/derived byte for byte, or fold it into the Converse JSON response the
// same conversation would have produced (independently of our Rust folding code). Non-streaming
// InvokeModel replies come from the openinference-js nock recordings (invoke-recordings.mjs).
// Reading the files is recording-files.mjs's job (Node only); this file is runtime-neutral.
import { BedrockError, errorNameForExceptionType, validationError } from '../errors.mjs';
import { decodeFrames } from '../eventstream-reader.mjs';

export const REPLAY_PREFIX = 'replay:';

// Response headers worth replaying; connection/transfer-encoding/date are the server's business.
const REPLAYED_HEADERS = ['content-type', 'x-amzn-requestid', 'x-amzn-bedrock-content-type'];

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

/** Sends a recorded InvokeModel reply: its status, body, content type, request id and Bedrock headers. */
export function sendInvokeRecording(res, recording) {
  res.writeHead(recording.status, {
    'content-type': 'application/json',
    ...recording.headers,
    'content-length': recording.bytes.byteLength,
  });
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
