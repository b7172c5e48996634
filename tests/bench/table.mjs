// Prints the bench's rows as one markdown table: figure | bedrock-edge | (baseline) | best peer |
// ratio | ÷ (a) | ÷ (d) | each peer. The best peer is the peer with the lowest value (highest for
// figures marked `higher`); a ratio is bedrock-edge's value divided by that peer's, in the
// figure's unit (the targets of issue 15 compare with (a) and (d)).
// Cells a client could not produce say why (`notes`).
import { CLIENTS, PEERS } from "./clients.mjs";

const FORMATS = {
  ms: (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1)),
  kib: (v) => (v / 1024).toFixed(1),
  mib: (v) => (v / 1048576).toFixed(2),
  rate: (v) => `${(v / 1000).toFixed(1)}k`,
  ratio: (v) => `${v.toFixed(2)}×`,
  count: (v) => String(v),
};

const TARGET_PEERS = ["a", "d"];

/** One cell: the formatted number, or the row's note for that column, or "–". */
function cell(row, column) {
  const value = row.values[column];
  if (typeof value === "number") return FORMATS[row.format](value) + (row.extra?.[column] ? ` (${row.extra[column]})` : "");
  return row.notes?.[column] ?? "–";
}

/** The best peer of a row: [column, value] or null. */
function bestPeer(row) {
  const peers = PEERS.filter((p) => typeof row.values[p] === "number");
  if (peers.length === 0) return null;
  const pick = row.higher ? Math.max : Math.min;
  const value = pick(...peers.map((p) => row.values[p]));
  return [peers.find((p) => row.values[p] === value), value];
}

/** The markdown table of `rows`; `baseline` adds the second bedrock-edge column. */
export function markdownTable(rows, { baseline }) {
  const columns = ["edge", ...(baseline ? ["base"] : [])];
  const header = ["figure", ...columns.map((c) => CLIENTS[c].label), "best peer", "ratio", ...TARGET_PEERS.map((p) => `÷ (${p})`), ...PEERS.map((p) => CLIENTS[p].label)];
  const lines = [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`];
  for (const row of rows) {
    const best = bestPeer(row);
    const ours = row.values.edge;
    const ratio = (peer) => (typeof ours === "number" && typeof peer === "number" && peer ? `${(ours / peer).toFixed(2)}×` : "–");
    const bestCell = best ? `${CLIENTS[best[0]].label.split(" ")[0]} ${FORMATS[row.format](best[1])}` : "–";
    lines.push(`| ${[row.figure, ...columns.map((c) => cell(row, c)), bestCell, ratio(best?.[1]), ...TARGET_PEERS.map((p) => ratio(row.values[p])), ...PEERS.map((p) => cell(row, p))].join(" | ")} |`);
  }
  return lines.join("\n");
}
