// A minimal Bedrock client for the emulator's own tests: signs with the AWS SDK signer and keeps
// the raw response bytes and chunk boundaries (fetch would hide both).
import http from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { CREDENTIALS } from '../../emulator/auth.mjs';

export const LONG_TERM = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: CREDENTIALS.AKIDEXAMPLE.secretAccessKey };
export const TEMPORARY = {
  accessKeyId: 'ASIAEMULATORTEMP',
  secretAccessKey: CREDENTIALS.ASIAEMULATORTEMP.secretAccessKey,
  sessionToken: CREDENTIALS.ASIAEMULATORTEMP.sessionToken,
};

/** `/model/<id>/<op>` with the id percent-encoded as the SDKs do (`:` → %3A, `/` → %2F). */
export const modelPath = (modelId, op) => `/model/${encodeURIComponent(modelId)}/${op}`;

/** Headers for `path` + `body` signed with SigV4 (service bedrock) at `signingDate` (default now). */
export async function signedHeaders({
  port, path, body, method = 'POST', headers = {}, credentials = LONG_TERM, region = 'us-east-1', signingDate,
}) {
  const signer = new SignatureV4({ service: 'bedrock', region, credentials, sha256: Sha256, applyChecksum: false });
  const signed = await signer.sign(new HttpRequest({
    method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port,
    path,
    headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json', ...headers },
    body,
  }), { signingDate });
  return signed.headers;
}

/**
 * Sends a raw request. Resolves (never rejects) with the status, headers, whole body, the body
 * chunks as received, and `error` if the connection failed or the body ended prematurely.
 */
export function send({ port, path, method = 'POST', headers = {}, body }) {
  return new Promise((resolve) => {
    const result = { status: 0, headers: {}, chunks: [], body: Buffer.alloc(0), error: null };
    const finish = () => {
      result.body = Buffer.concat(result.chunks);
      resolve(result);
    };
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      result.status = res.statusCode;
      result.headers = res.headers;
      res.on('data', (chunk) => result.chunks.push(chunk));
      res.on('error', (err) => { result.error ??= err; });
      res.on('close', () => {
        if (!res.complete) result.error ??= new Error('response ended prematurely');
        finish();
      });
    });
    req.on('error', (err) => {
      result.error ??= err;
      if (result.status === 0) finish();
    });
    req.end(body);
  });
}

/** Signs and sends `body` (an object is JSON-encoded) to `modelId`'s operation `op`. */
export async function callModel(port, modelId, op, body, { credentials, headers, region, signingDate } = {}) {
  const path = modelPath(modelId, op);
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const signed = await signedHeaders({ port, path, body: payload, credentials, headers, region, signingDate });
  return send({ port, path, headers: signed, body: payload });
}

export const userSays = (text, extra = {}) => ({ messages: [{ role: 'user', content: [{ text }] }], ...extra });
