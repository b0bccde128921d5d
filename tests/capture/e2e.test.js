'use strict';
// `heapscope capture` against real processes started here: Node with --inspect=127.0.0.1:0
// and with SIGUSR1 (--pid), headless Chromium, the reference presence server (leaky and fixed)
// under its load driver, a target killed mid-snapshot, and a capture refused for memory.
// Loopback only; every wait is bounded and every process started here is stopped by its pid.
//   HEAPSCOPE_BINARY=build/heapscope node --test tests/capture/e2e.test.js
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = process.env.HEAPSCOPE_BINARY || path.join(ROOT, 'build', 'heapscope');
const TMP = process.env.HEAPSCOPE_TEST_TMP || path.join(os.tmpdir(), 'heapscope-capture-test');
const HOLDER = path.join(__dirname, 'programs', 'holder.js');
const PRESENCE = path.join(ROOT, 'samples', 'presence-server');

function freshDir(name) {
  const dir = path.join(TMP, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

// Runs a command to its end (killed after timeoutMs): {code, signal, stdout, stderr}.
function run(cmd, args, { timeoutMs = 120000, onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (onSpawn) onSpawn(child);
  });
}

// Starts a long-running process and waits until `pattern` matches its stdout or stderr.
function start(cmd, args, { env = {}, pattern, timeoutMs = 30000, detached = false }) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, detached,
      stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => {
      stop(child);
      reject(new Error(`timeout waiting for ${pattern} from ${cmd}: ${out}`));
    }, timeoutMs);
    const onData = (d) => {
      out += d;
      const m = out.match(pattern);
      if (m) {
        clearTimeout(timer);
        resolve({ child, match: m, output: () => out });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} exited (${code}) before ${pattern}: ${out}`));
    });
  });
}

function stop(child, group = false) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try { process.kill(group ? -child.pid : child.pid, 'SIGKILL'); } catch { /* gone */ }
    }, 5000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    try { process.kill(group ? -child.pid : child.pid, 'SIGTERM'); } catch { resolve(); }
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const INSPECTOR = /Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//;

async function startHolder(count, pad = 8, nodeFlags = []) {
  const t = await start('node', ['--inspect=127.0.0.1:0', ...nodeFlags, HOLDER, String(count), String(pad)],
    { pattern: /READY pid=\d+/ });
  const port = Number(t.output().match(INSPECTOR)[1]);
  return { child: t.child, port };
}

// Class counts of a snapshot by `heapscope summary --format json`.
async function classCount(file, name) {
  const r = await run(BIN, ['summary', file, '--top', '0', '--no-retained', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const cls = JSON.parse(r.stdout).classes.find((c) => c.name === name);
  return cls ? cls.count : 0;
}

test('node-inspect', async () => {
  const out = freshDir('node-inspect');
  const { child, port } = await startHolder(1000);
  try {
    const r = await run(BIN, ['capture', '--inspect', `127.0.0.1:${port}`, '--count', '2',
      '--interval', '0', '--out', out, '--sampling']);
    assert.equal(r.code, 0, r.stderr);
    const files = ['01-baseline.heapsnapshot.gz', '02-final.heapsnapshot.gz'];
    // --sampling: the sampled live heap beside each snapshot, then the profile of the whole run.
    const profiles = ['01-baseline.heapprofile', '02-final.heapprofile', 'sampling.heapprofile'];
    assert.deepEqual(r.stdout.trim().split('\n'), [...files, ...profiles].map((f) => path.join(out, f)));
    assert.deepEqual(fs.readdirSync(out).sort(), [...files, ...profiles].sort());
    assert.match(r.stderr, /capture: connected to node "/);
    for (const f of files) assert.equal(await classCount(path.join(out, f), 'CaptureMarker'), 1000);
    for (const f of profiles) {
      const profile = JSON.parse(fs.readFileSync(path.join(out, f), 'utf8'));
      assert.equal(profile.head.callFrame.functionName, '(root)', f);
    }
  } finally {
    await stop(child);
  }
});

// Of a plain snapshot's objects (type object) named `name`: how many, and how many carry an
// allocation stack (trace_node_id != 0); and whether the snapshot has a trace tree at all.
function traced(file, name) {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
  const fields = snap.snapshot.meta.node_fields;
  const typeAt = fields.indexOf('type');
  const object = snap.snapshot.meta.node_types[typeAt].indexOf('object');
  const nameAt = fields.indexOf('name');
  const traceAt = fields.indexOf('trace_node_id');
  const want = snap.strings.indexOf(name);
  let count = 0;
  let withStack = 0;
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    if (snap.nodes[i + nameAt] !== want || snap.nodes[i + typeAt] !== object) continue;
    count++;
    if (traceAt >= 0 && snap.nodes[i + traceAt] !== 0) withStack++;
  }
  return { count, withStack, tree: snap.trace_tree.length > 0 };
}

test('track-allocations', async () => {
  // Started without the flag: capture starts tracking; the markers, made before, have no stack.
  {
    const out = freshDir('track-allocations');
    const { child, port } = await startHolder(200);
    try {
      const r = await run(BIN, ['capture', '--inspect', `127.0.0.1:${port}`, '--count', '2',
        '--interval', '0', '--out', out, '--plain', '--track-allocations']);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /not restarted/);
      const t = traced(path.join(out, '02-final.heapsnapshot'), 'CaptureMarker');
      assert.deepEqual(t, { count: 200, withStack: 0, tree: true });
    } finally {
      await stop(child);
    }
  }
  // Started with --track-heap-objects: capture leaves tracking alone and every marker keeps the
  // stack V8 recorded when the holder made it.
  {
    const out = freshDir('track-allocations-flag');
    const { child, port } = await startHolder(200, 8, ['--track-heap-objects']);
    try {
      const r = await run(BIN, ['capture', '--inspect', `127.0.0.1:${port}`, '--count', '2',
        '--interval', '0', '--out', out, '--plain', '--track-allocations']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /capture: the target runs with --track-heap-objects: .* tracking is not restarted/);
      for (const f of ['01-baseline.heapsnapshot', '02-final.heapsnapshot']) {
        assert.deepEqual(traced(path.join(out, f), 'CaptureMarker'), { count: 200, withStack: 200, tree: true }, f);
      }
    } finally {
      await stop(child);
    }
  }
});

test('node-pid', async () => {
  const out = freshDir('node-pid');
  const port = await freePort();
  const t = await start('node', [`--inspect-port=127.0.0.1:${port}`, HOLDER, '777'],
    { pattern: /READY pid=(\d+)/ });
  try {
    assert.doesNotMatch(t.output(), INSPECTOR);  // not listening before the capture
    const r = await run(BIN, ['capture', '--pid', String(t.child.pid), '--inspect',
      `127.0.0.1:${port}`, '--count', '1', '--plain', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const file = path.join(out, '01-snapshot.heapsnapshot');
    assert.deepEqual(fs.readdirSync(out), ['01-snapshot.heapsnapshot']);
    const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(snap.nodes.length, snap.snapshot.node_count * snap.snapshot.meta.node_fields.length);
    assert.equal(await classCount(file, 'CaptureMarker'), 777);
    // A pid whose inspector is elsewhere: the pid check catches the wrong process.
    const other = await startHolder(1);
    try {
      const wrong = await run(BIN, ['capture', '--pid', String(t.child.pid), '--inspect',
        `127.0.0.1:${other.port}`, '--count', '1', '--out', out]);
      assert.equal(wrong.code, 2);
      assert.match(wrong.stderr, new RegExp(`belongs to process ${other.child.pid}, not to ${t.child.pid}`));
    } finally {
      await stop(other.child);
    }
  } finally {
    await stop(t.child);
  }
});

test('chromium', async () => {
  const out = freshDir('chromium');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'heapscope-chromium-'));
  const page = `file://${path.join(__dirname, 'programs', 'page.html')}`;
  const chrome = spawn('/usr/bin/chromium', ['--headless', '--no-sandbox', '--disable-gpu',
    '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`,
    '--remote-debugging-port=0', page], { detached: true, stdio: 'ignore' });
  try {
    const portFile = path.join(profile, 'DevToolsActivePort');
    let port = 0;
    for (let i = 0; i < 600 && !port; i += 1) {
      if (fs.existsSync(portFile)) port = Number(fs.readFileSync(portFile, 'utf8').split('\n')[0]);
      if (!port) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(port > 0, 'chromium did not write DevToolsActivePort within 60 s');
    // The page may still be loading: retry the capture until its title is listed (bounded).
    let r;
    for (let i = 0; i < 20; i += 1) {
      r = await run(BIN, ['capture', '--inspect', `127.0.0.1:${port}`, '--target-title',
        'heapscope capture test', '--count', '1', '--out', out]);
      if (r.code === 0 || !/no target matches/.test(r.stderr)) break;
      await new Promise((res) => setTimeout(res, 250));
    }
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /connected to page "heapscope capture test" file:\/\//);
    assert.equal(await classCount(path.join(out, '01-snapshot.heapsnapshot.gz'), 'ChromeMarker'), 1234);
    const wrong = await run(BIN, ['capture', '--inspect', `127.0.0.1:${port}`, '--target-url',
      'no-such-page', '--count', '1', '--out', out]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /no target matches --target-url 'no-such-page'; the inspector lists:\n {2}page "heapscope capture test"/);
  } finally {
    await stop(chrome, true);
    fs.rmSync(profile, { recursive: true, force: true });
  }
});

