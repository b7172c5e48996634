// Validation of an Anthropic Messages body sent to InvokeModel*: Bedrock's own schema checks
// ("Malformed input request: #…") for the envelope, then Claude's rules (pydantic-style messages)
// for system, messages, tools, tool_choice, thinking, tool-use pairing, thinking signatures and
// cache_control (README "InvokeModel: Anthropic Messages").
import { validationError } from '../errors.mjs';
import {
  blocksOf, TOOL_NAME, validateCacheControl, validateMessageContent, validateTextBlock,
} from './anthropic-content.mjs';
import { bedrockTypeError, invalid, isObject, requireDict, requireLiteral, requireString, unionTag } from './anthropic-messages.mjs';
import { enabledThinking, reasoningSignature } from './reasoning.mjs';
import { rejectTrailingWhitespace } from '../validation-messages.mjs';

const BODY_KEYS = new Set([
  'anthropic_version', 'anthropic_beta', 'max_tokens', 'messages', 'system', 'stop_sequences',
  'temperature', 'top_p', 'top_k', 'tools', 'tool_choice', 'thinking',
]);
const MAX_CACHE_BREAKPOINTS = 4;

const malformed = (detail) => validationError(`Malformed input request: ${detail}, please reformat your input and try again.`);

/** Required envelope members and message roles (the checks the emulator always made). */
function validateEnvelope(body) {
  if (!isObject(body)) throw validationError('Malformed input request: the body must be a JSON object.');
  if (typeof body.anthropic_version !== 'string') {
    throw validationError('Malformed input request: #: required key [anthropic_version] not found, please reformat your input and try again. (The emulator scripts InvokeModel for Anthropic Messages bodies only; use replay:… for other providers.)');
  }
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
    throw malformed('#: required key [max_tokens] not found or not an integer >= 1');
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw malformed('#/messages: expected a non-empty array');
  }
  body.messages.forEach((m, i) => {
    if (!isObject(m) || (m.role !== 'user' && m.role !== 'assistant')) {
      throw malformed(`#/messages/${i}/role: must be user or assistant`);
    }
  });
  for (const key of Object.keys(body)) {
    if (!BODY_KEYS.has(key)) throw malformed(`#: extraneous key [${key}] is not permitted`);
  }
  const beta = body.anthropic_beta;
  if (beta !== undefined) {
    if (!Array.isArray(beta)) throw bedrockTypeError('anthropic_beta', 'JSONArray', beta);
    beta.forEach((flag, i) => {
      if (typeof flag !== 'string') throw bedrockTypeError(`anthropic_beta/${i}`, 'String', flag);
    });
  }
  const stops = body.stop_sequences;
  if (stops !== undefined) {
    if (!Array.isArray(stops)) throw bedrockTypeError('stop_sequences', 'JSONArray', stops);
    stops.forEach((s, i) => {
      if (typeof s !== 'string') throw bedrockTypeError(`stop_sequences/${i}`, 'String', s);
    });
  }
}

function validateSampling(body) {
  for (const key of ['temperature', 'top_p']) {
    const value = body[key];
    if (value === undefined) continue;
    if (typeof value !== 'number') throw invalid(key, 'Input should be a valid number');
    if (value < 0) throw invalid(key, 'Input should be greater than or equal to 0');
    if (value > 1) throw invalid(key, 'Input should be less than or equal to 1');
  }
  if (body.top_k !== undefined && (!Number.isInteger(body.top_k) || body.top_k < 0)) {
    throw invalid('top_k', 'Input should be a valid integer greater than or equal to 0');
  }
}

function validateSystem(system) {
  if (system === undefined || typeof system === 'string') return;
  if (!Array.isArray(system)) throw invalid('system', 'Input should be a valid string or a valid list');
  system.forEach((block, i) => {
    const path = `system.${i}`;
    if (!isObject(block)) throw invalid(path, 'Input should be a valid dictionary');
    requireLiteral(block.type, `${path}.type`, ['text']);
    validateTextBlock(block, path, 'system');
    validateCacheControl(block.cache_control, `${path}.cache_control`);
  });
}

function validateMessages(messages) {
  messages.forEach((message, i) => {
    const path = `messages.${i}`;
    if (message.content === undefined) throw invalid(`${path}.content`, 'Field required');
    validateMessageContent(message.content, path);
    const isFinalAssistant = i === messages.length - 1 && message.role === 'assistant';
    if (message.content.length === 0 && !isFinalAssistant) {
      throw invalid(path, 'all messages must have non-empty content except for the optional final assistant message');
    }
  });
  if (messages[0].role !== 'user') throw invalid('messages', 'first message must use the "user" role');
  const last = messages.at(-1);
  if (last.role === 'assistant') rejectTrailingWhitespace(blocksOf(last.content).findLast((b) => b.type === 'text')?.text);
  for (let i = 1; i < messages.length; i++) {
    if (messages[i].role === messages[i - 1].role) {
      throw invalid('messages', `roles must alternate between "user" and "assistant", but found multiple "${messages[i].role}" roles in a row`);
    }
  }
}

