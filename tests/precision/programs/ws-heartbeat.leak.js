'use strict';
// Leak (ws 8.23.0): the heartbeat of the ws README, written per connection: each connection
// starts its own setInterval() that pings the client and terminates it when a pong is missing,
// and the 'close' handler forgets clearInterval(). The clients leave; each closed server-side
// WebSocket (with its own 'pong', 'message' and 'close' listeners) is kept alive by its
// interval. The cause is the interval callback (marked `site`). 5 clients per cycle.
const { WebSocketServer } = require('ws');
const { series, until, deltas, wsVisit } = require('./harness');

const HEARTBEAT_MS = 3_600_000; // a long period: no ping goes out while the program runs
let closes = 0;

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
const listening = new Promise((resolve) => wss.once('listening', resolve));
wss.on('connection', (ws) => {
  const session = { ws, alive: true, topics: new Set(), pings: 0 };
  ws.on('pong', () => { session.alive = true; });
  ws.on('message', (data) => session.topics.add(String(data)));
  setInterval(() => { // site
    if (!session.alive) { ws.terminate(); return; }
    session.alive = false;
    session.pings += 1;
    ws.ping();
  }, HEARTBEAT_MS);
  ws.on('close', () => { closes += 1; }); // forgets clearInterval(…)
});

let visits = 0;
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) await wsVisit(wss.address().port, `topic-${n}`);
    visits += 5;
    await until(() => closes === visits, 'server-side close events');
  },
  facts: () => ({ timers: timers(), closed: closes, clients: wss.clients.size }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'timers'), [20, 20]);
    for (const x of f) {
      assert.equal(x.clients, 0);
      assert.equal(x.timers, x.closed); // one live interval per closed WebSocket
    }
  },
});
