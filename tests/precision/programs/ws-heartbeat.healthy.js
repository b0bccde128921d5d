'use strict';
// Healthy twin of ws-heartbeat.leak.js (ws 8.23.0): the same per-connection heartbeat, cleared
// on 'close'. Per cycle 5 clients connect and stay, 3 connect and leave: the intervals grow
// exactly with the connected clients, every captured WebSocket OPEN.
const { WebSocket, WebSocketServer } = require('ws');
const { series, until, deltas, wsConnect, wsVisit } = require('./harness');

const HEARTBEAT_MS = 3_600_000; // a long period: no ping goes out while the program runs
let closes = 0;
const live = new Set(); // the server-side sessions

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
const listening = new Promise((resolve) => wss.once('listening', resolve));
wss.on('connection', (ws) => {
  const session = { ws, alive: true, topics: new Set(), pings: 0 };
  ws.on('pong', () => { session.alive = true; });
  ws.on('message', (data) => session.topics.add(String(data)));
  const heartbeat = setInterval(() => {
    if (!session.alive) { ws.terminate(); return; }
    session.alive = false;
    session.pings += 1;
    ws.ping();
  }, HEARTBEAT_MS);
  live.add(session);
  ws.on('close', () => {
    closes += 1;
    clearInterval(heartbeat);
    live.delete(session);
  });
});

const connected = []; // the clients' side of the live connections
let leaves = 0;
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
series({
  async cycle(n) {
    await listening;
    const port = wss.address().port;
    for (let i = 0; i < 5; i++) connected.push(await wsConnect(port, `topic-${n}`));
    for (let i = 0; i < 3; i++) await wsVisit(port, `topic-${n}`);
    leaves += 3;
    await until(() => closes === leaves && wss.clients.size === connected.length, 'server-side state');
  },
  facts: () => ({ timers: timers(), clients: wss.clients.size,
    open: [...live].filter((s) => s.ws.readyState === WebSocket.OPEN).length }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'timers'), [20, 20]); // grows, with the connected clients
    for (const x of f) {
      assert.equal(x.timers, x.clients);
      assert.equal(x.open, x.clients);
    }
  },
});
