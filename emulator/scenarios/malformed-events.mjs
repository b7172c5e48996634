// Events that break the protocol inside well-formed frames (valid CRCs), for the decoders to
// refuse: `fault:bad-json:<eventType>` (converse-stream: the first event of that type has a
// payload cut before its closing brace) and `fault:block-index:<start|delta|stop>:<index>`
// (invoke-with-response-stream, Claude body: the `content_block_<…>` events of the first tool-use
// block, else of block 0, carry `index` as the given JSON text, or none for `missing`).
import { rawEventFrame } from '../eventstream-writer.mjs';
import { utf8 } from '../bytes.mjs';
import { validationError } from '../errors.mjs';
import { chunkFrame } from './invoke-providers.mjs';
import { converseStreamEvents, framesOf } from './scripted-converse.mjs';

/** `fault:bad-json:<eventType>`: the scripted stream, one payload not JSON. */
export function badJsonFrames(plan, eventType) {
  const events = converseStreamEvents(plan);
  const at = events.findIndex(([type]) => type === eventType);
  if (at < 0) {
    const types = [...new Set(events.map(([type]) => type))].join(', ');
    throw validationError(`fault:bad-json:<event> needs one of this stream's events (${types}), got '${eventType ?? ''}'.`);
  }
  const frames = framesOf(events);
  const json = JSON.stringify(events[at][1]);
  frames[at] = rawEventFrame(eventType, utf8(json.slice(0, -1)));
  return frames;
}

const BLOCK_EVENTS = { start: 'content_block_start', delta: 'content_block_delta', stop: 'content_block_stop' };

const isJson = (text) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** `<start|delta|stop>:<JSON text|missing>` → `{type, index}` (index: JSON text, or null). */
function parseBlockIndex(arg = '') {
  const colon = arg.indexOf(':');
  const type = BLOCK_EVENTS[arg.slice(0, colon)];
  const index = arg.slice(colon + 1);
  if (colon < 0 || !type || !(index === 'missing' || isJson(index))) {
    throw validationError(`fault:block-index needs <start|delta|stop>:<JSON value|missing>, got '${arg}'.`);
  }
  return { type, index: index === 'missing' ? null : index };
}

/** `fault:block-index:…`: the Claude stream of an InvokeModel plan with one block's index replaced. */
export function blockIndexFrames(arg, { provider, plan }, modelId) {
  const { type, index } = parseBlockIndex(arg);
  if (provider.name !== 'anthropic') throw validationError('fault:block-index needs an Anthropic Messages body.');
  const events = provider.streamEvents(plan, modelId);
  const toolUse = events.find((e) => e.type === 'content_block_start' && e.content_block.type === 'tool_use');
  const block = toolUse?.index ?? 0;
  return events.map((event, seq) => {
    if (event.type !== type || event.index !== block) return chunkFrame(JSON.stringify(event), seq);
    const { index: _, ...rest } = event;
    const others = JSON.stringify(rest);
    return chunkFrame(index === null ? others : `{"index":${index},${others.slice(1)}`, seq);
  });
}
