'use strict';
// The bundled captures (captures/{leaky,fixed}) are what heapscope's offline
// tests and demo read; check they say what the reference says they say.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const os = require('node:os');
const { ROOT } = require('../support/test-helpers');
const { readSnapshot } = require('../support/snapshot-reader');

const HANDLER = 'src/websocket/handlers/presence.handler.js';
const SERVICE = 'src/services/collaboration/presence.service.js';

function loadSnapshot(variant, name) {
  const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'presence-capture-')), `${name}.heapsnapshot`);
  fs.writeFileSync(tmp, zlib.gunzipSync(fs.readFileSync(path.join(ROOT, 'captures', variant, `${name}.heapsnapshot.gz`))));
  try {
    return readSnapshot(tmp);
  } finally {
    fs.rmSync(path.dirname(tmp), { recursive: true, force: true });
  }
}

for (const variant of ['leaky', 'fixed']) {
  test(`bundled ${variant} capture: snapshots agree with scenario.json, metrics are Prometheus API responses`, () => {
    const dir = path.join(ROOT, 'captures', variant);
    const scenario = JSON.parse(fs.readFileSync(path.join(dir, 'scenario.json'), 'utf8'));
    assert.equal(scenario.params.variant, variant);
    const perCycle = scenario.params.users * (scenario.params.switches + 1);
    const counts = {};
    for (const [name, cycles] of [['baseline', 0], ['target', 1], ['final', 2]]) {
      const expected = variant === 'leaky'
        ? (scenario.params.warmupCycles + cycles * scenario.params.cycles) * perCycle
        : 0;
      assert.equal(scenario[name].listeners.presence_service.heartbeat, expected, `${name} listeners`);
      const snap = loadSnapshot(variant, name);
      counts[name] = {
        handler: snap.closuresAt(`${variant}/${HANDLER}`, 32).length,
        service: snap.closuresAt(`${variant}/${SERVICE}`, 57).length,
      };
      assert.deepEqual(counts[name], { handler: expected, service: expected }, `${name} closures`);
    }
    if (variant === 'leaky') {
      assert.ok(scenario.final.memory.heapUsed > scenario.target.memory.heapUsed);
      assert.ok(scenario.target.memory.heapUsed > scenario.baseline.memory.heapUsed);
    }

    const raw = JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8'));
    assert.equal(raw.status, 'success');
    assert.equal(raw.data.resultType, 'matrix');
    const range = JSON.parse(fs.readFileSync(path.join(dir, 'metrics-range.json'), 'utf8'));
    assert.equal(range.status, 'success');
    assert.equal(range.data.resultType, 'matrix');
    const series = raw.data.result.find((s) => s.metric.__name__ === 'presence_listeners'
      && s.metric.emitter === 'presence_service' && s.metric.event === 'heartbeat');
    assert.ok(series && series.values.length >= 10, 'raw heartbeat listener samples');
    const last = Number(series.values[series.values.length - 1][1]);
    assert.equal(last, scenario.final.listeners.presence_service.heartbeat);
    for (const name of ['presence_connections_total', 'presence_disconnects_total', 'presence_listener_removals_total',
      'presence_active_connections', 'presence_ghost_cursor_events_total', 'nodejs_heap_size_used_bytes']) {
      assert.ok(raw.data.result.some((s) => s.metric.__name__ === name), `${name} in metrics.json`);
      assert.ok(range.data.result.some((s) => s.metric.__name__ === name), `${name} in metrics-range.json`);
    }
    const ghosts = raw.data.result.find((s) => s.metric.__name__ === 'presence_ghost_cursor_events_total');
    const ghostCount = Number(ghosts.values[ghosts.values.length - 1][1]);
    if (variant === 'leaky') assert.ok(ghostCount > 0); else assert.equal(ghostCount, 0);
  });
}
