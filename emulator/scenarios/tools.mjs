// Tool use (`toolConfig`, toolUse / toolResult blocks): Bedrock's validation, which tools the
// scripted model calls, the calls' ids and inputs, and its reply to tool results.
import { sha256, toBase64Url } from '../bytes.mjs';
import { validationError } from '../errors.mjs';
import { constraint, isObject, requireEnum, unionMember } from '../validation-messages.mjs';
import { describeMedia, validateDocument, validateDocumentNames, validateImage, validateVideo } from './media.mjs';
import { textBlock } from './planned-blocks.mjs';
import { valueForSchema } from './schema-values.mjs';
import { fixedPieces } from './stream-pieces.mjs';

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const TOOL_USE_ID = /^[a-zA-Z0-9_.:-]{1,64}$/;
const TOOL_RESULT_MEMBERS = ['text', 'json', 'image', 'document', 'video'];

export const toolSpecs = (toolConfig) => (toolConfig?.tools ?? []).filter((t) => t.toolSpec).map((t) => t.toolSpec);

export function validateToolConfig(toolConfig) {
  if (!isObject(toolConfig) || !Array.isArray(toolConfig.tools) || toolConfig.tools.length === 0) {
    throw constraint('toolConfig.tools', toolConfig?.tools, 'Member must be an array with length greater than or equal to 1');
  }
  toolConfig.tools.forEach((tool, i) => {
    const path = `toolConfig.tools.${i}`;
    const member = unionMember(tool, path, ['toolSpec', 'systemTool', 'cachePoint']);
    if (member === 'cachePoint') return; // validated with the other cache points (caching.mjs)
    const spec = tool[member];
    if (!isObject(spec)) throw constraint(`${path}.${member}`, spec, 'Member must be an object');
    if (typeof spec.name !== 'string' || !TOOL_NAME.test(spec.name)) {
      throw constraint(`${path}.${member}.name`, spec.name ?? null, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_-]{1,64}');
    }
    if (member === 'systemTool') return;
    if (spec.description !== undefined && (typeof spec.description !== 'string' || spec.description.length === 0)) {
      throw constraint(`${path}.toolSpec.description`, spec.description, 'Member must have length greater than or equal to 1');
    }
    if (!isObject(spec.inputSchema) || !isObject(spec.inputSchema.json)) {
      throw validationError(`The inputSchema.json of tool ${spec.name} at ${path}.toolSpec must be a JSON object.`);
    }
  });
  const { toolChoice } = toolConfig;
  if (toolChoice === undefined) return;
  const kind = unionMember(toolChoice, 'toolConfig.toolChoice', ['auto', 'any', 'tool']);
  if (kind === 'tool') {
    const name = toolChoice.tool?.name;
    if (!toolSpecs(toolConfig).some((s) => s.name === name)) {
      throw validationError(`The tool name ${name} in toolChoice doesn't match any tool in toolConfig. Make sure the tool name is correct and try again.`);
    }
  }
}

export function validateToolUse(toolUse, path) {
  if (!isObject(toolUse)) throw constraint(path, toolUse, 'Member must be an object');
  if (typeof toolUse.toolUseId !== 'string' || !TOOL_USE_ID.test(toolUse.toolUseId)) {
    throw constraint(`${path}.toolUseId`, toolUse.toolUseId ?? null, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.:-]+');
  }
  if (typeof toolUse.name !== 'string' || !TOOL_NAME.test(toolUse.name)) {
    throw constraint(`${path}.name`, toolUse.name ?? null, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_-]{1,64}');
  }
  if (!isObject(toolUse.input)) {
    throw validationError(`${path}.input: The toolUse input must be a JSON object.`);
  }
}

export function validateToolResult(toolResult, path) {
  if (!isObject(toolResult)) throw constraint(path, toolResult, 'Member must be an object');
  if (typeof toolResult.toolUseId !== 'string' || !TOOL_USE_ID.test(toolResult.toolUseId)) {
    throw constraint(`${path}.toolUseId`, toolResult.toolUseId ?? null, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.:-]+');
  }
  if (toolResult.status !== undefined) requireEnum(`${path}.status`, toolResult.status, ['success', 'error']);
  if (!Array.isArray(toolResult.content)) throw constraint(`${path}.content`, toolResult.content ?? null, 'Member must be an array');
  toolResult.content.forEach((item, k) => {
    const itemPath = `${path}.content.${k}`;
    const member = unionMember(item, itemPath, TOOL_RESULT_MEMBERS);
    if (member === 'text' && typeof item.text !== 'string') throw constraint(`${itemPath}.text`, item.text, 'Member must be a string');
    if (member === 'image') validateImage(item.image, `${itemPath}.image`);
    if (member === 'document') validateDocument(item.document, `${itemPath}.document`);
    if (member === 'video') validateVideo(item.video, `${itemPath}.video`);
  });
  validateDocumentNames(toolResult.content, `${path}.content`);
}

