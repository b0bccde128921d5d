'use strict';
// Healthy (node:http Agent): a notification gateway forwards long-polls to an upstream through
// one shared keep-alive http.Agent. Each long-poll in flight holds a socket of the agent's
// pool, with the agent's per-socket listeners; finished requests return their socket to the
// free list, where the next request reuses it. Per cycle 5 long-polls stay waiting upstream
// and 3 are answered: the agent's busy sockets grow exactly with the long-polls in flight,
// each socket open, while the free list stays small.
const http = require('node:http');
const { series, until, deltas } = require('./harness');

const agent = new http.Agent({ keepAlive: true, maxSockets: 1000 });
const held = new Set(); // the upstream's long-polls waiting, for the facts only
let upstreamSeen = 0;
const upstream = http.createServer((req, res) => {
  upstreamSeen += 1;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.flushHeaders();
  if (req.url.startsWith('/quick')) { res.end('{"events":[]}'); return; }
  held.add(res);
  res.on('close', () => held.delete(res));
});
const upstreamUp = new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));

// The gateway's client side: resolves once the upstream answered the headers (and, for a quick
// poll, the body).
function forward(path) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: upstream.address().port, path, agent }, (res) => {
      res.setEncoding('utf8');
      res.on('data', () => {});
      if (path.startsWith('/quick')) res.on('end', resolve); else resolve(res);
    }).on('error', reject);
  });
}

const key = () => Object.keys(agent.sockets)[0];
const waiting = []; // the long-polls in flight (their responses)
let quick = 0;
series({
  async cycle(n) {
    await upstreamUp;
    for (let i = 0; i < 5; i++) waiting.push(await forward(`/poll/${n}.${i}`));
    for (let i = 0; i < 3; i++) await forward(`/quick/${n}.${i}`);
    quick += 3;
    await until(() => upstreamSeen === waiting.length + quick && held.size === waiting.length, 'upstream state');
  },
  async facts() {
    const busy = agent.sockets[key()] || [];
    const free = Object.values(agent.freeSockets).reduce((s, l) => s + l.length, 0);
    return { busy: busy.length, open: busy.filter((s) => !s.destroyed).length, free, inFlight: held.size };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'busy'), [20, 20]); // grows, with the long-polls in flight
    for (const x of f) {
      assert.equal(x.busy, x.inFlight);
      assert.equal(x.open, x.busy); // every busy socket open
      assert.ok(x.free <= 3);
    }
  },
});
