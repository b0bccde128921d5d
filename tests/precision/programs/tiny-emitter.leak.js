'use strict';
// Leak (tiny-emitter 2.1.0): a cart service publishes 'total'; every checkout page view
// subscribes with on(name, fn, ctx) and never calls off(). Handler marked `site`; 5 per cycle.
const Emitter = require('tiny-emitter');
const { series, deltas } = require('./harness');

const cart = new Emitter();

function viewCheckout(user) {
  const page = { user, total: 0, lines: new Array(16).fill(user) };
  cart.on('total', function showTotal(total) { // site
    this.total = total;
  }, page);
  return page;
}

series({
  cycle(n) {
    for (let i = 0; i < 5; i++) viewCheckout(`u${n}.${i}`);
    cart.emit('total', n);
  },
  facts: () => ({ listeners: (cart.e.total || []).length }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
  },
});
