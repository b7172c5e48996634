// `fault:skew:<minutes>`: the emulator acts as if its clock ran <minutes> ahead (negative: behind).
// Every response's `Date` shows that clock; a SigV4 `x-amz-date` more than 5 minutes away from it
// is refused with AWS's own "Signature expired" / "Signature not yet current" messages.
import { BedrockError, validationError } from '../errors.mjs';
import { parseAmzDate } from '../sigv4-verify.mjs';

export const SKEW_PREFIX = 'fault:skew:';
const MAX_SKEW_MINUTES = 525_600; // a year
const TOLERANCE_MS = 5 * 60_000;

/** Minutes of skew of a `fault:skew:<minutes>` id; null for other ids, NaN for a bad number. */
export function skewMinutes(modelId) {
  if (!modelId?.startsWith(SKEW_PREFIX)) return null;
  const arg = modelId.slice(SKEW_PREFIX.length);
  const minutes = /^-?\d+$/.test(arg) ? Number(arg) : NaN;
  return Math.abs(minutes) <= MAX_SKEW_MINUTES ? minutes : NaN;
}

export const skewedNow = (minutes) => new Date(Date.now() + minutes * 60_000);

/** `yyyyMMdd'T'HHmmss'Z'`, the form of x-amz-date and of AWS's expiry messages. */
export const amzDateOf = (date) => date.toISOString().replace(/\.\d{3}/, '').replace(/[-:]/g, '');

export function requireValidSkew(minutes) {
  if (Number.isNaN(minutes)) {
    throw validationError(`fault:skew:<minutes> needs an integer in -${MAX_SKEW_MINUTES}..${MAX_SKEW_MINUTES}.`);
  }
}

/** Throws 403 InvalidSignatureException when `amzDate` is more than 5 minutes from `now`. */
export function checkSigningTime(amzDate, now) {
  const signed = parseAmzDate(amzDate);
  if (!signed) return; // the signature check already refused a malformed x-amz-date
  if (signed.getTime() < now.getTime() - TOLERANCE_MS) {
    throw new BedrockError('InvalidSignatureException', `Signature expired: ${amzDate} is now earlier than ` +
      `${amzDateOf(new Date(now.getTime() - TOLERANCE_MS))} (${amzDateOf(now)} - 5 min.)`);
  }
  if (signed.getTime() > now.getTime() + TOLERANCE_MS) {
    throw new BedrockError('InvalidSignatureException', `Signature not yet current: ${amzDate} is still later than ` +
      `${amzDateOf(new Date(now.getTime() + TOLERANCE_MS))} (${amzDateOf(now)} + 5 min.)`);
  }
}
