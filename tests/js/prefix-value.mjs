// Test helper: whether a partial value (from a prefix of some JSON text) can grow into a final one.
import { isDeepStrictEqual } from "node:util";

// Whether `partial` (the value of a prefix of some text) can grow into `final` (the value of the
// whole text): strings grow at the end, numbers may still change, containers only gain members
// and only their last member may be incomplete.
export function isPrefixValue(partial, final) {
  if (partial === undefined) return true;
  if (typeof partial === "string") return typeof final === "string" && final.startsWith(partial);
  if (typeof partial === "number") return typeof final === "number";
  if (partial === null || typeof partial === "boolean") return Object.is(partial, final);
  if (Array.isArray(partial)) {
    if (!Array.isArray(final) || partial.length > final.length) return false;
    return partial.every((item, i) =>
      i === partial.length - 1 ? isPrefixValue(item, final[i]) : isDeepStrictEqual(item, final[i]),
    );
  }
  if (typeof final !== "object" || final === null || Array.isArray(final)) return false;
  const keys = Object.keys(partial);
  const finalKeys = Object.keys(final);
  if (keys.some((key, i) => finalKeys[i] !== key)) return false;
  return keys.every((key, i) =>
    i === keys.length - 1 ? isPrefixValue(partial[key], final[key]) : isDeepStrictEqual(partial[key], final[key]),
  );
}
