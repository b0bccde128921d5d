'use strict';
// Leak (node:net + timers): a telemetry server starts a per-connection heartbeat with
// setInterval() whose callback captures the socket, and never clears it. The clients hang up;
// each destroyed socket, with its own 'data', 'end' and 'error' listeners, is kept alive by
// the interval. The cause is the interval callback (marked `site`), not the sockets'
// listeners it keeps. 5 clients per cycle.
const net = require('node:net');
const { series, until, deltas, netVisit } = require('./harness');

let closes = 0;
const server = net.createServer((socket) => {
  const session = { socket, samples: [], last: Date.now() };
  setInterval(() => { // site
    if (!socket.destroyed) socket.write(`ping ${session.samples.length}\n`);
  }, 3_600_000);
  socket.on('data', (buf) => { session.samples.push(buf.length); session.last = Date.now(); });
  socket.on('end', () => socket.end());
  socket.on('error', () => socket.destroy());
  socket.on('close', () => { closes += 1; });
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

let visits = 0;
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) await netVisit(server.address().port, `sample ${n}\n`);
    visits += 5;
    await until(() => closes === visits, 'server-side close events');
  },
  facts: () => ({ timers: timers(), closed: closes }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'timers'), [20, 20]);
    for (const x of f) assert.equal(x.closed, x.timers); // one live interval per dead socket
  },
});
