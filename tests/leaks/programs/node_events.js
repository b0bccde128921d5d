'use strict';
// Node's own listener helpers and registration styles, in one snapshot: events.on() async
// iterators, events.once() promises, the addListener/prependListener aliases, once wrappers
// and per-registration bound methods.
// Usage: node --expose-gc node_events.js OUT_DIR   (writes OUT_DIR/node_events.heapsnapshot)
// Line numbers below are test oracles (tests/leaks/shapes_test.cc): keep them stable.
const path = require('node:path');
const v8 = require('node:v8');
const events = require('node:events');

class Bus extends events.EventEmitter {}
class Connection {
  constructor(bus) {
    this.bus = bus;
    bus.addListener('message', this.onMessage.bind(this)); // line 15: one bound fn per Connection
  }
  onMessage(m) {
    return m;
  }
}

async function main() {
  const bus = new Bus();
  bus.setMaxListeners(100);
  const connections = [];
  for (let i = 0; i < 8; i++) connections.push(new Connection(bus));
  bus.prependListener('message', function first() {}); // line 27: prepended
  bus.prependOnceListener('message', function firstOnce() {}); // line 28
  bus.once('ready', function onReady() {}); // line 29

  const iterators = [];
  for (let i = 0; i < 3; i++) iterators.push(events.on(bus, 'job')); // line 32: on() iterators
  const pending = [];
  for (let i = 0; i < 4; i++) pending.push(events.once(bus, 'drain')); // line 34: once() promises

  const target = new EventTarget();
  target.addEventListener('ping', function onPingOnce() {}, { once: true }); // line 37

  globalThis.keep = { bus, connections, iterators, pending, target };
  global.gc();
  v8.writeHeapSnapshot(path.join(process.argv[2], 'node_events.heapsnapshot'));
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
