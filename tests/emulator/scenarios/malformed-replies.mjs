// Replies that real models or newer services can produce and clients must survive:
// `fault:bad-tool-args` (tool input that is not valid JSON) and `fault:unknown-event` (an event
// type and a delta member this client has never seen).
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
