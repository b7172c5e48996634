// Who may call the emulator: a fixed table of test credentials (SigV4) and one Bedrock API key
// (Bearer). Mechanism lives in sigv4-verify.mjs; this file is the policy.
import { BedrockError } from './errors.mjs';
import { parseAuthorization, verifySigV4 } from './sigv4-verify.mjs';

/** Test credentials. `sessionToken` set = temporary credentials that must present that token. */
export const CREDENTIALS = {
  AKIDEXAMPLE: { secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: null },
  ASIAEMULATORTEMP: {
    secretAccessKey: 'emulatorTempSecretKey0123456789abcdefghij',
    sessionToken: 'emulator-session-token',
  },
  // Expired temporary credentials: every request gets 403 ExpiredTokenException.
  ASIAEMULATOREXPIRED: {
    secretAccessKey: 'emulatorExpiredSecretKey0123456789abcdefg',
    sessionToken: 'emulator-expired-token',
    expired: true,
  },
};

/** The one accepted Bedrock API key (`Authorization: Bearer emulator-api-key`). */
export const API_KEY = 'emulator-api-key';

const INVALID_TOKEN = 'The security token included in the request is invalid.';
const EXPIRED_TOKEN = 'The security token included in the request is expired';

/**
 * Throws a BedrockError unless the request is authenticated.
 * @param {{method: string, target: string, headers: Record<string, string[]>, body: Uint8Array}} request
 * @returns {Promise<{scheme: 'sigv4'|'bearer', accessKeyId?: string}>}
 */
export async function authenticate(request) {
  const authorization = request.headers.authorization?.[0] ?? '';
  const bearer = /^Bearer\s+(.*)$/i.exec(authorization);
  if (bearer) {
    if (bearer[1].trim() === API_KEY) return { scheme: 'bearer' };
    throw new BedrockError('UnrecognizedClientException', 'The API key included in the request is invalid.');
  }

  // Like STS-issued credentials past their expiry: refused whatever the signature.
  const accessKeyId = parseAuthorization(authorization)?.accessKeyId;
  if (accessKeyId && Object.hasOwn(CREDENTIALS, accessKeyId) && CREDENTIALS[accessKeyId].expired) {
    throw new BedrockError('ExpiredTokenException', EXPIRED_TOKEN);
  }

  const result = await verifySigV4(request, (id) => (Object.hasOwn(CREDENTIALS, id) ? CREDENTIALS[id].secretAccessKey : undefined));
  if (!result.ok) {
    const name = result.reason === 'unknown-key' ? 'UnrecognizedClientException' : 'InvalidSignatureException';
    const err = new BedrockError(name, result.message);
    if (result.canonicalRequest) err.serverLog = `signature mismatch; expected canonical request:\n${result.canonicalRequest}`;
    throw err;
  }
  // The token need not be signed (SigV4 allows adding it after signing) but must be right.
  const expectedToken = CREDENTIALS[result.accessKeyId].sessionToken;
  const presentedToken = request.headers['x-amz-security-token']?.[0] ?? null;
  if (presentedToken !== expectedToken) {
    const detail = expectedToken === null
      ? `${result.accessKeyId} is a long-term key and takes no X-Amz-Security-Token.`
      : `${result.accessKeyId} is a temporary key and needs its X-Amz-Security-Token.`;
    throw new BedrockError('UnrecognizedClientException', `${INVALID_TOKEN} ${detail}`);
  }
  return { scheme: 'sigv4', accessKeyId: result.accessKeyId };
}
