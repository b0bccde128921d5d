'use strict';
// Healthy twin of events-on-iterator.leak.js (node:events on() + node:net): a deploy feed; each
// connected client's relay() consumes events.on(feed, 'stage', { signal }) with for await and
// writes every stage to its socket; the signal is aborted when the socket closes, which ends
// the iterator and removes its listeners. Per cycle 5 clients connect and stay, 3 come and go:
// the feed's 'stage' listeners grow exactly with the live (not destroyed) sockets.
const net = require('node:net');
const { EventEmitter, on } = require('node:events');
const { series, until, deltas, netConnect, netVisit } = require('./harness');

const feed = new EventEmitter();
feed.setMaxListeners(0);
const probe = { live: 0, destroyed: 0 };
let relays = 0;
let ended = 0;

async function relay(socket, signal) {
  relays += 1;
  try {
    for await (const [stage] of on(feed, 'stage', { signal })) {
      if (stage.probe) { if (socket.destroyed) probe.destroyed += 1; else probe.live += 1; continue; }
      socket.write(`${stage.deploy} ${stage.name}\n`);
    }
  } catch (err) {
    if (err.name !== 'AbortError') throw err;
  } finally {
    ended += 1;
  }
}

const server = net.createServer((socket) => {
  const controller = new AbortController();
  socket.on('data', () => {});
  socket.on('close', () => controller.abort());
  relay(socket, controller.signal);
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const connected = [];
let leaves = 0;
series({
  async cycle(n) {
    await listening;
    const port = server.address().port;
    for (let i = 0; i < 5; i++) connected.push(await netConnect(port, `client ${n}.${i}\n`));
    for (let i = 0; i < 3; i++) await netVisit(port, `visitor ${n}.${i}\n`);
    leaves += 3;
    await until(() => ended === leaves && relays === connected.length + leaves, 'server state');
    feed.emit('stage', { deploy: `d${n}`, name: 'build' });
  },
  async facts() {
    probe.live = 0; probe.destroyed = 0;
    feed.emit('stage', { probe: true });
    await until(() => probe.live + probe.destroyed === feed.listenerCount('stage'), 'probe');
    return { listeners: feed.listenerCount('stage'), live: probe.live, destroyed: probe.destroyed };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.destroyed, 0);
      assert.equal(x.live, x.listeners);
    }
  },
});
