'use strict';
// Leak (node:stream Readable.pipe): an ingestion endpoint appends every upload to one shared,
// long-lived archive stream with req.pipe(archive, { end: false }). pipe() removes its
// listeners from the destination only when the source ends; an upload the client aborts is
// destroyed without 'end', so pipe()'s 'unpipe', 'error', 'close' and 'finish' listeners stay
// on the archive, holding the aborted request. The pipe() call is marked `site` (the listeners
// are node:stream's own); 5 uploads are aborted half-way per cycle.
const http = require('node:http');
const { Writable } = require('node:stream');
const { series, until, deltas } = require('./harness');

const archive = new Writable({
  write(chunk, encoding, done) { archive.bytes += chunk.length; done(); },
});
archive.bytes = 0;
archive.setMaxListeners(0);
let arrived = 0;
let closes = 0;

const server = http.createServer((req, res) => {
  arrived += 1;
  req.pipe(archive, { end: false }); // site
  req.on('end', () => res.end('stored\n'));
  req.on('close', () => { closes += 1; });
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

// Starts an upload, sends the first part, waits until the server stored it, aborts.
async function abortedUpload(id) {
  const req = http.request({ host: '127.0.0.1', port: server.address().port, method: 'POST',
    path: `/ingest?u=${id}`, agent: false, headers: { 'content-length': 4096 } });
  req.on('error', () => {});
  const before = archive.bytes;
  req.write(Buffer.alloc(1024, 'a'));
  await until(() => archive.bytes >= before + 1024, 'the first part to be stored');
  req.destroy();
}

let uploads = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) await abortedUpload(`${n}.${i}`);
    uploads += 5;
    await until(() => closes === uploads, 'server-side close events');
  },
  async facts() {
    const pipes = archive.listenerCount('unpipe');
    return { pipes, close: archive.listenerCount('close'), finish: archive.listenerCount('finish'),
      aborted: closes, arrived };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'pipes'), [20, 20]);
    for (const x of f) {
      assert.equal(x.pipes, x.aborted); // one pipe left behind per aborted upload
      assert.equal(x.close, x.pipes);
      assert.equal(x.finish, x.pipes);
    }
  },
});
