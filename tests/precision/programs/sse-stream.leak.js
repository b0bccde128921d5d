'use strict';
// Leak (node:http + node:stream): a Server-Sent Events endpoint. Every client that connects
// subscribes to the shared market ticker, a long-lived object-mode stream, with
// ticker.on('data', …) and the 'close' handler forgets to unsubscribe. The clients hang up;
// every captured response is destroyed and reachable only through the ticker's 'data'
// listeners. Handler marked `site`; 5 clients connect, read one event and leave per cycle.
const http = require('node:http');
const { PassThrough } = require('node:stream');
const { series, until, deltas } = require('./harness');

const ticker = new PassThrough({ objectMode: true });
ticker.setMaxListeners(0);
const probe = { gone: 0, live: 0 };
let closes = 0;

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const client = { id: req.headers['x-client'], sent: 0, since: Date.now() };
  ticker.on('data', (tick) => { // site
    if (tick.probe) { if (res.destroyed) probe.gone += 1; else probe.live += 1; return; }
    client.sent += 1;
    res.write(`id: ${tick.seq}\nevent: tick\ndata: ${JSON.stringify(tick)}\n\n`);
  });
  req.on('close', () => { closes += 1; }); // forgets ticker.off('data', …)
  res.write(': connected\n\n');
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

// Connects to /events, waits for the first bytes, hangs up.
function visit(id) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.address().port, path: '/events',
      agent: false, headers: { 'x-client': id } }, (res) => {
      res.once('data', () => { req.destroy(); resolve(); });
    });
    req.on('error', (err) => (err.code === 'ECONNRESET' ? resolve() : reject(err)));
  });
}

let seq = 0;
let visits = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) await visit(`c${n}.${i}`);
    visits += 5;
    await until(() => closes === visits, 'server-side close events');
    ticker.write({ seq: ++seq, symbol: 'ACME', price: 100 + n });
  },
  async facts() {
    const listeners = ticker.listenerCount('data');
    probe.gone = 0; probe.live = 0;
    ticker.write({ probe: true });
    await until(() => probe.gone + probe.live === listeners, 'the probe tick');
    return { listeners, gone: probe.gone, live: probe.live };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.live, 0);
      assert.equal(x.gone, x.listeners); // every captured response is destroyed
    }
  },
});
