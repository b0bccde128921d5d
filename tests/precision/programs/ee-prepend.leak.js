'use strict';
// Leak: an audit plugin that wants to see every 'request' before the other handlers, so it
// uses prependListener(), once per incoming request, and never removes it. Listener marked
// `site`; 5 per cycle. The application's own handler is wired once and is not a leak.
const { EventEmitter } = require('node:events');
const { series, deltas } = require('./harness');

const app = new EventEmitter();
app.setMaxListeners(0);

function audit(req) {
  app.prependListener('request', (other) => { // site
    if (other.user === req.user) req.seen += 1;
  });
}

const log = [];
app.on('request', (req) => { // wired once at start-up
  if (log.length < 10) log.push(req.path);
});

series({
  cycle(n) {
    for (let i = 0; i < 5; i++) {
      const req = { user: `u${i}`, path: `/orders/${n}`, seen: 0, body: new Array(16).fill(n) };
      audit(req);
      app.emit('request', req);
    }
  },
  facts: () => ({ listeners: app.listenerCount('request') }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
  },
});
