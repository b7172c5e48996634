// What every bench client asks the emulator for, in one place: the region and test credentials,
// the model id of each stream kind (the emulator's `fault:bulk*` scenarios, emulator/scenarios/
// bulk.mjs), the tool the tool-argument stream calls, and the characters each stream must give
// back (a check that a client really consumed the stream, not a timing).
export const REGION = "us-east-1";
export const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
export const PROMPT = "go";

/**
 * Stream kind → model id for n deltas of 60 bytes. `claude`: the text stream as Claude's events
 * through InvokeModelWithResponseStream (the emulator answers that operation for `fault:bulk:<n>`
 * with n `content_block_delta` events), for the clients that speak them.
 */
export const MODEL = {
  text: (n) => `fault:bulk:${n}`,
  claude: (n) => `fault:bulk:${n}`,
  tool: (n) => `fault:bulk-tool:${n}`,
  reasoning: (n) => `fault:bulk-reasoning:${n}`,
};

/** The tool of the `tool` stream (its input is `{"text": …}`). */
export const TOOL = {
  name: "record_text",
  description: "Records a text.",
  schema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
};

/** Characters a client reassembles from n deltas: the text, the argument JSON, or the reasoning. */
export const expectedChars = (kind, n) => 60 * n + (kind === "tool" ? '{"text":"'.length + '"}'.length : 0);

/** The embeddings model and the texts of the embeddings case. */
export const EMBEDDING_MODEL = "amazon.titan-embed-text-v2:0";
export const embeddingTexts = (count) => Array.from({ length: count }, (_, i) => `document ${i} with a few more words in it`);
