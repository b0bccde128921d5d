'use strict';
// Healthy twin of eventemitter2-wildcard.leak.js (eventemitter2 6.4.9, wildcard mode): the
// same order tracker, but the 'order.*' listener is removed when its order is delivered. Per
// cycle 5 orders are placed and stay open (shipped, not yet delivered), 3 more are delivered:
// the listeners grow exactly with the open orders.
const { EventEmitter2 } = require('eventemitter2');
const { series, deltas } = require('./harness');

const bus = new EventEmitter2({ wildcard: true, delimiter: '.', maxListeners: 0 });
const probe = { done: 0, open: 0 };
const openOrders = new Map(); // id -> order
let nextId = 0;

function trackOrder(items) {
  const order = { id: ++nextId, items, history: [], done: false };
  bus.on('order.*', function onUpdate(update) {
    if (update.probe) { if (order.done) probe.done += 1; else probe.open += 1; return; }
    if (update.id !== order.id) return;
    order.history.push(this.event);
    if (this.event === 'order.delivered') {
      order.done = true;
      openOrders.delete(order.id);
      bus.off('order.*', onUpdate);
    }
  });
  openOrders.set(order.id, order);
  return order;
}

series({
  cycle(n) {
    const open = [];
    const delivered = [];
    for (let i = 0; i < 5; i++) open.push(trackOrder(new Array(8).fill(`sku-${n}.${i}`)));
    for (let i = 0; i < 3; i++) delivered.push(trackOrder(new Array(8).fill(`sku-${n}.d${i}`)));
    for (const o of [...open, ...delivered]) bus.emit('order.placed', { id: o.id });
    for (const o of [...open, ...delivered]) bus.emit('order.shipped', { id: o.id });
    for (const o of delivered) bus.emit('order.delivered', { id: o.id });
  },
  facts() {
    probe.done = 0; probe.open = 0;
    bus.emit('order.probe', { probe: true });
    return { listeners: bus.listenerCount('order.*'), done: probe.done, open: probe.open,
      orders: openOrders.size };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]); // grows, with the open orders
    for (const x of f) {
      assert.equal(x.done, 0);
      assert.equal(x.open, x.listeners);
      assert.equal(x.orders, x.listeners);
    }
  },
});
