// Runs a Worker in workerd (npm `workerd`) the way wrangler would deploy it: the entry is bundled
// with esbuild under the `workerd` export condition, the package's .wasm is listed as a wasm
// module, and fetch() reaches the loopback emulator through a network service. Or, with
// `modules`, a module set bundled already (by wrangler itself, say) is run as it is.
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { build } from "esbuild";
import workerdPackage from "workerd";
import { consumerPackages } from "../harness/consumer-packages.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const CONSUMER_MODULES = join(ROOT, "tests/.work/consumer/node_modules");
const WORKERD = workerdPackage.default;
const START_TIMEOUT_MS = 30_000;

const capnpString = (value) => JSON.stringify(String(value));

const MODULE_KINDS = { esModule: /\.m?js$/, wasm: /\.wasm$/, text: /\.(txt|html)$/, data: /\.bin$/ };

/** A module's kind (esModule, wasm, text, data) from its file name, as wrangler's default rules. */
export function moduleKind(name) {
  const kind = Object.keys(MODULE_KINDS).find((key) => MODULE_KINDS[key].test(name));
  if (!kind) throw new Error(`no module kind for ${name}`);
  return kind;
}

const DEFAULT_MODULES = [
  { name: "worker.js", file: "worker.js", kind: "esModule" },
  { name: "bedrock_edge_bg.wasm", file: "bedrock_edge_bg.wasm", kind: "wasm" },
];

function config({ textBindings, envBindings, allow, modules, compatibilityDate }) {
  const bindings = [
    ...Object.entries(textBindings).map(([name, value]) => `(name = ${capnpString(name)}, text = ${capnpString(value)})`),
    ...envBindings.map((name) => `(name = ${capnpString(name)}, fromEnvironment = ${capnpString(name)})`),
  ];
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "outbound", network = (allow = [${allow.map(capnpString).join(", ")}])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
  # gc() for the memory cases (not for production: V8 flags are unsupported there).
  v8Flags = ["--expose-gc"],
);

const worker :Workerd.Worker = (
  modules = [
${modules.map(({ name, file, kind }) => `    (name = ${capnpString(name)}, ${kind} = embed ${capnpString(file)}),`).join("\n")}
  ],
  compatibilityDate = ${capnpString(compatibilityDate)},
  bindings = [${bindings.join(", ")}],
  globalOutbound = "outbound",
);
`;
}

/**
 * Bundles `entry` into `outDir`, starts workerd on an ephemeral 127.0.0.1 port and resolves to
 * { url, stop, pid } (pid: the workerd process, whose CPU time the bench reads). `allow` is the outbound network allow-list ("local" reaches 127.0.0.1 only).
 * With `modules` ([{ name, file, kind? }], the main module first; `file` absolute or relative to
 * `outDir`; `kind` from the name when absent) nothing is bundled: those modules are run.
 */
export async function startWorker({
  entry,
  outDir,
  modules,
  compatibilityDate = "2025-09-01",
  textBindings = {},
  envBindings = [],
  allow = ["local"],
}) {
  mkdirSync(outDir, { recursive: true });
  const configPath = join(outDir, "config.capnp");
  if (modules) {
    const listed = modules.map(({ name, file, kind }) => ({
      name,
      file: relative(outDir, resolve(outDir, file)),
      kind: kind ?? moduleKind(name),
    }));
    writeFileSync(configPath, config({ textBindings, envBindings, allow, modules: listed, compatibilityDate }));
    return serve(configPath);
  }
  await build({
    entryPoints: [entry],
    outfile: join(outDir, "worker.js"),
    bundle: true,
    format: "esm",
    // esbuild's default platform, "browser", as wrangler uses it: packages' `browser` field maps are honoured.
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    external: ["*.wasm"],
    nodePaths: [CONSUMER_MODULES],
    plugins: [consumerPackages(CONSUMER_MODULES)],
    logLevel: "warning",
  });
  copyFileSync(join(CONSUMER_MODULES, "bedrock-edge/bedrock_edge_bg.wasm"), join(outDir, "bedrock_edge_bg.wasm"));
  writeFileSync(configPath, config({ textBindings, envBindings, allow, modules: DEFAULT_MODULES, compatibilityDate }));
  return serve(configPath);
}

/** Starts workerd on `configPath`; resolves to { url, stop, pid } once it listens. */
async function serve(configPath) {
  // --control-fd reports the ephemeral port workerd bound, once it is listening.
  const child = spawn(WORKERD, ["serve", configPath, "--control-fd=3"], {
    stdio: ["ignore", "inherit", "inherit", "pipe"],
  });
  const stop = () =>
    new Promise((resolveStop) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
      child.once("exit", () => resolveStop());
      process.kill(child.pid, "SIGTERM");
    });
  process.once("exit", () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, "SIGKILL");
  });

  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error("workerd did not start listening in time")), START_TIMEOUT_MS);
    let buffered = "";
    child.stdio[3].on("data", (data) => {
      buffered += data;
      for (const line of buffered.split("\n").slice(0, -1)) {
        const message = JSON.parse(line);
        if (message.event === "listen" && message.socket === "http") {
          clearTimeout(timer);
          resolvePort(message.port);
        }
      }
      buffered = buffered.slice(buffered.lastIndexOf("\n") + 1);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`workerd exited early (code ${code}, signal ${signal})`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, stop, pid: child.pid };
}
