// Extended thinking (`additionalModelRequestFields.thinking`): Anthropic's validation as Bedrock
// passes it through, the reasoning blocks the scripted model emits, and the signature check that
// proves a client sent its reasoning back unchanged.
import { sha256, toBase64, utf8 } from '../bytes.mjs';
import { validationError } from '../errors.mjs';
import { constraint, isBase64, isObject, unionMember } from '../validation-messages.mjs';
import { fixedPieces } from './stream-pieces.mjs';

const MIN_BUDGET = 1024;
const BLOCK_TYPES = { text: 'text', toolUse: 'tool_use', toolResult: 'tool_result', image: 'image', document: 'document' };

/** base64(sha256("bedrock-emulator-signature:" + text)). */
export function reasoningSignature(text) {
  return toBase64(sha256(`bedrock-emulator-signature:${text}`));
}

/** The thinking config when enabled (validated), else null. */
export function enabledThinking(request) {
  const thinking = request.additionalModelRequestFields?.thinking;
  if (!isObject(thinking) || thinking.type !== 'enabled') return null;
  const budget = thinking.budget_tokens;
  if (budget === undefined) throw validationError('thinking.enabled.budget_tokens: Field required');
  if (!Number.isInteger(budget) || budget < MIN_BUDGET) {
    throw validationError(`thinking.budget_tokens: Input should be greater than or equal to ${MIN_BUDGET}`);
  }
  const maxTokens = request.inferenceConfig?.maxTokens;
  if (maxTokens !== undefined && maxTokens <= budget) {
    throw validationError('`max_tokens` must be greater than `thinking.budget_tokens`');
  }
  return thinking;
}

/** Shape of a reasoningContent block (any request). */
export function validateReasoningContent(reasoning, path) {
  const member = unionMember(reasoning, path, ['reasoningText', 'redactedContent']);
  if (member === 'redactedContent') {
    const value = reasoning.redactedContent;
    if (typeof value !== 'string' || value.length === 0 || !isBase64(value)) {
      throw validationError(`Malformed input request: ${path}.redactedContent must be non-empty base64.`);
    }
    return;
  }
  const { text, signature } = reasoning.reasoningText ?? {};
  if (typeof text !== 'string') throw constraint(`${path}.reasoningText.text`, text ?? null, 'Member must be a string');
  if (signature !== undefined && typeof signature !== 'string') {
    throw constraint(`${path}.reasoningText.signature`, signature, 'Member must be a string');
  }
}

/** With thinking enabled: tool-using assistant turns start with reasoning, signatures are ours. */
export function validateThinkingHistory(messages) {
  messages.forEach((message, i) => {
    if (message.role !== 'assistant') return;
    const first = message.content[0];
    if (message.content.some((b) => b.toolUse) && !first.reasoningContent) {
      const found = BLOCK_TYPES[Object.keys(first)[0]] ?? Object.keys(first)[0];
      throw validationError(`messages.${i}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${found}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking`);
    }
    message.content.forEach((block, j) => {
      const text = block.reasoningContent?.reasoningText;
      if (text && text.signature !== reasoningSignature(text.text)) {
        throw validationError(`messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`);
      }
    });
  });
}

/** The reply's leading reasoning block(s) for the last user text. */
export function reasoningBlocks(userText) {
  const text = `Thinking about: ${userText}`;
  const signature = reasoningSignature(text);
  const pieces = fixedPieces(text, 12);
  const blocks = [{
    content: { reasoningContent: { reasoningText: { text, signature } } },
    deltas: [...pieces.map((t) => ({ reasoningContent: { text: t } })), { reasoningContent: { signature } }],
  }];
  if (/\bredacted\b/i.test(userText)) {
    const redactedContent = toBase64(utf8(`redacted thinking for: ${userText}`));
    blocks.push({ content: { reasoningContent: { redactedContent } }, deltas: [{ reasoningContent: { redactedContent } }] });
  }
  return blocks;
}
