// Case 2, stream throughput: 20,000 deltas of 60 bytes (text, tool-argument, reasoning; and text
// in Claude's InvokeModelWithResponseStream events, ChatAnthropicBedrock beside Anthropic's own
// SDK) over loopback from the emulator, the whole stream consumed; wall ms, client CPU ms (the
// client runs alone in its child process) and frames/s in Node; and the same streams consumed inside workerd
// (one request to the Worker per stream: wall ms from the caller, and the CPU time of the workerd
// process meanwhile, which on this shared machine varies far less than wall time). CPU cells also
// give the least of the runs.
import { CLIENTS } from "./clients.mjs";
import { interleaved, mediansOf, minNotesOf } from "./stats.mjs";
import { expectedChars } from "./workload.mjs";
import { WORKERD_COLUMNS, buildWorkers, startWorkers } from "./workerd.mjs";

const FRAMES = 20_000;
const KINDS = ["text", "tool", "reasoning", "claude"];
const KIND_NAMES = { text: "text", tool: "tool-argument", reasoning: "reasoning", claude: "Claude InvokeModel text" };

/** Throws unless a sample reassembled the stream. */
function check(column, kind, sample) {
  if (sample.chars !== expectedChars(kind, FRAMES)) {
    throw new Error(`${column} ${kind}: ${sample.chars} characters, expected ${expectedChars(kind, FRAMES)}`);
  }
  return sample;
}

export async function run(ctx) {
  const rows = [];
  const samples = {};
  for (const kind of KINDS) {
    ctx.log(`Node, ${KIND_NAMES[kind]} deltas`);
    const columns = ctx.columns().filter((c) => CLIENTS[c].kinds.includes(kind));
    const notes = {};
    const stream = async (column, n) => (await ctx.pool.child(column)).call("stream", { kind, n });
    const runs = await interleaved(columns, ctx.runs, async (column) => check(column, kind, await stream(column, FRAMES)),
      { warmUp: (column) => stream(column, FRAMES / 4), failures: notes });
    samples[`node ${kind}`] = runs;
    const wall = mediansOf(runs, "ms");
    const what = `${FRAMES.toLocaleString("en")} ${KIND_NAMES[kind]} deltas in Node`;
    rows.push({ figure: `${what}, wall ms`, format: "ms", values: wall, notes });
    rows.push({ figure: `${what}, client CPU ms`, format: "ms", values: mediansOf(runs, "cpuMs"), extra: minNotesOf(runs, "cpuMs"), notes });
    if (kind === "text") {
      const rates = Object.fromEntries(Object.entries(wall).map(([c, ms]) => [c, (FRAMES * 1000) / ms]));
      rows.push({ figure: `${what}, frames/s`, format: "rate", higher: true, values: rates, notes });
    }
  }

  ctx.log("workerd");
  const columns = ctx.columns(WORKERD_COLUMNS);
  const notes = {};
  const built = await buildWorkers(ctx, columns, notes);
  const workers = await startWorkers(ctx, built, notes);
  try {
    for (const kind of KINDS) {
      const live = Object.keys(workers).filter((c) => CLIENTS[c].kinds.includes(kind));
      const runs = await interleaved(live, ctx.runs, async (column) => check(column, kind, await workers[column].stream(kind, FRAMES)),
        { warmUp: (column) => workers[column].stream(kind, FRAMES / 4), failures: notes });
      samples[`workerd ${kind}`] = runs;
      const what = `${FRAMES.toLocaleString("en")} ${KIND_NAMES[kind]} deltas consumed inside workerd`;
      rows.push({ figure: `${what}, wall ms`, format: "ms", values: mediansOf(runs, "ms"), notes });
      rows.push({ figure: `${what}, workerd CPU ms`, format: "ms", values: mediansOf(runs, "cpuMs"), extra: minNotesOf(runs, "cpuMs"), notes });
    }
  } finally {
    await Promise.all(Object.values(workers).map((w) => w.stop()));
  }
  return { rows, samples };
}
