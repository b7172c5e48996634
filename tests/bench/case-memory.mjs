// Case 5, memory, each figure from a fresh child process (one sample: memory, not time): a 100 MB
// stream (409,600 text deltas: peak RSS for every client, wasm linear memory before and after for
// bedrock-edge); `invoke` with 10 MiB of text and with a 3.75 MiB image (Bedrock's per-image
// maximum), twice, the reply one word long (how much the first call grew wasm memory, as a multiple of the input, and
// whether the second identical call grew it again); 10,000 ChatBedrockConverse made and dropped,
// each with a `fetch` closure that can reach its model, in rounds of 1,000 with gc between (wasm
// memory growth over the rounds, node --expose-gc).
import { expectedChars } from "./workload.mjs";

const MIB = 1048576;
const STREAM_FRAMES = 409_600;
const TEXT_BYTES = 10 * MIB;
const IMAGE_BYTES = 3.75 * MIB;
const MODELS = 10_000;

/** `op` in a fresh child for `column`; the child is stopped after. */
async function fresh(ctx, column, op, args) {
  const child = await ctx.pool.child(column, { fresh: true, execArgv: ["--expose-gc"] });
  try {
    return await child.call(op, args);
  } finally {
    await child.stop();
  }
}

const mib = (bytes) => `${(bytes / MIB).toFixed(2)}`;

export async function run(ctx) {
  const samples = { stream: {}, text: {}, image: {}, models: {} };
  const notes = {};
  ctx.log("100 MB stream");
  for (const column of ctx.columns(["a", "d"])) {
    try {
      const sample = await fresh(ctx, column, "memoryStream", { kind: "text", n: STREAM_FRAMES });
      if (sample.chars !== expectedChars("text", STREAM_FRAMES)) throw new Error(`${sample.chars} characters`);
      samples.stream[column] = sample;
    } catch (error) {
      notes[column] = `fails: ${String(error.message).split("\n")[0].slice(0, 60)}`;
    }
  }
  const edges = Object.keys(ctx.pkgDirs);
  ctx.log("invoke with 10 MiB of text, with a 3.75 MiB image; 10,000 models");
  for (const column of edges) {
    samples.text[column] = await fresh(ctx, column, "memoryInvoke", { textBytes: TEXT_BYTES });
    samples.image[column] = await fresh(ctx, column, "memoryInvoke", { imageBytes: IMAGE_BYTES });
    samples.models[column] = await fresh(ctx, column, "memoryModels", { count: MODELS });
  }
  const of = (table, f) => Object.fromEntries(Object.entries(table).map(([c, s]) => [c, f(s)]));
  const wasmStream = Object.fromEntries(Object.entries(samples.stream).filter(([c]) => edges.includes(c)));
  const invokeRows = (name, table, inputBytes) => [
    { figure: `\`invoke\` with ${name}: wasm memory growth of the first call, MiB (× the input)`, format: "mib",
      values: of(table, (s) => s.wasmAfterFirst - s.wasmBefore),
      extra: of(table, (s) => `${((s.wasmAfterFirst - s.wasmBefore) / inputBytes).toFixed(1)}×, ${mib(s.wasmBefore)} → ${mib(s.wasmAfterFirst)}`) },
    { figure: "same, growth of a second identical call, MiB", format: "mib", values: of(table, (s) => s.wasmAfterSecond - s.wasmAfterFirst) },
  ];
  const rows = [
    { figure: "100 MB stream (409,600 text deltas): peak RSS, MiB", format: "mib", values: of(samples.stream, (s) => s.peakRss), notes },
    { figure: "same, wasm memory growth, MiB", format: "mib", values: of(wasmStream, (s) => s.wasmAfter - s.wasmBefore),
      extra: of(wasmStream, (s) => `${mib(s.wasmBefore)} → ${mib(s.wasmAfter)}`) },
    ...invokeRows("10 MiB of text", samples.text, TEXT_BYTES),
    ...invokeRows("a 3.75 MiB image", samples.image, IMAGE_BYTES),
    { figure: "10,000 models made and dropped (rounds of 1,000, gc between), each with a `fetch` closure that can reach it: wasm memory growth, MiB", format: "mib",
      values: of(samples.models, (s) => s.wasmAfter - s.wasmBefore), extra: of(samples.models, (s) => `${mib(s.wasmBefore)} → ${mib(s.wasmAfter)}`) },
  ];
  return { rows, samples };
}
