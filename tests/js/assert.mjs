// A tiny assertion library that runs unchanged in Node, workerd and Chromium (no node:assert).

export class AssertionError extends Error {
  name = "AssertionError";
}

const show = (value) => {
  try {
    return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `${v}n` : v));
  } catch {
    return String(value);
  }
};

// Key order does not matter for objects: compare their sorted-key JSON forms.
const canonical = (value) =>
  JSON.stringify(value, (_, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
      : v,
  );

export function ok(condition, message) {
  if (!condition) throw new AssertionError(message ?? "expected a truthy value");
}

export function equal(actual, expected, what = "value") {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

export function deepEqual(actual, expected, what = "value") {
  if (canonical(actual) !== canonical(expected)) {
    throw new AssertionError(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

export function type(actual, typeName, what = "value") {
  if (typeof actual !== typeName) {
    throw new AssertionError(`${what}: expected a ${typeName}, got ${show(actual)}`);
  }
}

/** Calls fn and returns what it threw; fails when it does not throw. */
export function throws(fn, what = "call") {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new AssertionError(`${what}: expected it to throw`);
}

/** Awaits the promise and returns its rejection reason; fails when it resolves. */
export async function rejects(promise, what = "promise") {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new AssertionError(`${what}: expected it to reject`);
}

/** Fails when `key` appears anywhere in `value` (objects and arrays, any depth). */
export function noKeyDeep(value, key, path = "$") {
  if (value === null || typeof value !== "object") return;
  if (!Array.isArray(value) && Object.hasOwn(value, key)) {
    throw new AssertionError(`key ${show(key)} found at ${path}`);
  }
  for (const [k, v] of Object.entries(value)) noKeyDeep(v, key, `${path}.${k}`);
}
