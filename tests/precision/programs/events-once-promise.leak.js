'use strict';
// Leak: an HTTP-style handler that, when the cache is cold, awaits events.once(cache, 'warm').
// The cache warm-up failed and 'warm' is never emitted, so every waiting request stays
// suspended, held by once()'s listener on the cache. The listener is Node's own; the site a
// reader can fix is the awaiting async function (marked `site`). 5 requests per cycle.
const { EventEmitter, once } = require('node:events');
const { series, tick, deltas } = require('./harness');

class Cache extends EventEmitter {}
const cache = new Cache();
cache.setMaxListeners(0);
cache.ready = false;

async function handleRequest(req) { // site
  if (!cache.ready) await once(cache, 'warm');
  req.body = `page ${req.path}`;
}

series({
  async cycle(n) {
    for (let i = 0; i < 5; i++) {
      handleRequest({ path: `/p/${n}/${i}`, headers: new Array(16).fill(n), body: null });
    }
    await tick();
  },
  facts: () => ({ listeners: cache.listenerCount('warm') }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
  },
});
