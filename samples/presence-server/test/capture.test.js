'use strict';
// Capture paths: the snapshot endpoint (off unless PRESENCE_SNAPSHOT_DIR is
// set, loopback only) and --heapsnapshot-signal.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, waitFor } = require('../support/test-helpers');

test('snapshot endpoint is off without PRESENCE_SNAPSHOT_DIR', async () => {
  const server = await startServer('leaky', { env: { PRESENCE_SNAPSHOT_DIR: '' } });
  try {
    const r = await server.post('/debug/heapsnapshot?name=x');
    assert.equal(r.status, 404);
    assert.equal((await server.post('/debug/gc')).status, 404);
  } finally {
    await server.stop();
  }
});

test('snapshot endpoint writes <dir>/<name>.heapsnapshot and returns the path', async () => {
  const server = await startServer('fixed');
  try {
    assert.equal((await server.post('/debug/heapsnapshot?name=../evil')).status, 400);
    const get = await fetch(new URL('/debug/heapsnapshot?name=x', server.url));
    assert.equal(get.status, 405);
    const r = await server.post('/debug/heapsnapshot?name=baseline');
    assert.equal(r.status, 200);
    assert.equal(r.body.path, path.join(server.snapshotDir, 'baseline.heapsnapshot'));
    assert.equal(r.body.gc, true);
    const snap = JSON.parse(fs.readFileSync(r.body.path, 'utf8'));
    assert.ok(snap.snapshot.node_count > 1000);
    assert.equal(fs.statSync(r.body.path).size, r.body.bytes);
  } finally {
    await server.stop();
  }
});

test('--heapsnapshot-signal capture works', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'presence-signal-'));
  const server = await startServer('leaky', { nodeArgs: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`] });
  try {
    server.child.kill('SIGUSR2');
    // The snapshot is written synchronously on the main thread, so once the
    // file exists and the server answers again, the file is complete. On a
    // loaded machine the write outlasts one /metrics request's own 5 s
    // deadline: a request that times out is retried until the overall bound.
    const file = await waitFor('signal snapshot', async () => {
      const f = fs.readdirSync(dir).find((n) => n.endsWith('.heapsnapshot'));
      if (!f) return null;
      try {
        await server.metrics();
      } catch (err) {
        if (err.name === 'TimeoutError') return null;
        throw err;
      }
      return path.join(dir, f);
    }, { timeoutMs: 120000, intervalMs: 50 });
    const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.ok(snap.snapshot.node_count > 1000);
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
