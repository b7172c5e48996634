// Node-side, at harness build time: the replayable converse-stream recordings and the text their
// contentBlockDelta events add up to. Run directly, it prints them as JSON.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const DERIVED = new URL("../../../shared/vectors/recorded/derived/", import.meta.url);

/** [{ model: "replay:<source>/<name>", text }] for every recording of a converse-stream call. */
export function loadRecordings(derived = DERIVED) {
  const index = JSON.parse(readFileSync(new URL("index.json", derived), "utf8"));
  return index
    .filter((entry) => entry.path?.endsWith("/converse-stream"))
    .map((entry) => {
      const name = entry.file.replace(/\.eventstream$/, "");
      const events = readFileSync(new URL(`${name}.events.jsonl`, derived), "utf8").trim().split("\n");
      let text = "";
      for (const line of events) {
        const frame = JSON.parse(line);
        if (frame.headers[":event-type"] !== "contentBlockDelta") continue;
        text += JSON.parse(frame.payload).delta?.text ?? "";
      }
      return { model: `replay:${name}`, text };
    });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(loadRecordings(), null, 1)}\n`);
}
