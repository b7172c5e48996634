// Converse / ConverseStream request validation, with Bedrock's rules and message style
// ("1 validation error detected: Value … at '…' failed to satisfy constraint: …") so clients see
// the same 400s they would get from the real service.
import { validationError } from './errors.mjs';
import { fromUtf8 } from './bytes.mjs';
import { constraint, isObject, rejectTrailingWhitespace } from './validation-messages.mjs';
import { validateCachePoint } from './scenarios/caching.mjs';
import { validateGuardContent, validateGuardrailConfig } from './scenarios/guardrails.mjs';
import { validateDocument, validateDocumentNames, validateImage, validateVideo } from './scenarios/media.mjs';
import { promptId, validatePromptVariables } from './scenarios/prompt-resources.mjs';
import { enabledThinking, validateReasoningContent, validateThinkingHistory } from './scenarios/reasoning.mjs';
import { validateRequestOptions } from './scenarios/request-options.mjs';
import { outputSchema } from './scenarios/structured-output.mjs';
import { validateToolConfig, validateToolResult, validateToolTurns, validateToolUse } from './scenarios/tools.mjs';

const CONTENT_BLOCK_MEMBERS = new Set([
  'text', 'image', 'document', 'video', 'audio', 'toolUse', 'toolResult', 'guardContent',
  'cachePoint', 'reasoningContent', 'citationsContent', 'searchResult', 'toolAddition', 'toolRemoval',
]);
const SYSTEM_BLOCK_MEMBERS = new Set(['text', 'guardContent', 'cachePoint']);


// Validators of one content block member's value, by member name.
const BLOCK_VALIDATORS = {
  image: validateImage,
  document: validateDocument,
  video: validateVideo,
  toolUse: validateToolUse,
  toolResult: validateToolResult,
  guardContent: validateGuardContent,
  cachePoint: validateCachePoint,
  reasoningContent: validateReasoningContent,
};

/** Parses the body; malformed JSON is a 400 like on the real service. */
export function parseJsonBody(body) {
  try {
    return JSON.parse(fromUtf8(body));
  } catch (e) {
    throw validationError(`Malformed input request, please reformat your input and try again. (${e.message})`);
  }
}

function validateUnion(block, path, members) {
  if (!isObject(block)) throw constraint(path, block, 'Member must be an object');
  const keys = Object.keys(block);
  if (keys.length !== 1) {
    throw validationError(`Malformed input request: ${path} must set exactly one member, got [${keys.join(', ')}].`);
  }
  if (!members.has(keys[0])) {
    throw validationError(`Malformed input request: ${path} has unknown member '${keys[0]}'; expected one of ${[...members].join(', ')}.`);
  }
  if (keys[0] === 'text' && (typeof block.text !== 'string')) {
    throw constraint(`${path}.text`, block.text, 'Member must be a string');
  }
  if (keys[0] === 'text' && path.startsWith('messages') && block.text.trim() === '') {
    throw validationError(`The text field in the ContentBlock object at ${path} is blank. Add text to the text field, and try again.`);
  }
  BLOCK_VALIDATORS[keys[0]]?.(block[keys[0]], `${path}.${keys[0]}`);
}

function validateInferenceConfig(config) {
  if (!isObject(config)) throw constraint('inferenceConfig', config, 'Member must be an object');
  const { maxTokens, temperature, topP, stopSequences } = config;
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 1)) {
    throw constraint('inferenceConfig.maxTokens', maxTokens, 'Member must be an integer greater than or equal to 1');
  }
  for (const [name, value] of [['temperature', temperature], ['topP', topP]]) {
    if (value !== undefined && (typeof value !== 'number' || value < 0 || value > 1)) {
      throw constraint(`inferenceConfig.${name}`, value, 'Member must be a number between 0 and 1');
    }
  }
  if (stopSequences !== undefined) {
    if (!Array.isArray(stopSequences) || stopSequences.length > 2500) {
      throw constraint('inferenceConfig.stopSequences', stopSequences, 'Member must be an array of at most 2500 strings');
    }
    stopSequences.forEach((s, i) => {
      if (typeof s !== 'string' || s.length === 0) {
        throw constraint(`inferenceConfig.stopSequences.${i}`, s, 'Member must be a non-empty string');
      }
    });
  }
}

/**
 * Throws a ValidationException unless `request` is a plausible Converse request for `operation`
 * (Converse | ConverseStream) on `modelId` (prompt ARNs may omit messages).
 */
export function validateConverseRequest(request, { operation = 'Converse', modelId = '' } = {}) {
  if (!isObject(request)) throw validationError('Malformed input request: the body must be a JSON object.');
  const { messages, system, inferenceConfig, toolConfig, guardrailConfig } = request;
  const isPrompt = promptId(modelId) !== null;
  if (!(isPrompt && (messages === undefined || (Array.isArray(messages) && messages.length === 0)))) {
    validateMessages(messages);
    // Bedrock hands Claude's own refusal back.
    const last = messages.at(-1);
    if (modelId.includes('anthropic.') && last.role === 'assistant') {
      rejectTrailingWhitespace(last.content.findLast((b) => typeof b.text === 'string')?.text);
    }
  }
  if (system !== undefined) {
    if (!Array.isArray(system)) throw constraint('system', system, 'Member must be an array');
    system.forEach((block, i) => {
      validateUnion(block, `system.${i}`, SYSTEM_BLOCK_MEMBERS);
      if ('text' in block && block.text.length === 0) {
        throw constraint(`system.${i}.text`, '', 'Member must have length greater than or equal to 1');
      }
    });
  }
  if (inferenceConfig !== undefined) validateInferenceConfig(inferenceConfig);
  if (toolConfig !== undefined) {
    validateToolConfig(toolConfig);
    toolConfig.tools.forEach((tool, i) => {
      if (tool.cachePoint !== undefined) validateCachePoint(tool.cachePoint, `toolConfig.tools.${i}.cachePoint`);
    });
  }
  const history = request.messages ?? [];
  validateToolTurns(history, toolConfig);
  if (enabledThinking(request)) validateThinkingHistory(history);
  outputSchema(request.outputConfig);
  if (guardrailConfig !== undefined) validateGuardrailConfig(guardrailConfig, operation);
  validateRequestOptions(request);
  validatePromptVariables(request.promptVariables, modelId);
}

function validateMessages(messages) {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw validationError('Malformed input request: messages must be a non-empty array of {role, content}.');
  }
  messages.forEach((message, i) => {
    const path = `messages.${i}`;
    if (!isObject(message)) throw constraint(path, message, 'Member must be an object');
    if (message.role !== 'user' && message.role !== 'assistant') {
      throw constraint(`${path}.role`, message.role, 'Member must satisfy enum value set: [user, assistant]');
    }
    if (!Array.isArray(message.content)) throw constraint(`${path}.content`, message.content, 'Member must be an array');
    if (message.content.length === 0) {
      throw validationError(`The content field in the Message object at ${path} is empty. Add a ContentBlock object to the content field and try again.`);
    }
    message.content.forEach((block, j) => validateUnion(block, `${path}.content.${j}`, CONTENT_BLOCK_MEMBERS));
    validateDocumentNames(message.content, `${path}.content`);
  });
  if (messages[0].role !== 'user') {
    throw validationError('A conversation must start with a user message. Try again with a conversation that starts with a user message.');
  }
  for (let i = 1; i < messages.length; i++) {
    if (messages[i].role === messages[i - 1].role) {
      throw validationError('A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.');
    }
  }
}
