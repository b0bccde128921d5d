'use strict';
// The three-snapshot series every precision program writes: run the workload in cycles, force
// GC, log the program's own facts (counts read from the process, not from heapscope), write
// baseline/target/final.heapsnapshot into OUT_DIR, then assert the facts.
// Usage of a program: node --expose-gc PROGRAM OUT_DIR
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');
const assert = require('node:assert/strict');

const NAMES = ['baseline', 'target', 'final'];

function collect() {
  for (let i = 0; i < 3; i++) global.gc();
}

function tick() {
  return new Promise((resolve) => setImmediate(resolve));
}

// Waits until cond() holds, polling on the event loop; fails after `rounds` turns (at least
// 30 s: loopback traffic on a loaded machine is slow, never absent).
async function until(cond, what, rounds = 6000) {
  for (let i = 0; i < rounds; i++) {
    if (cond()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// phases[s]: cycles run before snapshot s. cycle(n) runs cycle number n. facts() reads counts
// after GC (it runs synchronously before the snapshot, so FinalizationRegistry callbacks of
// objects the GC just freed have not run yet). check(facts, assert) asserts on the 3 facts.
async function series({ phases = [4, 4, 4], cycle, facts, check, teardown }) {
  const out = process.argv[2];
  if (!out || typeof global.gc !== 'function') {
    console.error('usage: node --expose-gc PROGRAM OUT_DIR');
    process.exit(2);
  }
  fs.mkdirSync(out, { recursive: true });
  const seen = [];
  let n = 0;
  try {
    for (let s = 0; s < NAMES.length; s++) {
      for (let i = 0; i < phases[s]; i++) await cycle(n++);
      await tick();
      collect();
      const f = await facts();
      seen.push(f);
      console.log(`FACT ${NAMES[s]} ${JSON.stringify(f)}`);
      collect();
      v8.writeHeapSnapshot(path.join(out, `${NAMES[s]}.heapsnapshot`));
    }
    check(seen, assert);
    console.log('CHECK ok');
    if (teardown) await teardown();
  } catch (err) {
    console.error(`CHECK failed: ${err.stack || err}`);
    process.exit(1);
  }
  process.exit(0);
}

// Growth per interval of one fact, e.g. deltas(f, 'listeners') -> [20, 20].
function deltas(facts, key) {
  return facts.slice(1).map((f, i) => f[key] - facts[i][key]);
}

module.exports = { series, until, tick, deltas, ...require('./loopback') };
