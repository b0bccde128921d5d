'use strict';
// Closures from one site growing outside any emitter: interval timers that are never cleared
// (line 13), 20 more before each of three snapshots. Also a callback registry Map that grows.
// Usage: node --expose-gc timers.js OUT_DIR
const path = require('node:path');
const v8 = require('node:v8');

const registry = new Map();
let n = 0;
function poll(resource) {
  const state = { resource, hits: 0 };
  const timer = setInterval(
    () => { state.hits += 1; }, 1e9);
  registry.set(resource, timer);
}

globalThis.keep = { registry };
for (let s = 0; s < 3; s++) {
  for (let i = 0; i < 20; i++) poll(`r${n++}`);
  global.gc();
  v8.writeHeapSnapshot(path.join(process.argv[2], `s${s}.heapsnapshot`));
}
process.exit(0);
