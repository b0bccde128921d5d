'use strict';
// Heap behaviour under the same load on both variants: 1,000 join/leave
// cycles (1,000 connections, each joining a board, switching twice, leaving
// and disconnecting) after a warm-up. heapUsed is read after two full GCs
// (server started with --expose-gc, POST /debug/gc).
//
// Bound for the fixed variant: 2 MiB over the 1,000 cycles, i.e. 2 KiB per
// connection. One leaked connection (3 joins: 12 listeners, their closures and
// the retained Socket.IO socket) costs ~12 KB in the leaky variant (measured:
// +11.9 MB over these 1,000 cycles), so retaining even one connection in six
// would exceed the bound. What the fixed variant does grow by
// (observed 0.1-0.8 MB) is V8 optimised code and internal weak lists, which
// level off. The leaky variant must grow by more than 4x the bound.

const test = require('node:test');
const assert = require('node:assert/strict');
const { runLoad } = require('../driver/driver');
const { startServer, listenerGauges } = require('../support/test-helpers');

const LOAD = { users: 5, concurrency: 5, switches: 2, boards: 4, heartbeats: 1, cursorMoves: 2, selections: 1 };
const WARMUP_CYCLES = 100; // 500 connections: lets JIT/IC state settle
const CYCLES = 200; // 200 x 5 users = 1,000 join/leave cycles
const MiB = 1024 * 1024;
const BOUND = 2 * MiB;

async function measure(variant, { checkEveryCycle }) {
  const server = await startServer(variant);
  try {
    await runLoad({ ...LOAD, url: server.url, cycles: WARMUP_CYCLES });
    const h0 = (await server.gc()).memory.heapUsed;
    const points = [];
    const bad = [];
    const listenerTotals = [];
    await runLoad({
      ...LOAD, url: server.url, cycles: CYCLES, cycleOffset: WARMUP_CYCLES,
      onCycle: async (cycle, samples) => {
        const l = listenerGauges(samples);
        listenerTotals.push(l['presence_service/heartbeat']);
        if (checkEveryCycle && Object.values(l).some((v) => v !== 0)) bad.push({ cycle, l });
        if ((cycle + 1) % 50 === 0) points.push((await server.gc()).memory.heapUsed - h0);
      },
    });
    return { h0, points, bad, listenerTotals };
  } finally {
    await server.stop();
  }
}

test.describe('same load on both variants (run concurrently: separate server processes)', { concurrency: 2 }, () => {
test('fixed: heap flat within 2 MiB over 1,000 join/leave cycles, listeners at baseline after every cycle', async (t) => {
  const r = await measure('fixed', { checkEveryCycle: true });
  t.diagnostic(`fixed heapUsed after warm-up ${r.h0} B; growth at 250/500/750/1000 cycles: ${r.points.join(', ')} B`);
  assert.deepEqual(r.bad, []);
  assert.equal(r.points.length, 4);
  for (const p of r.points) assert.ok(p < BOUND, `fixed heap grew by ${p} B (bound ${BOUND})`);
});

test('leaky: same load, heap grows by far more than the bound and listeners grow linearly', async (t) => {
  const r = await measure('leaky', { checkEveryCycle: false });
  t.diagnostic(`leaky heapUsed after warm-up ${r.h0} B; growth at 250/500/750/1000 cycles: ${r.points.join(', ')} B`);
  const perCycle = LOAD.users * (LOAD.switches + 1); // 15 heartbeat listeners per cycle
  r.listenerTotals.forEach((n, i) => assert.equal(n, (WARMUP_CYCLES + i + 1) * perCycle));
  const final = r.points[r.points.length - 1];
  assert.ok(final > 4 * BOUND, `leaky heap grew by only ${final} B`);
  for (let i = 1; i < r.points.length; i += 1) assert.ok(r.points[i] > r.points[i - 1], 'leaky heap grows monotonically');
});
});
