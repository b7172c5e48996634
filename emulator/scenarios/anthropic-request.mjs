// A validated Anthropic Messages body as the Converse-shaped request the scripted assistant's
// planner takes (converse-reply-plan.mjs), so InvokeModel answers with the same rules as Converse.
// Only what the planner reads is carried over; usage is counted on the Anthropic body itself
// (anthropic-caching.mjs).
import { blocksOf } from './anthropic-content.mjs';

/** `image/png` → `png`. */
const imageFormat = (mediaType) => mediaType.slice('image/'.length);

const textsOf = (content) => blocksOf(content).filter((b) => b.type === 'text').map((b) => ({ text: b.text }));

function convertImage(block) {
  return { image: { format: imageFormat(block.source.media_type), source: { bytes: block.source.data } } };
}

function convertDocument(block) {
  const { source } = block;
  const document = { name: block.title ?? 'document' };
  if (source.type === 'base64') Object.assign(document, { format: 'pdf', source: { bytes: source.data } });
  else if (source.type === 'text') Object.assign(document, { format: 'txt', source: { text: source.data } });
  else Object.assign(document, { format: 'txt', source: { content: textsOf(source.content) } });
  if (block.citations?.enabled === true) document.citations = { enabled: true };
  return { document };
}

function convertToolResultItem(item) {
  if (item.type === 'text') return { text: item.text };
  if (item.type === 'image') return convertImage(item);
  return convertDocument(item);
}

const BLOCK_CONVERTERS = {
  text: (b) => ({ text: b.text }),
  image: convertImage,
  document: convertDocument,
  tool_use: (b) => ({ toolUse: { toolUseId: b.id, name: b.name, input: b.input } }),
  tool_result: (b) => ({
    toolResult: {
      toolUseId: b.tool_use_id,
      content: typeof b.content === 'string' ? [{ text: b.content }] : (b.content ?? []).map(convertToolResultItem),
      ...(b.is_error === true ? { status: 'error' } : {}),
    },
  }),
  thinking: (b) => ({ reasoningContent: { reasoningText: { text: b.thinking, signature: b.signature } } }),
  redacted_thinking: (b) => ({ reasoningContent: { redactedContent: b.data } }),
};

/**
 * @param {object} body  a validated Anthropic Messages body
 * @param {{thinking: boolean}} flags  from validateAnthropicBody
 * @returns {object} a Converse request: system, messages, inferenceConfig, toolConfig (not for
 *   tool_choice none), additionalModelRequestFields.thinking (when enabled)
 */
export function converseRequestOf(body, { thinking }) {
  const request = {
    system: typeof body.system === 'string' ? [{ text: body.system }] : (body.system ?? []).map((b) => ({ text: b.text })),
    messages: body.messages.map((m) => ({ role: m.role, content: blocksOf(m.content).map((b) => BLOCK_CONVERTERS[b.type](b)) })),
    inferenceConfig: { maxTokens: body.max_tokens, stopSequences: body.stop_sequences ?? [] },
  };
  const tools = body.tools ?? [];
  const choice = body.tool_choice ?? { type: 'auto' };
  if (tools.length > 0 && choice.type !== 'none') {
    request.toolConfig = {
      tools: tools.map((t) => ({ toolSpec: { name: t.name, inputSchema: { json: t.input_schema } } })),
      toolChoice: { auto: { auto: {} }, any: { any: {} }, tool: { tool: { name: choice.name } } }[choice.type],
    };
  }
  if (thinking) request.additionalModelRequestFields = { thinking: body.thinking };
  return request;
}
