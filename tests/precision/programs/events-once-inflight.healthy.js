'use strict';
// Healthy twin of events-once-promise.leak.js (node:events once() + node:http): a page server
// whose handler, while the cache is cold, awaits events.once(cache, 'warm'). The cache is still
// warming at every snapshot, so the waiting requests grow, but each one is a real request in
// flight: its client is connected and its response not finished. Per cycle 5 page requests are
// left waiting and 3 health checks are answered.
const http = require('node:http');
const { EventEmitter, once } = require('node:events');
const { series, until, deltas } = require('./harness');

class Cache extends EventEmitter {}
const cache = new Cache();
cache.setMaxListeners(0);
cache.ready = false;
let waiting = 0;
let answered = 0;

async function handle(req, res) {
  if (req.url === '/health') { res.end('ok'); answered += 1; return; }
  waiting += 1;
  if (!cache.ready) await once(cache, 'warm');
  waiting -= 1;
  res.end(`page ${req.url}`);
}

const server = http.createServer((req, res) => { handle(req, res); });
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const clients = [];
function get(path) {
  const req = http.get({ host: '127.0.0.1', port: server.address().port, path, agent: false },
    (res) => res.resume());
  req.on('error', () => {});
  return req;
}

series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) clients.push(get(`/page/${n}/${i}`));
    for (let i = 0; i < 3; i++) get('/health');
    await until(() => waiting === clients.length && answered === (n + 1) * 3, 'requests');
  },
  facts: () => ({ listeners: cache.listenerCount('warm'), waiting, answered,
    connected: clients.filter((c) => c.socket && !c.socket.destroyed).length }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.waiting, x.listeners);
      assert.equal(x.connected, x.listeners); // every waiting request's client is connected
    }
  },
});
