'use strict';
// Leak (node:net, pending-call map): a JSON-lines RPC client keeps each call's resolve/reject
// in `this.pending` (the Map declared on the line marked `site`) until the reply arrives. On
// timeout it rejects the promise but forgets this.pending.delete(id), so every call that timed
// out stays in the map for good. The backend drops the slow calls; per cycle 40 calls time out
// and 10 are answered: the map holds 160 -> 320 -> 480 entries, all of settled calls.
const net = require('node:net');
const { series, until, deltas } = require('./harness');

// The backend: answers 'user.get', drops 'report.build' (overloaded).
const server = net.createServer((socket) => {
  let buf = '';
  socket.on('data', (chunk) => {
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const msg = JSON.parse(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      if (msg.method === 'user.get') socket.write(`${JSON.stringify({ id: msg.id, result: { name: msg.params.id } })}\n`);
    }
  });
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

class RpcClient {
  constructor(socket) {
    this.socket = socket;
    this.nextId = 0;
    this.pending = new Map(); // site
    this.settled = 0;
    let buf = '';
    socket.on('data', (chunk) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        this.onReply(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
      }
    });
  }

  call(method, params, timeoutMs) {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      const entry = { method, params, sentAt: Date.now(), resolve, reject, done: false };
      entry.timer = setTimeout(() => {
        entry.done = true; // forgets this.pending.delete(id)
        reject(new Error(`${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, entry);
      this.socket.write(`${JSON.stringify({ id, method, params })}\n`);
    }).finally(() => { this.settled += 1; });
  }

  onReply(msg) {
    const entry = this.pending.get(msg.id);
    if (!entry || entry.done) return;
    this.pending.delete(msg.id);
    clearTimeout(entry.timer);
    entry.done = true;
    entry.resolve(msg.result);
  }
}

let client;
series({
  async cycle(n) {
    await listening;
    if (!client) {
      const socket = net.connect(server.address().port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      client = new RpcClient(socket);
    }
    const calls = [];
    for (let i = 0; i < 40; i++) calls.push(client.call('report.build', { id: `r${n}.${i}` }, 10));
    for (let i = 0; i < 10; i++) calls.push(client.call('user.get', { id: `u${n}.${i}` }, 5_000));
    await Promise.allSettled(calls);
    await until(() => client.settled === (n + 1) * 50, 'calls settled');
  },
  facts: () => ({ entries: client.pending.size, settled: client.settled,
    done: [...client.pending.values()].filter((e) => e.done).length }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'entries'), [160, 160]);
    for (const x of f) assert.equal(x.done, x.entries); // every entry is a call already settled
  },
});
