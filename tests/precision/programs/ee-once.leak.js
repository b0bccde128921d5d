'use strict';
// Leak: a database client; each query issued while disconnected waits with once('reconnect')
// to retry. The reconnect never happens (the client gave up), so every waiting query stays
// registered with its captured request. Listener marked `site`; 5 per cycle.
const { EventEmitter } = require('node:events');
const { series, deltas } = require('./harness');

class DbClient extends EventEmitter {
  constructor() {
    super();
    this.connected = false;
    this.setMaxListeners(0);
  }
  query(sql, params) {
    const request = { sql, params, rows: null, started: Date.now() };
    if (!this.connected) {
      this.once('reconnect', () => { // site
        request.rows = this.run(request);
      });
    }
    return request;
  }
  run(request) { return [request.sql.length]; }
}
const db = new DbClient();

series({
  cycle(n) {
    for (let i = 0; i < 5; i++) db.query('SELECT * FROM orders WHERE id = $1', [n * 10 + i]);
  },
  facts: () => ({ listeners: db.listenerCount('reconnect') }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
  },
});
