// The bench's Workers: for each column, a Worker whose fetch handler runs that client's stream
// (kind and n from the request body) against the emulator and answers { chunks, chars }; bundled
// as wrangler would (workerd conditions, the package's .wasm a wasm module) and run in workerd by
// tests/workerd/harness.mjs. Used by the stream case (warm) and the cold-start case (fresh).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { startWorker } from "../workerd/harness.mjs";
import { CLIENTS, isEdge } from "./clients.mjs";
import { bundle, failureOf } from "./bundle.mjs";

/**
 * The peers run in workerd: the SDK (a) and the minimal client (d), which the targets compare
 * with ((b) took 14-18 s per 20,000-delta stream in workerd; (c) and (e) do not bundle for it).
 */
export const WORKERD_COLUMNS = ["a", "d"];

function entrySource(column) {
  const module = resolve(import.meta.dirname, CLIENTS[column].module);
  const edge = isEdge(column);
  return `${edge ? 'import * as edge from "bedrock-edge";\n' : ""}import { create } from ${JSON.stringify(module)};
let client;
export default {
  async fetch(request, env) {
    const { kind, n } = await request.json();
    client ??= create({ ${edge ? "edge, " : ""}endpoint: env.EMULATOR_URL });
    return Response.json(await client.stream(kind, n));
  },
};
`;
}

/** Bundles each column's Worker; resolves to column → { outDir, modules }; failures in `notes`. */
export async function buildWorkers(ctx, columns, notes) {
  const built = {};
  for (const column of columns) {
    const outDir = resolve(ctx.workDir, "workerd", column);
    mkdirSync(outDir, { recursive: true });
    const entry = resolve(outDir, "entry.mjs");
    writeFileSync(entry, entrySource(column));
    try {
      await bundle(ctx, column, {
        entryPoints: [entry], outfile: resolve(outDir, "worker.js"), platform: "browser",
        conditions: ["workerd", "worker", "browser"], external: ["*.wasm"],
      });
    } catch (error) {
      notes[column] = failureOf(error);
      continue;
    }
    const modules = [{ name: "worker.js", file: "worker.js" }];
    if (isEdge(column)) {
      copyFileSync(resolve(ctx.pkgDirs[column], "bedrock_edge_bg.wasm"), resolve(outDir, "bedrock_edge_bg.wasm"));
      modules.push({ name: "bedrock_edge_bg.wasm", file: "bedrock_edge_bg.wasm" });
    }
    built[column] = { outDir, modules };
  }
  return built;
}

/** CPU ms (user + system) the process `pid` has used, from /proc (Linux; clock ticks of 10 ms). */
function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Starts one workerd for a built Worker: { stream(kind, n) → { ms, cpuMs, chunks, chars }, stop };
 * ms is the request's wall time from the caller, cpuMs what the workerd process used meanwhile.
 */
export async function startOne(ctx, { outDir, modules }) {
  const worker = await startWorker({ outDir, modules, textBindings: { EMULATOR_URL: ctx.endpoint } });
  return {
    async stream(kind, n) {
      const cpu = cpuMsOf(worker.pid);
      const start = performance.now();
      const response = await fetch(worker.url, { method: "POST", body: JSON.stringify({ kind, n }) });
      if (!response.ok) throw new Error(`the Worker answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
      const result = await response.json();
      return { ms: performance.now() - start, cpuMs: cpuMsOf(worker.pid) - cpu, ...result };
    },
    stop: worker.stop,
  };
}

/** Starts every built Worker; resolves to column → { stream, stop }. */
export async function startWorkers(ctx, built, notes) {
  const workers = {};
  for (const [column, spec] of Object.entries(built)) {
    try {
      workers[column] = await startOne(ctx, spec);
    } catch (error) {
      notes[column] = `fails: ${String(error.message).split("\n")[0]}`;
    }
  }
  return workers;
}
