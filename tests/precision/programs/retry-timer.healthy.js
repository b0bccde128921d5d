'use strict';
// Healthy twin of retry-timer.leak.js (node:http + setTimeout): the same quote gateway retries
// with capped backoff while the backend's breaker is open, and clears the retry when the client
// goes away. Per cycle 5 clients wait (the backend stays down) and 3 give up: the armed retries
// grow exactly with the waiting clients, each response open, each chain still re-arming.
const http = require('node:http');
const { series, until, deltas } = require('./harness');

const breaker = { open: true, rejected: 0 };
let arrived = 0;
let closes = 0;

function backoff(tries) {
  return Math.min(50 * 2 ** tries, 400);
}

function attempt(ctx) {
  if (ctx.res.destroyed) return;
  if (breaker.open) {
    breaker.rejected += 1;
    ctx.tries += 1;
    ctx.timer = setTimeout(() => attempt(ctx), backoff(ctx.tries));
    return;
  }
  ctx.res.end(JSON.stringify({ symbol: ctx.symbol, price: 100 }));
}

const server = http.createServer((req, res) => {
  arrived += 1;
  const ctx = { symbol: new URL(req.url, 'http://x').searchParams.get('s'), tries: 0, res, timer: null };
  res.on('close', () => { closes += 1; clearTimeout(ctx.timer); });
  attempt(ctx);
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

// Sends a request and resolves with it once the server has it.
async function request(id) {
  const req = http.get({ host: '127.0.0.1', port: server.address().port, path: `/quote?s=${id}`,
    agent: false });
  req.on('error', () => {});
  const target = arrived + 1;
  await until(() => arrived >= target, 'the request to arrive');
  return req;
}

const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const waiting = []; // the clients that stay
let leaves = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) waiting.push(await request(`Q${n}.${i}`));
    for (let i = 0; i < 3; i++) (await request(`V${n}.${i}`)).destroy();
    leaves += 3;
    await until(() => closes === leaves, 'server-side close events');
  },
  async facts() {
    return { timeouts: timeouts(), waiting: arrived - closes, rejected: breaker.rejected,
      open: waiting.filter((r) => !r.destroyed).length };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'timeouts'), [20, 20]); // grows, with the waiting clients
    for (const x of f) {
      assert.equal(x.timeouts, x.waiting); // one armed retry per waiting client
      assert.equal(x.open, x.waiting);
    }
    assert.ok(f[2].rejected > f[2].waiting); // the chains re-arm
  },
});
