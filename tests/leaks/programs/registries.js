'use strict';
// Listener stores kept outside `_events`: emittery 1.2.1 (module-level WeakMaps keyed by the
// emitter: Map event -> Set of functions, and a Set for onAny()) and eventemitter2 6.4.9
// (`_events`, the wildcard `listenerTree`, `_all` for onAny()). Versions pinned in
// tests/leaks/package.json.
// Usage: node --expose-gc registries.js OUT_DIR
//          writes OUT_DIR/registries.heapsnapshot (every layout once)
//        node --expose-gc registries.js OUT_DIR emittery|eventemitter2 leak|healthy
//          writes OUT_DIR/s0, s1, s2 .heapsnapshot: 6 orders per phase subscribe; `leak` never
//          removes them, `healthy` removes each when it is delivered (3 of 6 per phase; the 3
//          open orders stay in `open`, so the listeners grow with live owners only)
// Line numbers below are test oracles (tests/leaks/shapes_test.cc, detect_test.cc): keep them.
const path = require('node:path');
const v8 = require('node:v8');
const { EventEmitter2 } = require('eventemitter2');

class Client {}
class OrderBus extends EventEmitter2 {}

async function layouts(out) {
  const { default: Emittery } = await import('emittery');
  class Room extends Emittery {}
  const room = new Room();
  for (let i = 0; i < 3; i++) {
    const client = new Client();
    room.on('message', () => client); // line 26: eventsMap(room) 'message' -> Set of 3
  }
  room.on(['join', 'leave'], function onPresence() {}); // line 28: one function, two Sets
  room.onAny(function onAnyRoom() {}); // line 29: anyMap(room): every event
  const plain = new Emittery();
  plain.on('tick', function onTick() {}); // line 31: the class itself names the emitter

  const orders = new OrderBus({ wildcard: true });
  for (let i = 0; i < 4; i++) {
    const client = new Client();
    orders.on('order.*.created', () => client); // line 36: listenerTree.order.*.created
  }
  orders.on('order.placed', function onPlaced() {}); // line 38: one function, no Array
  orders.once('order.done', function onDone() {}); // line 39: wrapper `listener` ._origin
  orders.on('shutdown', function onShutdown() {}); // line 40: one segment
  orders.onAny(function onAnyOrder() {}); // line 41: _all
  const flat = new EventEmitter2();
  for (let i = 0; i < 2; i++) {
    const client = new Client();
    flat.on('data', () => client); // line 45: _events.data, Array of 2
  }
  const slashed = new EventEmitter2({ wildcard: true, delimiter: '/' });
  slashed.on('jobs/+/done', function onJobDone() {}); // line 48: delimiter '/'

  globalThis.keep = { room, plain, orders, flat, slashed };
  global.gc();
  v8.writeHeapSnapshot(path.join(out, 'registries.heapsnapshot'));
}

// One order tracker per library: subscribe(order, fn) returns the removal.
async function tracker(library) {
  if (library === 'emittery') {
    const { default: Emittery } = await import('emittery');
    const bus = new Emittery();
    return {
      subscribe(order) {
        return bus.on('status', (s) => { // line 62
          if (s.id === order.id) order.history.push(s.status);
        });
      },
    };
  }
  const bus = new EventEmitter2({ wildcard: true, maxListeners: 0 });
  return {
    subscribe(order) {
      const onUpdate = function onUpdate(s) { // line 71
        if (s.id === order.id) order.history.push(this.event);
      };
      bus.on('order.*.status', onUpdate);
      return () => bus.off('order.*.status', onUpdate);
    },
  };
}

async function series(out, library, mode) {
  const t = await tracker(library);
  const open = new Map(); // id -> order: the orders still being delivered
  globalThis.keep = { t, open };
  let next = 0;
  for (let phase = 0; phase < 3; phase++) {
    for (let i = 0; i < 6; i++) {
      const order = { id: ++next, history: [], items: new Array(32).fill(next) };
      const unsubscribe = t.subscribe(order);
      if (i < 3) {
        order.unsubscribe = unsubscribe;
        open.set(order.id, order);
      } else if (mode === 'healthy') {
        unsubscribe(); // delivered
      }
    }
    // emittery announces each on()/off() to its meta-event listeners in a microtask that
    // holds the listener: let them run before the snapshot.
    await new Promise((resolve) => setImmediate(resolve));
    global.gc();
    v8.writeHeapSnapshot(path.join(out, `s${phase}.heapsnapshot`));
  }
}

const [out, library, mode] = process.argv.slice(2);
(library ? series(out, library, mode) : layouts(out)).catch((e) => {
  console.error(e);
  process.exit(1);
});
