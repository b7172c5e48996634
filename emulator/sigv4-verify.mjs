// Server-side SigV4 verification: parse the Authorization header, re-sign the request exactly as
// received with the AWS SDK's signer (@smithy/signature-v4), compare. The signer is independent of
// our Rust one, so a canonicalisation bug there shows up as a 403 here.
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { constantTimeEqual, toHex } from './bytes.mjs';

export const SIGNING_SERVICE = 'bedrock';
const ALGORITHM = 'AWS4-HMAC-SHA256';

/**
 * Parses `AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, SignedHeaders=a;b,
 * Signature=hex`. Returns null when the value is not a SigV4 header at all.
 */
export function parseAuthorization(value) {
  if (!value.startsWith(`${ALGORITHM} `)) return null;
  const fields = {};
  for (const part of value.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  const { Credential, SignedHeaders, Signature } = fields;
  if (!Credential || !SignedHeaders || !Signature) {
    return { malformed: 'Authorization header requires Credential, SignedHeaders and Signature.' };
  }
  const scope = Credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') {
    return { malformed: `Credential should be AKID/YYYYMMDD/region/service/aws4_request, got '${Credential}'.` };
  }
  const [accessKeyId, date, region, service] = scope;
  return { accessKeyId, date, region, service, signedHeaders: SignedHeaders.split(';'), signature: Signature };
}

/** `20150830T123600Z` → Date, or null. */
export function parseAmzDate(value) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

/**
 * `path?query` → the query as the signer wants it: decoded names/values, repeated names as arrays.
 * `+` stays literal (SigV4 does not treat it as a space).
 */
function parseQuery(rawQuery) {
  const query = {};
  if (!rawQuery) return query;
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
    if (Object.hasOwn(query, name)) query[name] = [].concat(query[name], value);
    else query[name] = value;
  }
  return query;
}

async function sha256Hex(bytes) {
  const hash = new Sha256();
  hash.update(bytes);
  return toHex(await hash.digest());
}

/**
 * Verifies a request's SigV4 signature.
 *
 * @param {object} request
 * @param {string} request.method
 * @param {string} request.target  the request-target exactly as on the wire, e.g.
 *   `/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse` (already percent-encoded once;
 *   the signer encodes it a second time for the canonical URI, as Bedrock expects)
 * @param {Record<string, string[]>} request.headers lower-case name → values in wire order
 * @param {Uint8Array} request.body
 * @param {(accessKeyId: string) => string | undefined} lookupSecret
 * @returns {Promise<{ok: true, accessKeyId: string, region: string}
 *   | {ok: false, reason: 'missing'|'malformed'|'unknown-key'|'mismatch', message: string, canonicalRequest?: string, stringToSign?: string}>}
 */
export async function verifySigV4(request, lookupSecret) {
  const authorization = request.headers.authorization?.[0];
  if (!authorization) {
    return { ok: false, reason: 'missing', message: 'Request is missing Authentication Token' };
  }
  const auth = parseAuthorization(authorization);
  if (!auth) {
    return { ok: false, reason: 'malformed', message: `Authorization header must use ${ALGORITHM} (or Bearer).` };
  }
  if (auth.malformed) return { ok: false, reason: 'malformed', message: auth.malformed };
  if (auth.service !== SIGNING_SERVICE) {
    return {
      ok: false,
      reason: 'malformed',
      message: `Credential should be scoped to correct service: '${SIGNING_SERVICE}'.`,
    };
  }
  const secretAccessKey = lookupSecret(auth.accessKeyId);
  if (secretAccessKey === undefined) {
    return { ok: false, reason: 'unknown-key', message: 'The security token included in the request is invalid.' };
  }

  const amzDate = request.headers['x-amz-date']?.[0];
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) {
    return { ok: false, reason: 'malformed', message: 'X-Amz-Date header missing or not in YYYYMMDDTHHMMSSZ form.' };
  }
  if (amzDate.slice(0, 8) !== auth.date) {
    return {
      ok: false,
      reason: 'malformed',
      message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}'.`,
    };
  }
  for (const required of ['host', 'x-amz-date']) {
    if (!auth.signedHeaders.includes(required)) {
      return { ok: false, reason: 'malformed', message: `'${required}' must be a signed header.` };
    }
  }

  // Only the headers the client says it signed take part; duplicates join with "," (SigV4).
  const signedHeaders = {};
  for (const name of auth.signedHeaders) {
    const values = request.headers[name];
    if (!values) {
      return { ok: false, reason: 'mismatch', message: `SignedHeaders lists '${name}' but the request has no such header.` };
    }
    signedHeaders[name] = values.map((v) => v.trim()).join(',');
  }
  // The signer trusts x-amz-content-sha256 as the payload hash, so make sure it is the truth.
  const declaredHash = signedHeaders['x-amz-content-sha256'];
  if (declaredHash !== undefined && declaredHash !== 'UNSIGNED-PAYLOAD') {
    const actual = await sha256Hex(request.body);
    if (declaredHash !== actual) {
      return {
        ok: false,
        reason: 'mismatch',
        message: `The provided x-amz-content-sha256 header does not match what was computed (${actual}).`,
      };
    }
  }

  const q = request.target.indexOf('?');
  let query;
  try {
    query = parseQuery(q < 0 ? '' : request.target.slice(q + 1));
  } catch {
    return { ok: false, reason: 'malformed', message: 'The query string is not valid percent-encoding.' };
  }
  const httpRequest = new HttpRequest({
    method: request.method,
    protocol: 'https:',
    hostname: signedHeaders.host,
    path: q < 0 ? request.target : request.target.slice(0, q),
    query,
    headers: signedHeaders,
    body: request.body,
  });
  const signer = new SignatureV4({
    service: SIGNING_SERVICE,
    region: auth.region,
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    sha256: Sha256,
    applyChecksum: false,
    uriEscapePath: true,
  });
  const signed = await signer.sign(httpRequest, {
    signingDate,
    // Forces even "unsignable" names (user-agent…) in if the client signed them.
    signableHeaders: new Set(auth.signedHeaders),
  });
  const expected = /Signature=([0-9a-f]+)$/.exec(signed.headers.authorization)[1];
  const matches = constantTimeEqual(expected, auth.signature);
  if (matches) return { ok: true, accessKeyId: auth.accessKeyId, region: auth.region };

  // Word for word what SigV4 services answer: the canonical request and string to sign we expected.
  // A signed x-amz-security-token appears in it verbatim, so clients must redact such messages.
  const canonicalRequest = signer.createCanonicalRequest(
    httpRequest,
    Object.fromEntries(Object.entries(signedHeaders).map(([k, v]) => [k, v.replace(/\s+/g, ' ')])),
    declaredHash ?? (await sha256Hex(request.body)),
  );
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = await signer.createStringToSign(amzDate, scope, canonicalRequest, ALGORITHM);
  return {
    ok: false,
    reason: 'mismatch',
    message:
      'The request signature we calculated does not match the signature you provided. ' +
      'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n' +
      `The Canonical String for this request should have been\n'${canonicalRequest}'\n\n` +
      `The String-to-Sign should have been\n'${stringToSign}'\n`,
    canonicalRequest,
    stringToSign,
  };
}
