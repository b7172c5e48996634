#!/usr/bin/env node
// CLI entry of the local Bedrock Runtime emulator:
//   node emulator/server.mjs [--port N] [--port-file PATH] [--recordings DIR]
// Listens on 127.0.0.1 only; writes the port atomically to --port-file once listening; exits 0 on
// SIGTERM/SIGINT.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createEmulator } from './app.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// emulator/ → the repo root is one level up; shared/ sits next to the repo.
const DEFAULT_RECORDINGS = path.resolve(here, '../../shared/vectors/recorded/derived');

function usage(message) {
  console.error(`${message}\nusage: node emulator/server.mjs [--port N] [--port-file PATH] [--recordings DIR]`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'port-file': { type: 'string' },
      recordings: { type: 'string', default: DEFAULT_RECORDINGS },
    },
  }));
} catch (e) {
  usage(e.message);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`invalid --port ${values.port}`);

const server = createEmulator({ recordingsDir: path.resolve(values.recordings) });

server.on('error', (err) => {
  console.error(`bedrock-emulator: ${err.message}`);
  process.exit(1);
});

server.listen(port, '127.0.0.1', () => {
  const actual = server.address().port;
  if (values['port-file']) {
    // Write then rename, so a reader polling for the file never sees a partial number.
    const tmp = `${values['port-file']}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${actual}\n`);
    fs.renameSync(tmp, values['port-file']);
  }
  console.log(`bedrock-emulator listening on http://127.0.0.1:${actual}`);
});

function shutdown(signal) {
  console.error(`bedrock-emulator: ${signal}, shutting down`);
  server.close(() => process.exit(0));
  // Streams in flight (slow-drip…) would keep close() waiting; they are test traffic, end them.
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
