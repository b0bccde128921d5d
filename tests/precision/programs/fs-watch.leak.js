'use strict';
// Leak (node:fs FSWatcher): a log viewer's GET /follow streams a log file as it changes, with
// fs.watch(file, listener) per request, and the 'close' handler forgets watcher.close(). The
// watchers stay registered with the OS, each with its 'change' listener holding the departed
// client's destroyed response. Listener marked `site`; 5 clients follow the log and leave per
// cycle.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { series, until, deltas } = require('./harness');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-watch-leak-'));
const logFile = path.join(dir, 'app.log');
fs.writeFileSync(logFile, 'started\n');
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const probe = { gen: 0, gone: 0, live: 0 };
let closes = 0;

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  let seen = 0;
  let offset = fs.statSync(logFile).size;
  fs.watch(logFile, () => { // site
    if (seen !== probe.gen) { seen = probe.gen; if (res.destroyed) probe.gone += 1; else probe.live += 1; }
    if (res.destroyed) return;
    const size = fs.statSync(logFile).size;
    if (size > offset) { res.write(`${size - offset} new bytes\n`); offset = size; }
  });
  res.on('close', () => { closes += 1; }); // forgets watcher.close()
  res.write('following\n');
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

function visit(id) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.address().port, path: `/follow?c=${id}`,
      agent: false }, (res) => { res.once('data', () => { req.destroy(); resolve(); }); });
    req.on('error', (err) => (err.code === 'ECONNRESET' ? resolve() : reject(err)));
  });
}

const watchers = () => process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;
let visits = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) await visit(`${n}.${i}`);
    visits += 5;
    await until(() => closes === visits, 'server-side close events');
  },
  async facts() {
    const count = watchers();
    probe.gen += 1; probe.gone = 0; probe.live = 0;
    fs.appendFileSync(logFile, `probe ${probe.gen}\n`);
    await until(() => probe.gone + probe.live === count, 'every watcher to see the probe line');
    return { watchers: count, gone: probe.gone, live: probe.live };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'watchers'), [20, 20]);
    for (const x of f) {
      assert.equal(x.live, 0);
      assert.equal(x.gone, x.watchers); // every watcher's response is destroyed
    }
  },

});
