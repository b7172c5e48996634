// A planned reply block holds both renderings: `content` (the Converse content block) and what
// ConverseStream sends for it — `start` (contentBlockStart's `start`, only for tool use) and
// `deltas` (each contentBlockDelta's `delta`). Feature modules build them; scripted-converse.mjs
// renders them.
import { textPieces } from './scripted-reply.mjs';

/** A text block streamed in word-ish pieces (or the given ones); an empty text is one "" delta. */
export function textBlock(text, pieces = textPieces(text)) {
  return { content: { text }, deltas: (pieces.length ? pieces : ['']).map((t) => ({ text: t })) };
}
