// The recordings on disk for `replay:` ids (Node only: reads files). The fetch handler
// (fetch-handler.mjs) has none; app.mjs gives this to the core (core.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { BedrockError } from '../errors.mjs';
import { loadInvokeRecordings } from './invoke-recordings.mjs';

/**
 * The recordings listed in `<dir>/index.json`, by name `<source>/<file without .eventstream>`,
 * and the InvokeModel JSON replies recorded beside `<dir>` (invoke-recordings.mjs).
 */
export class Recordings {
  #dir;
  #byName = new Map();
  #bytes = new Map();
  #invoke;

  /** @param {string} dir  @param {(...args: unknown[]) => void} log */
  constructor(dir, log) {
    this.#dir = dir;
    this.#invoke = loadInvokeRecordings(path.dirname(dir), log);
    const indexPath = path.join(dir, 'index.json');
    if (!fs.existsSync(indexPath)) {
      log(`no recordings at ${indexPath}; replay: model ids will return 404`);
      return;
    }
    for (const entry of JSON.parse(fs.readFileSync(indexPath, 'utf8'))) {
      const name = entry.file.replace(/\.eventstream$/, '');
      // vercel-ai's synthetic exception frame has no path; it stands for a ConverseStream body.
      const operation = entry.path?.endsWith('/invoke-with-response-stream')
        ? 'InvokeModelWithResponseStream'
        : 'ConverseStream';
      this.#byName.set(name, { name, file: entry.file, operation, status: entry.status ?? 200, headers: entry.http_headers ?? {} });
    }
  }

  names() {
    return [...new Set([...this.#byName.keys(), ...this.#invoke.keys()])];
  }

  /**
   * The recording called `name` with its bytes, or a 404 ResourceNotFoundException. For
   * `operation` InvokeModel an InvokeModel reply of that name comes first.
   */
  get(name, operation) {
    if (this.#invoke.has(name) && (operation === 'InvokeModel' || !this.#byName.has(name))) return this.#invoke.get(name);
    const entry = this.#byName.get(name);
    if (!entry) {
      throw new BedrockError('ResourceNotFoundException', `No recording named '${name}' in ${this.#dir} (see index.json).`);
    }
    if (!this.#bytes.has(name)) this.#bytes.set(name, fs.readFileSync(path.join(this.#dir, entry.file)));
    return { ...entry, bytes: this.#bytes.get(name) };
  }
}

