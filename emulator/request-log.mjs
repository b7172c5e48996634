// The last requests the emulator saw, for tests to assert on what a client actually sent
// (GET /_emulator/requests). Secrets are redacted before they are stored.
import { fromUtf8 } from './bytes.mjs';

const CAPACITY = 100;
const REDACTED = 'REDACTED';

/** Redacts the signature / API key / session token / AI Gateway token, keeps everything else. */
export function redactHeaders(headers) {
  const out = {};
  for (const [name, values] of Object.entries(headers)) {
    let value = values.join(', ');
    if (name === 'authorization') {
      value = value.replace(/Signature=[^,\s]*/g, `Signature=${REDACTED}`).replace(/^(Bearer)\s+.*$/i, `$1 ${REDACTED}`);
    } else if (name === 'cf-aig-authorization') {
      value = value.replace(/^(Bearer)\s+.*$/i, `$1 ${REDACTED}`);
    } else if (name === 'x-amz-security-token') {
      value = REDACTED;
    }
    out[name] = value;
  }
  return out;
}

export class RequestLog {
  #entries = [];

  /** Stores an entry and returns it, so the caller can fill in the status later. */
  add({ method, path, modelId, operation, headers, body }) {
    let parsed = null;
    try {
      parsed = body.byteLength ? JSON.parse(fromUtf8(body)) : null;
    } catch {
      parsed = null;
    }
    const entry = { method, path, modelId, operation, headers: redactHeaders(headers), body: parsed, bodyBytes: body.byteLength, status: null };
    this.#entries.push(entry);
    if (this.#entries.length > CAPACITY) this.#entries.shift();
    return entry;
  }

  list() {
    return this.#entries;
  }

  clear() {
    this.#entries = [];
  }
}
