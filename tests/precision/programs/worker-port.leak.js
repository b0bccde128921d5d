'use strict';
// Leak (worker_threads MessagePort): an image service hands resize jobs to a worker thread over
// a MessageChannel. Each request posts its job on the shared port and waits for the reply with
// port.on('message', …) filtered by job id, and never removes the listener once its reply came.
// Every answered request leaves its listener on the long-lived port, holding the finished
// response. Listener marked `site`; 5 requests are answered per cycle.
const http = require('node:http');
const { Worker, MessageChannel } = require('node:worker_threads');
const { getEventListeners } = require('node:events');
const { series, until, deltas } = require('./harness');

const { port1: port, port2 } = new MessageChannel();
const worker = new Worker(`
  const { workerData: { port } } = require('node:worker_threads');
  port.on('message', (job) => {
    if (job.probe) { port.postMessage({ probe: true }); return; }
    port.postMessage({ id: job.id, width: job.width, bytes: job.width * job.height * 4 });
  });
`, { eval: true, workerData: { port: port2 }, transferList: [port2] });
const probe = { gone: 0, live: 0 };
let answered = 0;
let nextId = 0;

const server = http.createServer((req, res) => {
  const id = ++nextId;
  port.on('message', (reply) => { // site
    if (reply.probe) { if (res.writableEnded) probe.gone += 1; else probe.live += 1; return; }
    if (reply.id !== id) return;
    answered += 1;
    res.end(JSON.stringify(reply));
  }); // never port.off(): the listener outlives the reply
  port.postMessage({ id, width: 64, height: 48 });
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

function resize() {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: server.address().port, path: '/resize', agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
}

series({
  async cycle(n) {
    await listening;
    await Promise.all([0, 1, 2, 3, 4].map(() => resize()));
    await until(() => answered === (n + 1) * 5, 'the replies');
  },
  async facts() {
    const listeners = getEventListeners(port, 'message').length;
    probe.gone = 0; probe.live = 0;
    port.postMessage({ probe: true });
    await until(() => probe.gone + probe.live === listeners, 'the probe reply');
    return { listeners, gone: probe.gone, live: probe.live };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.live, 0);
      assert.equal(x.gone, x.listeners); // every captured response has ended
    }
  },
  teardown: () => worker.terminate(),
});
