'use strict';
// Healthy (node:http): every request listens for 'change' on the long-lived flags emitter
// while it is served, and removes the listener on the response's 'finish' (or 'close', when
// the client goes away first). 20 requests per cycle, none in flight at a snapshot: the
// flags emitter has no per-request listener left at any snapshot.
const http = require('node:http');
const { EventEmitter } = require('node:events');
const { series, until, httpGet } = require('./harness');

const flags = new EventEmitter();
flags.setMaxListeners(0);
let served = 0;

const server = http.createServer((req, res) => {
  const view = { path: req.url, theme: 'light' };
  const onChange = (values) => { view.theme = values.theme; };
  flags.on('change', onChange);
  const done = () => flags.off('change', onChange);
  res.on('finish', () => { served += 1; done(); });
  res.on('close', done);
  req.resume();
  req.on('end', () => setImmediate(() => res.end(JSON.stringify(view))));
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

series({
  async cycle(n) {
    await listening;
    const port = server.address().port;
    await Promise.all(Array.from({ length: 20 }, (_, i) => httpGet(port, `/page/${n}/${i}`)));
    await until(() => served === (n + 1) * 20, 'responses finished');
  },
  facts: () => ({ listeners: flags.listenerCount('change'), served }),
  check(f, assert) {
    assert.deepEqual(f.map((x) => x.listeners), [0, 0, 0]);
    assert.deepEqual(f.map((x) => x.served), [80, 160, 240]);
  },
});
