'use strict';
// Proof that the reference behaves: same load on both variants, exact
// listener counts after every cycle, ghost cursors, stale heartbeats, logs.

const test = require('node:test');
const assert = require('node:assert/strict');
const { runLoad, expectations } = require('../driver/driver');
const { startServer, listenerGauges, connectClient, waitFor, pick } = require('../support/test-helpers');

const LOAD = { users: 4, concurrency: 4, switches: 2, boards: 4, heartbeats: 2, cursorMoves: 3, selections: 1 };
const CYCLES = 10;
const EXPECT = expectations(LOAD); // 12 joins per cycle, 36 ghost cursor events per cycle (leaky)

async function runCycles(variant) {
  const server = await startServer(variant);
  try {
    const before = await server.gc();
    const perCycle = [];
    await runLoad({
      ...LOAD, url: server.url, cycles: CYCLES,
      onCycle: async (cycle, samples) => {
        perCycle.push({
          listeners: listenerGauges(samples),
          ghosts: pick(samples, 'presence_ghost_cursor_events_total'),
          connections: pick(samples, 'presence_connections_total'),
          disconnects: pick(samples, 'presence_disconnects_total'),
          active: pick(samples, 'presence_active_connections'),
          trackedUsers: pick(samples, 'presence_tracked_users'),
          removals: Object.fromEntries(samples.filter((s) => s.name === 'presence_listener_removals_total')
            .map((s) => [`${s.labels.emitter}/${s.labels.event}`, s.value])),
        });
      },
    });
    const after = await server.gc();
    return { before, after, perCycle };
  } finally {
    await server.stop();
  }
}

test('expected load constants', () => {
  assert.equal(EXPECT.joinsPerCycle, 12);
  assert.equal(EXPECT.leakyListenersPerCycle, 12);
  assert.equal(EXPECT.leakyGhostCursorsPerCycle, 36); // 4 users x 3 moves x (0 + 1 + 2) older boards
});

test('leaky: listeners grow by exactly users x (switches + 1) per cycle, ghosts occur, heap grows', async () => {
  const { before, after, perCycle } = await runCycles('leaky');
  assert.equal(perCycle.length, CYCLES);
  perCycle.forEach((s, i) => {
    const c = i + 1;
    const n = c * EXPECT.leakyListenersPerCycle;
    assert.deepEqual(s.listeners, {
      'presence_service/heartbeat': n, 'sockets/heartbeat': n,
      'presence_service/cursor-move': 0, 'sockets/cursor-move': n,
      'presence_service/selection-change': 0, 'sockets/selection-change': n,
    }, `cycle ${c}`);
    assert.equal(s.ghosts, c * EXPECT.leakyGhostCursorsPerCycle, `ghosts after cycle ${c}`);
    assert.equal(s.connections, c * LOAD.users);
    assert.equal(s.disconnects, c * LOAD.users);
    assert.equal(s.active, 0);
    assert.equal(s.trackedUsers, 0, 'removeUser did empty the map: the leak is the listeners');
    for (const [k, v] of Object.entries(s.removals)) assert.equal(v, 0, `leaky never removes ${k}`);
  });
  assert.equal(after.listeners.presence_service.heartbeat, CYCLES * 12);
  const grown = after.memory.heapUsed - before.memory.heapUsed;
  assert.ok(grown > 200 * 1024, `leaky heap grew by only ${grown} bytes over ${CYCLES * LOAD.users} connections`);
});

test('fixed: listener counts return to baseline (0) after every cycle, no ghost, every listener removed', async () => {
  const { perCycle } = await runCycles('fixed');
  assert.equal(perCycle.length, CYCLES);
  perCycle.forEach((s, i) => {
    const c = i + 1;
    const n = c * EXPECT.joinsPerCycle;
    assert.deepEqual(s.listeners, {
      'presence_service/heartbeat': 0, 'sockets/heartbeat': 0,
      'presence_service/cursor-move': 0, 'sockets/cursor-move': 0,
      'presence_service/selection-change': 0, 'sockets/selection-change': 0,
    }, `cycle ${c}`);
    assert.equal(s.ghosts, 0, `ghosts after cycle ${c}`);
    assert.equal(s.connections, c * LOAD.users);
    assert.equal(s.disconnects, c * LOAD.users);
    assert.equal(s.active, 0);
    assert.equal(s.trackedUsers, 0);
    assert.deepEqual(s.removals, {
      'presence_service/heartbeat': n, 'sockets/heartbeat': n, 'sockets/cursor-move': n, 'sockets/selection-change': n,
    }, `removals after cycle ${c}`);
  });
});

