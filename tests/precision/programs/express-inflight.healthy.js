'use strict';
// Healthy (express 5.3.0): an app whose middleware (request id, logger, auth, JSON body) is
// registered once at start-up; a report endpoint waits for a render queue before answering.
// Per cycle 5 requests are left waiting (in flight at the snapshot) and 3 complete: the
// per-request state (req, res, Express's next() closures) grows exactly with the requests in
// flight.
const http = require('node:http');
const express = require('express');
const { series, until, deltas } = require('./harness');

const app = express();
let nextId = 0;
const log = [];
app.use((req, res, next) => { req.id = ++nextId; next(); });
app.use((req, res, next) => {
  res.on('finish', () => { if (log.length < 50) log.push(`${req.method} ${req.url} ${res.statusCode}`); });
  next();
});
app.use((req, res, next) => (req.get('authorization') ? next() : res.status(401).end()));
app.use(express.json());

const renderQueue = []; // requests waiting for their report
app.get('/report/:name', (req, res) => {
  renderQueue.push({ name: req.params.name, res });
});
app.get('/health', (req, res) => res.json({ ok: true, waiting: renderQueue.length }));

const server = http.createServer(app);
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

function get(path, onDone) {
  const req = http.get({ host: '127.0.0.1', port: server.address().port, path, agent: false,
    headers: { authorization: 'Bearer t' } }, (res) => { res.resume(); res.on('end', onDone); });
  req.on('error', () => {});
  return req;
}

const clients = [];
let done = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) clients.push(get(`/report/r${n}.${i}`, () => {}));
    for (let i = 0; i < 3; i++) get(`/health`, () => { done += 1; });
    await until(() => renderQueue.length === clients.length && done === (n + 1) * 3, 'requests');
  },
  facts: () => ({ inflight: renderQueue.length, completed: done, middleware: app.router.stack.length }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'inflight'), [20, 20]);
    assert.equal(new Set(f.map((x) => x.middleware)).size, 1); // wired once
  },
});
