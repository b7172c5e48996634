// Medians and the interleaving every timed case uses: one warm-up per column, then `runs` rounds,
// each measuring every column once, in an order that rotates from round to round, so drift on
// this shared machine spreads over all columns alike.
export function median(values) {
  const sorted = values.filter((v) => typeof v === "number").sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * `measure(column)` → a sample object; resolves to column → [samples]. `warmUp(column)` (default:
 * `measure`) runs once per column first; a column whose warm-up throws is left out, with its
 * error in `failures[column]`.
 */
export async function interleaved(columns, runs, measure, { warmUp = measure, failures = {} } = {}) {
  const samples = {};
  const live = [];
  for (const column of columns) {
    try {
      await warmUp(column);
      samples[column] = [];
      live.push(column);
    } catch (error) {
      failures[column] = String(error.message ?? error).split("\n")[0];
      process.stderr.write(`  ${column}: ${failures[column]}\n`);
    }
  }
  for (let round = 0; round < runs; round++) {
    const order = live.map((_, i) => live[(i + round) % live.length]);
    for (const column of order) samples[column].push(await measure(column));
  }
  return samples;
}

/** column → [samples] → column → median of `key`. */
export const mediansOf = (samples, key) =>
  Object.fromEntries(Object.entries(samples).map(([column, list]) => [column, median(list.map((s) => s[key]))]));

/** column → [samples] → column → "min <m>" of `key` (ms): on a loaded machine the least-disturbed run. */
export const minNotesOf = (samples, key) =>
  Object.fromEntries(Object.entries(samples).map(([column, list]) => [column, `min ${Math.min(...list.map((s) => s[key])).toFixed(0)}`]));
