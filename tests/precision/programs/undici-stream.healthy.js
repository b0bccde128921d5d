'use strict';
// Healthy twin of undici-body.leak.js (undici 6.29.1): an aggregator follows backend event
// streams with undici's request() under the service's shutdown AbortSignal and reads every
// body. Per cycle 5 streams are opened and stay open (the backend keeps sending), 3 short
// reports are read to the end. The request 'abort' listeners on the shutdown signal grow
// exactly with the streams being read, each body open and consumed as it arrives.
const http = require('node:http');
const { request } = require('undici');
const { getEventListeners, setMaxListeners } = require('node:events');
const { series, until, deltas } = require('./harness');

const shutdown = new AbortController();
setMaxListeners(0, shutdown.signal);
const backendStreams = new Set();
let reportsServed = 0;

const backend = http.createServer((req, res) => {
  if (req.url.startsWith('/report')) { reportsServed += 1; res.end(Buffer.alloc(16 * 1024, 'r')); return; }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  backendStreams.add(res);
  res.on('close', () => backendStreams.delete(res));
  res.write('data: hello\n\n');
});
const listening = new Promise((resolve) => backend.listen(0, '127.0.0.1', resolve));

const streams = []; // the streams being followed: { body, events }
let reportsRead = 0;
async function follow(base, id) {
  const { body } = await request(`${base}/events/${id}`, { signal: shutdown.signal });
  const s = { body, events: 0 };
  body.on('data', () => { s.events += 1; });
  streams.push(s);
  await until(() => s.events > 0, 'the first event');
}
async function readReport(base, id) {
  const { body } = await request(`${base}/report/${id}`, { signal: shutdown.signal });
  await body.text();
  reportsRead += 1;
}

series({
  async cycle(n) {
    await listening;
    const base = `http://127.0.0.1:${backend.address().port}`;
    for (let i = 0; i < 5; i++) await follow(base, `${n}.${i}`);
    for (let i = 0; i < 3; i++) await readReport(base, `${n}.${i}`);
    for (const res of backendStreams) res.write(`data: tick ${n}\n\n`);
  },
  async facts() {
    const before = streams.map((s) => s.events);
    for (const res of backendStreams) res.write('data: probe\n\n');
    await until(() => streams.every((s, i) => s.events > before[i]), 'every stream to get the probe');
    return { listeners: getEventListeners(shutdown.signal, 'abort').length, streams: streams.length,
      open: streams.filter((s) => !s.body.destroyed && !s.body.readableEnded).length, reportsRead };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]); // grows, with the streams being read
    for (const x of f) {
      assert.equal(x.listeners, x.streams);
      assert.equal(x.open, x.streams); // every stream open and delivering
    }
    assert.deepEqual(f.map((x) => x.reportsRead), [12, 24, 36]);
  },
});
