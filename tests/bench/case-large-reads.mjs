// Case 3, large reads: one 80,000-delta text stream (19.6 MB, 18.7 MiB, recorded from the emulator
// once per client) replayed from memory in pieces of 16 KiB, 1 MiB and the whole body at once,
// one piece per event-loop turn (replay.mjs); the time to consume it and the longest single
// synchronous stretch (the longest gap between two turns of the event loop) while it runs.
// bedrock-edge and the peers the targets compare with ((a), (d)).
import { interleaved, mediansOf } from "./stats.mjs";
import { expectedChars } from "./workload.mjs";

const FRAMES = 80_000;
const PIECES = [["16 KiB pieces", 16384], ["1 MiB pieces", 1048576], ["one piece", 0]];

export async function run(ctx) {
  const rows = [];
  const samples = {};
  const columns = ctx.columns(["a", "d"]);
  const read = async (column, pieceSize) => {
    const sample = await (await ctx.pool.child(column)).call("largeRead", { kind: "text", n: FRAMES, pieceSize });
    if (sample.chars !== expectedChars("text", FRAMES)) throw new Error(`${column}: ${sample.chars} characters`);
    return sample;
  };
  for (const [name, pieceSize] of PIECES) {
    ctx.log(name);
    const notes = {};
    const runs = await interleaved(columns, ctx.runs, (column) => read(column, pieceSize), { failures: notes });
    samples[name] = runs;
    rows.push({ figure: `18.7 MiB stream read in ${name}, ms`, format: "ms", values: mediansOf(runs, "ms"), notes });
    rows.push({ figure: `same, longest synchronous stretch, ms`, format: "ms", values: mediansOf(runs, "longestStretchMs"), notes });
  }
  return { rows, samples };
}
