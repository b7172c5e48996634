// Conversations read back out of the prompt templates text-completion models take (Titan
// `User:/Bot:`, Cohere Command `User:/Chatbot:`, the Llama 3 header template, Mistral `[INST]`),
// as the scripted assistant's input `{systemTexts, messages: [{role, texts}]}` (scripted-reply.mjs
// planReply). A prompt without the template's markers is one user turn.

const turn = (role, text) => ({ role, texts: [text] });

/**
 * `[SYSTEM\n\n]User: TEXT\n<Bot>: TEXT\nUser: TEXT\n<Bot>:` with `bot` the assistant's label. The
 * system text is what comes before the first `User: ` (trimmed; none if empty); turns start at a
 * line beginning `User: ` or `<bot>:`; a trailing empty `<bot>:` is the generation prompt and
 * dropped. Text not starting a line with `User:` is one user turn.
 */
function labelledTranscript(inputText, bot) {
  const marker = new RegExp(`(?:^|\\n)(User|${bot}):[ ]?`, 'g');
  const first = marker.exec(inputText);
  if (!first || first[1] !== 'User') return { systemTexts: [], messages: [turn('user', inputText)] };
  const system = inputText.slice(0, first.index).trim();
  const messages = [];
  let role = 'user';
  let start = marker.lastIndex;
  for (let m = marker.exec(inputText); ; m = marker.exec(inputText)) {
    const text = inputText.slice(start, m ? m.index : inputText.length);
    messages.push(turn(role, text));
    if (!m) break;
    role = m[1] === 'User' ? 'user' : 'assistant';
    start = marker.lastIndex;
  }
  const last = messages.at(-1);
  if (last.role === 'assistant' && last.texts[0].trim() === '') messages.pop();
  return { systemTexts: system ? [system] : [], messages };
}

/** Titan Text: `[SYSTEM\n\n]User: TEXT\nBot: TEXT\nUser: TEXT\nBot:` (see labelledTranscript). */
export const titanTranscript = (inputText) => labelledTranscript(inputText, 'Bot');

/** Cohere Command (legacy): `[SYSTEM\n\n]User: TEXT\nChatbot: TEXT\nUser: TEXT\nChatbot:`. */
export const cohereCommandTranscript = (prompt) => labelledTranscript(prompt, 'Chatbot');

const LLAMA_HEADER = /<\|start_header_id\|>([^<]*)<\|end_header_id\|>\n{0,2}/g;

/**
 * Llama 3/4: `<|begin_of_text|><|start_header_id|>ROLE<|end_header_id|>\n\nTEXT<|eot_id|>…`. Each
 * header starts a turn (its text ends at `<|eot_id|>` or the next header); `system` turns are
 * the system text; a trailing empty `assistant` turn is the generation prompt and dropped.
 */
export function llamaTranscript(prompt) {
  const headers = [...prompt.matchAll(LLAMA_HEADER)];
  if (headers.length === 0) {
    return { systemTexts: [], messages: [turn('user', prompt.replace(/<\|begin_of_text\|>|<\|eot_id\|>/g, ''))] };
  }
  const systemTexts = [];
  const messages = [];
  headers.forEach((h, i) => {
    const end = i + 1 < headers.length ? headers[i + 1].index : prompt.length;
    const text = prompt.slice(h.index + h[0].length, end).split('<|eot_id|>')[0];
    const role = h[1].trim();
    if (role === 'system') systemTexts.push(text);
    else messages.push(turn(role, text));
  });
  const last = messages.at(-1);
  if (last?.role === 'assistant' && last.texts[0].trim() === '') messages.pop();
  return { systemTexts, messages };
}

/**
 * Mistral text completion: `<s>[INST] USER [/INST] ASSISTANT</s>[INST] USER [/INST]`. Each
 * `[INST]…[/INST]` is a user turn (trimmed), the text between two of them an assistant turn. A
 * system prompt sits at the start of the first `[INST]`, followed by a blank line: when the first
 * user turn holds `\n\n`, what comes before the first one is the system text.
 */
export function mistralTranscript(prompt) {
  const clean = (text) => text.replace(/<\/?s>/g, '').trim();
  const insts = [...prompt.matchAll(/\[INST\]([\s\S]*?)\[\/INST\]/g)];
  if (insts.length === 0) return { systemTexts: [], messages: [turn('user', clean(prompt))] };
  const systemTexts = [];
  const messages = [];
  let after = 0;
  for (const m of insts) {
    const between = clean(prompt.slice(after, m.index));
    if (between && messages.length > 0) messages.push(turn('assistant', between));
    let text = m[1].trim();
    const blank = text.indexOf('\n\n');
    if (messages.length === 0 && blank >= 0) {
      systemTexts.push(text.slice(0, blank).trim());
      text = text.slice(blank + 2).trim();
    }
    messages.push(turn('user', text));
    after = m.index + m[0].length;
  }
  const tail = clean(prompt.slice(after));
  if (tail) messages.push(turn('assistant', tail));
  return { systemTexts, messages };
}
