// Pass-through request members: performanceConfig and serviceTier (echoed in the response),
// requestMetadata (validated only) and additionalModelResponseFieldPaths (→
// additionalModelResponseFields).
import { validationError } from '../errors.mjs';
import { constraint, isObject, requireEnum } from '../validation-messages.mjs';

const METADATA_CHARS = /^[a-zA-Z0-9\s:_@$#=/+,\-.]*$/;
const MAX_FIELD_PATHS = 10;

export function validateRequestOptions({ performanceConfig, serviceTier, requestMetadata, additionalModelResponseFieldPaths }) {
  if (performanceConfig !== undefined) {
    if (!isObject(performanceConfig)) throw constraint('performanceConfig', performanceConfig, 'Member must be an object');
    requireEnum('performanceConfig.latency', performanceConfig.latency, ['standard', 'optimized']);
  }
  if (serviceTier !== undefined) {
    if (!isObject(serviceTier)) throw constraint('serviceTier', serviceTier, 'Member must be an object');
    requireEnum('serviceTier.type', serviceTier.type, ['priority', 'default', 'flex', 'reserved']);
  }
  if (requestMetadata !== undefined) {
    if (!isObject(requestMetadata)) throw constraint('requestMetadata', requestMetadata, 'Member must be a map');
    const entries = Object.entries(requestMetadata);
    if (entries.length < 1 || entries.length > 16) {
      throw constraint('requestMetadata', requestMetadata, 'Member must have between 1 and 16 entries');
    }
    for (const [key, value] of entries) {
      if (key.length < 1 || key.length > 256 || !METADATA_CHARS.test(key)) {
        throw constraint(`requestMetadata.${key}`, key, 'Map keys must have length between 1 and 256 and satisfy regular expression pattern: [a-zA-Z0-9\\s:_@$#=/+,-.]{1,256}');
      }
      if (typeof value !== 'string' || value.length > 256 || !METADATA_CHARS.test(value)) {
        throw constraint(`requestMetadata.${key}`, value, 'Map values must have length between 0 and 256 and satisfy regular expression pattern: [a-zA-Z0-9\\s:_@$#=/+,-.]{0,256}');
      }
    }
  }
  const paths = additionalModelResponseFieldPaths;
  if (paths !== undefined) {
    if (!Array.isArray(paths) || paths.length > MAX_FIELD_PATHS) {
      throw constraint('additionalModelResponseFieldPaths', paths, `Member must have length less than or equal to ${MAX_FIELD_PATHS}`);
    }
    paths.forEach((p, n) => {
      if (typeof p !== 'string' || !p.startsWith('/') || /~[^01]|~$/.test(p)) {
        throw validationError(`additionalModelResponseFieldPaths.${n}: must be a valid JSON pointer`);
      }
    });
  }
}

/** Response members echoed from the request (only those present), in response order. */
export function echoedOptions({ performanceConfig, serviceTier }) {
  const echoed = {};
  if (performanceConfig !== undefined) echoed.performanceConfig = { latency: performanceConfig.latency };
  if (serviceTier !== undefined) echoed.serviceTier = { type: serviceTier.type };
  return echoed;
}

/** additionalModelResponseFields for the requested pointers (only "/stop_sequence" is known). */
export function additionalResponseFields(paths, stopSequence) {
  if (!Array.isArray(paths) || paths.length === 0) return undefined;
  return paths.includes('/stop_sequence') ? { stop_sequence: stopSequence } : {};
}
