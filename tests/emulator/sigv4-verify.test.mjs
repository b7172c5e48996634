// The verifier against the Bedrock-shaped SigV4 vectors (botocore-computed, fixed date): all must
// verify, and any tampering must not.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAuthorization, verifySigV4 } from '../../emulator/sigv4-verify.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const CASES = JSON.parse(fs.readFileSync(
  path.resolve(here, '../../../shared/vectors/sigv4/bedrock-derived/bedrock-sigv4-cases.json'), 'utf8'));

/** A vector as the server would see it on the wire. */
function wireRequest(c) {
  const url = new URL(c.request.url);
  const headers = { host: [url.host], authorization: [c.authorization] };
  for (const [name, value] of Object.entries(c.request.headers)) headers[name.toLowerCase()] = [value];
  return {
    method: c.request.method,
    target: c.request.url.slice(url.origin.length),
    headers,
    body: Buffer.from(c.request.body),
  };
}

const lookup = (c) => (id) => (id === c.credentials.access_key_id ? c.credentials.secret_access_key : undefined);

test('there are 4 Bedrock SigV4 vectors', () => assert.equal(CASES.length, 4));

for (const c of CASES) {
  test(`vector ${c.name} verifies`, async () => {
    const result = await verifySigV4(wireRequest(c), lookup(c));
    assert.deepEqual(result, { ok: true, accessKeyId: 'AKIDEXAMPLE', region: c.region });
  });

  test(`vector ${c.name} fails when tampered`, async () => {
    const tamperings = {
      body: (r) => { r.body = Buffer.from(c.request.body.replace('Hello', 'Hellp').replace('short', 'shorT')); },
      signature: (r) => { r.headers.authorization = [c.authorization.replace(/.$/, (d) => (d === '0' ? '1' : '0'))]; },
      path: (r) => { r.target = r.target.replace('%3A', ':'); },
      header: (r) => { r.headers['content-type'] = ['text/plain']; },
      date: (r) => { r.headers['x-amz-date'] = ['20150830T123601Z']; },
      secret: () => 'wrong',
    };
    for (const [what, tamper] of Object.entries(tamperings)) {
      const request = wireRequest(c);
      const wrongSecret = tamper(request) === 'wrong';
      const result = await verifySigV4(request, wrongSecret ? () => 'not-the-secret' : lookup(c));
      assert.equal(result.ok, false, `tampered ${what} must not verify`);
      assert.equal(result.reason, 'mismatch', what);
    }
  });
}

test('the canonical URI double-encodes the wire path (%3A → %253A) in the mismatch report', async () => {
  const c = CASES[2];
  const request = wireRequest(c);
  const result = await verifySigV4(request, () => 'not-the-secret');
  assert.equal(result.canonicalRequest, c.canonical_request);
});

test('unknown access key, wrong service, missing header are told apart', async () => {
  const c = CASES[0];
  assert.equal((await verifySigV4(wireRequest(c), () => undefined)).reason, 'unknown-key');

  const wrongService = wireRequest(c);
  wrongService.headers.authorization = [c.authorization.replace('/bedrock/', '/bedrock-runtime/')];
  const r1 = await verifySigV4(wrongService, lookup(c));
  assert.equal(r1.reason, 'malformed');
  assert.match(r1.message, /scoped to correct service: 'bedrock'/);

  const missing = wireRequest(c);
  delete missing.headers.accept;
  const r2 = await verifySigV4(missing, lookup(c));
  assert.equal(r2.reason, 'mismatch');
  assert.match(r2.message, /'accept'/);

  const none = wireRequest(c);
  delete none.headers.authorization;
  assert.equal((await verifySigV4(none, lookup(c))).reason, 'missing');
});

test('a signed x-amz-content-sha256 must match the body', async () => {
  const c = CASES[0];
  const request = wireRequest(c);
  request.headers['x-amz-content-sha256'] = ['0'.repeat(64)];
  request.headers.authorization = [c.authorization.replace('x-amz-date,', 'x-amz-content-sha256;x-amz-date,')];
  const result = await verifySigV4(request, lookup(c));
  assert.equal(result.ok, false);
  assert.match(result.message, /x-amz-content-sha256/);
});

test('parseAuthorization reads the scope', () => {
  assert.deepEqual(parseAuthorization(CASES[1].authorization), {
    accessKeyId: 'AKIDEXAMPLE',
    date: '20150830',
    region: 'us-west-2',
    service: 'bedrock',
    signedHeaders: ['accept', 'content-type', 'host', 'x-amz-date'],
    signature: CASES[1].signature,
  });
  assert.equal(parseAuthorization('Bearer abc'), null);
  assert.ok(parseAuthorization('AWS4-HMAC-SHA256 Credential=a/b').malformed);
});
