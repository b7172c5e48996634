// Amazon Titan Text's native InvokeModel format (`amazon.titan-text-*`, `amazon.titan-tg1-*`):
// `{inputText, textGenerationConfig}` → `{inputTextTokenCount, results:[…]}`; streams as in the
// recorded Titan stream (outputText chunks, the last with the totals and invocation metrics).
import { titanTranscript } from './chat-transcripts.mjs';
import { METRICS_KEY, invocationMetrics, jsonReply, pieceChunks } from './invoke-metrics.mjs';
import { UNIT_NUMBER, checkBody } from './native-body-checks.mjs';
import { planReply, textPieces } from './scripted-reply.mjs';

const DEFAULT_MAX_TOKENS = 512;
const FIELDS = {
  inputText: { type: 'string', required: true, minLength: 1 },
  textGenerationConfig: {
    type: 'object',
    fields: {
      maxTokenCount: { type: 'integer', min: 0, max: 8192 },
      temperature: UNIT_NUMBER,
      topP: UNIT_NUMBER,
      // Titan only stops on "|" (one or more) and "User:".
      stopSequences: { type: 'array', items: { type: 'string', pattern: /^(\|+|User:)$/ } },
    },
  },
};

const COMPLETION_REASONS = { end_turn: 'FINISH', max_tokens: 'LENGTH', stop_sequence: 'STOP_CRITERIA_MET' };

/** Titan Text. */
export const titan = {
  name: 'titan',

  /** Validates like Bedrock and plans the reply to the `User:`/`Bot:` transcript in inputText. */
  plan(body) {
    checkBody(body, FIELDS);
    const config = body.textGenerationConfig ?? {};
    return planReply({
      ...titanTranscript(body.inputText),
      maxTokens: config.maxTokenCount ?? DEFAULT_MAX_TOKENS,
      stopSequences: config.stopSequences,
    });
  },

  /** `{inputTextTokenCount, results:[{tokenCount, outputText, completionReason}]}`. */
  response(plan) {
    return jsonReply({
      inputTextTokenCount: plan.inputTokens,
      results: [{ tokenCount: plan.outputTokens, outputText: plan.text, completionReason: COMPLETION_REASONS[plan.stopReason] }],
    }, plan);
  },

  /** One chunk per text piece; input count on the first, totals + metrics on the last. */
  streamEvents(plan) {
    return pieceChunks(textPieces(plan.text), (outputText, i) => ({
      outputText,
      index: 0,
      totalOutputTextTokenCount: null,
      completionReason: null,
      inputTextTokenCount: i === 0 ? plan.inputTokens : null,
    }), () => ({
      totalOutputTextTokenCount: plan.outputTokens,
      completionReason: COMPLETION_REASONS[plan.stopReason],
      [METRICS_KEY]: invocationMetrics(plan),
    }));
  },
};
