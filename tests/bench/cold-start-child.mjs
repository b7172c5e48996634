// One cold start, in a fresh Node process: load a client (import + construct), make `streams`
// short streams (20 text deltas), print { importMs, firstMs, secondMs, endEpochMs } as JSON and
// end by itself (no process.exit: whatever keeps the process alive after the last chunk counts).
// Usage: node cold-start-child.mjs <column> <pkgDir> <streams> (BEDROCK_EMULATOR_URL set).
import { loadClient } from "./clients.mjs";

const [column, pkgDir, streams] = process.argv.slice(2);
const t0 = performance.now();
const { client } = await loadClient(column, { pkgDir, endpoint: process.env.BEDROCK_EMULATOR_URL });
const t1 = performance.now();
await client.stream("text", 20);
const t2 = performance.now();
if (streams === "2") await client.stream("text", 20);
const t3 = performance.now();
console.log(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1, secondMs: streams === "2" ? t3 - t2 : null, endEpochMs: performance.timeOrigin + t3 }));