/**
 * Conversation-level rules: toolConfig must be present when tool blocks are, and each user turn's
 * toolResult blocks answer exactly the toolUse blocks of the assistant turn just before it.
 */
export function validateToolTurns(messages, toolConfig) {
  const hasToolBlocks = messages.some((m) => m.content.some((b) => b.toolUse || b.toolResult));
  if (hasToolBlocks && toolConfig === undefined) {
    throw validationError('The toolConfig field must be defined when using toolUse and toolResult content blocks.');
  }
  messages.forEach((message, i) => {
    if (message.role !== 'user') return;
    const previous = i > 0 ? messages[i - 1] : null;
    const useIds = (previous?.content ?? []).filter((b) => b.toolUse).map((b) => b.toolUse.toolUseId);
    const results = message.content.map((b, j) => [b.toolResult, j]).filter(([r]) => r);
    if (results.length > useIds.length) {
      throw validationError(`The number of toolResult blocks at messages.${i}.content exceeds the number of toolUse blocks of previous turn.`);
    }
    for (const [result, j] of results) {
      if (!useIds.includes(result.toolUseId)) {
        throw validationError(`messages.${i}.content.${j}.toolResult.toolUseId: Tool use id ${result.toolUseId} does not match any toolUse in the previous assistant turn.`);
      }
    }
    const answered = new Set(results.map(([r]) => r.toolUseId));
    const missing = useIds.filter((id) => !answered.has(id));
    if (missing.length > 0) {
      throw validationError(`messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`);
    }
  });
}

/** `tooluse_` + 22 chars of sha256(name, position, messages hash), base64url with `-` → `_`. */
export function toolUseId(name, position, messagesHash) {
  const digest = toBase64Url(sha256(`${name}\n${position}\n${messagesHash}`));
  return `tooluse_${digest.replace(/-/g, '_').slice(0, 22)}`;
}

/**
 * The tools the model calls for this request ([] = none): toolChoice `tool` → that one, `any` →
 * the first toolSpec, `auto`/absent → every toolSpec named in the last user message's text.
 */
export function chosenTools(toolConfig, userText) {
  const specs = toolSpecs(toolConfig);
  const choice = toolConfig?.toolChoice ?? { auto: {} };
  if (choice.tool) return { auto: false, specs: specs.filter((s) => s.name === choice.tool.name) };
  if (choice.any) return { auto: false, specs: specs.slice(0, 1) };
  return { auto: true, specs: specs.filter((s) => userText.includes(s.name)) };
}

/** The generated input of a call: the schema's value, `{}` unless that is an object. */
export function toolInput(spec) {
  const value = valueForSchema(spec.inputSchema.json);
  return isObject(value) ? value : {};
}

/** Stream fragments of a tool input: "" first, then its JSON in ≤ 8-char pieces; `{}` → [""] only. */
export function inputFragments(input) {
  const json = JSON.stringify(input);
  return json === '{}' ? [''] : ['', ...fixedPieces(json, 8)];
}

export function toolUseBlock({ toolUseId: id, name, input }, fragments = inputFragments(input)) {
  return {
    content: { toolUse: { toolUseId: id, name, input } },
    start: { toolUse: { toolUseId: id, name } },
    deltas: fragments.map((f) => ({ toolUse: { input: f } })),
  };
}

/** The reply blocks calling `specs` ("Calling a, b." first under auto). */
export function toolCallBlocks({ auto, specs }, messagesHash) {
  const calls = specs.map((spec, position) => toolUseBlock({
    toolUseId: toolUseId(spec.name, position, messagesHash), name: spec.name, input: toolInput(spec),
  }));
  return auto ? [textBlock(`Calling ${specs.map((s) => s.name).join(', ')}.`), ...calls] : calls;
}

function renderResultItem(item) {
  if (item.text !== undefined) return item.text;
  if (item.json !== undefined) return JSON.stringify(item.json);
  return `[${describeMedia(item)}]`;
}

/** "Tool results: <r1>; <r2> (error)" for the toolResult blocks of a message. */
export function toolResultsText(message) {
  const rendered = message.content.filter((b) => b.toolResult).map(({ toolResult }) =>
    toolResult.content.map(renderResultItem).join(' ') + (toolResult.status === 'error' ? ' (error)' : ''));
  return `Tool results: ${rendered.join('; ')}`;
}