function validateTools(tools) {
  if (tools === undefined) return;
  if (!Array.isArray(tools)) throw invalid('tools', 'Input should be a valid list');
  const names = new Set();
  tools.forEach((tool, i) => {
    const path = `tools.${i}`;
    if (!isObject(tool)) throw invalid(path, 'Input should be a valid dictionary');
    // Custom (client) tools only; Anthropic-defined server tools are not scripted.
    if (tool.type !== undefined && tool.type !== null) unionTag(tool, path, ['custom']);
    const custom = `${path}.custom`;
    requireString(tool.name, `${custom}.name`);
    if (!TOOL_NAME.test(tool.name)) throw invalid(`${custom}.name`, `String should match pattern '${TOOL_NAME.source}'`);
    if (tool.description !== undefined && typeof tool.description !== 'string') {
      throw invalid(`${custom}.description`, 'Input should be a valid string');
    }
    requireDict(tool.input_schema, `${custom}.input_schema`);
    requireLiteral(tool.input_schema.type, `${custom}.input_schema.type`, ['object']);
    validateCacheControl(tool.cache_control, `${custom}.cache_control`);
    if (names.has(tool.name)) throw invalid('tools', 'Tool names must be unique.');
    names.add(tool.name);
  });
}

function validateToolChoice(choice, tools) {
  if (choice === undefined) return;
  const type = unionTag(choice, 'tool_choice', ['auto', 'any', 'tool', 'none']);
  if (type === 'tool') {
    requireString(choice.name, 'tool_choice.tool.name');
    if (!(tools ?? []).some((t) => t.name === choice.name)) {
      throw invalid('tool_choice', `Tool '${choice.name}' not found in provided tools`);
    }
  }
  if (choice.disable_parallel_tool_use !== undefined && typeof choice.disable_parallel_tool_use !== 'boolean') {
    throw invalid(`tool_choice.${type}.disable_parallel_tool_use`, 'Input should be a valid boolean');
  }
}

/** `thinking` shape, budget rules (reasoning.mjs, Anthropic wording) and their companions. */
function validateThinking(body) {
  const { thinking } = body;
  if (thinking === undefined) return false;
  const type = unionTag(thinking, 'thinking', ['enabled', 'disabled']);
  if (type === 'disabled') return false;
  enabledThinking({ additionalModelRequestFields: { thinking }, inferenceConfig: { maxTokens: body.max_tokens } });
  if (body.temperature !== undefined && body.temperature !== 1) {
    throw validationError('`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility');
  }
  if (body.tool_choice?.type === 'any' || body.tool_choice?.type === 'tool') {
    throw validationError('Thinking may not be enabled when tool_choice forces tool use.');
  }
  return true;
}

/** Every assistant turn's tool_use ids are answered by tool_result blocks in the next message, and only those. */
function validateToolPairing(messages, tools) {
  const all = messages.map((m) => blocksOf(m.content));
  const hasToolBlocks = all.some((blocks) => blocks.some((b) => b.type === 'tool_use' || b.type === 'tool_result'));
  if (hasToolBlocks && !(tools?.length > 0)) {
    throw validationError('Requests which include `tool_use` or `tool_result` blocks must define tools.');
  }
  all.forEach((blocks, i) => {
    const useIds = i > 0 ? all[i - 1].filter((b) => b.type === 'tool_use').map((b) => b.id) : [];
    blocks.forEach((block, j) => {
      if (block.type === 'tool_result' && !useIds.includes(block.tool_use_id)) {
        throw invalid(`messages.${i}.content.${j}`, `unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${block.tool_use_id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
      }
    });
    const next = all[i + 1];
    if (!next || messages[i].role !== 'assistant') return;
    const answered = new Set(next.filter((b) => b.type === 'tool_result').map((b) => b.tool_use_id));
    const missing = blocks.filter((b) => b.type === 'tool_use' && !answered.has(b.id)).map((b) => b.id);
    if (missing.length > 0) {
      throw invalid(`messages.${i}`, `\`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`);
    }
  });
}

/** Thinking signatures are the emulator's (always); with thinking on, a final tool-using assistant turn starts with thinking. */
function validateThinkingHistory(messages, thinkingEnabled) {
  messages.forEach((message, i) => {
    blocksOf(message.content).forEach((block, j) => {
      if (block.type === 'thinking' && block.signature !== reasoningSignature(block.thinking)) {
        throw invalid(`messages.${i}.content.${j}`, 'Invalid `signature` in `thinking` block');
      }
    });
  });
  if (!thinkingEnabled) return;
  const last = messages.findLastIndex((m) => m.role === 'assistant');
  const blocks = last < 0 ? [] : blocksOf(messages[last].content);
  if (blocks.some((b) => b.type === 'tool_use') && blocks[0].type !== 'thinking' && blocks[0].type !== 'redacted_thinking') {
    throw validationError(`messages.${last}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${blocks[0].type}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking`);
  }
}

/** Number of blocks carrying `cache_control` (system, tools, message blocks and tool_result items). */
export function cacheBreakpointCount(body) {
  const marked = (b) => isObject(b) && b.cache_control !== undefined && b.cache_control !== null;
  let n = (Array.isArray(body.system) ? body.system : []).filter(marked).length + (body.tools ?? []).filter(marked).length;
  for (const message of body.messages) {
    for (const block of blocksOf(message.content)) {
      n += marked(block) ? 1 : 0;
      if (block.type === 'tool_result' && Array.isArray(block.content)) n += block.content.filter(marked).length;
    }
  }
  return n;
}

/**
 * Throws a ValidationException unless `body` is an Anthropic Messages body Bedrock and Claude
 * accept. @returns {{thinking: boolean}} whether extended thinking is enabled
 */
export function validateAnthropicBody(body) {
  validateEnvelope(body);
  validateSampling(body);
  validateSystem(body.system);
  validateMessages(body.messages);
  validateTools(body.tools);
  validateToolChoice(body.tool_choice, body.tools);
  const thinking = validateThinking(body);
  validateToolPairing(body.messages, body.tools);
  validateThinkingHistory(body.messages, thinking);
  const breakpoints = cacheBreakpointCount(body);
  if (breakpoints > MAX_CACHE_BREAKPOINTS) {
    throw validationError(`A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints}.`);
  }
  return { thinking };
}
