'use strict';
// Healthy (dataloader 2.2.3 + lru-cache 11.5.4): a product API shares one DataLoader across
// requests on purpose (products change rarely) and bounds its memo with an LRUCache passed as
// `cacheMap`. The cache is full and churning: 300 products at every snapshot, each of them
// loaded after the previous snapshot, while the requests served and the keys ever loaded grow.
const http = require('node:http');
const DataLoader = require('dataloader');
const { LRUCache } = require('lru-cache');
const { series, until, deltas, httpGet } = require('./harness');

const db = { queries: 0, rows: 0 };
async function fetchProducts(ids) {
  db.queries += 1;
  db.rows += ids.length;
  return ids.map((id) => ({ id, name: `product ${id}`, price: id.length * 3,
    description: `a product called ${id} `.repeat(6) }));
}
const products = new DataLoader(fetchProducts, { cacheMap: new LRUCache({ max: 300 }) });

let served = 0;
const server = http.createServer(async (req, res) => {
  const ids = new URL(req.url, 'http://x').searchParams.get('ids').split(',');
  const rows = await products.loadMany(ids);
  served += 1;
  res.end(JSON.stringify(rows.map((r) => ({ id: r.id, price: r.price }))));
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

let generation = 0;
series({
  async cycle(n) {
    await listening;
    const port = server.address().port;
    for (let i = 0; i < 25; i++) {
      const ids = Array.from({ length: 4 }, (_, k) => `p${n}-${i}-${k}`).join(',');
      await httpGet(port, `/products?ids=${ids}`);
    }
    await until(() => served === (n + 1) * 25, 'the requests to be served');
  },
  async facts() {
    const cache = products._cacheMap;
    const keys = [...cache.keys()];
    const gen = generation++;
    // ids loaded in the cycles since the previous snapshot: p<cycle>-…, cycles 4*gen .. 4*gen+3
    const fresh = keys.filter((k) => Math.floor(Number(k.slice(1, k.indexOf('-'))) / 4) === gen).length;
    return { cached: cache.size, fresh, loaded: db.rows, served };
  },
  check(f, assert) {
    assert.deepEqual(f.map((x) => x.cached), [300, 300, 300]);
    for (const x of f) assert.equal(x.fresh, 300); // all loaded since the previous snapshot
    assert.deepEqual(deltas(f, 'loaded'), [400, 400]);
  },
});
