'use strict';
// Healthy twin of process-signal.leak.js (node:http + process): the same export endpoint, but
// exports take long (the server streams them when the data is ready) and the 'SIGTERM' hook is
// removed when the response closes. The service expects one hook per export in flight and
// raises process's listener limit for it. Per cycle 5 exports are left in flight and 3 complete:
// the 'SIGTERM' listeners grow exactly with the exports in flight.
const http = require('node:http');
const { series, until, deltas } = require('./harness');

process.setMaxListeners(0);
const PROBE = { probe: true };
const probe = { finished: 0, running: 0 };
const base = process.listenerCount('SIGTERM');
const waiting = new Map(); // url -> the export waiting for its data
let served = 0;

const server = http.createServer((req, res) => {
  const job = { url: req.url, rows: new Array(32).fill(req.url), startedAt: Date.now() };
  const onShutdown = (signal) => {
    if (signal === PROBE) { if (res.writableEnded) probe.finished += 1; else probe.running += 1; return; }
    if (!res.writableEnded) res.end(`export ${job.url} interrupted\n`);
  };
  process.on('SIGTERM', onShutdown);
  res.on('close', () => { process.off('SIGTERM', onShutdown); waiting.delete(job.url); });
  res.on('finish', () => { served += 1; });
  res.setHeader('content-type', 'text/csv');
  res.flushHeaders();
  waiting.set(job.url, () => res.end(job.rows.join('\n')));
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const inflight = []; // the clients' side of the exports in flight
function get(path) {
  const req = http.get({ host: '127.0.0.1', port: server.address().port, path, agent: false });
  req.on('response', (res) => res.resume());
  return req;
}

series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) inflight.push(get(`/export/${n}/${i}`));
    for (let i = 0; i < 3; i++) get(`/export/${n}/quick${i}`);
    await until(() => waiting.size === inflight.length + 3, 'requests arrived');
    for (let i = 0; i < 3; i++) waiting.get(`/export/${n}/quick${i}`)();
    await until(() => served === (n + 1) * 3 && waiting.size === inflight.length, 'quick exports done');
  },
  facts() {
    probe.finished = 0; probe.running = 0;
    process.emit('SIGTERM', PROBE);
    return { listeners: process.listenerCount('SIGTERM') - base, finished: probe.finished,
      running: probe.running, inflight: waiting.size };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]); // grows, with the exports in flight
    for (const x of f) {
      assert.equal(x.finished, 0);
      assert.equal(x.running, x.listeners);
      assert.equal(x.inflight, x.listeners);
    }
  },
});
