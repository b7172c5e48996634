// Cold start in Node: a fresh process per sample imports a client, makes one ConverseStream
// (the emulator's scripted reply) and exits on its own. Printed per client, medians over the
// samples, taken interleaved: the process's wall time minus `node -e 0`'s, split into import,
// first stream, and the time from the last chunk to the process's 'exit' event (what holds the
// process open); in a separate set of processes, the second stream's time. Timings are printed,
// never asserted. Usage (emulator running, BEDROCK_EMULATOR_URL set):
//   node tests/bench/cold-start.mjs [samples=15] client...
// where a client is `edge:<pkgDir>` (this package, built) or `<name>=<module path>` (a module
// exporting `streamOnce(url, model, credentials)` that resolves to the reply text).
import { spawnSync } from "node:child_process";
import { writeSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const EXPECTED = "Echo: go";

/** The child: import, one or two streams, then report the times when the process exits. */
async function child(spec, streams) {
  const start = performance.now();
  const streamOnce = await importClient(spec);
  const imported = performance.now();
  const times = [];
  let last = imported;
  for (let i = 0; i < streams; i++) {
    const text = await streamOnce(process.env.BEDROCK_EMULATOR_URL, MODEL, CREDENTIALS);
    if (text !== EXPECTED) throw new Error(`unexpected reply ${JSON.stringify(text)}`);
    const now = performance.now();
    times.push(now - last);
    last = now;
  }
  process.on("exit", () => {
    const exit = performance.now() - last;
    writeSync(1, JSON.stringify({ import: imported - start, streams: times, exit }) + "\n");
  });
}

async function importClient(spec) {
  if (!spec.startsWith("edge:")) return (await import(pathToFileURL(resolve(spec.split("=")[1])).href)).streamOnce;
  const { ChatBedrockConverse } = await import(pathToFileURL(resolve(spec.slice(5), "node.js")).href);
  return async (endpoint, model, credentials) => {
    const llm = new ChatBedrockConverse({ model, region: "us-east-1", endpoint, credentials });
    let text = "";
    for await (const chunk of llm.stream("go")) text += chunk.text;
    return text;
  };
}

function run(args) {
  const start = performance.now();
  const out = spawnSync(process.execPath, args, { encoding: "utf8" });
  const wall = performance.now() - start;
  if (out.status !== 0) throw new Error(`${args.join(" ")} failed: ${out.stderr}`);
  return { wall, report: out.stdout.trim() ? JSON.parse(out.stdout.trim().split("\n").pop()) : undefined };
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const fmt = (n) => n.toFixed(1).padStart(6);

if (process.argv[2] === "--child") {
  await child(process.argv[3], Number(process.argv[4]));
} else {
  if (!process.env.BEDROCK_EMULATOR_URL) throw new Error("BEDROCK_EMULATOR_URL is not set");
  const [samplesArg = "15", ...clients] = process.argv.slice(2);
  const samples = Number(samplesArg);
  const self = fileURLToPath(import.meta.url);
  const rows = Object.fromEntries(clients.map((c) => [c, { total: [], import: [], first: [], exit: [], second: [] }]));
  const bare = [];
  for (let i = 0; i < samples; i++) {
    bare.push(run(["-e", "0"]).wall);
    for (const client of clients) {
      const one = run([self, "--child", client, "1"]);
      rows[client].total.push(one.wall);
      rows[client].import.push(one.report.import);
      rows[client].first.push(one.report.streams[0]);
      rows[client].exit.push(one.report.exit);
      rows[client].second.push(run([self, "--child", client, "2"]).report.streams[1]);
    }
  }
  const base = median(bare);
  console.log(`node -e 0: ${fmt(base)} ms (median of ${samples}); medians in ms:`);
  console.log(`${"client".padEnd(40)} total-node  import   first  last chunk→exit  second`);
  for (const client of clients) {
    const r = rows[client];
    console.log(
      `${client.padEnd(40)} ${fmt(median(r.total) - base)}  ${fmt(median(r.import))}  ${fmt(median(r.first))}  ${fmt(median(r.exit)).padStart(15)}  ${fmt(median(r.second))}`,
    );
  }
}