// The whole loop on the reference server: warm-up, then capture with the driver between.
async function presence(variant) {
  const out = freshDir(`presence-${variant}`);
  const t = await start('node', ['--inspect=127.0.0.1:0', path.join(PRESENCE, 'shared', 'server.js'),
    '--variant', variant], { env: { HOST: '127.0.0.1', PORT: '0', PRESENCE_LOG_LEVEL: 'silent' },
    pattern: /LISTENING port=(\d+)/ });
  try {
    const inspector = Number(t.output().match(INSPECTOR)[1]);
    const url = `http://127.0.0.1:${t.match[1]}`;
    const driver = `node ${path.join(PRESENCE, 'driver', 'driver.js')} --url ${url} --users 5 --concurrency 5`;
    const warm = await run('sh', ['-c', `${driver} --cycles 2`]);
    assert.equal(warm.code, 0, warm.stderr);
    const report = path.join(out, 'report.json');
    const r = await run(BIN, ['capture', '--inspect', `127.0.0.1:${inspector}`, '--count', '3',
      '--between', `${driver} --cycles 3`, '--out', out, '--analyze', '--format', 'json',
      '-o', report, '--source-root', PRESENCE], { timeoutMs: 240000 });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(out).sort(), ['01-baseline.heapsnapshot.gz',
      '02-target.heapsnapshot.gz', '03-final.heapsnapshot.gz', 'report.json']);
    assert.equal(r.stderr.match(/capture: running --between/g).length, 2);
    return JSON.parse(fs.readFileSync(report, 'utf8'));
  } finally {
    await stop(t.child);
  }
}

