'use strict';
// Programs that must produce no listener finding (docs/rules.md, "precision").
// Usage: node --expose-gc negative.js OUT_DIR   (writes s0, s1, s2 .heapsnapshot)
//  - churn: 500 listeners added and removed correctly before every snapshot;
//  - long-lived: 3 process listeners, 5 emitters with 2 listeners each, registered once;
//  - an unbounded Map of plain objects (no listener) that grows by 300 entries per phase:
//    a collection-growth finding, never a listener finding (line 33);
//  - a bounded cache of callbacks (at most 50 closures), churned every phase.
const path = require('node:path');
const v8 = require('node:v8');
const { EventEmitter } = require('node:events');

process.on('exit', function onExit() {});
process.on('SIGUSR2', function onUsr2() {});
process.on('warning', function onWarning() {});

const pool = [];
for (let i = 0; i < 5; i++) {
  const e = new EventEmitter();
  e.on('data', function onData() {});
  e.on('end', function onEnd() {});
  pool.push(e);
}

const bus = new EventEmitter();
const sessions = new Map();
const cache = [];
let seq = 0;

function phase() {
  for (let i = 0; i < 300; i++) {
    const id = `s${seq++}`;
    sessions.set(id, { id, at: seq });
  }
  for (let i = 0; i < 500; i++) {
    const handler = () => i;
    bus.on('message', handler);
    bus.emit('message');
    bus.off('message', handler);
  }
  for (let i = 0; i < 200; i++) {
    cache.push(() => i);
    if (cache.length > 50) cache.shift();
  }
}

globalThis.keep = { pool, bus, sessions, cache };
for (let s = 0; s < 3; s++) {
  phase();
  global.gc();
  v8.writeHeapSnapshot(path.join(process.argv[2], `s${s}.heapsnapshot`));
}
