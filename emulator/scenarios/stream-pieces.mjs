// Fixed-size streaming pieces (tool input JSON, structured output, reasoning text).

/** `text` in consecutive pieces of at most `size` code points (never splits a surrogate pair); "" → []. */
export function fixedPieces(text, size) {
  const chars = Array.from(text);
  const pieces = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
  return pieces;
}
