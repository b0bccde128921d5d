'use strict';
// Healthy (socket.io 4.8.4 + socket.io-client 4.8.4, websocket transport): a presence service
// where each connected socket adds a 'heartbeat' listener to the shared service and removes it
// on 'disconnect'. Per cycle 5 clients connect and stay, 3 connect and leave: the service's
// listeners grow exactly with the connected sockets (`connected` true for every one).
const http = require('node:http');
const { EventEmitter } = require('node:events');
const { Server } = require('socket.io');
const { io: connectClient } = require('socket.io-client');
const { series, until, deltas } = require('./harness');

const presence = new EventEmitter();
presence.setMaxListeners(0);
const probe = { connected: 0, disconnected: 0 };

const httpServer = http.createServer();
const ioServer = new Server(httpServer, { transports: ['websocket'] });
ioServer.on('connection', (socket) => {
  const user = { id: socket.id, board: null };
  const onHeartbeat = () => {
    if (socket.connected) probe.connected += 1; else probe.disconnected += 1;
    socket.emit('heartbeat', { board: user.board });
  };
  presence.on('heartbeat', onHeartbeat);
  socket.on('join', (board) => { user.board = board; });
  socket.on('disconnect', () => presence.off('heartbeat', onHeartbeat));
});
const listening = new Promise((resolve) => httpServer.listen(0, '127.0.0.1', resolve));

const clients = [];
async function connect(n) {
  const c = connectClient(`http://127.0.0.1:${httpServer.address().port}`,
    { transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise((resolve, reject) => { c.once('connect', resolve); c.once('connect_error', reject); });
  c.emit('join', `board-${n}`);
  return c;
}

let expected = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) clients.push(await connect(n));
    for (let i = 0; i < 3; i++) (await connect(n)).disconnect();
    expected += 5;
    await until(() => ioServer.of('/').sockets.size === expected &&
      presence.listenerCount('heartbeat') === expected, 'server-side state');
  },
  facts() {
    probe.connected = 0; probe.disconnected = 0;
    presence.emit('heartbeat');
    return { listeners: presence.listenerCount('heartbeat'), ...probe,
      sockets: ioServer.of('/').sockets.size };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.disconnected, 0);
      assert.equal(x.connected, x.listeners);
    }
  },
});
