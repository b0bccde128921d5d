'use strict';
// Leak (node:http): every request subscribes to feature-flag changes on the long-lived flags
// emitter, to re-evaluate its response, and never unsubscribes. The requests complete; each
// captured IncomingMessage has complete === true and stays reachable only through the flags'
// listeners. Listener marked `site`; 5 requests per cycle.
const http = require('node:http');
const { EventEmitter } = require('node:events');
const { series, deltas, httpGet } = require('./harness');

const flags = new EventEmitter();
flags.setMaxListeners(0);
flags.values = { newCheckout: false };
const probe = { complete: 0, pending: 0 };

const server = http.createServer((req, res) => {
  const view = { path: req.url, checkout: flags.values.newCheckout ? 'new' : 'old' };
  flags.on('change', (values) => { // site
    if (req.complete) probe.complete += 1; else probe.pending += 1;
    view.checkout = values.newCheckout ? 'new' : 'old';
  });
  req.resume();
  req.on('end', () => res.end(JSON.stringify(view)));
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) await httpGet(server.address().port, `/cart/${n}/${i}`);
  },
  facts() {
    probe.complete = 0; probe.pending = 0;
    flags.emit('change', flags.values);
    return { listeners: flags.listenerCount('change'), ...probe };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.pending, 0);
      assert.equal(x.complete, x.listeners); // every captured request is complete
    }
  },
});
