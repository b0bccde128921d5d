'use strict';
// Healthy twin of stream-pipe.leak.js (node:stream Readable.pipe): the same shared archive and
// req.pipe(archive, { end: false }), with uploads that complete. The clients are slow: per
// cycle 5 uploads start and are still streaming at every snapshot, 3 complete (their pipe
// unpipes on 'end'). pipe()'s listeners on the archive grow exactly with the uploads in
// progress, each request still open.
const http = require('node:http');
const { Writable } = require('node:stream');
const { series, until, deltas } = require('./harness');

const archive = new Writable({
  write(chunk, encoding, done) { archive.bytes += chunk.length; done(); },
});
archive.bytes = 0;
archive.setMaxListeners(0);
const streaming = new Set(); // the server's uploads in progress, for the facts only
let arrived = 0;
let stored = 0;

const server = http.createServer((req, res) => {
  arrived += 1;
  streaming.add(req);
  req.pipe(archive, { end: false });
  req.on('end', () => { stored += 1; streaming.delete(req); res.end('stored\n'); });
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

// Starts an upload and sends its first part; resolves with the client request once stored.
async function startUpload(id) {
  const req = http.request({ host: '127.0.0.1', port: server.address().port, method: 'POST',
    path: `/ingest?u=${id}`, agent: false, headers: { 'content-length': 4096 } });
  req.on('error', () => {});
  req.on('response', (res) => res.resume());
  const before = archive.bytes;
  req.write(Buffer.alloc(1024, 'a'));
  await until(() => archive.bytes >= before + 1024, 'the first part to be stored');
  return req;
}

const uploading = []; // the slow uploads
let completed = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) uploading.push(await startUpload(`${n}.${i}`));
    for (let i = 0; i < 3; i++) (await startUpload(`q${n}.${i}`)).end(Buffer.alloc(3072, 'b'));
    completed += 3;
    await until(() => stored === completed && arrived === uploading.length + completed, 'server state');
  },
  async facts() {
    const open = [...streaming].filter((r) => !r.destroyed && !r.readableEnded).length;
    return { pipes: archive.listenerCount('unpipe'), close: archive.listenerCount('close'),
      inProgress: streaming.size, open };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'pipes'), [20, 20]); // grows, with the uploads in progress
    for (const x of f) {
      assert.equal(x.pipes, x.inProgress);
      assert.equal(x.close, x.pipes);
      assert.equal(x.open, x.inProgress); // every piped request is open and still streaming
    }
  },
});
