'use strict';
// Connections that register a bound method on a shared bus and are never removed: the method is
// one prototype function allocated at start-up; each registration is its own bound function.
// Usage: node --expose-gc bound.js OUT_DIR   (writes s0, s1, s2 .heapsnapshot; 10 new
// connections before each snapshot)
const path = require('node:path');
const v8 = require('node:v8');
const { EventEmitter } = require('node:events');

const bus = new EventEmitter();
bus.setMaxListeners(0);
class Connection {
  constructor(id) {
    this.id = id;
    bus.addListener('tick', this.onTick.bind(this)); // line 15
  }
  onTick() { // line 17: the site reported
    return this.id;
  }
}
const connections = [];
for (let phase = 0; phase < 3; phase++) {
  for (let i = 0; i < 10; i++) connections.push(new Connection(connections.length));
  global.gc();
  v8.writeHeapSnapshot(path.join(process.argv[2], `s${phase}.heapsnapshot`));
}
