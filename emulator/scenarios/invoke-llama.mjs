// Meta Llama 3/4's native InvokeModel format (`meta.llama*`): `{prompt, max_gen_len, temperature,
// top_p}` → `{generation, prompt_token_count, generation_token_count, stop_reason}`; streams as in
// the recorded Llama stream (one chunk per piece with a running generation_token_count).
import { llamaTranscript } from './chat-transcripts.mjs';
import { METRICS_KEY, invocationMetrics, jsonReply, pieceChunks } from './invoke-metrics.mjs';
import { UNIT_NUMBER, checkBody } from './native-body-checks.mjs';
import { countWords, planReply, textPieces } from './scripted-reply.mjs';

const DEFAULT_MAX_TOKENS = 512;
const FIELDS = {
  prompt: { type: 'string', required: true },
  max_gen_len: { type: 'integer', min: 1, max: 2048 },
  temperature: UNIT_NUMBER,
  top_p: UNIT_NUMBER,
};

/** Llama has no stop sequences: a reply ends naturally ("stop") or at max_gen_len ("length"). */
const stopReason = (plan) => (plan.stopReason === 'max_tokens' ? 'length' : 'stop');

/** Meta Llama. */
export const llama = {
  name: 'llama',

  /** Validates like Bedrock and plans the reply to the chat template's turns in `prompt`. */
  plan(body) {
    checkBody(body, FIELDS);
    return planReply({ ...llamaTranscript(body.prompt), maxTokens: body.max_gen_len ?? DEFAULT_MAX_TOKENS });
  },

  /** `{generation, prompt_token_count, generation_token_count, stop_reason}`. */
  response(plan) {
    return jsonReply({
      generation: plan.text,
      prompt_token_count: plan.inputTokens,
      generation_token_count: plan.outputTokens,
      stop_reason: stopReason(plan),
    }, plan);
  },

  /** Chunks per piece; prompt_token_count on the first; stop_reason + metrics on the last. */
  streamEvents(plan) {
    return pieceChunks(textPieces(plan.text), (generation, i, soFar) => ({
      generation,
      prompt_token_count: i === 0 ? plan.inputTokens : null,
      generation_token_count: countWords(soFar),
      stop_reason: null,
    }), () => ({ stop_reason: stopReason(plan), [METRICS_KEY]: invocationMetrics(plan) }));
  },
};
