'use strict';
// Listeners that leak through a two-level call path (join -> subscribe -> bus.on), with heap
// snapshots taken while allocation tracking is on. Modes (argv[2]):
//   flag       run under `node --track-heap-objects`; v8.writeHeapSnapshot
//   inspector  HeapProfiler.startTrackingHeapObjects in-process, takeHeapSnapshot over the session
//   mixed      the baseline untracked, target and final tracked (inspector)
// Writes DIR/{baseline,target,final}.heapsnapshot (argv[3]).
const { EventEmitter } = require('events');
const fs = require('fs');
const inspector = require('inspector');
const v8 = require('v8');

const [, , mode, dir] = process.argv;
const bus = new EventEmitter();
bus.setMaxListeners(0);

function subscribe(room) {
  bus.on('message', (text) => room.push(text));
}

function join(count) {
  for (let i = 0; i < count; i++) subscribe([]);
}

const session = new inspector.Session();
session.connect();
const post = (method, params = {}) =>
  new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));

async function snapshot(label) {
  const file = `${dir}/${label}.heapsnapshot`;
  if (mode === 'flag') return v8.writeHeapSnapshot(file);
  const chunks = [];
  const onChunk = (m) => chunks.push(m.params.chunk);
  session.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  session.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  fs.writeFileSync(file, chunks.join(''));
  return file;
}

(async () => {
  await post('HeapProfiler.enable');
  if (mode === 'inspector') await post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true });
  for (const label of ['baseline', 'target', 'final']) {
    join(30);
    await snapshot(label);
    if (mode === 'mixed' && label === 'baseline')
      await post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true });
  }
  if (mode !== 'flag') await post('HeapProfiler.stopTrackingHeapObjects', { reportProgress: false });
  session.disconnect();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
