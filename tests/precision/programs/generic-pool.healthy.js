'use strict';
// Healthy (generic-pool 3.9.0): a connection pool to a loopback database server whose
// connections are borrowed by transactions. Per cycle 30 long transactions begin and stay open
// (each holds its connection), 10 short queries borrow an idle connection and give it back:
// the pool's live, borrowed connections (its _allObjects Set and _resourceLoans Map) grow
// 120 -> 240 -> 360, every one an open socket in use.
const net = require('node:net');
const genericPool = require('generic-pool');
const { series, until, deltas } = require('./harness');

// The database: answers each line with 'ok <line>'.
let accepted = 0;
const db = net.createServer((socket) => {
  accepted += 1;
  socket.on('data', (buf) => socket.write(`ok ${buf}`));
  socket.on('error', () => {});
});
const listening = new Promise((resolve) => db.listen(0, '127.0.0.1', resolve));

let nextId = 0;
const pool = genericPool.createPool({
  async create() {
    const socket = net.connect(db.address().port, '127.0.0.1');
    await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
    return { id: ++nextId, socket, queries: 0, openedAt: Date.now() };
  },
  async destroy(conn) {
    conn.socket.destroy();
  },
}, { max: 1000, min: 0 });

function query(conn, sql) {
  return new Promise((resolve) => {
    conn.queries += 1;
    conn.socket.once('data', (buf) => resolve(String(buf)));
    conn.socket.write(`${sql}\n`);
  });
}

const transactions = []; // the open transactions, each with its connection
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 30; i++) {
      const conn = await pool.acquire();
      await query(conn, `BEGIN; -- tx ${n}.${i}`);
      transactions.push({ conn, startedAt: Date.now(), statements: [`tx ${n}.${i}`] });
    }
    for (let i = 0; i < 10; i++) {
      const conn = await pool.acquire();
      await query(conn, `SELECT ${i}`);
      await pool.release(conn);
    }
    await until(() => pool.borrowed === transactions.length, 'the pool state');
  },
  facts: () => ({ borrowed: pool.borrowed, size: pool.size, available: pool.available,
    open: transactions.filter((t) => !t.conn.socket.destroyed).length, accepted }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'borrowed'), [120, 120]); // grows, with the open transactions
    for (const x of f) {
      assert.equal(x.open, x.borrowed); // every borrowed connection is an open socket
      assert.equal(x.size, x.borrowed + x.available);
    }
  },
});
