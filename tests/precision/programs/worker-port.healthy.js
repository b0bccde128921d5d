'use strict';
// Healthy twin of worker-port.leak.js (worker_threads MessagePort): the same resize service,
// whose listener removes itself when its reply comes or the client goes away. The worker queues
// large jobs in a backlog it does not reach during the run: per cycle 5 large jobs stay in
// flight and 3 small jobs are answered. The listeners on the shared port grow exactly with the
// requests in flight, each response open.
const http = require('node:http');
const { Worker, MessageChannel } = require('node:worker_threads');
const { getEventListeners } = require('node:events');
const { series, until, deltas } = require('./harness');

const { port1: port, port2 } = new MessageChannel();
const worker = new Worker(`
  const { workerData: { port } } = require('node:worker_threads');
  const backlog = [];
  port.on('message', (job) => {
    if (job.probe) { port.postMessage({ probe: true }); return; }
    if (job.width > 1000) { backlog.push(job); port.postMessage({ queued: job.id }); return; }
    port.postMessage({ id: job.id, width: job.width, bytes: job.width * job.height * 4 });
  });
`, { eval: true, workerData: { port: port2 }, transferList: [port2] });
const probe = { gone: 0, live: 0 };
let answered = 0;
let queued = 0;
let closes = 0;
let nextId = 0;

const server = http.createServer((req, res) => {
  const id = ++nextId;
  const width = Number(new URL(req.url, 'http://x').searchParams.get('w'));
  const onReply = (reply) => {
    if (reply.probe) { if (res.writableEnded || res.destroyed) probe.gone += 1; else probe.live += 1; return; }
    if (reply.queued === id) { queued += 1; res.writeHead(202); res.flushHeaders(); return; }
    if (reply.id !== id) return;
    port.off('message', onReply);
    answered += 1;
    res.end(JSON.stringify(reply));
  };
  port.on('message', onReply);
  res.on('close', () => { closes += 1; port.off('message', onReply); });
  port.postMessage({ id, width, height: 48 });
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

// Resolves with the client request once the response started (queued) or ended (answered).
function resize(width) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.address().port, path: `/resize?w=${width}`,
      agent: false }, (res) => {
      res.resume();
      if (res.statusCode === 202) resolve(req); else res.on('end', () => resolve(req));
    });
    req.on('error', reject);
  });
}

const inFlight = []; // the large jobs' client requests
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) inFlight.push(await resize(4000));
    await Promise.all([0, 1, 2].map(() => resize(64)));
    await until(() => answered === (n + 1) * 3 && closes === answered && queued === inFlight.length,
      'server state');
  },
  async facts() {
    const listeners = getEventListeners(port, 'message').length;
    probe.gone = 0; probe.live = 0;
    port.postMessage({ probe: true });
    await until(() => probe.gone + probe.live === listeners, 'the probe reply');
    return { listeners, gone: probe.gone, live: probe.live, inFlight: queued - (closes - answered) };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]); // grows, with the requests in flight
    for (const x of f) {
      assert.equal(x.gone, 0);
      assert.equal(x.live, x.listeners); // every captured response is open
      assert.equal(x.inFlight, x.listeners);
    }
  },
  teardown: () => worker.terminate(),
});
