// Cloudflare AI Gateway in front of the emulated Bedrock Runtime: the gateway's Bedrock route
// `/v1/{account}/{gateway}/aws-bedrock/bedrock-runtime/{region}/…`, its token check, BYOK, and its
// own JSON errors. Gateways are fixed by convention (like the emulator's API key), so every
// client and runner can use them without configuring the emulator:
//
//   gateway id                    token (cf-aig-authorization)   AWS authorisation
//   emulator-authenticated        required                        SigV4 or API key, checked
//   emulator-byok                 required                        none allowed (the gateway's keys)
//   emulator-rate-limited         —                               every request: 429 gateway error
//   any other id                  not checked                     SigV4 or API key, checked
//
// A SigV4 signature is checked as Bedrock checks it behind the gateway: for host
// `bedrock-runtime.{region}.amazonaws.com` and the path after the gateway prefix, with the
// gateway's own `cf-aig-*` headers stripped (so a client that signed them fails).
import { authenticate } from './auth.mjs';
import { BedrockError } from './errors.mjs';
import { utf8Length } from './bytes.mjs';
import { parseAuthorization } from './sigv4-verify.mjs';

/** The token of the authenticated gateways. */
export const GATEWAY_TOKEN = 'emulator-gateway-token';
/** Gateway ids with settings; any other id is an open gateway. */
export const GATEWAYS = {
  'emulator-authenticated': { token: GATEWAY_TOKEN },
  'emulator-byok': { token: GATEWAY_TOKEN, byok: true },
  'emulator-rate-limited': { rateLimited: true },
};

const ROUTE = /^\/v1\/([^/]+)\/([^/]+)\/aws-bedrock\/bedrock-runtime\/([^/]+)(\/.*)?$/;

/** An error the gateway answers itself, in its own format (not Bedrock's). */
export class GatewayError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** `{account, gateway, region, path}` for a gateway path (`path` is Bedrock's), else null. */
export function parseGatewayPath(path) {
  const m = ROUTE.exec(path);
  return m ? { account: m[1], gateway: m[2], region: m[3], path: m[4] ?? '/' } : null;
}

/**
 * What the gateway does before Bedrock sees the request: its token, its rate limit, then
 * (BYOK) its own signature, or else Bedrock's check of the client's authorisation.
 * @returns {Promise<{scheme: 'sigv4'|'bearer'|'byok'}>}
 */
export async function admitThroughGateway(route, { method, target, headers, body }) {
  const settings = GATEWAYS[route.gateway] ?? {};
  if (settings.token) {
    const presented = /^Bearer\s+(.*)$/i.exec(headers['cf-aig-authorization']?.[0] ?? '')?.[1]?.trim();
    if (presented !== settings.token) throw new GatewayError(401, 2009, 'Unauthorized');
  }
  if (settings.rateLimited) throw new GatewayError(429, 2003, 'Rate limited');
  const aws = Object.keys(headers).filter((name) => name === 'authorization' || name.startsWith('x-amz-'));
  if (settings.byok) {
    // The emulator's strictness: a BYOK client has no AWS keys, so it sends no AWS authorisation.
    if (aws.length) throw new GatewayError(400, 2000, `BYOK gateway: the request carries its own AWS authorization (${aws.join(', ')}); the gateway signs with its stored keys`);
    return { scheme: 'byok' };
  }
  const query = target.indexOf('?');
  const forwarded = Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith('cf-aig-')));
  forwarded.host = [`bedrock-runtime.${route.region}.amazonaws.com`];
  const signed = parseAuthorization(headers.authorization?.[0] ?? '');
  if (signed?.region && signed.region !== route.region) {
    throw new BedrockError('InvalidSignatureException', `Credential should be scoped to a valid region, not '${signed.region}'.`);
  }
  return authenticate({ method, target: route.path + (query < 0 ? '' : target.slice(query)), headers: forwarded, body });
}

/** Writes the gateway's own error: its JSON body, no `x-amzn-ErrorType`. */
export function sendGatewayError(res, err) {
  const body = JSON.stringify({ success: false, result: [], messages: [], error: [{ code: err.code, message: err.message }] });
  res.writeHead(err.status, { 'Content-Type': 'application/json', 'Content-Length': utf8Length(body) });
  res.end(body);
}
