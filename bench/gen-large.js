#!/usr/bin/env node
// Generates a large, real V8 heap snapshot for the loader benchmark (bench/bench_load.sh).
//
//   node --max-old-space-size=8192 bench/gen-large.js [--objects N] [--out FILE]
//
// Builds N "sessions" shaped like the presence-server incident: a class instance with string
// and number fields, a small array, a closure that captures the session (listener-like), and
// every 8th session a Map of three entries; then writes the heap with v8.writeHeapSnapshot.
// Default N = 2,000,000: with Node 20.20 that wrote a 1.47 GB file (16.5M nodes, 58.7M edges)
// in about 30 minutes on the shared 2-core machine; 1,000,000 gives roughly half. Prints the
// file name and size.
'use strict';
const v8 = require('v8');
const fs = require('fs');
const path = require('path');

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}
const count = Number(arg('--objects', '2000000'));
const out = arg('--out', path.join(__dirname, 'out', `large-${count}.heapsnapshot`));
if (!Number.isInteger(count) || count <= 0) {
  console.error('gen-large: --objects must be a positive integer');
  process.exit(2);
}

class Session {
  constructor(i) {
    this.id = i;
    this.room = 'room-' + (i % 5000);
    this.user = { name: 'user-' + i, seen: i * 2 };
    this.tags = [i, i + 1, 'presence'];
    this.onMessage = (msg) => this.id + msg.length;  // a listener-like closure
    if (i % 8 === 0) this.cache = new Map([['a', i], ['b', this.user], ['c', this.tags]]);
  }
}

globalThis.sessions = new Array(count);
for (let i = 0; i < count; ++i) globalThis.sessions[i] = new Session(i);

fs.mkdirSync(path.dirname(out), { recursive: true });
const t0 = Date.now();
const file = v8.writeHeapSnapshot(out);
const bytes = fs.statSync(file).size;
console.log(`${file} ${bytes} bytes (${(bytes / 1e9).toFixed(3)} GB), ${count} sessions, ` +
            `written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
