'use strict';
// Checks `heapscope analyze --format json` on a fresh presence-server scenario run against the
// run's own scenario.json (the listener counts the server reported at each snapshot).
// Usage: node scenario_check.js leaky|fixed REPORT.json SCENARIO.json [BUNDLED_REPORT.json]
// With the bundled capture's report, the leaky top finding's fingerprint must be the same in
// both runs (fingerprints never contain node ids or counts).
const fs = require('node:fs');
const assert = require('node:assert/strict');

const [variant, reportPath, scenarioPath, bundledPath] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
const scenario = JSON.parse(fs.readFileSync(scenarioPath, 'utf8'));
assert.equal(report.schema, 'heapscope.report/v1');
const site = (f) => `${f.site.file}:${f.site.line}`;

if (variant === 'fixed') {
  const bad = report.findings.filter((f) => f.severity !== 'note');
  assert.deepEqual(bad.map((f) => `${f.rule} ${f.severity} ${site(f)}`), []);
} else {
  const expected = ['baseline', 'target', 'final'].map(
    (k) => scenario[k].listeners.presence_service.heartbeat);
  const top = report.findings[0];
  assert.equal(top.rule, 'listener-growth');
  assert.equal(top.severity, 'error');
  assert.equal(site(top), 'leaky/src/websocket/handlers/presence.handler.js:32');
  assert.equal(top.event, 'heartbeat');
  assert.equal(top.emitter, 'PresenceService');
  assert.deepEqual(top.counts, expected);
  const nested = new Map(top.secondary.map((s) => [`${site(s)} ${s.event} ${s.emitter}`, s]));
  const sockets = ['baseline', 'target', 'final'].map((k) => scenario[k].listeners.sockets);
  for (const [key, event] of [
    ['leaky/src/services/collaboration/presence.service.js:57 heartbeat Socket', 'heartbeat'],
    ['leaky/src/websocket/handlers/presence.handler.js:37 cursor-move Socket', 'cursor-move'],
    ['leaky/src/websocket/handlers/presence.handler.js:42 selection-change Socket', 'selection-change'],
  ]) {
    assert.ok(nested.has(key), `missing secondary ${key}`);
    assert.deepEqual(nested.get(key).counts, sockets.map((s) => s[event]), key);
  }
  if (bundledPath) {
    const bundled = JSON.parse(fs.readFileSync(bundledPath, 'utf8'));
    assert.equal(top.fingerprint, bundled.findings[0].fingerprint, 'fingerprint differs between runs');
    const fp = (f) => new Map(f.secondary.map((s) => [`${site(s)} ${s.event}`, s.fingerprint]));
    const a = fp(top), b = fp(bundled.findings[0]);
    for (const key of ['leaky/src/services/collaboration/presence.service.js:57 heartbeat',
      'leaky/src/websocket/handlers/presence.handler.js:37 cursor-move']) {
      assert.equal(a.get(key), b.get(key), `fingerprint of ${key} differs between runs`);
    }
  }
  // No other listener or closure root cause from the application's own code. (With 100 cycles
  // the leaky variant's per-board `cursors` and `selections` Maps, which it never prunes of
  // departed sockets, pass the collection threshold: a second leak of that variant, reported
  // as collection-growth at the board's owner.)
  for (const f of report.findings.slice(1)) {
    if (f.rule === 'collection-growth' || f.severity === 'note') continue;
    assert.ok(!/src\/websocket|src\/services/.test(f.site.file), `extra root finding ${site(f)}`);
  }
}
console.log(`scenario_check ${variant}: ok`);
