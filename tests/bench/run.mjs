// `make bench`: bedrock-edge side by side with the peers of ../shared/docs/ANCHORS.md against the
// emulator, in one run, interleaved, medians of RUNS runs. Prints one markdown table and writes
// it with every sample to tests/.work/bench/bench.md and bench.json. Timings are printed, never
// asserted. Usage (emulator running, BEDROCK_EMULATOR_URL set; the Makefile does both):
//   node tests/bench/run.mjs [--pkg pkg] [--baseline dir] [--cases size,stream,...] [--runs 5]
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { PEERS } from "./clients.mjs";
import { Pool } from "./pool.mjs";
import { markdownTable } from "./table.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const CASES = ["size", "stream", "large-reads", "cold-start", "memory", "embeddings"];

const { values: args } = parseArgs({
  options: {
    pkg: { type: "string", default: "pkg" },
    baseline: { type: "string", default: "" },
    cases: { type: "string", default: "" },
    runs: { type: "string", default: "5" },
  },
});
const cases = args.cases ? args.cases.split(",").map((c) => c.trim()).filter(Boolean) : CASES;
const unknown = cases.filter((c) => !CASES.includes(c));
if (unknown.length > 0) throw new Error(`unknown case(s) ${unknown.join(", ")}; known: ${CASES.join(", ")}`);
const endpoint = process.env.BEDROCK_EMULATOR_URL;
if (!endpoint) throw new Error("BEDROCK_EMULATOR_URL is not set (run through tests/harness/with-emulator.sh)");

const pkgDirs = { edge: resolve(ROOT, args.pkg), ...(args.baseline && { base: resolve(ROOT, args.baseline) }) };
const workDir = resolve(ROOT, "tests/.work/bench");
mkdirSync(workDir, { recursive: true });
const pool = new Pool(pkgDirs);
const ctx = {
  pool,
  pkgDirs,
  endpoint,
  workDir,
  runs: Number(args.runs),
  /** bedrock-edge column(s) then the peers, or just the ones given. */
  columns: (peers = PEERS) => [...Object.keys(pkgDirs), ...peers],
  log: (line) => process.stderr.write(`${line}\n`),
};

// tests/workerd/harness.mjs adds an exit listener per workerd it starts (the cold-start case
// starts one per sample).
process.setMaxListeners(100);
const started = new Date();
const rows = [];
const raw = {};
try {
  for (const name of cases) {
    const caseStart = performance.now();
    ctx.log(`==== bench: ${name} ====`);
    const { run } = await import(`./case-${name}.mjs`);
    const result = await run(ctx);
    rows.push(...result.rows);
    raw[name] = result.samples ?? null;
    ctx.log(`(${name}: ${((performance.now() - caseStart) / 1000).toFixed(0)} s)`);
  }
} finally {
  await pool.stopAll();
}

const seconds = ((Date.now() - started) / 1000).toFixed(0);
const table = markdownTable(rows, { baseline: Boolean(args.baseline) });
const heading = `bedrock-edge bench, ${started.toISOString().slice(0, 16).replace("T", " ")} UTC, node ${process.version}, ` +
  `medians of ${ctx.runs} interleaved runs, ${seconds} s: \`make bench${args.baseline ? ` BASELINE=${args.baseline}` : ""}` +
  `${args.cases ? ` CASES=${args.cases}` : ""}\` (PKG=${args.pkg})`;
const markdown = `${heading}\n\n${table}\n`;
writeFileSync(resolve(workDir, "bench.md"), markdown);
writeFileSync(resolve(workDir, "bench.json"), `${JSON.stringify({ started, seconds: Number(seconds), node: process.version, pkgDirs, runs: ctx.runs, cases, rows, samples: raw }, null, 1)}\n`);
console.log(`\n${markdown}`);
console.log(`(written to ${resolve(workDir, "bench.md")} and bench.json)`);
