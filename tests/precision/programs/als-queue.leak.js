'use strict';
// Leak (node:async_hooks AsyncLocalStorage): a payments API keeps the request context (request
// id, user, the response) in an AsyncLocalStorage, and defers its audit writes to a batch,
// queuing AsyncResource.bind(() => writeAudit()) so each write later runs in its request's
// context. The batch is flushed only when it reaches BATCH entries (the timed flush was never
// written), so on a quiet service it never flushes: the queue holds every request's async
// context, and through it the finished responses. The queue's declaration is marked `site`;
// 10 payments are made per cycle.
const http = require('node:http');
const { AsyncLocalStorage, AsyncResource } = require('node:async_hooks');
const { series, until, deltas, httpGet } = require('./harness');

const als = new AsyncLocalStorage();
const BATCH = 1000;
const deferred = []; // site
const audit = { written: 0, probing: false, finished: 0, open: 0 };

function writeAudit() {
  const ctx = als.getStore();
  if (audit.probing) { if (ctx.res.writableFinished) audit.finished += 1; else audit.open += 1; return; }
  audit.written += 1;
}

function flushIfFull() {
  if (deferred.length < BATCH) return;
  for (const write of deferred.splice(0)) write();
}

let served = 0;
const server = http.createServer((req, res) => {
  const ctx = { id: `req-${served}`, user: req.headers['x-user'], res, at: Date.now() };
  als.run(ctx, () => {
    setImmediate(() => {
      deferred.push(AsyncResource.bind(() => writeAudit()));
      flushIfFull();
      served += 1;
      res.end(JSON.stringify({ id: als.getStore().id, status: 'accepted' }));
    });
  });
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

// Runs every queued write in probe mode: counts the contexts whose response has finished.
function probeQueue() {
  audit.probing = true; audit.finished = 0; audit.open = 0;
  for (const write of deferred) write();
  audit.probing = false;
  return { finished: audit.finished, open: audit.open };
}

series({
  async cycle(n) {
    await listening;
    const port = server.address().port;
    for (let i = 0; i < 10; i++) await httpGet(port, '/pay', { 'x-user': `u${n}.${i}` });
    await until(() => served === (n + 1) * 10, 'the payments');
  },
  async facts() {
    const { finished, open } = probeQueue();
    return { queued: deferred.length, finished, open, written: audit.written };
  },
  check(f, assert) {
    assert.deepEqual(f.map((x) => x.queued), [40, 80, 120]);
    for (const x of f) {
      assert.equal(x.open, 0);
      assert.equal(x.finished, x.queued); // every queued context's response has finished
      assert.equal(x.written, 0);
    }
  },
});
