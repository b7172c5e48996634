// Replies that real models or newer services can produce and clients must survive:
// `fault:bad-tool-args` (tool input that is not valid JSON), `fault:unknown-event` (an event
// type and a delta member this client has never seen), `fault:no-message-stop` (a stream that ends
// cleanly before messageStop) and `fault:bad-utf8` (a delta whose JSON is not valid UTF-8).
import { padding, rawEventFrame } from '../eventstream-writer.mjs';
import { concatBytes, utf8 } from '../bytes.mjs';
import { textBlock } from './planned-blocks.mjs';
import { converseResponse, converseStreamEvents, framesOf } from './scripted-converse.mjs';
import { messagesHash } from './converse-reply-plan.mjs';
import { toolSpecs, toolUseBlock, toolUseId } from './tools.mjs';

const BAD_ARGS = ['', '{"city": ', '"Par'];

/**
 * `fault:bad-tool-args`: with a toolSpec, the reply calls the first one with unterminated JSON
 * (stream fragments "", `{"city": `, `"Par`; Converse input the string `{"city": "Par`).
 * Without tools, the normal reply.
 */
export function badToolArgsPlan(plan, request) {
  const [spec] = toolSpecs(request.toolConfig);
  if (!spec) return plan;
  const block = toolUseBlock({
    toolUseId: toolUseId(spec.name, 0, messagesHash(request)), name: spec.name, input: BAD_ARGS.join(''),
  }, BAD_ARGS);
  return { ...plan, blocks: [block], stopReason: 'tool_use', stopSequence: null };
}

export function badToolArgsReply(operation, plan, request) {
  const bad = badToolArgsPlan(plan, request);
  return operation === 'Converse'
    ? { body: JSON.stringify(converseResponse(bad)), headers: {} }
    : { frames: framesOf(converseStreamEvents(bad)), headers: {} };
}

/** `fault:unknown-event`: "Hi", then an unknown event type and an unknown delta member. */
export function unknownEventFrames(plan) {
  const hi = { ...plan, blocks: [textBlock('Hi')], stopReason: 'end_turn', stopSequence: null, outputTokens: 1, latencyMs: 110 };
  const events = converseStreamEvents(hi);
  const stopAt = events.findIndex(([type]) => type === 'contentBlockStop');
  events.splice(stopAt, 0,
    ['somethingNew', { x: 1 }],
    ['contentBlockDelta', { contentBlockIndex: 0, delta: { newThing: { y: 2 } } }]);
  return framesOf(events);
}

/** `fault:no-message-stop`: messageStart, the first 2 deltas, contentBlockStop, then nothing. */
export function noMessageStopFrames(plan) {
  const events = converseStreamEvents(plan);
  const stopAt = events.findIndex(([type]) => type === 'contentBlockStop');
  let deltas = 0;
  return framesOf(events.slice(0, stopAt + 1).filter(([type]) => type !== 'contentBlockDelta' || ++deltas <= 2));
}

/**
 * `fault:bad-utf8`: "Hi " then a delta whose text ends in a lone 0xC3 (the first byte of "é"):
 * `{"contentBlockIndex":0,"delta":{"text":"caf\xC3"},"p":…}`, CRCs valid; then the usual end.
 */
export function badUtf8Frames(plan) {
  const hi = { ...plan, blocks: [textBlock('Hi ', ['Hi '])], stopReason: 'end_turn', stopSequence: null, outputTokens: 2, latencyMs: 120 };
  const frames = framesOf(converseStreamEvents(hi));
  const body = concatBytes([
    utf8('{"contentBlockIndex":0,"delta":{"text":"caf'), Uint8Array.of(0xc3),
    utf8(`"},"p":"${padding(2)}"}`),
  ]);
  frames.splice(2, 0, rawEventFrame('contentBlockDelta', body));
  return frames;
}
