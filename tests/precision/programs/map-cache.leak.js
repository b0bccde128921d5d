'use strict';
// Leak (collection): a session cache owned by a module variable (the Map declared on the line
// marked `site`); every login adds an entry and logout never deletes it. 40 logins per
// cycle, so the Map holds 160 -> 320 -> 480 entries at the three snapshots.
const { series, deltas } = require('./harness');

const sessions = new Map(); // site

function login(user) {
  const session = { user, token: `t-${user}`, created: Date.now(), cart: [] };
  sessions.set(session.token, session);
  return session.token;
}

function logout(token) {
  const session = sessions.get(token);
  if (session) session.cart.length = 0; // forgets sessions.delete(token)
}

series({
  cycle(n) {
    for (let i = 0; i < 40; i++) logout(login(`user${n}.${i}`));
  },
  facts: () => ({ entries: sessions.size }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'entries'), [160, 160]);
  },
});
