'use strict';
// The oracle for heapscope findings: the source lines the incident names, and
// what a real heap snapshot of each variant shows at those lines.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { runLoad } = require('../driver/driver');
const { ROOT, startServer, connectClient } = require('../support/test-helpers');
const { readSnapshot } = require('../support/snapshot-reader');

const HANDLER = 'src/websocket/handlers/presence.handler.js';
const SERVICE = 'src/services/collaboration/presence.service.js';
const HANDLER_LINE = 32;
const SERVICE_LINE = 57;

const line = (variant, file, n) => fs.readFileSync(path.join(ROOT, variant, file), 'utf8').split('\n')[n - 1];

test('line numbers: heartbeat closures start on presence.handler.js:32 and presence.service.js:57 in both variants', () => {
  assert.match(line('leaky', HANDLER, HANDLER_LINE), /^\s*presenceService\.on\('heartbeat', \(tick\) => \{$/);
  assert.match(line('fixed', HANDLER, HANDLER_LINE), /^\s*const onHeartbeat = \(tick\) => \{$/);
  for (const v of ['leaky', 'fixed']) {
    assert.match(line(v, SERVICE, SERVICE_LINE), /^\s*const heartbeatHandler = \(payload\) => \{$/, v);
  }
  // Leaky: the three join-board closures are on distinct lines, in this order.
  const src = fs.readFileSync(path.join(ROOT, 'leaky', HANDLER), 'utf8').split('\n');
  const cm = src.findIndex((l) => l.includes("socket.on('cursor-move', (position) => {")) + 1;
  const sc = src.findIndex((l) => l.includes("socket.on('selection-change', (selection) => {")) + 1;
  assert.ok(cm > HANDLER_LINE && sc > cm, `cursor-move at ${cm}, selection-change at ${sc}`);
  // Fixed: the heartbeat handler is attached with presenceService.on and removed with presenceService.off.
  const fixed = fs.readFileSync(path.join(ROOT, 'fixed', HANDLER), 'utf8');
  assert.ok(fixed.includes("presenceService.on('heartbeat', onHeartbeat)") && fixed.includes("presenceService.off('heartbeat', onHeartbeat)"));
});

// After 3 cycles of 2 users x 2 joins (12 joins, all disconnected) plus one
// connected user on a board, take a heap snapshot and read it.
async function snapshotAfterLoad(variant) {
  const server = await startServer(variant);
  let client;
  try {
    await runLoad({ url: server.url, users: 2, concurrency: 2, cycles: 3, switches: 1, boards: 4, heartbeats: 1, cursorMoves: 1, selections: 1 });
    client = await connectClient(server.url);
    await client.timeout(5000).emitWithAck('join-board', { boardId: 'board-live', userId: 'live', name: 'Live' });
    const r = await server.post('/debug/heapsnapshot?name=oracle');
    assert.equal(r.status, 200);
    return { response: r.body, snap: readSnapshot(r.body.path), liveId: client.id };
  } finally {
    if (client) client.disconnect();
    await server.stop();
  }
}

test('leaky snapshot: one retained closure per join at both lines, capturing what the incident says', async () => {
  const { response, snap } = await snapshotAfterLoad('leaky');
  const joins = 3 * 2 * 2 + 1;
  assert.equal(response.listeners.presence_service.heartbeat, joins);

  const handlerClosures = snap.closuresAt(`leaky/${HANDLER}`, HANDLER_LINE);
  const serviceClosures = snap.closuresAt(`leaky/${SERVICE}`, SERVICE_LINE);
  assert.equal(handlerClosures.length, joins);
  assert.equal(serviceClosures.length, joins);

  for (const c of handlerClosures) {
    const scopes = snap.capturedScopes(c.index).map((s) => s.map((v) => v.name).sort());
    assert.deepEqual(scopes, [['currentBoard'], ['presenceService', 'socket']]);
  }
  for (const c of serviceClosures) {
    assert.equal(c.name, 'heartbeatHandler');
    const [inner] = snap.capturedScopes(c.index);
    assert.deepEqual(inner.map((v) => v.name).sort(), ['key', 'this']);
    assert.equal(inner.find((v) => v.name === 'this').target.name, 'PresenceService');
  }

  // Retainers: PresenceService._events.heartbeat holds exactly the :32 closures,
  // and the sockets' _events.heartbeat hold the :57 closures.
  const services = snap.objectsNamed('PresenceService');
  assert.equal(services.length, 1);
  const onService = snap.eventListeners(services[0].index, 'heartbeat').map((n) => n.id).sort();
  assert.deepEqual(onService, handlerClosures.map((n) => n.id).sort());
  const sockets = snap.objectsNamed('Socket').filter((s) => snap.edge(s.index, 'nsp'));
  assert.equal(sockets.length, 3 * 2 + 1, 'every socket of the run is still in the heap');
  const onSockets = sockets.flatMap((s) => snap.eventListeners(s.index, 'heartbeat')).map((n) => n.id).sort();
  assert.deepEqual(onSockets, serviceClosures.map((n) => n.id).sort());
});

test('fixed snapshot: only the live connection has closures at those lines', async () => {
  const { response, snap } = await snapshotAfterLoad('fixed');
  assert.equal(response.listeners.presence_service.heartbeat, 1);
  const handlerClosures = snap.closuresAt(`fixed/${HANDLER}`, HANDLER_LINE);
  const serviceClosures = snap.closuresAt(`fixed/${SERVICE}`, SERVICE_LINE);
  assert.equal(handlerClosures.length, 1);
  assert.equal(serviceClosures.length, 1);
  const services = snap.objectsNamed('PresenceService');
  assert.equal(services.length, 1);
  assert.deepEqual(snap.eventListeners(services[0].index, 'heartbeat').map((n) => n.id), handlerClosures.map((n) => n.id));
  const sockets = snap.objectsNamed('Socket').filter((s) => snap.edge(s.index, 'nsp'));
  assert.equal(sockets.length, 1, 'disconnected sockets were collected');
});
