'use strict';
// Healthy twin of graphql-pubsub.leak.js (graphql-subscriptions 3.0.0): the same SSE price
// feed, calling iterator.return() when the client disconnects, which unsubscribes it from the
// PubSub and ends the for-await loop. Per cycle 5 clients subscribe and stay, 3 subscribe and
// leave: the PubSub's 'PRICE' listeners grow exactly with the connected subscribers, each
// response open.
const http = require('node:http');
const { PubSub } = require('graphql-subscriptions');
const { series, until, deltas } = require('./harness');

const pubsub = new PubSub();
pubsub.ee.setMaxListeners(0);
const probe = { gone: 0, live: 0 };
let subscribed = 0;
let closes = 0;
let loopsEnded = 0;

async function forward(prices, res) {
  for await (const event of prices) {
    if (event.probe) { if (res.destroyed) probe.gone += 1; else probe.live += 1; continue; }
    res.write(`event: price\ndata: ${JSON.stringify(event)}\n\n`);
  }
  loopsEnded += 1;
}

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const prices = pubsub.asyncIterableIterator('PRICE');
  forward(prices, res);
  res.on('close', () => { closes += 1; prices.return(); });
  setImmediate(() => { subscribed += 1; res.write(': subscribed\n\n'); });
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

function subscribe(id) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.address().port, path: `/graphql?c=${id}`,
      agent: false }, (res) => { res.once('data', () => { res.on('data', () => {}); resolve(req); }); });
    req.on('error', (err) => (err.code === 'ECONNRESET' ? resolve(req) : reject(err)));
  });
}

const clients = []; // the subscribers that stay
let leaves = 0;
let seq = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) clients.push(await subscribe(`${n}.${i}`));
    for (let i = 0; i < 3; i++) (await subscribe(`v${n}.${i}`)).destroy();
    leaves += 3;
    await until(() => closes === leaves && loopsEnded === leaves && subscribed === clients.length + leaves,
      'server state');
    await pubsub.publish('PRICE', { seq: ++seq, symbol: 'ACME', price: 100 + n });
  },
  async facts() {
    const listeners = pubsub.ee.listenerCount('PRICE');
    probe.gone = 0; probe.live = 0;
    await pubsub.publish('PRICE', { probe: true });
    await until(() => probe.gone + probe.live === listeners, 'the probe event');
    return { listeners, gone: probe.gone, live: probe.live, connected: subscribed - closes };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]); // grows, with the connected subscribers
    for (const x of f) {
      assert.equal(x.gone, 0);
      assert.equal(x.live, x.listeners); // every loop's response is open
      assert.equal(x.connected, x.listeners);
    }
  },
});
