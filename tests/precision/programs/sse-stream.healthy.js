'use strict';
// Healthy twin of sse-stream.leak.js (node:http + node:stream): the same Server-Sent Events
// endpoint on the shared ticker stream, but the 'data' listener is removed when the client's
// request closes. Per cycle 5 clients connect and stay subscribed, 3 connect and leave: the
// ticker's 'data' listeners grow exactly with the connected clients, each response open.
const http = require('node:http');
const { PassThrough } = require('node:stream');
const { series, until, deltas } = require('./harness');

const ticker = new PassThrough({ objectMode: true });
ticker.setMaxListeners(0);
const probe = { gone: 0, live: 0 };
let closes = 0;
let accepted = 0;

const server = http.createServer((req, res) => {
  accepted += 1;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const client = { id: req.headers['x-client'], sent: 0, since: Date.now() };
  const onTick = (tick) => {
    if (tick.probe) { if (res.destroyed) probe.gone += 1; else probe.live += 1; return; }
    client.sent += 1;
    res.write(`id: ${tick.seq}\nevent: tick\ndata: ${JSON.stringify(tick)}\n\n`);
  };
  ticker.on('data', onTick);
  req.on('close', () => { closes += 1; ticker.off('data', onTick); });
  res.write(': connected\n\n');
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

// Connects to /events and resolves with the request once the first bytes arrived.
function subscribe(id) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.address().port, path: '/events',
      agent: false, headers: { 'x-client': id } }, (res) => {
      res.once('data', () => { res.on('data', () => {}); resolve(req); });
    });
    req.on('error', (err) => (err.code === 'ECONNRESET' ? resolve(req) : reject(err)));
  });
}

const connected = []; // the clients that stay
let leaves = 0;
let seq = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) connected.push(await subscribe(`c${n}.${i}`));
    for (let i = 0; i < 3; i++) (await subscribe(`v${n}.${i}`)).destroy();
    leaves += 3;
    await until(() => closes === leaves && accepted === connected.length + leaves, 'server state');
    ticker.write({ seq: ++seq, symbol: 'ACME', price: 100 + n });
  },
  async facts() {
    const listeners = ticker.listenerCount('data');
    probe.gone = 0; probe.live = 0;
    ticker.write({ probe: true });
    await until(() => probe.gone + probe.live === listeners, 'the probe tick');
    return { listeners, gone: probe.gone, live: probe.live, clients: accepted - closes };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]); // grows, with the connected clients
    for (const x of f) {
      assert.equal(x.gone, 0);
      assert.equal(x.live, x.listeners); // every captured response is open
      assert.equal(x.clients, x.listeners);
    }
  },
});