// One mover switching from board-A to board-B while an observer stays on board-A.
async function ghostScenario(variant) {
  const server = await startServer(variant);
  const mover = await connectClient(server.url);
  const observerA = await connectClient(server.url);
  const observerB = await connectClient(server.url);
  const seen = { A: [], B: [] };
  observerA.on('cursor', (m) => seen.A.push(m));
  observerB.on('cursor', (m) => seen.B.push(m));
  const steps = {};
  try {
    await observerA.timeout(5000).emitWithAck('join-board', { boardId: 'board-A', userId: 'obs-a', name: 'A' });
    await observerB.timeout(5000).emitWithAck('join-board', { boardId: 'board-B', userId: 'obs-b', name: 'B' });
    const base = listenerGauges(await server.metrics());
    const delta = async () => {
      const now = listenerGauges(await server.metrics());
      return Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - base[k]]));
    };
    const moverId = mover.id; // socket.io v4: client and server socket share the id
    await mover.timeout(5000).emitWithAck('join-board', { boardId: 'board-A', userId: 'mover', name: 'M' });
    steps.joined = await delta();
    await mover.timeout(5000).emitWithAck('join-board', { boardId: 'board-B', userId: 'mover', name: 'M' });
    steps.switched = await delta();
    mover.emit('cursor-move', { x: 1, y: 2 });
    await mover.timeout(5000).emitWithAck('sync');
    // Per-connection ordering: once the observers' own sync is acked, any
    // cursor broadcast queued for them earlier has been delivered.
    await observerA.timeout(5000).emitWithAck('sync');
    await observerB.timeout(5000).emitWithAck('sync');
    steps.ghosts = await server.value('presence_ghost_cursor_events_total');
    await mover.timeout(5000).emitWithAck('leave-board', {});
    steps.left = await delta();
    mover.disconnect();
    await waitFor('disconnect handled', async () => (await server.value('presence_active_connections')) === 2);
    steps.disconnected = await delta();
    steps.seenA = seen.A.filter((m) => m.socketId === moverId).length;
    steps.seenB = seen.B.filter((m) => m.socketId === moverId).length;
    return steps;
  } finally {
    mover.disconnect();
    observerA.disconnect();
    observerB.disconnect();
    await server.stop();
  }
}

const per = (n) => ({
  'presence_service/heartbeat': n, 'sockets/heartbeat': n,
  'presence_service/cursor-move': 0, 'sockets/cursor-move': n,
  'presence_service/selection-change': 0, 'sockets/selection-change': n,
});

test('leaky: a board switch leaves the old closures sending cursor moves to the old board (ghost cursor)', async () => {
  const s = await ghostScenario('leaky');
  assert.deepEqual(s.joined, per(1));
  assert.deepEqual(s.switched, per(2));
  assert.equal(s.ghosts, 1);
  assert.equal(s.seenA, 1, 'observer on the old board sees the ghost cursor');
  assert.equal(s.seenB, 1);
  assert.deepEqual(s.left, per(2));
  assert.deepEqual(s.disconnected, per(2));
});

test('fixed: a board switch moves every listener, cursor only reaches the current board', async () => {
  const s = await ghostScenario('fixed');
  assert.deepEqual(s.joined, per(1));
  assert.deepEqual(s.switched, per(1));
  assert.equal(s.ghosts, 0);
  assert.equal(s.seenA, 0, 'no ghost cursor on the old board');
  assert.equal(s.seenB, 1);
  assert.deepEqual(s.left, per(0));
  assert.deepEqual(s.disconnected, per(0));
});

async function heartbeatScenario(variant) {
  const server = await startServer(variant, { logLevel: 'info', heartbeatMs: 50 });
  try {
    const client = await connectClient(server.url);
    const id = client.id;
    await client.timeout(5000).emitWithAck('join-board', { boardId: 'board-1', userId: 'u1', name: 'U1' });
    await client.timeout(5000).emitWithAck('leave-board', {});
    client.disconnect();
    await waitFor('disconnect handled', async () => (await server.value('presence_active_connections')) === 0);
    const s1 = await server.metrics();
    const t1 = pick(s1, 'presence_heartbeat_ticks');
    await waitFor('3 more heartbeat ticks', async () => (await server.value('presence_heartbeat_ticks')) >= t1 + 3);
    const s2 = await server.metrics();
    const log = server.stdout;
    const afterDisconnect = log.slice(log.indexOf(`User disconnected socket=${id}`));
    return {
      id, log, afterDisconnect,
      ticks: pick(s2, 'presence_heartbeat_ticks') - t1,
      stale: pick(s2, 'presence_stale_heartbeats_total') - pick(s1, 'presence_stale_heartbeats_total'),
      listeners: pick(s2, 'presence_listeners', { emitter: 'presence_service', event: 'heartbeat' }),
    };
  } finally {
    await server.stop();
  }
}

test('leaky: heartbeats keep arriving for a disconnected socket, with the incident log lines', async () => {
  const r = await heartbeatScenario('leaky');
  assert.ok(r.log.includes(`[PRESENCE] Added heartbeat listener socket=${r.id}`));
  assert.ok(r.log.includes('[PRESENCE] User removed from tracking'));
  assert.ok(!r.log.includes('Removed heartbeat listener'));
  assert.ok(r.afterDisconnect.includes(`[PRESENCE] Heartbeat received socket=${r.id}`));
  assert.equal(r.listeners, 1);
  assert.ok(r.ticks >= 3);
  assert.equal(r.stale, r.ticks * r.listeners, 'every tick runs the stale closure once');
});

test('fixed: heartbeats stop for disconnected sockets', async () => {
  const r = await heartbeatScenario('fixed');
  assert.ok(r.log.includes(`[PRESENCE] Removed heartbeat listener socket=${r.id}`));
  assert.ok(!r.afterDisconnect.includes(`Heartbeat received socket=${r.id}`));
  assert.equal(r.listeners, 0);
  assert.ok(r.ticks >= 3);
  assert.equal(r.stale, 0);
});
