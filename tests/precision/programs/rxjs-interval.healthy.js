'use strict';
// Healthy twin of rxjs-interval.leak.js (rxjs 7.8.2): the same SSE keep-alive with
// interval(30000).subscribe(…), unsubscribed when the response closes. Per cycle 5 clients
// connect and stay, 3 connect and leave: the armed intervals grow exactly with the connected
// clients, each response open.
const http = require('node:http');
const { interval } = require('rxjs');
const { series, until, deltas } = require('./harness');

let accepted = 0;
let closes = 0;
let beats = 0;

const server = http.createServer((req, res) => {
  accepted += 1;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const keepAlive = interval(30_000).subscribe(() => {
    beats += 1;
    res.write(': keep-alive\n\n');
  });
  res.on('close', () => { closes += 1; keepAlive.unsubscribe(); });
  res.write(': connected\n\n');
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

// Resolves with the client request once the first bytes arrived.
function connect(id) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.address().port, path: `/events?c=${id}`,
      agent: false }, (res) => { res.once('data', () => { res.on('data', () => {}); resolve(req); }); });
    req.on('error', (err) => (err.code === 'ECONNRESET' ? resolve(req) : reject(err)));
  });
}

const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const clients = []; // the clients that stay
let leaves = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) clients.push(await connect(`${n}.${i}`));
    for (let i = 0; i < 3; i++) (await connect(`v${n}.${i}`)).destroy();
    leaves += 3;
    await until(() => closes === leaves && accepted === clients.length + leaves, 'server state');
  },
  async facts() {
    return { timeouts: timeouts(), connected: accepted - closes,
      open: clients.filter((c) => !c.destroyed && c.socket && !c.socket.destroyed).length };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'timeouts'), [20, 20]); // grows, with the connected clients
    for (const x of f) {
      assert.equal(x.timeouts, x.connected); // one armed interval per connected client
      assert.equal(x.open, x.connected);
    }
  },
});
