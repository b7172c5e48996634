// What the scripted assistant answers to a validated Converse request: the reply blocks (each with
// its Converse and ConverseStream renderings, see planned-blocks.mjs), stop reason, usage and the
// optional response members. Each feature's rule lives in its own module; this file only decides
// which applies (README "Scenarios").
import { sha256Hex } from '../bytes.mjs';
import { cacheUsage, inputItems } from './caching.mjs';
import { citationBlock } from './citations.mjs';
import { BLOCKED_REPLY, assessGuardrail } from './guardrails.mjs';
import { mediaSuffix } from './media.mjs';
import { textBlock } from './planned-blocks.mjs';
import { promptId, promptReplyText } from './prompt-resources.mjs';
import { enabledThinking, reasoningBlocks } from './reasoning.mjs';
import { additionalResponseFields, echoedOptions } from './request-options.mjs';
import { applyStopRules, countWords, scriptedText } from './scripted-reply.mjs';
import { outputSchema, structuredOutputBlock } from './structured-output.mjs';
import { chosenTools, toolCallBlocks, toolResultsText } from './tools.mjs';

const textsOf = (message) => (message?.content ?? []).filter((b) => typeof b.text === 'string').map((b) => b.text);

/** sha256 of the request's messages: what tool-use ids are derived from. */
export const messagesHash = (request) => sha256Hex(JSON.stringify(request.messages ?? []));

/** The blocks after any reasoning, with the stop reason and stop sequence they end with. */
function mainBlocks(request, modelId, lastUser, userText) {
  const endTurn = (blocks) => ({ blocks, stopReason: 'end_turn', stopSequence: null });
  const hasResults = lastUser?.content.some((b) => b.toolResult) ?? false;
  if (request.toolConfig && !hasResults) {
    const chosen = chosenTools(request.toolConfig, userText);
    if (chosen.specs.length > 0) {
      return { blocks: toolCallBlocks(chosen, messagesHash(request)), stopReason: 'tool_use', stopSequence: null };
    }
  }
  const schema = outputSchema(request.outputConfig);
  if (schema) return endTurn([structuredOutputBlock(schema)]);
  if (hasResults) return endTurn([textBlock(toolResultsText(lastUser))]);
  const cited = citationBlock(lastUser);
  if (cited) return endTurn([cited]);
  const base = promptId(modelId) !== null
    ? promptReplyText(modelId, request.promptVariables)
    : scriptedText(textsOf({ content: request.system ?? [] }), userText);
  const stopped = applyStopRules(base + mediaSuffix(lastUser), {
    maxTokens: request.inferenceConfig?.maxTokens,
    stopSequences: request.inferenceConfig?.stopSequences ?? [],
  });
  return { blocks: [textBlock(stopped.text)], stopReason: stopped.stopReason, stopSequence: stopped.stopSequence };
}

/** Words the reply "generated": its texts, reasoning texts and tool inputs as JSON. */
function outputTokensOf(blocks) {
  return blocks.reduce((n, { content: c }) => n + countWords(
    c.text ?? c.reasoningContent?.reasoningText?.text ?? c.citationsContent?.content[0].text
      ?? (c.toolUse ? (typeof c.toolUse.input === 'string' ? c.toolUse.input : JSON.stringify(c.toolUse.input)) : ''),
  ), 0);
}

/**
 * @param {object} request  a validated Converse request
 * @param {object} context
 * @param {string} context.modelId
 * @param {import('./caching.mjs').PromptCache} context.promptCache
 * @returns the plan rendered by scripted-converse.mjs: `{blocks, stopReason, stopSequence,
 *   inputTokens, outputTokens, latencyMs, cache?, extras}` (extras: optional response members)
 */
export function planConverseReply(request, { modelId, promptCache }) {
  const messages = request.messages ?? [];
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const userText = textsOf(lastUser).join(' ');

  let main;
  const guard = request.guardrailConfig ? assessGuardrail(request.guardrailConfig, lastUser) : null;
  if (guard?.intervened) {
    main = { blocks: [textBlock(BLOCKED_REPLY)], stopReason: 'guardrail_intervened', stopSequence: null };
  } else {
    main = mainBlocks(request, modelId, lastUser, userText);
    if (enabledThinking(request)) main.blocks.unshift(...reasoningBlocks(userText || '(no text)'));
  }

  const cache = cacheUsage(request, modelId, promptCache);
  const outputTokens = outputTokensOf(main.blocks);
  const extras = {};
  const fields = additionalResponseFields(request.additionalModelResponseFieldPaths, main.stopSequence);
  if (fields !== undefined) extras.additionalModelResponseFields = fields;
  if (guard?.trace) extras.trace = guard.trace;
  Object.assign(extras, echoedOptions(request));
  return {
    ...main,
    text: main.blocks.length === 1 && main.blocks[0].content.text !== undefined ? main.blocks[0].content.text : null,
    inputTokens: cache ? cache.inputTokens : inputItems(request).reduce((n, item) => n + item.tokens, 0),
    outputTokens,
    latencyMs: 100 + 10 * outputTokens,
    cache,
    extras,
  };
}
