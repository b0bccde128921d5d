'use strict';
// Healthy twin of ws-shared.leak.js (ws 8.23.0): the same notification server, but each
// connection's 'broadcast' listener is removed on 'close'. Per cycle 5 clients connect and
// stay, 3 more connect and leave: the hub's listeners grow exactly with the live clients, and
// every captured WebSocket is OPEN at each snapshot.
const { EventEmitter } = require('node:events');
const { WebSocket, WebSocketServer } = require('ws');
const { series, until, deltas, wsConnect, wsVisit } = require('./harness');

const hub = new EventEmitter();
hub.setMaxListeners(0);
const probe = { open: 0, closed: 0 };
let closes = 0;

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
const listening = new Promise((resolve) => wss.once('listening', resolve));
wss.on('connection', (ws) => {
  const client = { ws, topics: new Set(['news']), joined: Date.now() };
  const onBroadcast = (msg) => {
    if (ws.readyState !== WebSocket.OPEN) { probe.closed += 1; return; }
    probe.open += 1;
    if (client.topics.has(msg.topic)) ws.send(JSON.stringify(msg));
  };
  hub.on('broadcast', onBroadcast);
  ws.on('message', (data) => client.topics.add(String(data)));
  ws.on('close', () => {
    closes += 1;
    hub.off('broadcast', onBroadcast);
  });
});

const connected = []; // the clients' side of the live connections
let leaves = 0;
series({
  async cycle(n) {
    await listening;
    const port = wss.address().port;
    for (let i = 0; i < 5; i++) connected.push(await wsConnect(port, `topic-${n}`));
    for (let i = 0; i < 3; i++) await wsVisit(port, `topic-${n}`);
    leaves += 3;
    await until(() => closes === leaves && wss.clients.size === connected.length, 'server-side state');
    hub.emit('broadcast', { topic: 'news', text: `cycle ${n}` });
  },
  facts() {
    probe.open = 0; probe.closed = 0;
    hub.emit('broadcast', { topic: 'probe' });
    return { listeners: hub.listenerCount('broadcast'), open: probe.open, closed: probe.closed,
      clients: wss.clients.size };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]); // grows, with live clients
    for (const x of f) {
      assert.equal(x.closed, 0);
      assert.equal(x.open, x.listeners); // every captured socket is OPEN
      assert.equal(x.clients, x.listeners);
    }
  },
});
