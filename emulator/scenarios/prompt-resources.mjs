// Prompt-management ARNs as model ids: `promptVariables` are only allowed with them, messages may
// be absent, and the scripted reply names the prompt and its variables.
import { validationError } from '../errors.mjs';
import { constraint, isObject } from '../validation-messages.mjs';

const PROMPT_ARN = /^arn:aws(?:-[a-z-]+)?:bedrock:[a-z0-9-]+:[0-9]{12}:prompt\/([0-9a-zA-Z_-]+)(?::[0-9]+)?$/;

/** The prompt id of a prompt ARN, else null. */
export function promptId(modelId) {
  return PROMPT_ARN.exec(modelId ?? '')?.[1] ?? null;
}

export function validatePromptVariables(promptVariables, modelId) {
  if (promptVariables === undefined) return;
  if (promptId(modelId) === null) throw validationError('promptVariables can only be used with a prompt resource');
  if (!isObject(promptVariables)) throw constraint('promptVariables', promptVariables, 'Member must be a map');
  for (const [name, value] of Object.entries(promptVariables)) {
    if (!isObject(value) || Object.keys(value).length !== 1 || typeof value.text !== 'string') {
      throw constraint(`promptVariables.${name}`, value, 'Member must be a union with exactly one member: text');
    }
  }
}

/** "Prompt <id> with k=v, k2=v2". */
export function promptReplyText(modelId, promptVariables = {}) {
  const rendered = Object.entries(promptVariables).map(([k, v]) => `${k}=${v.text}`).join(', ');
  return `Prompt ${promptId(modelId)} with ${rendered}`;
}