const site = (f) => `${f.site.file}:${f.site.line}`;

test('presence-leaky', async () => {
  const rep = await presence('leaky');
  const top = rep.findings[0];
  assert.equal(top.rule, 'listener-growth');
  assert.equal(top.severity, 'error');
  assert.equal(site(top), 'leaky/src/websocket/handlers/presence.handler.js:32');
  assert.equal(top.event, 'heartbeat');
  assert.equal(top.emitter, 'PresenceService');
  // 5 users × 3 joins per cycle: 2 warm-up cycles, then 3 more before each later snapshot.
  assert.deepEqual(top.counts, [30, 75, 120]);
});

test('presence-fixed', async () => {
  const rep = await presence('fixed');
  assert.deepEqual(rep.findings.filter((f) => f.severity !== 'note').map((f) => `${f.rule} ${site(f)}`), []);
});

test('killed', async () => {
  const out = freshDir('killed');
  // About 60 MB of heap: the snapshot takes long enough to be interrupted.
  const { child, port } = await startHolder(300000, 160);
  let killed = false;
  const watcher = setInterval(() => {
    if (!killed && fs.readdirSync(out).some((f) => f.startsWith('.01-snapshot.heapsnapshot.gz.tmp-'))) {
      killed = true;
      child.kill('SIGKILL');
    }
  }, 5);
  try {
    const r = await run(BIN, ['capture', '--inspect', `127.0.0.1:${port}`, '--count', '1', '--out', out]);
    assert.ok(killed, 'the temporary file never appeared');
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^heapscope: snapshot 1 of 1 \(snapshot\): HeapProfiler\.takeHeapSnapshot failed: .*no file was kept\n$/m);
    assert.deepEqual(fs.readdirSync(out), []);
  } finally {
    clearInterval(watcher);
    await stop(child);
  }
});

test('refused', async () => {
  const out = freshDir('refused');
  const { child, port } = await startHolder(1000);
  try {
    const r = await run(BIN, ['capture', '--inspect', `127.0.0.1:${port}`, '--count', '3',
      '--interval', '0', '--max-memory', '1M', '--out', out]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^heapscope: snapshot 1 of 3 \(baseline\): refusing to take the snapshot: the target's heap holds [\d.]+ MB and V8 needs about that much again while it writes a snapshot, but only 1\.05 MB of memory is available \(--max-memory\)/m);
    assert.deepEqual(fs.readdirSync(out), []);
  } finally {
    await stop(child);
  }
  // Nothing listening, and a remote host without --allow-remote.
  const port2 = await freePort();
  const none = await run(BIN, ['capture', '--inspect', `127.0.0.1:${port2}`, '--out', out, '--timeout', '2s']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, new RegExp(`^heapscope: no DevTools inspector answers at 127\\.0\\.0\\.1:${port2}: cannot connect to the inspector at 127\\.0\\.0\\.1:${port2}: connection refused`));
  const remote = await run(BIN, ['capture', '--inspect', '192.0.2.1:9229', '--out', out]);
  assert.equal(remote.code, 2);
  assert.match(remote.stderr, /'192\.0\.2\.1' is not a loopback address; the inspector gives full control/);
});
