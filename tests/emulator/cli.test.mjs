// The command-line interface other tooling relies on: server.mjs flags, the port file, the
// listening line, loopback-only binding, clean SIGTERM exit, and ctl.sh start/stop.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { callModel, send, userSays } from './signed-client.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const EMULATOR = path.resolve(here, '../../emulator');
const SERVER = path.join(EMULATOR, 'server.mjs');
const CTL = path.join(EMULATOR, 'ctl.sh');
const run = promisify(execFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-emulator-cli-'));

const children = new Set();
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await run(CTL, ['stop', path.join(tmp, 'ctl')]).catch(() => {});
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Spawns server.mjs and resolves once it printed its listening line. */
function startServer(args) {
  const child = spawn(process.execPath, [SERVER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^bedrock-emulator listening on http:\/\/127\.0\.0\.1:(\d+)\n/m.exec(out);
      if (m) resolve({ port: Number(m[1]), line: out.split('\n')[0] });
    });
    exited.then(({ code }) => reject(new Error(`server exited with ${code} before listening`)));
  });
  return { child, listening, exited };
}

/** Alive and not a zombie (the container's init may reap orphans late). */
function isRunning(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  let stat;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return true; // no procfs (macOS): kill(0) succeeding is all we know
  }
  return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

const connects = (host, port) => new Promise((resolve) => {
  const socket = net.connect({ host, port }, () => { socket.destroy(); resolve(true); });
  socket.on('error', () => resolve(false));
});

test('server.mjs: port file, listening line, loopback only, default recordings, SIGTERM → exit 0', async () => {
  const portFile = path.join(tmp, 'server.port');
  const { child, listening, exited } = startServer(['--port', '0', '--port-file', portFile]);
  const { port, line } = await listening;
  assert.equal(line, `bedrock-emulator listening on http://127.0.0.1:${port}`);
  assert.equal(fs.readFileSync(portFile, 'utf8').trim(), String(port));
  assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.includes('.tmp')), [], 'no temp file left');
  assert.equal(await connects('127.0.0.1', port), true);
  assert.equal(await connects('127.0.0.2', port), false, 'must listen on 127.0.0.1 only');

  // The default --recordings is ../shared/vectors/recorded/derived next to the repo.
  const replay = await callModel(port, 'replay:openinference-js/should-handle-basic-converse-stream-responses', 'converse-stream', userSays('hi'));
  assert.equal(replay.status, 200);
  const recorded = path.resolve(here, '../../../shared/vectors/recorded/derived/openinference-js/should-handle-basic-converse-stream-responses.eventstream');
  assert.ok(replay.body.equals(fs.readFileSync(recorded)));

  // An in-flight slow stream must not hold up shutdown.
  const slow = callModel(port, 'fault:slow-drip:5000', 'converse-stream', userSays('hi'));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const t0 = Date.now();
  child.kill('SIGTERM');
  assert.deepEqual(await exited, { code: 0, signal: null });
  assert.ok(Date.now() - t0 < 1500, 'exits promptly');
  assert.ok((await slow).error, 'the in-flight stream was cut');
});

test('server.mjs: --port N, SIGINT, and bad arguments', async () => {
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const wanted = probe.address().port;
  await new Promise((resolve) => probe.close(resolve));

  const { child, listening, exited } = startServer(['--port', String(wanted)]);
  assert.equal((await listening).port, wanted);
  assert.deepEqual(JSON.parse((await send({ port: wanted, path: '/_emulator/health', method: 'GET' })).body), { ok: true });
  child.kill('SIGINT');
  assert.equal((await exited).code, 0);

  for (const args of [['--port', 'x'], ['--port', '70000'], ['--bogus']]) {
    const bad = startServer(args);
    await assert.rejects(bad.listening);
    assert.equal((await bad.exited).code, 2, args.join(' '));
  }
});

test('ctl.sh start/stop', async () => {
  const state = path.join(tmp, 'ctl');
  const { stdout } = await run(CTL, ['start', state]);
  const url = stdout.trim();
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const port = Number(fs.readFileSync(path.join(state, 'emulator.port'), 'utf8'));
  assert.equal(url, `http://127.0.0.1:${port}`);
  const pid = Number(fs.readFileSync(path.join(state, 'emulator.pid'), 'utf8'));
  assert.ok(pid > 0);
  assert.match(fs.readFileSync(path.join(state, 'emulator.log'), 'utf8'), /listening on/);
  assert.equal((await send({ port, path: '/_emulator/health', method: 'GET' })).status, 200);

  // Starting again while it runs reuses it.
  assert.equal((await run(CTL, ['start', state])).stdout.trim(), url);

  await run(CTL, ['stop', state]);
  assert.equal(fs.existsSync(path.join(state, 'emulator.pid')), false);
  assert.equal(isRunning(pid), false, 'process is gone');
  await run(CTL, ['stop', state]); // no-op when not running
});

test('ctl.sh start fails loudly, with the log, when the server cannot start', async () => {
  const holder = net.createServer();
  await new Promise((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const busy = holder.address().port;
  try {
    const state = path.join(tmp, 'ctl-busy');
    const err = await run(CTL, ['start', state, '--port', String(busy)]).then(() => null, (e) => e);
    assert.ok(err, 'start must fail');
    assert.notEqual(err.code, 0);
    assert.match(err.stderr, /EADDRINUSE/);
    assert.match(err.stderr, /exited during startup/);
    assert.equal(fs.existsSync(path.join(state, 'emulator.pid')), false);
  } finally {
    await new Promise((resolve) => holder.close(resolve));
  }
});
