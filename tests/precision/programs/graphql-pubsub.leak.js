'use strict';
// Leak (graphql-subscriptions 3.0.0): a price feed serves subscriptions over Server-Sent
// Events from a PubSub. Each client gets pubsub.asyncIterableIterator('PRICE'), consumed by
// an async for-await loop; when the client disconnects the handler forgets iterator.return(),
// so the iterator stays subscribed on the PubSub's EventEmitter and the loop stays suspended
// on it, holding the destroyed response. The consuming async function is marked `site` (the
// listener itself is the library's bound pushValue); 5 clients subscribe and leave per cycle.
const http = require('node:http');
const { PubSub } = require('graphql-subscriptions');
const { series, until, deltas } = require('./harness');

const pubsub = new PubSub();
pubsub.ee.setMaxListeners(0);
const probe = { gone: 0, live: 0 };
let subscribed = 0;
let closes = 0;

async function forward(prices, res) { // site
  for await (const event of prices) {
    if (event.probe) { if (res.destroyed) probe.gone += 1; else probe.live += 1; continue; }
    if (res.destroyed) continue;
    res.write(`event: price\ndata: ${JSON.stringify(event)}\n\n`);
  }
}

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const prices = pubsub.asyncIterableIterator('PRICE');
  forward(prices, res);
  res.on('close', () => { closes += 1; }); // forgets prices.return()
  setImmediate(() => { subscribed += 1; res.write(': subscribed\n\n'); });
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

function visit(id) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.address().port, path: `/graphql?c=${id}`,
      agent: false }, (res) => { res.once('data', () => { req.destroy(); resolve(); }); });
    req.on('error', (err) => (err.code === 'ECONNRESET' ? resolve() : reject(err)));
  });
}

let visits = 0;
let seq = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) await visit(`${n}.${i}`);
    visits += 5;
    await until(() => closes === visits && subscribed === visits, 'server-side close events');
    await pubsub.publish('PRICE', { seq: ++seq, symbol: 'ACME', price: 100 + n });
  },
  async facts() {
    const listeners = pubsub.ee.listenerCount('PRICE');
    probe.gone = 0; probe.live = 0;
    await pubsub.publish('PRICE', { probe: true });
    await until(() => probe.gone + probe.live === listeners, 'the probe event');
    return { listeners, gone: probe.gone, live: probe.live };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.live, 0);
      assert.equal(x.gone, x.listeners); // every suspended loop's response is destroyed
    }
  },
});
