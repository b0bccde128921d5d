'use strict';
// Healthy twin of interval-socket.leak.js (node:net + timers): the same telemetry server, but
// the heartbeat is cleared on the socket's 'close'. Per cycle 5 clients connect and stay, 3
// come and go: intervals grow exactly with the live sockets.
const net = require('node:net');
const { series, until, deltas, netConnect, netVisit } = require('./harness');

let closes = 0;
let accepted = 0;
const server = net.createServer((socket) => {
  accepted += 1;
  const session = { socket, samples: [], last: Date.now() };
  const heartbeat = setInterval(() => {
    if (!socket.destroyed) socket.write(`ping ${session.samples.length}\n`);
  }, 3_600_000);
  socket.on('data', (buf) => { session.samples.push(buf.length); session.last = Date.now(); });
  socket.on('end', () => socket.end());
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    closes += 1;
    clearInterval(heartbeat);
  });
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const connected = [];
let leaves = 0;
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
series({
  async cycle(n) {
    await listening;
    const port = server.address().port;
    for (let i = 0; i < 5; i++) connected.push(await netConnect(port, `sample ${n}\n`));
    for (let i = 0; i < 3; i++) await netVisit(port, `sample ${n}\n`);
    leaves += 3;
    await until(() => closes === leaves && accepted === connected.length + leaves, 'server state');
  },
  facts: () => ({ timers: timers(), live: accepted - closes }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'timers'), [20, 20]);
    for (const x of f) assert.equal(x.timers, x.live); // one interval per live socket
  },
});
