// `fault:flaky:<n>:<kind>` and `fault:flaky-midstream:<n>`: the first n attempts of one call fail,
// later attempts get the normal reply — for testing retries. An attempt is recognised by the
// headers AWS SDKs send: `amz-sdk-invocation-id` (the same on every retry of one call) and
// `amz-sdk-request: attempt=N; max=M`.
import { validationError } from '../errors.mjs';
import { utf8Length } from '../bytes.mjs';

const CAPACITY = 1000; // invocation ids remembered, oldest forgotten first
const MAX_FAILURES = 100;

/** Counts attempts per invocation id (bounded, least recently seen dropped). One per emulator. */
export class AttemptCounter {
  #counts = new Map();

  /**
   * The 1-based attempt number of this request: the how-many-th request with its invocation id;
   * without one, N of `amz-sdk-request: attempt=N`; without either, 1 (so it always fails).
   * @param {Record<string, string[]>} headers lower-case name → values
   */
  attempt(headers) {
    const id = headers['amz-sdk-invocation-id']?.[0];
    if (id) {
      const n = (this.#counts.get(id) ?? 0) + 1;
      this.#counts.delete(id);
      this.#counts.set(id, n);
      if (this.#counts.size > CAPACITY) this.#counts.delete(this.#counts.keys().next().value);
      return n;
    }
    const declared = /(?:^|;)\s*attempt=(\d+)/.exec(headers['amz-sdk-request']?.[0] ?? '');
    return declared ? Number(declared[1]) : 1;
  }
}

/** `3:throttle` → {failures: 3, kind: 'throttle'} (kind checked against `kinds`); `3` → {failures: 3}. */
export function parseFlaky(arg, kinds) {
  const [count, kind, ...rest] = (arg ?? '').split(':');
  const failures = /^\d+$/.test(count) ? Number(count) : NaN;
  const usage = kinds
    ? `fault:flaky:<n>:<kind> needs n in 0..${MAX_FAILURES} and kind one of ${kinds.join(', ')}`
    : `fault:flaky-midstream:<n> needs n in 0..${MAX_FAILURES}`;
  if (!(failures <= MAX_FAILURES) || rest.length || (kinds ? !kinds.includes(kind) : kind !== undefined)) {
    throw validationError(`${usage}, got '${arg ?? ''}'.`);
  }
  return { failures, kind };
}

/** What a load balancer in front of the service sends: an HTML page, no x-amzn-ErrorType. */
export function sendGatewayError(res, status) {
  const title = `${status} ${status === 502 ? 'Bad Gateway' : 'Gateway Time-out'}`;
  const html = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`;
  res.writeHead(status, { 'Content-Type': 'text/html', 'Content-Length': utf8Length(html) });
  res.end(html);
}
