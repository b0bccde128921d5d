'use strict';
// Healthy twin of net-shared.leak.js (node:net): the same chat server, but the 'line' listener
// is removed on the socket's 'close'. Per cycle 5 clients connect and stay, 3 come and go: the
// room's listeners grow exactly with the live (not destroyed) sockets.
const net = require('node:net');
const { EventEmitter } = require('node:events');
const { series, until, deltas, netConnect, netVisit } = require('./harness');

const room = new EventEmitter();
room.setMaxListeners(0);
const probe = { live: 0, destroyed: 0 };
let closes = 0;
let accepted = 0;

const server = net.createServer((socket) => {
  accepted += 1;
  const member = { socket, nick: null };
  const onLine = (line) => {
    if (socket.destroyed) { probe.destroyed += 1; return; }
    probe.live += 1;
    if (line.from !== member.nick) socket.write(`${line.from}: ${line.text}\n`);
  };
  room.on('line', onLine);
  socket.on('data', (buf) => { member.nick = String(buf).trim(); });
  socket.on('close', () => {
    closes += 1;
    room.off('line', onLine);
  });
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const connected = [];
let leaves = 0;
series({
  async cycle(n) {
    await listening;
    const port = server.address().port;
    for (let i = 0; i < 5; i++) connected.push(await netConnect(port, `nick${n}\n`));
    for (let i = 0; i < 3; i++) await netVisit(port, `nick${n}\n`);
    leaves += 3;
    await until(() => closes === leaves && accepted === connected.length + leaves, 'server state');
  },
  facts() {
    probe.live = 0; probe.destroyed = 0;
    room.emit('line', { from: 'probe', text: '' });
    return { listeners: room.listenerCount('line'), live: probe.live, destroyed: probe.destroyed };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.destroyed, 0);
      assert.equal(x.live, x.listeners);
    }
  },
});
