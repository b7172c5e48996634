// Citations: a document with `citations: {enabled: true}` in the last user message makes the reply
// one citationsContent block quoting the document's first sentence. In the stream the citation
// delta comes first, then the cited text, in one block index (vercel-ai's document-citations capture).
import { textPieces } from './scripted-reply.mjs';
import { fromBase64, fromUtf8 } from '../bytes.mjs';

const MAX_QUOTE = 60;

function documentText(source) {
  if (source.bytes !== undefined) return fromUtf8(fromBase64(source.bytes));
  if (source.text !== undefined) return source.text;
  if (source.content !== undefined) return source.content.map((c) => c.text).join('\n');
  return ''; // s3Location: nothing to read
}

/** The first sentence (through the first '.'), trimmed, at most 60 characters. */
export function firstSentence(text) {
  const dot = text.indexOf('.');
  return Array.from((dot < 0 ? text : text.slice(0, dot + 1)).trim()).slice(0, MAX_QUOTE).join('');
}

/** The citation block for the first citing document of `message`, or null. */
export function citationBlock(message) {
  const documents = (message?.content ?? []).filter((b) => b.document).map((b) => b.document);
  const documentIndex = documents.findIndex((d) => d.citations?.enabled === true);
  if (documentIndex < 0) return null;
  const document = documents[documentIndex];
  const quote = firstSentence(documentText(document.source));
  const text = `According to the document, ${quote}`;
  const citation = {
    title: document.name,
    sourceContent: [{ text: quote }],
    location: { documentChar: { documentIndex, start: 0, end: quote.length } },
  };
  return {
    content: { citationsContent: { content: [{ text }], citations: [citation] } },
    deltas: [{ citation }, ...textPieces(text).map((t) => ({ text: t }))],
  };
}
