// The runner's side of child.mjs: one forked process per column, created on first use, with a
// promise-returning call(op, args); stopAll() ends them (by their own pids, through disconnect).
import { fork } from "node:child_process";
import { resolve } from "node:path";

const CHILD = resolve(import.meta.dirname, "child.mjs");

export class Pool {
  #children = new Map();

  /** `pkgDirs`: column → bedrock-edge package directory (edge, base). */
  constructor(pkgDirs) {
    this.pkgDirs = pkgDirs;
  }

  /** A fresh process for `column` each call when `fresh` (memory figures), else the shared one. */
  async child(column, { fresh = false, execArgv = [] } = {}) {
    if (!fresh && this.#children.has(column)) return this.#children.get(column);
    const proc = fork(CHILD, [column, this.pkgDirs[column] ?? ""], { execArgv: ["--no-warnings", ...execArgv], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const pending = new Map();
    let next = 0;
    proc.on("message", (message) => {
      if (message.ready) return;
      const { resolve: done, reject } = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) reject(new Error(`${column}: ${message.error}`));
      else done(message.result);
    });
    proc.once("exit", (code) => {
      for (const { reject } of pending.values()) reject(new Error(`${column}: the bench child exited (code ${code})`));
    });
    await new Promise((ready, reject) => {
      proc.once("message", ready);
      proc.once("exit", (code) => reject(new Error(`${column}: the bench child failed to start (code ${code})`)));
    });
    const handle = {
      call: (op, args) => new Promise((done, reject) => {
        const id = next++;
        pending.set(id, { resolve: done, reject });
        proc.send({ id, op, args });
      }),
      stop: () => new Promise((done) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return done();
        proc.once("exit", done);
        proc.kill("SIGTERM");
      }),
    };
    if (!fresh) this.#children.set(column, handle);
    return handle;
  }

  async stopAll() {
    await Promise.all([...this.#children.values()].map((child) => child.stop()));
    this.#children.clear();
  }
}
