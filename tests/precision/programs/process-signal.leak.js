'use strict';
// Leak (node:http + process): an export endpoint registers a graceful-shutdown hook per
// request, process.on('SIGTERM', …), so a shutdown can tell the client its export was cut
// short; the response finishes and the hook is never removed. `process` collects one 'SIGTERM'
// listener per request served (Node prints its MaxListenersExceededWarning past 10). Handler
// marked `site`; 5 requests per cycle.
const http = require('node:http');
const { series, deltas, httpGet } = require('./harness');

const PROBE = { probe: true };
const probe = { finished: 0, running: 0 };
const base = process.listenerCount('SIGTERM');

const server = http.createServer((req, res) => {
  const job = { url: req.url, rows: new Array(32).fill(req.url), startedAt: Date.now() };
  process.on('SIGTERM', (signal) => { // site
    if (signal === PROBE) { if (res.writableEnded) probe.finished += 1; else probe.running += 1; return; }
    if (!res.writableEnded) res.end(`export ${job.url} interrupted\n`);
  });
  res.setHeader('content-type', 'text/csv');
  res.end(job.rows.join('\n')); // forgets process.off('SIGTERM', …)
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) await httpGet(server.address().port, `/export/${n}/${i}`);
  },
  facts() {
    probe.finished = 0; probe.running = 0;
    process.emit('SIGTERM', PROBE);
    return { listeners: process.listenerCount('SIGTERM') - base, finished: probe.finished,
      running: probe.running };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.running, 0);
      assert.equal(x.finished, x.listeners); // every listener belongs to a finished response
    }
  },
});
