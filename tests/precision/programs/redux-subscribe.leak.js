'use strict';
// Leak (redux 5.0.1): a status service keeps its state in one redux store. GET /wait is a
// long-poll for the next state change: the handler subscribes to the store and answers on the
// next dispatch, but drops the unsubscribe function store.subscribe() returned. Every answered
// long-poll leaves its listener (and the finished response it captures) in the store's listener
// Map. Listener marked `site`; 5 long-polls are answered per cycle.
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
let waiting = 0;

const server = http.createServer((req, res) => {
  const since = store.getState().version;
  waiting += 1;
  store.subscribe(() => { // site
    if (probe.on) { if (res.writableEnded) probe.gone += 1; else probe.live += 1; return; }
    if (res.writableEnded) return;
    const { version, services } = store.getState();
    if (version > since) { waiting -= 1; res.end(JSON.stringify({ version, services })); }
  }); // the unsubscribe function is dropped
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

function longPoll() {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: server.address().port, path: '/wait', agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
}

// Dispatches the probe action and counts the listeners that ran, by their response's state.
function countListeners() {
  probe.on = true; probe.gone = 0; probe.live = 0;
  store.dispatch({ type: 'probe' });
  probe.on = false;
  return { gone: probe.gone, live: probe.live };
}

series({
  async cycle(n) {
    await listening;
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(longPoll());
    await until(() => waiting === 5, 'the long-polls to arrive');
    store.dispatch({ type: 'service/updated', name: `svc${n}`, up: n % 2 === 0 });
    await Promise.all(answers);
  },
  async facts() {
    const { gone, live } = countListeners();
    return { listeners: gone + live, gone, live, version: store.getState().version };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.live, 0);
      assert.equal(x.gone, x.listeners); // every captured response has ended
    }
  },
});
