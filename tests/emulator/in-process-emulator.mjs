// Starts the emulator inside the test process on an ephemeral port (nothing to leak if a test
// file crashes: the server dies with the process).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { createEmulator } from '../../emulator/app.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const RECORDINGS_DIR = path.resolve(here, '../../../shared/vectors/recorded/derived');

/** @returns {Promise<{port: number, close: () => Promise<void>}>} */
export async function startEmulator({ recordingsDir = RECORDINGS_DIR, log = () => {} } = {}) {
  const server = createEmulator({ recordingsDir, log });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/**
 * Registers before/after hooks (in the current suite) that start and close an in-process emulator.
 * Returns a handle whose `port` is read lazily, inside tests, once `before` has run.
 * @returns {{readonly port: number}}
 */
export function useEmulator(options) {
  let emulator;
  before(async () => { emulator = await startEmulator(options); });
  after(() => emulator?.close());
  return { get port() { return emulator.port; } };
}
