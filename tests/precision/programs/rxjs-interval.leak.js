'use strict';
// Leak (rxjs 7.8.2): a Server-Sent Events endpoint sends a keep-alive comment every 30 s with
// interval(30000).subscribe(…), and the 'close' handler forgets subscription.unsubscribe().
// The guard `if (res.destroyed) return` hides the bug: nothing breaks, but every departed
// client leaves an armed interval (rxjs's AsyncAction on a Node Timeout) holding the subscriber
// and the destroyed response it captures. Subscriber marked `site`; 5 clients connect, read
// the first bytes and leave per cycle.
const http = require('node:http');
const { interval } = require('rxjs');
const { series, until, deltas } = require('./harness');

let closes = 0;
let beats = 0;

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  interval(30_000).subscribe(() => { // site
    if (res.destroyed) return;
    beats += 1;
    res.write(': keep-alive\n\n');
  });
  res.on('close', () => { closes += 1; }); // forgets the subscription
  res.write(': connected\n\n');
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

// Connects, waits for the first bytes, hangs up.
function visit(id) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.address().port, path: `/events?c=${id}`,
      agent: false }, (res) => { res.once('data', () => { req.destroy(); resolve(); }); });
    req.on('error', (err) => (err.code === 'ECONNRESET' ? resolve() : reject(err)));
  });
}

const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
let visits = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) await visit(`${n}.${i}`);
    visits += 5;
    await until(() => closes === visits, 'server-side close events');
  },
  async facts() {
    return { timeouts: timeouts(), closed: closes, beats };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'timeouts'), [20, 20]);
    for (const x of f) assert.equal(x.timeouts, x.closed); // one armed interval per departed client
  },
});
