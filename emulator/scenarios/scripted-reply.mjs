// The scripted assistant behind ordinary model ids: a deterministic reply to a conversation, with
// Bedrock's stop rules (stop sequences, maxTokens). Format-neutral: the Converse and Anthropic
// (InvokeModel) renderings live in scripted-converse.mjs and scripted-invoke.mjs.

const FRENCH_REPLY = "J'adore la programmation.";

const words = (text) => text.split(/\s+/).filter(Boolean);

/** Tokens as the emulator counts them: whitespace-separated words. */
export const countWords = (text) => words(text).length;

/**
 * Splits text into word-ish streaming pieces whose concatenation is the text:
 * "J'adore la programmation." → ["J", "'adore", " la", " programmation", "."].
 * Every character is whitespace, a letter/digit, or other, so the alternatives cover any input.
 */
export function textPieces(text) {
  return text.match(/\s*[^\p{L}\p{N}\s]*[\p{L}\p{N}]+|\s*[^\p{L}\p{N}\s]+|\s+/gu) ?? [];
}

/** The text up to the end of its `n`th word. */
function firstWords(text, n) {
  let end = 0;
  let count = 0;
  for (const m of text.matchAll(/\S+/g)) {
    if (count === n) break;
    end = m.index + m[0].length;
    count++;
  }
  return text.slice(0, end);
}

/** The scripted text before stop rules: the French seed reply or `Echo: <user text>`. */
export function scriptedText(systemTexts, userText) {
  const system = systemTexts.join('\n');
  const translatesToFrench = /translat/i.test(system) && /english/i.test(system) && /french/i.test(system);
  return translatesToFrench && userText.trim() === 'I love programming.'
    ? FRENCH_REPLY
    : `Echo: ${userText || '(no text)'}`;
}

/**
 * Whichever the model would hit first while generating `text`: a stop sequence (cut before it) or
 * the token limit (truncate to maxTokens words). → `{text, stopReason, stopSequence}`.
 */
export function applyStopRules(text, { maxTokens, stopSequences = [] }) {
  let stopReason = 'end_turn';
  let stopSequence = null;
  let stopAt = -1;
  for (const seq of stopSequences) {
    const at = text.indexOf(seq);
    if (at >= 0 && (stopAt < 0 || at < stopAt)) {
      stopAt = at;
      stopSequence = seq;
    }
  }
  if (stopAt >= 0) {
    text = text.slice(0, stopAt);
    stopReason = 'stop_sequence';
  }
  if (maxTokens !== undefined && words(text).length > maxTokens) {
    text = firstWords(text, maxTokens);
    stopReason = 'max_tokens';
    stopSequence = null;
  }
  return { text, stopReason, stopSequence };
}

/**
 * @param {object} conversation
 * @param {string[]} conversation.systemTexts  system prompt text blocks
 * @param {{role: string, texts: string[]}[]} conversation.messages  text blocks per message
 * @param {number} [conversation.maxTokens]
 * @param {string[]} [conversation.stopSequences]
 * @returns {{text: string, stopReason: string, stopSequence: string|null,
 *   inputTokens: number, outputTokens: number, latencyMs: number}}
 *   Tokens are counted as whitespace-separated words; latency is a fixed function of the output.
 */
export function planReply({ systemTexts, messages, maxTokens, stopSequences = [] }) {
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const userText = lastUser ? lastUser.texts.join(' ') : '';
  const { text, stopReason, stopSequence } = applyStopRules(scriptedText(systemTexts, userText), { maxTokens, stopSequences });
  const inputTokens = words([systemTexts.join('\n'), ...messages.flatMap((m) => m.texts)].join(' ')).length;
  const outputTokens = words(text).length;
  return { text, stopReason, stopSequence, inputTokens, outputTokens, latencyMs: 100 + 10 * outputTokens };
}
