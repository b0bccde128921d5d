// Runs Chrome DevTools' own heap snapshot model (as prepared by prepare_model.mjs) on one
// .heapsnapshot file and writes, for every node, what the Memory panel shows:
//
//   node tests/devtools/devtools_dump.mjs MODEL_DIR SNAPSHOT OUT.tsv   (OUT "-": timings only)
//
// OUT.tsv: a header line, then one line per node in node order:
//   id <TAB> self_size (after DevTools' reassignment) <TAB> retained_size <TAB> distance
//   <TAB> dominator id
// Timing of the load and of the processing goes to stderr as "devtools_ms load=… process=…".
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {pathToFileURL} from 'node:url';
import {MessageChannel} from 'node:worker_threads';

// Node 20 lacks Promise.withResolvers, which DevTools uses.
if (!Promise.withResolvers) {
  Promise.withResolvers = function() {
    let resolve, reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return {promise, resolve, reject};
  };
}

const [modelDir, snapshotPath, outPath] = process.argv.slice(2);
if (!modelDir || !snapshotPath || !outPath) {
  console.error('usage: devtools_dump.mjs MODEL_DIR SNAPSHOT OUT.tsv');
  process.exit(2);
}
const worker = path.join(path.resolve(modelDir), 'entrypoints/heap_snapshot_worker');
const {HeapSnapshotLoader} = await import(pathToFileURL(path.join(worker, 'HeapSnapshotLoader.js')).href);
const {SecondaryInitManager} = await import(pathToFileURL(path.join(worker, 'HeapSnapshot.js')).href);

const t0 = performance.now();
// The loader takes text chunks, as the Memory panel streams them.
const dispatcher = {sendEvent() {}};
const loader = new HeapSnapshotLoader(dispatcher);
const decoder = new TextDecoder('utf-8');
// Plain or gzip (by magic bytes), like heapscope.
const magic = Buffer.alloc(2);
const fd = fs.openSync(snapshotPath, 'r');
fs.readSync(fd, magic, 0, 2, 0);
fs.closeSync(fd);
let stream = fs.createReadStream(snapshotPath, {highWaterMark: 1 << 20});
if (magic[0] === 0x1f && magic[1] === 0x8b) stream = stream.pipe(zlib.createGunzip());
for await (const chunk of stream) loader.write(decoder.decode(chunk, {stream: true}));
const tail = decoder.decode();
if (tail) loader.write(tail);
loader.close();
await loader.parsingComplete;
const t1 = performance.now();

// Dominators and retained sizes run in a "second worker" in DevTools; a MessageChannel in this
// thread gives the same results (HEAP-FORMAT.md §8).
const channel = new MessageChannel();
new SecondaryInitManager(channel.port2);
const snapshot = await loader.buildSnapshot(channel.port1);
const t2 = performance.now();

if (outPath === '-') {  // benchmark mode: timings only
  console.error(`devtools_ms load=${(t1 - t0).toFixed(1)} process=${(t2 - t1).toFixed(1)} ` +
                `total=${(t2 - t0).toFixed(1)} nodes=${snapshot.nodeCount}`);
  process.exit(0);
}
const {nodes, nodeFieldCount, nodeIdOffset, nodeSelfSizeOffset, nodeCount} = snapshot;
const lines = ['id\tself_size\tretained_size\tdistance\tdominator'];
for (let ordinal = 0; ordinal < nodeCount; ordinal++) {
  const base = ordinal * nodeFieldCount;
  const id = nodes.getValue(base + nodeIdOffset);
  const dominatorId = nodes.getValue(snapshot.dominatorsTree[ordinal] * nodeFieldCount + nodeIdOffset);
  lines.push(`${id}\t${nodes.getValue(base + nodeSelfSizeOffset)}\t${snapshot.retainedSizes[ordinal]}\t` +
             `${snapshot.nodeDistances[ordinal]}\t${dominatorId}`);
}
fs.writeFileSync(outPath, lines.join('\n') + '\n');
console.error(`devtools_ms load=${(t1 - t0).toFixed(1)} process=${(t2 - t1).toFixed(1)} ` +
              `total=${(t2 - t0).toFixed(1)} nodes=${nodeCount}`);
channel.port1.close();
channel.port2.close();
process.exit(0);
