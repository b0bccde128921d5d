'use strict';
// Leak (ws 8.23.0): a notification server; every WebSocket connection registers a 'broadcast'
// listener on the shared hub and the 'close' handler forgets to remove it. The clients leave,
// so every captured server-side WebSocket has readyState CLOSED and is reachable only through
// the hub's listeners. Listener marked `site`; 5 clients connect and leave per cycle.
const { EventEmitter } = require('node:events');
const { WebSocket, WebSocketServer } = require('ws');
const { series, until, deltas, wsVisit } = require('./harness');

const hub = new EventEmitter();
hub.setMaxListeners(0);
const probe = { open: 0, closed: 0 };
let closes = 0;

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
const listening = new Promise((resolve) => wss.once('listening', resolve));
wss.on('connection', (ws) => {
  const client = { ws, topics: new Set(['news']), joined: Date.now() };
  hub.on('broadcast', (msg) => { // site
    if (ws.readyState !== WebSocket.OPEN) { probe.closed += 1; return; }
    probe.open += 1;
    if (client.topics.has(msg.topic)) ws.send(JSON.stringify(msg));
  });
  ws.on('message', (data) => client.topics.add(String(data)));
  ws.on('close', () => { closes += 1; });
});

let visits = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) await wsVisit(wss.address().port, `topic-${n}`);
    visits += 5;
    await until(() => closes === visits, 'server-side close events');
    hub.emit('broadcast', { topic: 'news', text: `cycle ${n}` });
  },
  facts() {
    probe.open = 0; probe.closed = 0;
    hub.emit('broadcast', { topic: 'probe' });
    return { listeners: hub.listenerCount('broadcast'), open: probe.open, closed: probe.closed,
      clients: wss.clients.size };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.open, 0);
      assert.equal(x.closed, x.listeners); // every captured socket is CLOSED
      assert.equal(x.clients, 0);
    }
  },
});
