'use strict';
// Healthy twin of eventtarget-subclass.leak.js (node EventTarget subclass): the same config
// store, subscribed to by long-lived sessions (a dashboard connection each) with
// addEventListener('reload', fn, { signal }); closing a session aborts its controller, which
// removes the listener. Per cycle 5 sessions open and stay, 3 open and close: the listeners grow
// exactly with the open sessions.
const { getEventListeners, setMaxListeners } = require('node:events');
const { series, deltas } = require('./harness');

class ConfigStore extends EventTarget {
  constructor(initial) {
    super();
    this.current = initial;
  }

  reload(next) {
    this.current = next;
    this.dispatchEvent(new Event('reload'));
  }
}

const config = new ConfigStore({ version: 0, limits: { rps: 100 } });
setMaxListeners(0, config);
const probe = { closed: 0, open: 0 };
const sessions = new Set();

function openSession(user) {
  const session = { user, settings: config.current, log: new Array(16).fill(user),
    controller: new AbortController() };
  config.addEventListener('reload', () => {
    if (config.current.probe) { if (session.controller.signal.aborted) probe.closed += 1; else probe.open += 1; return; }
    session.settings = config.current;
  }, { signal: session.controller.signal });
  sessions.add(session);
  return session;
}

function closeSession(session) {
  session.controller.abort();
  sessions.delete(session);
}

let version = 0;
series({
  cycle(n) {
    for (let i = 0; i < 5; i++) openSession(`user-${n}.${i}`);
    const visits = [];
    for (let i = 0; i < 3; i++) visits.push(openSession(`visitor-${n}.${i}`));
    config.reload({ version: ++version, limits: { rps: 100 + version } });
    for (const s of visits) closeSession(s);
  },
  facts() {
    probe.closed = 0; probe.open = 0;
    const saved = config.current;
    config.reload({ probe: true });
    config.current = saved;
    return { listeners: getEventListeners(config, 'reload').length, closed: probe.closed,
      open: probe.open, sessions: sessions.size };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]); // grows, with the open sessions
    for (const x of f) {
      assert.equal(x.closed, 0);
      assert.equal(x.open, x.listeners);
      assert.equal(x.sessions, x.listeners);
    }
  },
});
