// Parsing JSON text that may stop anywhere, as tool-call arguments do while they stream in.
// One pass, no recursion (depth is bounded by memory, not the call stack). What is open at the
// end is closed: strings, arrays and objects. What cannot be completed is dropped: a key
// without its value, a trailing comma, a literal or number cut short ("tru", "-", "1.", "1e"),
// an escape cut short. Complete JSON gives exactly what JSON.parse gives; text that is not a
// prefix of any JSON document throws a SyntaxError.

const VALUE = 0; // a value is expected
const FIRST_ELEMENT = 1; // just after "[": a value or "]"
const FIRST_KEY = 2; // just after "{": a key or "}"
const KEY = 3; // just after "," in an object: a key
const COLON = 4; // just after a key
const AFTER = 5; // just after a value: "," or a closing bracket (or the end, at the top)

const ESCAPES = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const LITERALS = { t: ["true", true], f: ["false", false], n: ["null", null] };

/**
 * The value of `text` so far, or undefined when it holds no value yet (empty or whitespace).
 * Throws a SyntaxError when `text` is not the beginning of a JSON document.
 */
export function parsePartialJson(text) {
  if (typeof text !== "string") throw new TypeError("parsePartialJson: text must be a string");
  const end = text.length;
  let i = 0;
  let root;
  let state = VALUE;
  // Open containers, innermost last: { value, key } (key: an object's pending key).
  const stack = [];

  const fail = (what) => {
    const found = i < end ? `token ${JSON.stringify(text[i])}` : "end";
    throw new SyntaxError(`Unexpected ${found} in JSON at position ${i}${what ? ` (${what})` : ""}`);
  };

  const attach = (value) => {
    const top = stack[stack.length - 1];
    if (top === undefined) root = value;
    else if (Array.isArray(top.value)) top.value.push(value);
    else {
      // JSON.parse makes "__proto__" an own property; assignment would set the prototype.
      if (top.key === "__proto__") {
        Object.defineProperty(top.value, top.key, { value, writable: true, enumerable: true, configurable: true });
      } else top.value[top.key] = value;
      top.key = undefined;
    }
  };

  // Reads the string whose opening quote is at i. Returns it, or, at the end of the text,
  // { partial } with what was read (an escape cut short left out).
  const readString = () => {
    const parts = [];
    let start = ++i;
    while (i < end) {
      const code = text.charCodeAt(i);
      if (code === 34) {
        parts.push(text.slice(start, i++));
        return parts.join("");
      }
      if (code === 92) {
        parts.push(text.slice(start, i));
        const next = text[i + 1];
        if (next === undefined) return { partial: parts.join("") };
        if (next === "u") {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]*$/.test(hex)) {
            i += 2 + hex.search(/[^0-9a-fA-F]/);
            fail("bad unicode escape");
          }
          if (hex.length < 4) return { partial: parts.join("") };
          parts.push(String.fromCharCode(parseInt(hex, 16)));
          i += 6;
        } else {
          const escaped = ESCAPES[next];
          if (escaped === undefined) {
            i++;
            fail("bad escape");
          }
          parts.push(escaped);
          i += 2;
        }
        start = i;
      } else if (code < 32) fail("control character in string");
      else i++;
    }
    parts.push(text.slice(start, i));
    return { partial: parts.join("") };
  };

  // Reads the number starting at i: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?. Returns it,
  // or undefined when the text ends before the number is one.
  const digits = () => {
    const from = i;
    for (let code = text.charCodeAt(i); code >= 48 && code <= 57; code = text.charCodeAt(++i));
    return i - from;
  };
  const readNumber = () => {
    const start = i;
    if (text.charCodeAt(i) === 45) i++; // -
    if (i >= end) return undefined;
    if (text.charCodeAt(i) === 48) i++; // 0
    else if (digits() === 0) fail("no number after minus sign");
    if (text.charCodeAt(i) === 46) {
      i++; // .
      if (digits() === 0) return i >= end ? undefined : fail("unterminated fractional number");
    }
    const code = text.charCodeAt(i);
    if (code === 101 || code === 69) {
      i++; // e E
      if (text[i] === "+" || text[i] === "-") i++;
      if (digits() === 0) return i >= end ? undefined : fail("exponent part is missing a number");
    }
    return Number(text.slice(start, i));
  };

  for (;;) {
    while (i < end) {
      const code = text.charCodeAt(i);
      if (code === 32 || code === 10 || code === 13 || code === 9) i++;
      else break;
    }
    if (i >= end) return root;
    const char = text[i];
    switch (state) {
      case FIRST_ELEMENT:
        if (char === "]") {
          i++;
          stack.pop();
          state = AFTER;
          break;
        }
      // falls through: a value
      case VALUE:
        if (char === "{" || char === "[") {
          i++;
          const value = char === "{" ? {} : [];
          attach(value);
          stack.push({ value, key: undefined });
          state = char === "{" ? FIRST_KEY : FIRST_ELEMENT;
        } else if (char === '"') {
          const value = readString();
          if (typeof value !== "string") {
            attach(value.partial);
            return root;
          }
          attach(value);
          state = AFTER;
        } else if (char === "-" || (char >= "0" && char <= "9")) {
          const value = readNumber();
          if (value === undefined) return root;
          attach(value);
          state = AFTER;
        } else if (LITERALS[char] !== undefined) {
          const [word, value] = LITERALS[char];
          if (text.startsWith(word, i)) i += word.length;
          else {
            for (let k = 0; i < end; k++, i++) if (text[i] !== word[k]) fail();
            return root; // cut short
          }
          attach(value);
          state = AFTER;
        } else fail();
        break;
      case FIRST_KEY:
        if (char === "}") {
          i++;
          stack.pop();
          state = AFTER;
          break;
        }
      // falls through: a key
      case KEY: {
        if (char !== '"') fail("expected a property name");
        const key = readString();
        if (typeof key !== "string") return root;
        stack[stack.length - 1].key = key;
        state = COLON;
        break;
      }
      case COLON:
        if (char !== ":") fail("expected ':' after property name");
        i++;
        state = VALUE;
        break;
      case AFTER: {
        const top = stack[stack.length - 1];
        if (top === undefined) fail("after the JSON value");
        const isArray = Array.isArray(top.value);
        if (char === ",") {
          i++;
          state = isArray ? VALUE : KEY;
        } else if (char === (isArray ? "]" : "}")) {
          i++;
          stack.pop();
        } else fail(isArray ? "expected ',' or ']'" : "expected ',' or '}'");
        break;
      }
    }
  }
}
