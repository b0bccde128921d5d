'use strict';
// Healthy twin of map-cache.leak.js: an LRU-ish session cache (a Map in insertion order,
// evicting the oldest entry past 300) that is full and churning: 200 logins per cycle, the
// same 300 entries at every snapshot, all of them new objects each phase.
const { series } = require('./harness');

const MAX = 300;
const sessions = new Map();

function login(user) {
  const session = { user, token: `t-${user}`, created: Date.now(), cart: [] };
  sessions.set(session.token, session);
  if (sessions.size > MAX) sessions.delete(sessions.keys().next().value);
  return session.token;
}

function touch(token) {
  const session = sessions.get(token);
  if (!session) return;
  sessions.delete(token); // most recently used goes last
  sessions.set(token, session);
}

series({
  cycle(n) {
    for (let i = 0; i < 200; i++) touch(login(`user${n}.${i}`));
  },
  facts: () => ({ entries: sessions.size }),
  check(f, assert) {
    assert.deepEqual(f.map((x) => x.entries), [MAX, MAX, MAX]);
  },
});
