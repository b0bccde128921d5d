'use strict';
// Healthy twin of dataloader-shared.leak.js (dataloader 2.2.3): the documented use, one
// DataLoader per request, kept on the request's context. The requests are slow reports that
// stay in flight (the report is sent when the client asks for it): per cycle 5 reports start
// and stay open, each holding its own loader with 8 cached orders, and 3 reports finish. The
// loaders alive, and their cached orders, grow exactly with the reports in flight.
const http = require('node:http');
const DataLoader = require('dataloader');
const { series, until, deltas } = require('./harness');

const db = { queries: 0 };
async function fetchOrders(ids) {
  db.queries += 1;
  return ids.map((id) => ({ id, total: id.length * 7, lines: [{ sku: `sku-${id}`, qty: 1 }],
    note: `order ${id} `.repeat(8) }));
}

const inFlight = new Set(); // the contexts of the reports in flight, for the facts only
let started = 0;
let closes = 0;

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const ctx = { loader: new DataLoader(fetchOrders), res };
  inFlight.add(ctx);
  res.on('close', () => { closes += 1; inFlight.delete(ctx); });
  const ids = Array.from({ length: 8 }, (_, k) => `${url.searchParams.get('r')}-${k}`);
  const rows = await ctx.loader.loadMany(ids);
  started += 1;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write(`{"orders":${rows.length}`);
  if (url.searchParams.get('quick')) res.end('}');
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

// Starts a report; resolves with the client request once the headers arrived.
function report(id, quick) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.address().port,
      path: `/report?r=${id}${quick ? '&quick=1' : ''}`, agent: false }, (res) => {
      res.resume();
      if (quick) res.on('end', () => resolve(req)); else resolve(req);
    });
    req.on('error', reject);
  });
}

const open = []; // the reports that stay in flight
let quick = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) open.push(await report(`r${n}.${i}`, false));
    for (let i = 0; i < 3; i++) await report(`q${n}.${i}`, true);
    quick += 3;
    await until(() => closes === quick && started === open.length + quick, 'server state');
  },
  async facts() {
    const loaders = [...inFlight];
    return { loaders: loaders.length, cached: loaders.reduce((s, c) => s + c.loader._cacheMap.size, 0),
      largest: Math.max(...loaders.map((c) => c.loader._cacheMap.size)),
      open: loaders.filter((c) => !c.res.writableEnded && !c.res.destroyed).length };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'loaders'), [20, 20]); // grows, with the reports in flight
    assert.deepEqual(f.map((x) => x.cached), [160, 320, 480]);
    for (const x of f) {
      assert.equal(x.largest, 8); // no loader outlives its request, none grows past its report
      assert.equal(x.open, x.loaders);
    }
  },
});
