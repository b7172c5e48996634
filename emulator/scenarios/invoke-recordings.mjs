// Recorded non-streaming InvokeModel replies for `replay:` ids: the openinference-js nock
// recordings (`<recorded>/openinference-js/recordings/*.json`, arrays of `{path, status, response,
// rawHeaders, …}`) whose path ends in `/invoke`, served as recorded. Named
// `openinference-js/<file without .json>` for the file's first /invoke record; files with more
// get `…#1`, `…#2` for the second, third… (The openinference-python vcrpy cassettes would need a
// YAML parser, which emulator/package.json does not have, so they are not served this way.)
import fs from 'node:fs';
import path from 'node:path';

const SOURCE = 'openinference-js';

/** Recorded response headers worth replaying (connection, length, date are the server's business). */
const replayed = (name) => ['content-type', 'x-amzn-requestid', 'x-amzn-errortype'].includes(name) || name.startsWith('x-amzn-bedrock-');

function headersOf(rawHeaders = []) {
  const headers = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (replayed(name)) headers[name] = rawHeaders[i + 1];
  }
  return headers;
}

/** A nock record's body bytes: JSON bodies are stored parsed (re-serialised compactly), binary as hex. */
function bodyOf(record) {
  if (typeof record.response !== 'string') return Buffer.from(JSON.stringify(record.response));
  return record.responseIsBinary ? Buffer.from(record.response, 'hex') : Buffer.from(record.response);
}

/**
 * @param {string} recordedDir  the recorded-traffic root (the parent of `derived/`)
 * @param {(...args: unknown[]) => void} log
 * @returns {Map<string, {name, operation: 'InvokeModel', status: number, headers: object, bytes: Buffer}>}
 */
export function loadInvokeRecordings(recordedDir, log) {
  const dir = path.join(recordedDir, SOURCE, 'recordings');
  const byName = new Map();
  if (!fs.existsSync(dir)) return byName;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    let records;
    try {
      records = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    } catch (err) {
      log(`skipping unreadable recording ${file}: ${err.message}`);
      continue;
    }
    const invokes = (Array.isArray(records) ? records : []).filter((r) => typeof r?.path === 'string' && r.path.endsWith('/invoke'));
    invokes.forEach((record, i) => {
      const name = `${SOURCE}/${file.replace(/\.json$/, '')}${i === 0 ? '' : `#${i}`}`;
      byName.set(name, {
        name, operation: 'InvokeModel', status: record.status ?? 200, headers: headersOf(record.rawHeaders), bytes: bodyOf(record),
      });
    });
  }
  return byName;
}
