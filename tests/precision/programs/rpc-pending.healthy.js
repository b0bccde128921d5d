'use strict';
// Healthy twin of rpc-pending.leak.js (node:net, pending-call map): the same JSON-lines RPC
// client, deleting the entry on reply and on timeout. Its callers also hold long-poll calls
// ('changes.wait', answered when the watched key changes, 1 h timeout) that the backend keeps
// open. Per cycle 40 long-polls stay in flight, 10 calls time out and 10 are answered: the map
// grows 160 -> 320 -> 480, every entry a call still in flight.
const net = require('node:net');
const { series, until, deltas } = require('./harness');

// The backend: answers 'user.get', drops 'report.build' (overloaded), holds 'changes.wait'.
const held = new Map(); // key -> [{ socket, id }], the long-polls the backend is holding
const server = net.createServer((socket) => {
  let buf = '';
  socket.on('data', (chunk) => {
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const msg = JSON.parse(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      if (msg.method === 'user.get') socket.write(`${JSON.stringify({ id: msg.id, result: { name: msg.params.id } })}\n`);
      if (msg.method === 'changes.wait') {
        if (!held.has(msg.params.key)) held.set(msg.params.key, []);
        held.get(msg.params.key).push({ socket, id: msg.id });
      }
    }
  });
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

class RpcClient {
  constructor(socket) {
    this.socket = socket;
    this.nextId = 0;
    this.pending = new Map();
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
        entry.done = true;
        this.pending.delete(id);
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
let waits = 0;
const heldCount = () => [...held.values()].reduce((s, a) => s + a.length, 0);
series({
  async cycle(n) {
    await listening;
    if (!client) {
      const socket = net.connect(server.address().port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      client = new RpcClient(socket);
    }
    for (let i = 0; i < 40; i++) client.call('changes.wait', { key: `doc-${n}.${i}` }, 3_600_000).catch(() => {});
    waits += 40;
    const calls = [];
    for (let i = 0; i < 10; i++) calls.push(client.call('report.build', { id: `r${n}.${i}` }, 10));
    for (let i = 0; i < 10; i++) calls.push(client.call('user.get', { id: `u${n}.${i}` }, 5_000));
    await Promise.allSettled(calls);
    await until(() => heldCount() === waits, 'long-polls held by the backend');
  },
  facts: () => ({ entries: client.pending.size, held: heldCount(),
    done: [...client.pending.values()].filter((e) => e.done).length }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'entries'), [160, 160]); // grows, with the calls in flight
    for (const x of f) {
      assert.equal(x.done, 0);
      assert.equal(x.held, x.entries); // each entry: a long-poll the backend is holding
    }
  },
});
