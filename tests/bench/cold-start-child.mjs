// One cold start, in a fresh Node process: load a client (import + construct), make `streams`
// short streams (20 text deltas), print { importMs, firstMs, secondMs, endEpochMs, cpuMs, transport }
// as JSON (transport: "fetch" when the process loaded Node's fetch, undici, else "http")
// and end by itself (no process.exit: whatever keeps the process alive after the last chunk counts).
// The line is written from the 'exit' event, so cpuMs is the process's CPU time (user + system, all
// threads: V8's background compilation too) from its start until it ends.
// Usage: node cold-start-child.mjs <column> <pkgDir> <streams> (BEDROCK_EMULATOR_URL set).
// No `import` of a Node built-in (see clients.mjs): the floor loads none either.
import { loadClient } from "./clients.mjs";

const [column, pkgDir, streams] = process.argv.slice(2);
const t0 = performance.now();
const { client } = await loadClient(column, { pkgDir, endpoint: process.env.BEDROCK_EMULATOR_URL });
const t1 = performance.now();
await client.stream("text", 20);
const t2 = performance.now();
if (streams === "2") await client.stream("text", 20);
const t3 = performance.now();
const times = { importMs: t1 - t0, firstMs: t2 - t1, secondMs: streams === "2" ? t3 - t2 : null, endEpochMs: performance.timeOrigin + t3 };
process.on("exit", () => process.getBuiltinModule("node:fs").writeSync(1, `${JSON.stringify({ ...times, cpuMs: cpuMs(), transport: transport() })}\n`));

/** The HTTP client this process used: Node's fetch (undici) if it loaded it, else node:http. */
function transport() {
  return process.moduleLoadList.some((name) => name.includes("deps/undici")) ? "fetch" : "http";
}

/** CPU ms (user + system) this process has used, all its threads. */
export function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
