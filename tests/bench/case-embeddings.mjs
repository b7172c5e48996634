// Case 6, embeddings: embedDocuments of 1,000 texts at 1,024 dimensions (Titan Text Embeddings
// v2, one InvokeModel per text, 8 at a time) against the SDK (a): InvokeModelCommand + JSON.parse
// of each body, 8 at a time. (The standalone script embeddings.mjs measures the same pair.)
import { interleaved, mediansOf } from "./stats.mjs";
import { embeddingTexts } from "./workload.mjs";

const TEXTS = 1000;
const DIMENSIONS = 1024;

export async function run(ctx) {
  const texts = embeddingTexts(TEXTS);
  const notes = {};
  const embed = async (column, count) => {
    const sample = await (await ctx.pool.child(column)).call("embed", { texts: texts.slice(0, count), dimensions: DIMENSIONS });
    if (sample.count !== count || sample.dimensions !== DIMENSIONS) throw new Error(`${column}: ${sample.count} × ${sample.dimensions}`);
    return sample;
  };
  const runs = await interleaved(ctx.columns(["a"]), ctx.runs, (column) => embed(column, TEXTS),
    { warmUp: (column) => embed(column, TEXTS / 10), failures: notes });
  return {
    rows: [
      { figure: "embedDocuments, 1,000 texts × 1,024 dimensions, wall ms", format: "ms", values: mediansOf(runs, "ms"), notes },
      { figure: "same, client CPU ms", format: "ms", values: mediansOf(runs, "cpuMs"), notes },
    ],
    samples: runs,
  };
}
