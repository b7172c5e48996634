// The scripted assistant's planned reply blocks (Converse-shaped, see planned-blocks.mjs) in
// Claude's format: each block's Message `content`, its stream `start` (content_block_start's
// content_block) and `deltas` (content_block_delta's delta, in order).
import { sha256Hex } from '../bytes.mjs';
import { blocksOf } from './anthropic-content.mjs';
import { textPieces } from './scripted-reply.mjs';
import { toolUseId } from './tools.mjs';

/**
 * `toolu_bdrk_` + the 22 characters of the Converse rule's tool-use id (tools.mjs), computed over
 * the Anthropic body's `messages`: base64url(sha256(`name\nposition\nsha256hex(JSON(messages))`)), `-` → `_`.
 */
export function anthropicToolUseId(name, position, messages) {
  const hash = sha256Hex(JSON.stringify(messages));
  return `toolu_bdrk_${toolUseId(name, position, hash).slice('tooluse_'.length)}`;
}

const textDeltas = (text) => textPieces(text).map((t) => ({ type: 'text_delta', text: t }));

/**
 * Converse citation → Claude citation. Its document is the last user message's n-th document;
 * `document_index` counts documents across the whole request. A PDF gives `page_location`
 * (page 1), a `content` source `content_block_location` (block 0), a text source `char_location`.
 */
function claudeCitation(citation, body) {
  const lastUser = body.messages.findLastIndex((m) => m.role === 'user');
  const documentsBefore = body.messages.slice(0, lastUser)
    .reduce((n, m) => n + blocksOf(m.content).filter((b) => b.type === 'document').length, 0);
  const { documentIndex, end } = citation.location.documentChar;
  const document = blocksOf(body.messages[lastUser].content).filter((b) => b.type === 'document')[documentIndex];
  const common = {
    cited_text: citation.sourceContent[0].text,
    document_index: documentsBefore + documentIndex,
    document_title: document.title ?? null,
  };
  switch (document.source.type) {
    case 'base64':
      return { type: 'page_location', ...common, start_page_number: 1, end_page_number: 2 };
    case 'content':
      return { type: 'content_block_location', ...common, start_block_index: 0, end_block_index: 1 };
    default:
      return { type: 'char_location', ...common, start_char_index: 0, end_char_index: end };
  }
}

function claudeBlock(content, deltas, body, nextToolPosition) {
  if (content.text !== undefined) {
    return { content: { type: 'text', text: content.text }, start: { type: 'text', text: '' }, deltas: textDeltas(content.text) };
  }
  if (content.citationsContent) {
    const { text } = content.citationsContent.content[0];
    const citations = content.citationsContent.citations.map((c) => claudeCitation(c, body));
    return {
      content: { type: 'text', text, citations },
      start: { type: 'text', text: '' },
      deltas: [...citations.map((citation) => ({ type: 'citations_delta', citation })), ...textDeltas(text)],
    };
  }
  if (content.toolUse) {
    const { name, input } = content.toolUse;
    const id = anthropicToolUseId(name, nextToolPosition(), body.messages);
    return {
      content: { type: 'tool_use', id, name, input },
      start: { type: 'tool_use', id, name, input: {} },
      deltas: deltas.map((d) => ({ type: 'input_json_delta', partial_json: d.toolUse.input })),
    };
  }
  const reasoning = content.reasoningContent;
  if (reasoning.redactedContent !== undefined) {
    const block = { type: 'redacted_thinking', data: reasoning.redactedContent };
    return { content: block, start: block, deltas: [] };
  }
  const { text, signature } = reasoning.reasoningText;
  return {
    content: { type: 'thinking', thinking: text, signature },
    start: { type: 'thinking', thinking: '' },
    deltas: deltas.map(({ reasoningContent: r }) => (r.signature !== undefined
      ? { type: 'signature_delta', signature: r.signature }
      : { type: 'thinking_delta', thinking: r.text })),
  };
}

/**
 * @param {{content: object, deltas: object[]}[]} plannedBlocks  from converse-reply-plan.mjs
 * @param {object} body  the Anthropic Messages body (tool-use ids, citation documents)
 * @returns {{content: object, start: object, deltas: object[]}[]}
 */
export function claudeBlocks(plannedBlocks, body) {
  let toolPosition = 0;
  const nextToolPosition = () => toolPosition++;
  return plannedBlocks.map(({ content, deltas }) => claudeBlock(content, deltas, body, nextToolPosition));
}
