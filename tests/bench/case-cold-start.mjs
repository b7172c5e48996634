// Case 4, cold start: a fresh Node process (cold-start-child.mjs) loads a client, makes one
// 20-delta stream and ends by itself: wall time from spawn to exit minus that of `node -e 0`
// (interleaved with it), the same in CPU time (all the process's threads, until it ends: less
// disturbed than wall time by the other processes of a loaded machine), and how long the process
// stayed alive after its last chunk; in a second process of each sample, the split: import / first
// stream / second stream. Beside them, two floors (cold-start-floor.mjs): a fresh process that
// sends the same request, signed beforehand, with the bare global fetch, and one that sends it
// with a bare node:http request; each client's time above the floor of the HTTP client it used
// (the child reports which) is what the client itself costs. And the first request to a freshly
// started workerd (a new isolate, the Worker of workerd.mjs) and the second.
// The Node part takes NODE_RUNS_FACTOR times the bench's runs: a sample is short (a fresh process
// each), and its time until exit swings by 10-20% from run to run on this shared machine (most of
// it, for a fetch-based client, the wait for V8 to optimise undici's wasm HTTP parser).
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { signedStream, signer } from "./peers/minimal.mjs";
import { interleaved, median, mediansOf } from "./stats.mjs";
import { WORKERD_COLUMNS, buildWorkers, startOne } from "./workerd.mjs";

const CHILD = resolve(import.meta.dirname, "cold-start-child.mjs");
const FLOOR = resolve(import.meta.dirname, "cold-start-floor.mjs");
const BARE_COLUMN = "node -e 0";
const FLOOR_COLUMNS = { fetch: "bare fetch", http: "bare http.request" };
const NODE_RUNS_FACTOR = 3;
/** `node -e 0`, but reporting its CPU time as cold-start-child.mjs does (from the 'exit' event). */
const BARE = '0; process.on("exit", () => { const { user, system } = process.cpuUsage(); require("node:fs").writeSync(1, JSON.stringify({ cpuMs: (user + system) / 1000 })); });';

/** Runs node with `args`; resolves to { ms: spawn to exit, exitEpochMs, output }. */
function timedNode(args) {
  return new Promise((done, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ["--no-warnings", ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (data) => (output += data));
    child.on("exit", (code) => {
      const ms = performance.now() - start;
      if (code !== 0) reject(new Error(`node ${args.join(" ")} exited with ${code}`));
      else done({ ms, exitEpochMs: performance.timeOrigin + performance.now(), output });
    });
  });
}

