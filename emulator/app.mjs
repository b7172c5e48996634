// The emulator's HTTP server: a node:http adapter around core.mjs (routing, authentication, the
// scenarios), with the recordings read from disk for `replay:` ids. fetch-handler.mjs is the other
// adapter (Workers, browsers, Bun, Deno).
import http from 'node:http';
import { MAX_BODY_BYTES, createEmulatorCore } from './core.mjs';
import { validationError } from './errors.mjs';
import { Recordings } from './scenarios/recording-files.mjs';

/** Lower-case header name → values in wire order (keeps duplicates, unlike `req.headers`). */
function headerValues(rawHeaders) {
  const headers = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    (headers[rawHeaders[i].toLowerCase()] ??= []).push(rawHeaders[i + 1]);
  }
  return headers;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.byteLength;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(validationError(`Request body exceeds ${MAX_BODY_BYTES} bytes.`));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/**
 * @param {object} options
 * @param {string} options.recordingsDir  folder with index.json and the .eventstream recordings
 * @param {(...args: unknown[]) => void} [options.log]  diagnostics (signature mismatches, bugs)
 * @returns {http.Server} not yet listening
 */
export function createEmulator({ recordingsDir, log = (...args) => console.error('[emulator]', ...args) }) {
  const core = createEmulatorCore({ recordings: new Recordings(recordingsDir, log), log });
  const sockets = new Set();

  const server = http.createServer({ noDelay: true }, (req, res) => {
    core.serve({
      method: req.method,
      target: req.url ?? '/',
      headers: headerValues(req.rawHeaders),
      readBody: () => readBody(req),
      resume: () => req.resume(),
      // Not counting the connection this question came on.
      otherSockets: () => sockets.size - (sockets.has(req.socket) ? 1 : 0),
    }, res);
  });

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  return server;
}
