// Node-side, at harness build time: the replayable converse-stream recordings and what their
// events carry (text, tool calls, reasoning and signatures), read straight from the recorded
// `.events.jsonl` decodes. Run directly, it prints them as JSON.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const DERIVED = new URL("../../../shared/vectors/recorded/derived/", import.meta.url);

/** [{ model: "replay:<source>/<name>", text, toolCalls, reasoning, signatures }] for every
 * recording of a converse-stream call. */
export function loadRecordings(derived = DERIVED) {
  const index = JSON.parse(readFileSync(new URL("index.json", derived), "utf8"));
  return index
    .filter((entry) => entry.path?.endsWith("/converse-stream"))
    .map((entry) => {
      const name = entry.file.replace(/\.eventstream$/, "");
      const events = readFileSync(new URL(`${name}.events.jsonl`, derived), "utf8").trim().split("\n");
      let text = "";
      let reasoning = "";
      const signatures = [];
      const tools = new Map(); // block index -> { id, name, input }
      for (const line of events) {
        const frame = JSON.parse(line);
        const payload = JSON.parse(frame.payload);
        const eventType = frame.headers[":event-type"];
        if (eventType === "contentBlockStart" && payload.start?.toolUse) {
          const { toolUseId, name: toolName } = payload.start.toolUse;
          tools.set(payload.contentBlockIndex, { id: toolUseId, name: toolName, input: "" });
        }
        if (eventType !== "contentBlockDelta") continue;
        const { delta } = payload;
        text += delta?.text ?? "";
        reasoning += delta?.reasoningContent?.text ?? "";
        if (delta?.reasoningContent?.signature) signatures.push(delta.reasoningContent.signature);
        if (delta?.toolUse) tools.get(payload.contentBlockIndex).input += delta.toolUse.input;
      }
      const toolCalls = [...tools.values()].map(({ id, name: toolName, input }) => ({
        type: "tool_call", id, name: toolName, args: input === "" ? {} : JSON.parse(input),
      }));
      return { model: `replay:${name}`, text, toolCalls, reasoning, signatures };
    });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(loadRecordings(), null, 1)}\n`);
}
