'use strict';
// Leak: an order book where each trading session subscribes with addListener() (the alias of
// on()) and the session ends without removeListener(). Listener marked `site`; 6 per cycle.
const { EventEmitter } = require('node:events');
const { series, deltas } = require('./harness');

class OrderBook extends EventEmitter {}
const book = new OrderBook();
book.setMaxListeners(0);

class Session {
  constructor(id) {
    this.id = id;
    this.fills = [];
    book.addListener('fill', (fill) => { // site
      if (fill.session === this.id) this.fills.push(fill);
    });
  }
}

series({
  cycle(n) {
    for (let i = 0; i < 6; i++) new Session(`${n}.${i}`);
    book.emit('fill', { session: `${n}.0`, qty: 1 });
  },
  facts: () => ({ listeners: book.listenerCount('fill') }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [24, 24]);
  },
});
