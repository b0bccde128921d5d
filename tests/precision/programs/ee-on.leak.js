'use strict';
// Leak: a price feed service; every watch() registers a 'price' listener with on() and the
// caller drops the watch without removing it. The listener (marked `site`) captures the watch state,
// which nothing else reaches. 5 watches per cycle.
const { EventEmitter } = require('node:events');
const { series, deltas } = require('./harness');

class PriceFeed extends EventEmitter {}
const feed = new PriceFeed();
feed.setMaxListeners(0);

function watch(symbol, limit) {
  const state = { symbol, limit, hits: [] };
  feed.on('price', (quote) => { // site
    if (quote.symbol === state.symbol && quote.value > state.limit) state.hits.push(quote);
  });
  return state;
}

series({
  cycle(n) {
    for (let i = 0; i < 5; i++) watch(`SYM${n}-${i}`, 100);
    feed.emit('price', { symbol: 'SYM0-0', value: 101 });
  },
  facts: () => ({ listeners: feed.listenerCount('price') }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
  },
});
