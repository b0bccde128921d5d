'use strict';
// Leak (dataloader 2.2.3): an order API batches its database reads with DataLoader, but the
// loader is created once at module level and shared by every request instead of one per
// request. DataLoader memoizes every key it ever loaded in its cache Map, so each order ever
// requested stays cached (the promise and the order row) for the life of the process. The
// leaking collection's declaration, the shared `new DataLoader`, is marked `site`; 40 orders
// (10 requests of 4 orders) are fetched per cycle, each order id requested once.
const http = require('node:http');
const DataLoader = require('dataloader');
const { series, until, deltas, httpGet } = require('./harness');

const db = { queries: 0 };
async function fetchOrders(ids) {
  db.queries += 1;
  return ids.map((id) => ({ id, total: id.length * 7, lines: [{ sku: `sku-${id}`, qty: 1 }],
    note: `order ${id} `.repeat(8) }));
}
const orders = new DataLoader(fetchOrders); // site

let served = 0;
const server = http.createServer(async (req, res) => {
  const ids = new URL(req.url, 'http://x').searchParams.get('ids').split(',');
  const rows = await orders.loadMany(ids);
  served += 1;
  res.end(JSON.stringify(rows.map((r) => ({ id: r.id, total: r.total }))));
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

series({
  async cycle(n) {
    await listening;
    const port = server.address().port;
    for (let i = 0; i < 10; i++) {
      const ids = [0, 1, 2, 3].map((k) => `o${n}-${i}-${k}`).join(',');
      await httpGet(port, `/orders?ids=${ids}`);
    }
    await until(() => served === (n + 1) * 10, 'the requests to be served');
  },
  async facts() {
    return { cached: orders._cacheMap.size, served, queries: db.queries };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'cached'), [160, 160]);
    assert.deepEqual(f.map((x) => x.cached), [160, 320, 480]); // every order ever requested, once each
    for (const x of f) assert.equal(x.cached, x.served * 4);
  },
});
