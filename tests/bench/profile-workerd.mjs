// A CPU profile of one client's 20,000-delta stream consumed inside workerd, through workerd's V8
// inspector (Profiler.start/stop over CDP): the bench's Worker for that column, in a workerd
// started with --inspector-addr; prints the top functions by self time and writes the
// .cpuprofile (open it in Chrome DevTools). To see Rust function names, profile a copy of pkg/
// whose .wasm keeps its name section: `wasm-bindgen --target web --keep-debug --out-dir X
// --out-name bedrock_edge target/wasm-release/wasm32-unknown-unknown/release/bedrock_edge.wasm`,
// then the Makefile's wasm-opt line with --debuginfo instead of --strip-debug --strip-producers.
// Not part of `make bench`.
// Usage (Node >= 20.10, for its WebSocket):
//   tests/harness/with-emulator.sh node --experimental-websocket tests/bench/profile-workerd.mjs \
//     <column: edge|d|a> [pkgDir] [kind] [streams] [out.cpuprofile]
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { buildWorkers } from "./workerd.mjs";
import { startWorker } from "../workerd/harness.mjs";

const [column = "edge", pkgDir = "pkg", kind = "text", streams = "10", out = "/tmp/workerd.cpuprofile"] = process.argv.slice(2);
const ROOT = resolve(import.meta.dirname, "../..");
const endpoint = process.env.BEDROCK_EMULATOR_URL;
const ctx = { endpoint, workDir: resolve(ROOT, "tests/.work/bench-profile"), pkgDirs: { edge: resolve(ROOT, pkgDir) } };
const notes = {};
const built = (await buildWorkers(ctx, [column], notes))[column];
if (!built) throw new Error(notes[column]);
// The harness writes the config and starts workerd; it is restarted here with the inspector on.
const first = await startWorker({ outDir: built.outDir, modules: built.modules, textBindings: { EMULATOR_URL: endpoint } });
await first.stop();
const INSPECTOR = 9239;
const child = spawn(resolve(ROOT, "tests/node_modules/.bin/workerd"),
  ["serve", resolve(built.outDir, "config.capnp"), `--inspector-addr=127.0.0.1:${INSPECTOR}`, "--socket-addr=http=127.0.0.1:9238"],
  { stdio: "inherit" });
process.on("exit", () => child.kill("SIGKILL"));
const url = "http://127.0.0.1:9238";
const waitFor = async (probe) => {
  for (let i = 0; i < 100; i++) {
    try {
      return await probe();
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error("workerd did not come up");
};
const stream = async (n) => (await fetch(url, { method: "POST", body: JSON.stringify({ kind, n }) })).json();
await waitFor(() => stream(5000));
const targets = await waitFor(async () => (await fetch(`http://127.0.0.1:${INSPECTOR}/json/list`)).json());
const ws = new WebSocket(targets[0].webSocketDebuggerUrl ?? `ws://127.0.0.1:${INSPECTOR}/main`);
await new Promise((r, j) => { ws.onopen = r; ws.onerror = j; });
let id = 0;
const pending = new Map();
ws.onmessage = (event) => {
  const message = JSON.parse(event.data);
  if (message.id && pending.has(message.id)) {
    pending.get(message.id)(message);
    pending.delete(message.id);
  }
};
const send = (method, params = {}) => new Promise((r) => {
  pending.set(++id, r);
  ws.send(JSON.stringify({ id, method, params }));
});
await send("Profiler.enable");
await send("Profiler.setSamplingInterval", { interval: 50 });
for (let i = 0; i < 2; i++) await stream(20000);
await send("Profiler.start");
const start = performance.now();
for (let i = 0; i < Number(streams); i++) {
  const result = await stream(20000);
  if (i === 0) console.log(JSON.stringify(result));
}
const wall = performance.now() - start;
const { result, error } = await send("Profiler.stop");
if (error) throw new Error(JSON.stringify(error));
ws.close();
child.kill("SIGKILL");
const profile = result.profile;
writeFileSync(out, JSON.stringify(profile));

// Self time per node from the samples.
const dt = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const node = profile.samples[i];
  dt.set(node, (dt.get(node) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
}
const byName = new Map();
let total = 0;
for (const node of profile.nodes) {
  const ms = (dt.get(node.id) ?? 0) / 1000;
  const f = node.callFrame;
  const key = `${f.functionName || "(anon)"} ${f.url.split("/").pop()}:${f.lineNumber}`;
  byName.set(key, (byName.get(key) ?? 0) + ms);
  total += ms;
}
const rows = [...byName].sort((a, b) => b[1] - a[1]);
const idle = (byName.get("(idle) :-1") ?? 0) + (byName.get("(program) :-1") ?? 0);
console.log(`${streams} streams in ${wall.toFixed(0)} ms wall; profile ${total.toFixed(0)} ms, of which (idle)+(program) ${idle.toFixed(0)}`);
const wasm = rows.filter(([k]) => k.includes("wasm")).reduce((s, [, v]) => s + v, 0);
console.log(`wasm self total ${wasm.toFixed(0)} ms (${((100 * wasm) / total).toFixed(1)}%)`);
for (const [key, ms] of rows.slice(0, 45)) console.log(`${((ms / Number(streams))).toFixed(2).padStart(8)} ms/stream ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${key}`);
process.exit(0);