export async function run(ctx) {
  const notes = {};
  const columns = ctx.columns();
  const coldOnce = async (column) => {
    const args = (streams) => [CHILD, column, ctx.pkgDirs[column] ?? "", String(streams)];
    const whole = await timedNode(args(1));
    const { endEpochMs, cpuMs, transport } = JSON.parse(whole.output);
    const { importMs, firstMs, secondMs } = JSON.parse((await timedNode(args(2))).output);
    return { ms: whole.ms, cpuMs, exitLagMs: whole.exitEpochMs - endEpochMs, importMs, firstMs, secondMs, transport };
  };
  const bareOnce = async () => {
    const { ms, output } = await timedNode(["-e", BARE]);
    return { ms, cpuMs: JSON.parse(output).cpuMs };
  };
  // The floor's request: cold-start-child.mjs's first stream (20 text deltas), signed afresh for
  // each sample by peer (d)'s signer, handed over as JSON.
  const aws = signer();
  const floorOnce = (transport) => async () => {
    const request = await signedStream(aws, ctx.endpoint, "text", 20);
    const argument = JSON.stringify({ url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() });
    return { ms: (await timedNode([FLOOR, transport, argument])).ms };
  };
  const measure = { [BARE_COLUMN]: bareOnce };
  for (const [transport, column] of Object.entries(FLOOR_COLUMNS)) measure[column] = floorOnce(transport);
  const nodeRuns = ctx.runs * NODE_RUNS_FACTOR;
  ctx.log(`Node, ${nodeRuns} runs`);
  const runs = await interleaved([...Object.keys(measure), ...columns], nodeRuns,
    (column) => (measure[column] ?? coldOnce)(column), { failures: notes });
  const bare = median(runs[BARE_COLUMN].map((s) => s.ms));
  const bareCpu = median(runs[BARE_COLUMN].map((s) => s.cpuMs));
  const floors = Object.fromEntries(Object.entries(FLOOR_COLUMNS).map(([transport, column]) => [transport, median(runs[column].map((s) => s.ms))]));
  const baselines = Object.fromEntries(Object.keys(measure).map((column) => [column, runs[column]]));
  for (const column of Object.keys(measure)) delete runs[column];
  const minus = (medians, base) => Object.fromEntries(Object.entries(medians).map(([c, ms]) => [c, ms - base]));
  // Each client above the floor of the HTTP client its processes used (the first sample's).
  const transportOf = (column) => runs[column].find((s) => s.transport)?.transport;
  const ownPart = Object.fromEntries(Object.entries(mediansOf(runs, "ms")).map(([c, ms]) => [c, ms - floors[transportOf(c)]]));
  const rows = [
    { figure: `cold start in Node until the process exits (medians of ${nodeRuns} runs), minus \`node -e 0\` (${bare.toFixed(0)} ms), ms`, format: "ms",
      values: minus(mediansOf(runs, "ms"), bare), notes },
    { figure: "same, alive after the last chunk, ms", format: "ms", values: mediansOf(runs, "exitLagMs"), notes },
    { figure: `cold start in Node until the process exits, minus that of a bare request of the same stream, signed beforehand, with the HTTP client the client uses (Node's \`fetch\`: ${(floors.fetch - bare).toFixed(0)} ms over \`node -e 0\`; node:http: ${(floors.http - bare).toFixed(0)} ms): the client's own part, ms`,
      format: "ms", values: ownPart, notes },
    { figure: "same, the HTTP client each used in Node", format: "count", values: {},
      notes: Object.fromEntries(Object.keys(runs).map((c) => [c, transportOf(c) === "fetch" ? "`fetch`" : "node:http"])) },
    { figure: `cold start in Node, CPU time of the process until it exits (all threads), minus \`node -e 0\`'s (${bareCpu.toFixed(0)} ms), ms`,
      format: "ms", values: minus(mediansOf(runs, "cpuMs"), bareCpu), notes },
    { figure: "cold start split: import (and construct), ms", format: "ms", values: mediansOf(runs, "importMs"), notes },
    { figure: "cold start split: first stream, ms", format: "ms", values: mediansOf(runs, "firstMs"), notes },
    { figure: "cold start split: second stream, ms", format: "ms", values: mediansOf(runs, "secondMs"), notes },
  ];

  ctx.log("workerd");
  const workerdNotes = {};
  const built = await buildWorkers(ctx, ctx.columns(WORKERD_COLUMNS), workerdNotes);
  const workerdRuns = await interleaved(Object.keys(built), ctx.runs, async (column) => {
    const worker = await startOne(ctx, built[column]);
    try {
      const first = await worker.stream("text", 20);
      const second = await worker.stream("text", 20);
      return { firstMs: first.ms, secondMs: second.ms };
    } finally {
      await worker.stop();
    }
  }, { failures: workerdNotes });
  rows.push(
    { figure: "first request to a fresh workerd isolate (20-delta stream), ms", format: "ms", values: mediansOf(workerdRuns, "firstMs"), notes: workerdNotes },
    { figure: "same, second request, ms", format: "ms", values: mediansOf(workerdRuns, "secondMs"), notes: workerdNotes },
  );
  return { rows, samples: { node: runs, nodeBaselines: baselines, workerd: workerdRuns } };
}
