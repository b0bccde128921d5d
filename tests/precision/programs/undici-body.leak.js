'use strict';
// Leak (undici 6.29.1): a status page probes a backend with undici's request(), passing the
// service's shutdown AbortSignal, and looks only at statusCode; the response body is never
// consumed or dumped (undici's documented requirement). Each unread body holds its connection
// open and its request's 'abort' listener on the long-lived shutdown signal. The request() call
// is marked `site` (the listener is undici's own); 5 probes are made per cycle, each with a
// 256 kB report body.
const http = require('node:http');
const { request } = require('undici');
const { getEventListeners, setMaxListeners } = require('node:events');
const { series, until, deltas } = require('./harness');

const shutdown = new AbortController();
setMaxListeners(0, shutdown.signal);
const chunk = Buffer.alloc(64 * 1024, 'r');
const CHUNKS = 128; // 8 MB
let started = 0;
let finished = 0;

const backend = http.createServer((req, res) => {
  started += 1;
  res.on('finish', () => { finished += 1; });
  let sent = 0;
  const pump = () => {
    while (sent < CHUNKS) {
      sent += 1;
      if (sent === CHUNKS) { res.end(chunk); return; }
      if (!res.write(chunk)) { res.once('drain', pump); return; }
    }
  };
  pump();
});
const listening = new Promise((resolve) => backend.listen(0, '127.0.0.1', resolve));

const checks = { up: 0, down: 0 };
async function probeBackend(url) {
  const { statusCode } = await request(url, { signal: shutdown.signal }); // site
  if (statusCode === 200) checks.up += 1; else checks.down += 1;
}

series({
  async cycle(n) {
    await listening;
    const url = `http://127.0.0.1:${backend.address().port}/health/report`;
    for (let i = 0; i < 5; i++) await probeBackend(url);
    await until(() => started === (n + 1) * 5, 'the backend to see the probes');
  },
  async facts() {
    return { listeners: getEventListeners(shutdown.signal, 'abort').length, checks: checks.up,
      unread: started - finished };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.listeners, x.checks); // one 'abort' listener left per finished check
      assert.equal(x.unread, x.listeners); // each one's body never read: the backend is still writing it
    }
  },
});
