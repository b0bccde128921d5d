'use strict';
// Leak (BroadcastChannel): a render service memoizes each request's result and subscribes to
// the process-wide 'cache-invalidate' BroadcastChannel so the memo is marked stale when another
// part of the service changes the data; the request finishes and never removes the 'message'
// listener. The channel collects one listener per request. Handler marked `site`; 5 requests per
// cycle, one invalidation per cycle from a second channel of the same name.
const { getEventListeners, setMaxListeners } = require('node:events');
const { series, until, tick, deltas } = require('./harness');

const invalidations = new BroadcastChannel('cache-invalidate');
setMaxListeners(0, invalidations);
const publisher = new BroadcastChannel('cache-invalidate'); // the writers' side
const probe = { finished: 0, running: 0, seen: 0 };

async function render(page) {
  const memo = { key: page, html: `<main>${page}</main>`.repeat(8), stale: false, finished: false };
  invalidations.addEventListener('message', (ev) => { // site
    if (ev.data.probe) { probe.seen += 1; if (memo.finished) probe.finished += 1; else probe.running += 1; return; }
    if (ev.data.key === memo.key) memo.stale = true;
  });
  await tick();
  memo.finished = true; // forgets invalidations.removeEventListener('message', …)
  return memo.html.length;
}

series({
  async cycle(n) {
    for (let i = 0; i < 5; i++) await render(`/page/${n}/${i}`);
    publisher.postMessage({ key: `/page/${n}/0` });
  },
  async facts() {
    const listeners = getEventListeners(invalidations, 'message').length;
    probe.finished = 0; probe.running = 0; probe.seen = 0;
    publisher.postMessage({ probe: true });
    await until(() => probe.seen === listeners, 'the probe message');
    return { listeners, finished: probe.finished, running: probe.running };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.running, 0);
      assert.equal(x.finished, x.listeners); // every listener belongs to a finished request
    }
  },
});
