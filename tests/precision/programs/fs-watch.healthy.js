'use strict';
// Healthy twin of fs-watch.leak.js (node:fs FSWatcher): the same GET /follow, with the watcher
// closed when the response closes. Per cycle 5 clients follow the log and stay, 3 follow and
// leave: the watchers and their 'change' listeners grow exactly with the connected followers,
// each response open.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { series, until, deltas } = require('./harness');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-watch-healthy-'));
const logFile = path.join(dir, 'app.log');
fs.writeFileSync(logFile, 'started\n');
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const probe = { gen: 0, gone: 0, live: 0 };
let accepted = 0;
let closes = 0;

const server = http.createServer((req, res) => {
  accepted += 1;
  res.writeHead(200, { 'content-type': 'text/plain' });
  let seen = 0;
  let offset = fs.statSync(logFile).size;
  const watcher = fs.watch(logFile, () => {
    if (seen !== probe.gen) { seen = probe.gen; if (res.destroyed) probe.gone += 1; else probe.live += 1; }
    const size = fs.statSync(logFile).size;
    if (size > offset) { res.write(`${size - offset} new bytes\n`); offset = size; }
  });
  res.on('close', () => { closes += 1; watcher.close(); });
  res.write('following\n');
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

function follow(id) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.address().port, path: `/follow?c=${id}`,
      agent: false }, (res) => { res.once('data', () => { res.on('data', () => {}); resolve(req); }); });
    req.on('error', (err) => (err.code === 'ECONNRESET' ? resolve(req) : reject(err)));
  });
}

const watchers = () => process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;
const followers = []; // the clients that stay
let leaves = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) followers.push(await follow(`${n}.${i}`));
    for (let i = 0; i < 3; i++) (await follow(`v${n}.${i}`)).destroy();
    leaves += 3;
    await until(() => closes === leaves && accepted === followers.length + leaves, 'server state');
  },
  async facts() {
    const count = watchers();
    probe.gen += 1; probe.gone = 0; probe.live = 0;
    fs.appendFileSync(logFile, `probe ${probe.gen}\n`);
    await until(() => probe.gone + probe.live === count, 'every watcher to see the probe line');
    return { watchers: count, gone: probe.gone, live: probe.live, connected: accepted - closes };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'watchers'), [20, 20]); // grows, with the connected followers
    for (const x of f) {
      assert.equal(x.gone, 0);
      assert.equal(x.live, x.watchers); // every watcher's response is open
      assert.equal(x.connected, x.watchers);
    }
  },

});
