'use strict';
// Healthy twin of koa-app-error.leak.js (koa 3.3.0): the same audit middleware, removing its
// 'error' listener when the request is over, in front of a long-poll endpoint that waits for
// its job's result. Middleware is wired once at start-up. Per cycle 5 long-polls are left in
// flight and 3 quick requests complete: the per-request state (ctx, Koa's dispatch chain, the
// audit listeners) grows exactly with the requests in flight.
const http = require('node:http');
const Koa = require('koa');
const { series, until, deltas } = require('./harness');

const app = new Koa();
app.setMaxListeners(0);
const PROBE = new Error('probe');
const probe = { finished: 0, running: 0 };
const audit = { failures: [] };
const waiters = new Map(); // job id -> resolve of the long-poll waiting for it
let served = 0;

app.use(async (ctx, next) => {
  const started = Date.now();
  const onError = (err, errCtx) => {
    if (err === PROBE) { if (ctx.res.writableEnded) probe.finished += 1; else probe.running += 1; return; }
    if (errCtx === ctx) audit.failures.push({ url: ctx.url, ms: Date.now() - started, message: err.message });
  };
  ctx.app.on('error', onError);
  ctx.res.once('close', () => ctx.app.off('error', onError));
  try {
    await next();
  } finally {
    ctx.res.once('finish', () => { served += 1; });
  }
});
app.use(async (ctx) => {
  const m = /^\/jobs\/([^/]+)\/wait$/.exec(ctx.path);
  if (m) {
    const result = await new Promise((resolve) => waiters.set(m[1], resolve));
    ctx.body = { job: m[1], result };
    return;
  }
  ctx.body = { path: ctx.path, items: new Array(16).fill(ctx.path) };
});

app.silent = true; // Koa's own 'error' logger (added by callback()) stays quiet for the probe
const server = http.createServer(app.callback());
const base = app.listenerCount('error'); // Koa's own logger
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const inflight = []; // the clients' side of the long-polls
function get(path, onEnd) {
  const req = http.get({ host: '127.0.0.1', port: server.address().port, path, agent: false },
    (res) => { res.resume(); res.on('end', onEnd); });
  req.on('error', () => {});
  return req;
}

let quick = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) inflight.push(get(`/jobs/j${n}.${i}/wait`, () => {}));
    for (let i = 0; i < 3; i++) get(`/items/${n}/${i}`, () => { quick += 1; });
    await until(() => waiters.size === inflight.length && quick === (n + 1) * 3
      && served === quick, 'requests');
  },
  facts() {
    probe.finished = 0; probe.running = 0;
    app.emit('error', PROBE, null);
    return { listeners: app.listenerCount('error') - base, finished: probe.finished, running: probe.running,
      inflight: waiters.size };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]); // grows, with the requests in flight
    for (const x of f) {
      assert.equal(x.finished, 0);
      assert.equal(x.running, x.listeners);
      assert.equal(x.inflight, x.listeners);
    }
  },
});
