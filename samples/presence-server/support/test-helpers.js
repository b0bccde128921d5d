'use strict';
// Test helpers: start the reference server as a child process on an ephemeral
// loopback port and talk to it (metrics, debug endpoints, raw clients).

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { io } = require('socket.io-client');
const { fetchMetrics, pick } = require('../driver/promtext');

const ROOT = path.resolve(__dirname, '..');

async function startServer(variant, { env = {}, nodeArgs = [], logLevel = 'silent', heartbeatMs = 1000 } = {}) {
  const snapshotDir = fs.mkdtempSync(path.join(os.tmpdir(), `presence-test-${variant}-`));
  const child = spawn(process.execPath, ['--expose-gc', ...nodeArgs, path.join(ROOT, 'shared/server.js'), '--variant', variant], {
    env: {
      ...process.env, HOST: '127.0.0.1', PORT: '0', PRESENCE_LOG_LEVEL: logLevel,
      PRESENCE_HEARTBEAT_MS: String(heartbeatMs), PRESENCE_SNAPSHOT_DIR: snapshotDir, ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 10000);
    const onData = () => {
      const m = /^LISTENING port=(\d+)/m.exec(stdout);
      if (m) { clearTimeout(timer); child.stdout.off('data', onData); resolve(Number(m[1])); }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}: ${stderr}`)); });
  });
  const url = `http://127.0.0.1:${port}`;
  const server = {
    url, port, child, snapshotDir,
    get stdout() { return stdout; },
    async metrics() { return fetchMetrics(url); },
    async value(name, labels) { return pick(await fetchMetrics(url), name, labels); },
    async post(route) {
      const res = await fetch(new URL(route, url), { method: 'POST', signal: AbortSignal.timeout(30000) });
      return { status: res.status, body: await res.json() };
    },
    async gc() {
      const r = await server.post('/debug/gc');
      if (r.status !== 200 || !r.body.gc) throw new Error(`gc endpoint failed: ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      fs.rmSync(snapshotDir, { recursive: true, force: true });
    },
  };
  return server;
}

// Listener gauges as a flat object: { 'presence_service/heartbeat': n, 'sockets/cursor-move': n, ... }
function listenerGauges(samples) {
  const out = {};
  for (const s of samples) if (s.name === 'presence_listeners') out[`${s.labels.emitter}/${s.labels.event}`] = s.value;
  return out;
}

async function connectClient(url) {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 5000 });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

// Poll a condition (bounded); used only to wait for asynchronous server-side
// work that has no ack (disconnect handling, timer ticks).
async function waitFor(what, fn, { timeoutMs = 10000, intervalMs = 10 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

module.exports = { ROOT, startServer, listenerGauges, connectClient, waitFor, pick };
