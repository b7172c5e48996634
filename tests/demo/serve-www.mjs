// The last step of `make demo`, when a person is at the terminal: serve the www/ chat page, with
// the built package at ./pkg/ and the backend settings in ./config.json, until Ctrl-C.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { serveDirectory } from "../browser/static-server.mjs";

const ROOT = resolve(import.meta.dirname, "../..");

/** Serves the chat page until SIGINT/SIGTERM; `config` pre-fills its settings form. */
export async function serveChatPage(config) {
  const site = resolve(ROOT, "tests/.work/www");
  rmSync(site, { recursive: true, force: true });
  mkdirSync(site, { recursive: true });
  cpSync(resolve(ROOT, "www"), site, { recursive: true });
  cpSync(resolve(ROOT, "pkg"), resolve(site, "pkg"), { recursive: true });
  writeFileSync(resolve(site, "config.json"), JSON.stringify(config));
  const server = await serveDirectory(site, Number(process.env.DEMO_PORT ?? 0));
  console.log(`\nchat page: ${server.url}  (Ctrl-C to stop)`);
  await new Promise((resolveStop) => {
    process.once("SIGINT", resolveStop);
    process.once("SIGTERM", resolveStop);
  });
  await server.close();
}
