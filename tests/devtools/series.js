'use strict';
// A Node program that writes a series of heap snapshots of one process for heapscope's
// Comparison tests (tests/devtools/run_comparison.mjs, group "series"). Between two snapshots,
// step() allocates objects of many kinds (plain objects of a few shapes, a dictionary-mode
// object, instances of two classes that share a name but not a script, Maps, closures, arrays,
// duplicated strings) and frees part of what the previous step made.
//
//   node --expose-gc tests/devtools/series.js OUT_DIR [COUNT]   (OUT_DIR/series-<i>.heapsnapshot)
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');
const vm = require('node:vm');

const [out, countArg = '3'] = process.argv.slice(2);
fs.mkdirSync(out, {recursive: true});

// Two classes named Session, in two scripts: two location-keyed classes of one name.
const SessionA = vm.runInThisContext('(class Session { constructor(id) { this.id = id; this.user = "u" + id; } })',
                                     {filename: path.join(__dirname, 'series-a.js')});
const SessionB = vm.runInThisContext('(class Session { constructor(id) { this.id = id; this.buf = new Uint8Array(64); } })',
                                     {filename: path.join(__dirname, 'series-b.js')});

class Order {
  constructor(id, items) {
    this.id = id;
    this.items = items;
    this.total = items.reduce((s, x) => s + x.price, 0);
  }
}

const state = {
  orders: [], sessions: new Map(), records: [], points: [], handlers: [], index: {}, strings: [],
};
global.state = state;
let round = 0;

function step() {
  round++;
  for (let i = 0; i < 60; i++) {
    const items = [{sku: `s${i}`, price: i + 0.5}, {sku: `t${i}`, price: i * 2 + 0.25}];
    state.orders.push(new Order(`${round}-${i}`, items));
  }
  for (let i = 0; i < 20; i++) state.sessions.set(`${round}-${i}`, i % 2 ? new SessionA(i) : new SessionB(i));
  for (let i = 0; i < 50; i++) state.records.push({id: `${round}.${i}`, name: 'r' + i, tags: ['x', 'y']});
  for (let i = 0; i < 30; i++) state.points.push({x: i + 0.5, y: round + 0.5});
  for (let i = 0; i < 10; i++) {
    const captured = {round, i, data: new Array(8).fill(round)};
    state.handlers.push(() => captured.i);
  }
  for (let i = 0; i < 40; i++) state.index[`key-${round}-${i}`] = {hits: i + 0.5};
  // The same values made again and again: duplicated strings (not literals, so not internalized).
  for (let i = 0; i < 25; i++) state.strings.push(['content-type', 'application/json'].join(': '));
  for (let i = 0; i < 5; i++) state.strings.push('x'.repeat(200 + (i % 2)) + '!');
  // Free part of the previous rounds.
  if (round > 1) {
    state.orders.splice(0, 30);
    state.records.splice(0, 25);
    state.handlers.splice(0, 5);
    for (const k of [...state.sessions.keys()].slice(0, 10)) state.sessions.delete(k);
    for (const k of Object.keys(state.index).slice(0, 20)) delete state.index[k];
  }
}

const count = Number(countArg);
for (let i = 0; i < count; i++) {
  step();
  if (global.gc) global.gc();
  v8.writeHeapSnapshot(path.join(out, `series-${i}.heapsnapshot`));
}
