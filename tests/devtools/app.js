// A small Node program whose heap has the shapes heapscope must get exactly right: closures
// capturing context, EventEmitters with one and many listeners (and once() wrappers), Maps,
// Sets, WeakMaps and WeakSets (ephemerons), WeakRefs and FinalizationRegistry, typed arrays,
// arrays with holes, a class hierarchy, bound functions, promises, and a cycle unreachable
// from JS. Writes one heap snapshot.
//
//   node tests/devtools/app.js OUT.heapsnapshot [VARIANT]
//
// VARIANT "basic" (default) or "listeners" (an incident-like listener leak: a presence service
// adding a heartbeat listener per socket and never removing it).
'use strict';
const {EventEmitter} = require('events');
const v8 = require('v8');

const [out, variant = 'basic'] = process.argv.slice(2);

class Shape {
  constructor(id) {
    this.id = id;
    this.tags = ['shape', String(id)];
  }
  area() { return 0; }
}
class Rect extends Shape {
  constructor(id, w, h) {
    super(id);
    this.w = w;
    this.h = h;
  }
  area() { return this.w * this.h; }
}
class Square extends Rect {
  constructor(id, s) {
    super(id, s, s);
    this.buffer = new Float64Array(16);
  }
}

function makeCounter(start) {
  let count = start;
  const history = [];
  return {
    inc() { history.push(count); return ++count; },
    get() { return count; },
  };
}

global.shapes = [];
for (let i = 0; i < 40; i++) shapes.push(i % 3 === 0 ? new Square(i, i) : i % 3 === 1 ? new Rect(i, i, 2) : new Shape(i));
global.counters = Array.from({length: 25}, (_, i) => makeCounter(i));
global.sparse = [];
sparse[3] = {hole: true};
sparse[1000] = 'far';

global.registry = new Map();
global.seen = new Set();
for (let i = 0; i < 60; i++) {
  registry.set(`key${i}`, {value: i, payload: new Array(i).fill(i)});
  seen.add({s: i});
}

const cache = new WeakMap();
const marks = new WeakSet();
global.weakKeys = [];
for (let i = 0; i < 30; i++) {
  const key = {key: i};
  weakKeys.push(key);
  cache.set(key, {cached: new Array(20).fill(i)});
  marks.add(key);
}
// Entries whose keys are only held by another WeakMap value: chains of ephemerons.
const chain = new WeakMap();
let k = {root: true};
global.chainHead = k;
for (let i = 0; i < 10; i++) {
  const next = {link: i};
  chain.set(k, next);
  k = next;
}
global.cache = cache;
global.chain = chain;
global.marks = marks;
global.refs = weakKeys.slice(0, 5).map(o => new WeakRef(o));
global.finalizer = new FinalizationRegistry(() => {});
for (const o of weakKeys.slice(5, 10)) finalizer.register(o, o.key);

const emitter = new EventEmitter();
emitter.setMaxListeners(0);
emitter.on('single', () => 'one');
emitter.once('onceOnly', function onceHandler() { return emitter; });
for (let i = 0; i < 15; i++) {
  const captured = {n: i, data: new Array(50).fill(i)};
  emitter.on('many', () => captured.n);
}
global.emitter = emitter;
global.bound = Shape.prototype.area.bind(shapes[0], 1, 2);
global.pending = new Promise(() => {});
global.resolved = Promise.resolve({done: true});
global.buffer = Buffer.alloc(4096, 1);
global.text = 'x'.repeat(1000) + Math.random();
global.cons = global.text + '-suffix';

// A cycle nothing reaches (garbage the snapshot may still show if no GC ran in between).
(function() {
  const a = {};
  const b = {a};
  a.b = b;
})();

if (variant === 'listeners') {
  class Socket extends EventEmitter {
    constructor(id) {
      super();
      this.id = id;
      this.rooms = new Set(['lobby']);
    }
  }
  class PresenceService {
    constructor(bus) {
      this.bus = bus;
      this.sockets = new Map();
    }
    join(socket) {
      this.sockets.set(socket.id, socket);
      const state = {socketId: socket.id, lastSeen: Date.now(), payload: new Array(64).fill(socket.id)};
      // The leak: one heartbeat listener per join, never removed on leave.
      this.bus.on('heartbeat', () => { state.lastSeen = Date.now(); });
    }
    leave(socket) { this.sockets.delete(socket.id); }
  }
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  global.presence = new PresenceService(bus);
  for (let i = 0; i < 400; i++) {
    const s = new Socket(i);
    presence.join(s);
    if (i % 2 === 0) presence.leave(s);
  }
}

v8.writeHeapSnapshot(out);
