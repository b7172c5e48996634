// esbuild for the bench: "bedrock-edge" resolved to a column's package directory (PKG or
// BASELINE) through a node_modules link in tests/.work/bench/packages/<column>/, so its exports
// map and conditions apply as in a user's project; failures reported as the modules a bundle
// could not resolve.
import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { resolve } from "node:path";
import { build } from "esbuild";

const PACKAGE = /^bedrock-edge(\/|$)/;

/** The directory whose node_modules/bedrock-edge links to `column`'s package (made once). */
function linkDir(ctx, column) {
  const dir = resolve(ctx.workDir, "packages", column);
  const link = resolve(dir, "node_modules/bedrock-edge");
  mkdirSync(resolve(dir, "node_modules"), { recursive: true });
  rmSync(link, { force: true });
  symlinkSync(ctx.pkgDirs[column], link);
  return dir;
}

/** esbuild `options` with bedrock-edge from `column`'s package (when it is one). */
export async function bundle(ctx, column, options) {
  const plugins = [];
  if (ctx.pkgDirs[column]) {
    const resolveDir = linkDir(ctx, column);
    plugins.push({
      name: "bench-package",
      setup(b) {
        b.onResolve({ filter: PACKAGE }, (args) => (args.pluginData?.linked ? undefined
          : b.resolve(args.path, { kind: args.kind, resolveDir, pluginData: { linked: true } })));
      },
    });
  }
  return build({ bundle: true, format: "esm", logLevel: "silent", ...options, plugins });
}

/** A failed build's reason in a few words: the modules it could not resolve, or its first error. */
export function failureOf(error) {
  const unresolved = [...new Set((error.errors ?? []).map((e) => /Could not resolve "([^"]+)"/.exec(e.text)?.[1]).filter(Boolean))];
  if (unresolved.length > 0) {
    const shown = unresolved.slice(0, 2).map((name) => `\`${name}\``).join(", ");
    return `fails: needs ${shown}${unresolved.length > 2 ? ` +${unresolved.length - 2}` : ""}`;
  }
  return `fails: ${(error.errors?.[0]?.text ?? String(error)).split("\n")[0].slice(0, 80)}`;
}
