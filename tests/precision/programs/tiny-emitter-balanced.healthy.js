'use strict';
// Healthy twin of tiny-emitter.leak.js (tiny-emitter 2.1.0): each checkout page calls
// off('total', fn) when it is left. Per cycle 10 pages are viewed and left, 5 stay open in
// tabs: handlers grow exactly with the open pages.
const Emitter = require('tiny-emitter');
const { series, deltas } = require('./harness');

const cart = new Emitter();
const tabs = [];

function viewCheckout(user) {
  const page = { user, total: 0, lines: new Array(16).fill(user) };
  const showTotal = (total) => { page.total = total; };
  cart.on('total', showTotal);
  page.leave = () => cart.off('total', showTotal);
  return page;
}

series({
  cycle(n) {
    for (let i = 0; i < 10; i++) viewCheckout(`t${n}.${i}`).leave();
    for (let i = 0; i < 5; i++) tabs.push(viewCheckout(`u${n}.${i}`));
    cart.emit('total', n);
  },
  facts: () => ({ listeners: (cart.e.total || []).length, open: tabs.length }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) assert.equal(x.listeners, x.open);
  },
});
