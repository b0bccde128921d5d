'use strict';
// Leak (node:http + setTimeout): a quote gateway forwards GET /quote to a pricing backend whose
// circuit breaker is open. While the breaker is open the handler re-arms a retry with capped
// backoff, setTimeout(() => attempt(…)) carrying the request context, and never checks that
// the client is still there: clients that gave up leave a retry chain that re-arms forever,
// each holding its destroyed response. Retry callback marked `site`; 5 clients send a request
// and give up per cycle.
const http = require('node:http');
const { series, until, deltas } = require('./harness');

const breaker = { open: true, rejected: 0 }; // the backend stays unavailable for the whole run
let arrived = 0;
let closes = 0;

function backoff(tries) {
  return Math.min(50 * 2 ** tries, 400);
}

function attempt(ctx) {
  if (breaker.open) {
    breaker.rejected += 1;
    ctx.tries += 1;
    ctx.timer = setTimeout(() => attempt(ctx), backoff(ctx.tries)); // site
    return;
  }
  ctx.res.end(JSON.stringify({ symbol: ctx.symbol, price: 100 }));
}

const server = http.createServer((req, res) => {
  arrived += 1;
  const ctx = { symbol: new URL(req.url, 'http://x').searchParams.get('s'), tries: 0, res, timer: null };
  res.on('close', () => { closes += 1; }); // the retry chain is not told
  attempt(ctx);
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

// Sends a request, waits until the server has it, gives up.
async function giveUp(id) {
  const req = http.get({ host: '127.0.0.1', port: server.address().port, path: `/quote?s=${id}`,
    agent: false });
  req.on('error', () => {});
  const target = arrived + 1;
  await until(() => arrived >= target, 'the request to arrive');
  req.destroy();
}

const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
let visits = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) await giveUp(`Q${n}.${i}`);
    visits += 5;
    await until(() => closes === visits, 'server-side close events');
  },
  async facts() {
    return { timeouts: timeouts(), closed: closes, rejected: breaker.rejected };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'timeouts'), [20, 20]);
    for (const x of f) assert.equal(x.timeouts, x.closed); // one armed retry per departed client
    assert.ok(f[2].rejected > f[2].closed); // the chains re-arm: more attempts than requests
  },
});
