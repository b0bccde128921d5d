'use strict';
// Leak (eventemitter2 6.4.9, wildcard mode): an order tracker. Every order placed subscribes
// to 'order.*' on the shared bus to collect its own status updates; when the order is
// delivered the tracker marks it done and forgets bus.off(). With `wildcard: true`
// eventemitter2 stores listeners in its listenerTree (order -> '*' -> _listeners), not in
// _events. Handler marked `site`; 5 orders placed and delivered per cycle.
const { EventEmitter2 } = require('eventemitter2');
const { series, deltas } = require('./harness');

const bus = new EventEmitter2({ wildcard: true, delimiter: '.', maxListeners: 0 });
const probe = { done: 0, open: 0 };
let nextId = 0;

function trackOrder(items) {
  const order = { id: ++nextId, items, history: [], done: false };
  bus.on('order.*', function onUpdate(update) { // site
    if (update.probe) { if (order.done) probe.done += 1; else probe.open += 1; return; }
    if (update.id !== order.id) return;
    order.history.push(this.event);
    if (this.event === 'order.delivered') order.done = true; // forgets bus.off('order.*', onUpdate)
  });
  return order;
}

series({
  cycle(n) {
    const orders = [];
    for (let i = 0; i < 5; i++) orders.push(trackOrder(new Array(8).fill(`sku-${n}.${i}`)));
    for (const status of ['placed', 'shipped', 'delivered']) {
      for (const o of orders) bus.emit(`order.${status}`, { id: o.id });
    }
  },
  facts() {
    probe.done = 0; probe.open = 0;
    bus.emit('order.probe', { probe: true });
    return { listeners: bus.listenerCount('order.*'), done: probe.done, open: probe.open };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.open, 0);
      assert.equal(x.done, x.listeners); // every listener belongs to a delivered order
    }
  },
});
