'use strict';
// Healthy: a connection registry held weakly (a Set of WeakRefs, cleaned by a
// FinalizationRegistry) so a metrics gauge can count live connections. Cleanup lags the GC:
// the connections that died since the last collection are dead at the snapshot, but their
// WeakRefs are still in the Set. Per cycle 10 connections open and close (the Set gains 10
// WeakRefs whose targets are gone) while the 25 live connections stay the same: the Set
// holds 25 live + 10*cycles dead-target entries at each snapshot, and its live part is flat.
const { series } = require('./harness');

const refs = new Set();
const cleanup = new FinalizationRegistry((ref) => refs.delete(ref));
function track(conn) {
  const ref = new WeakRef(conn);
  refs.add(ref);
  cleanup.register(conn, ref);
}

let nextId = 0;
function open() {
  const conn = { id: nextId++, buffer: new Array(32).fill(0), open: true };
  track(conn);
  return conn;
}

const pool = Array.from({ length: 25 }, open); // the live connections
function liveCount() {
  let live = 0;
  for (const ref of refs) if (ref.deref() !== undefined) live += 1;
  return live;
}

series({
  phases: [2, 5, 8],
  cycle() {
    for (let i = 0; i < 10; i++) open().open = false; // closed and dropped at once
  },
  facts: () => ({ entries: refs.size, live: liveCount(), pool: pool.length }),
  check(f, assert) {
    assert.deepEqual(f.map((x) => x.live), [25, 25, 25]);
    // The dead-target entries are there and grow (cleanup has not run for them yet).
    assert.ok(f[0].entries > 25 && f[1].entries > f[0].entries && f[2].entries > f[1].entries,
      `entries ${f.map((x) => x.entries)}`);
  },
});
