'use strict';
// Healthy twin of als-queue.leak.js (node:async_hooks AsyncLocalStorage): a payments API whose
// card processor is rate-limited. Each request waits in a queue of AsyncResource.bind(() =>
// settle()) callbacks, so its settlement runs in its request's context when its turn comes; a
// client that goes away is taken out of the queue. The processor is saturated for the run: per
// cycle 10 payments wait and stay, 3 give up. The queue grows exactly with the payments
// waiting, 40 -> 80 -> 120, each context's response open.
const http = require('node:http');
const { AsyncLocalStorage, AsyncResource } = require('node:async_hooks');
const { series, until } = require('./harness');

const als = new AsyncLocalStorage();
const waiting = []; // payments waiting for the processor, in order
const processor = { free: 0, probing: false, finished: 0, open: 0 };

function settle() {
  const ctx = als.getStore();
  if (processor.probing) { if (ctx.res.writableFinished || ctx.res.destroyed) processor.finished += 1; else processor.open += 1; return; }
  ctx.res.end(JSON.stringify({ id: ctx.id, status: 'settled' }));
}

function drain() {
  while (processor.free > 0 && waiting.length) { processor.free -= 1; waiting.shift().run(); }
}

let arrived = 0;
let closes = 0;
const server = http.createServer((req, res) => {
  const ctx = { id: `req-${arrived}`, user: req.headers['x-user'], res, at: Date.now() };
  arrived += 1;
  als.run(ctx, () => {
    const entry = { run: AsyncResource.bind(() => settle()) };
    waiting.push(entry);
    res.on('close', () => {
      closes += 1;
      const at = waiting.indexOf(entry);
      if (at >= 0) waiting.splice(at, 1);
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
    drain();
  });
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

function pay(user) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.address().port, path: '/pay', agent: false,
      headers: { 'x-user': user } }, (res) => { res.resume(); resolve(req); });
    req.on('error', (err) => (err.code === 'ECONNRESET' ? resolve(req) : reject(err)));
  });
}

function probeQueue() {
  processor.probing = true; processor.finished = 0; processor.open = 0;
  for (const entry of waiting) entry.run();
  processor.probing = false;
  return { finished: processor.finished, open: processor.open };
}

const clients = []; // the payments that stay
let leaves = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 10; i++) clients.push(await pay(`u${n}.${i}`));
    for (let i = 0; i < 3; i++) (await pay(`v${n}.${i}`)).destroy();
    leaves += 3;
    await until(() => closes === leaves && arrived === clients.length + leaves, 'server state');
  },
  async facts() {
    const { finished, open } = probeQueue();
    return { queued: waiting.length, finished, open, waiting: arrived - closes };
  },
  check(f, assert) {
    assert.deepEqual(f.map((x) => x.queued), [40, 80, 120]); // grows, with the payments waiting
    for (const x of f) {
      assert.equal(x.finished, 0);
      assert.equal(x.open, x.queued); // every queued context's response is open
      assert.equal(x.waiting, x.queued);
    }
  },
});
