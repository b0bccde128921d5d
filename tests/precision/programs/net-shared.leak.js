'use strict';
// Leak (node:net): a line-protocol chat server; each connection registers a 'line' listener on
// the shared room and never removes it. Clients hang up, the server sockets are destroyed,
// and each one stays reachable only through the room's listeners. Listener marked `site`;
// 5 clients per cycle.
const net = require('node:net');
const { EventEmitter } = require('node:events');
const { series, until, deltas, netVisit } = require('./harness');

const room = new EventEmitter();
room.setMaxListeners(0);
const probe = { live: 0, destroyed: 0 };
let closes = 0;

const server = net.createServer((socket) => {
  const member = { socket, nick: null };
  room.on('line', (line) => { // site
    if (socket.destroyed) { probe.destroyed += 1; return; }
    probe.live += 1;
    if (line.from !== member.nick) socket.write(`${line.from}: ${line.text}\n`);
  });
  socket.on('data', (buf) => { member.nick = String(buf).trim(); });
  socket.on('close', () => { closes += 1; });
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

let visits = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) await netVisit(server.address().port, `nick${n}\n`);
    visits += 5;
    await until(() => closes === visits, 'server-side close events');
  },
  facts() {
    probe.live = 0; probe.destroyed = 0;
    room.emit('line', { from: 'probe', text: '' });
    return { listeners: room.listenerCount('line'), live: probe.live, destroyed: probe.destroyed };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.live, 0);
      assert.equal(x.destroyed, x.listeners); // every captured socket is destroyed
    }
  },
});
