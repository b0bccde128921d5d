'use strict';
// Healthy twin of redux-subscribe.leak.js (redux 5.0.1): the same long-poll on the store, for
// a version that has not happened yet; the handler keeps the unsubscribe function and calls it
// when it answers or when the response closes. Per cycle 5 clients wait (for a version far
// ahead) and 3 come and give up: the store's listeners grow exactly with the waiting clients,
// each response open.
const http = require('node:http');
const { legacy_createStore: createStore } = require('redux');
const { series, until, deltas } = require('./harness');

function status(state = { version: 0, services: {} }, action) {
  if (action.type === 'service/updated') {
    return { version: state.version + 1, services: { ...state.services, [action.name]: action.up } };
  }
  return state;
}
const store = createStore(status);
const probe = { on: false, gone: 0, live: 0 };
let arrived = 0;
let closed = 0;

const server = http.createServer((req, res) => {
  const want = Number(new URL(req.url, 'http://x').searchParams.get('version'));
  arrived += 1;
  const unsubscribe = store.subscribe(() => {
    if (probe.on) { if (res.writableEnded) probe.gone += 1; else probe.live += 1; return; }
    const { version, services } = store.getState();
    if (version >= want) { unsubscribe(); res.end(JSON.stringify({ version, services })); }
  });
  res.on('close', () => { closed += 1; unsubscribe(); });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.flushHeaders();
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

// Resolves with the client request once the response headers arrived (the poll is waiting).
function longPoll(version) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.address().port,
      path: `/wait?version=${version}`, agent: false }, (res) => { res.resume(); resolve(req); });
    req.on('error', (err) => (err.code === 'ECONNRESET' ? resolve(req) : reject(err)));
  });
}

function countListeners() {
  probe.on = true; probe.gone = 0; probe.live = 0;
  store.dispatch({ type: 'probe' });
  probe.on = false;
  return { gone: probe.gone, live: probe.live };
}

const waiting = []; // the clients that stay
let leaves = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) waiting.push(await longPoll(1000));
    for (let i = 0; i < 3; i++) (await longPoll(1000)).destroy();
    leaves += 3;
    await until(() => closed === leaves && arrived === waiting.length + leaves, 'server state');
    store.dispatch({ type: 'service/updated', name: `svc${n}`, up: n % 2 === 0 });
  },
  async facts() {
    const { gone, live } = countListeners();
    return { listeners: gone + live, gone, live, clients: arrived - closed };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]); // grows, with the waiting clients
    for (const x of f) {
      assert.equal(x.gone, 0);
      assert.equal(x.live, x.listeners); // every captured response is open
      assert.equal(x.clients, x.listeners);
    }
  },
});
