'use strict';
// Leak (koa 3.3.0): an audit middleware wants to record the errors of the request it runs
// for, and subscribes per request to the application's 'error' event (a Koa app is an
// EventEmitter) with ctx.app.on('error', …); it never removes the listener when the response
// is sent. The app collects one listener per request, each holding its finished ctx. Handler
// marked `site`; 5 requests per cycle.
const http = require('node:http');
const Koa = require('koa');
const { series, deltas, httpGet } = require('./harness');

const app = new Koa();
app.setMaxListeners(0);
const PROBE = new Error('probe');
const probe = { finished: 0, running: 0 };
const audit = { failures: [] };

app.use(async (ctx, next) => {
  const started = Date.now();
  ctx.app.on('error', (err, errCtx) => { // site
    if (err === PROBE) { if (ctx.res.writableEnded) probe.finished += 1; else probe.running += 1; return; }
    if (errCtx === ctx) audit.failures.push({ url: ctx.url, ms: Date.now() - started, message: err.message });
  });
  await next(); // forgets ctx.app.off('error', …) once the response is sent
});
app.use(async (ctx) => {
  ctx.body = { path: ctx.path, items: new Array(16).fill(ctx.path) };
});

app.silent = true; // Koa's own 'error' logger (added by callback()) stays quiet for the probe
const server = http.createServer(app.callback());
const base = app.listenerCount('error'); // Koa's own logger
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) await httpGet(server.address().port, `/items/${n}/${i}`);
  },
  facts() {
    probe.finished = 0; probe.running = 0;
    app.emit('error', PROBE, null);
    return { listeners: app.listenerCount('error') - base, finished: probe.finished, running: probe.running };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.running, 0);
      assert.equal(x.finished, x.listeners); // every listener holds a finished request's ctx
    }
  },
});
