'use strict';
// Healthy (fastify 5.12.8): an API whose hooks (request id, auth, access log) are registered
// once at start-up; GET /jobs/:id/wait is a long-poll whose async handler listens for the
// job's 'done' on the shared job emitter and removes its listener when the response closes.
// Per cycle 5 long-polls are left in flight and 3 quick requests complete: the per-request
// state (fastify's Request/Reply, the suspended handlers, the 'done' listeners) grows exactly
// with the requests in flight.
const http = require('node:http');
const { EventEmitter } = require('node:events');
const Fastify = require('fastify');
const { series, until, deltas } = require('./harness');

const app = Fastify({ logger: false });
const jobs = new EventEmitter();
jobs.setMaxListeners(0);
const probe = { finished: 0, running: 0 };
const accessLog = [];
let served = 0;

app.addHook('onRequest', async (request) => { request.started = Date.now(); });
app.addHook('preHandler', async (request, reply) => {
  if (request.headers.authorization !== 'Bearer t') reply.code(401).send({ error: 'unauthorized' });
});
app.addHook('onResponse', async (request, reply) => {
  served += 1;
  if (accessLog.length < 50) accessLog.push(`${request.method} ${request.url} ${reply.statusCode}`);
});

app.get('/jobs/:id/wait', (request, reply) => new Promise((resolve) => {
  const onDone = (id, result) => {
    if (id === probe) { if (reply.raw.writableEnded) probe.finished += 1; else probe.running += 1; return; }
    if (id === request.params.id) resolve({ id, result });
  };
  jobs.on('done', onDone);
  reply.raw.on('close', () => jobs.off('done', onDone));
}));
app.get('/health', async () => ({ ok: true, waiting: jobs.listenerCount('done') }));

function get(port, path, onEnd) {
  const req = http.get({ host: '127.0.0.1', port, path, agent: false,
    headers: { authorization: 'Bearer t' } }, (res) => { res.resume(); res.on('end', onEnd); });
  req.on('error', () => {});
  return req;
}

const listening = app.listen({ port: 0, host: '127.0.0.1' });
const inflight = []; // the clients' side of the long-polls
let quick = 0;
series({
  async cycle(n) {
    await listening;
    const { port } = app.server.address();
    for (let i = 0; i < 5; i++) inflight.push(get(port, `/jobs/j${n}.${i}/wait`, () => {}));
    for (let i = 0; i < 3; i++) get(port, '/health', () => { quick += 1; });
    await until(() => jobs.listenerCount('done') === inflight.length && quick === (n + 1) * 3
      && served === quick, 'requests');
  },
  facts() {
    probe.finished = 0; probe.running = 0;
    jobs.emit('done', probe);
    return { listeners: jobs.listenerCount('done'), finished: probe.finished, running: probe.running,
      served };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]); // grows, with the requests in flight
    for (const x of f) {
      assert.equal(x.finished, 0);
      assert.equal(x.running, x.listeners); // each listener: a request still waiting
    }
  },
});
