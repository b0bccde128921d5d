// Chrome DevTools' own heap snapshot model (as prepared by prepare_model.mjs), loaded under Node,
// and the views heapscope is compared with: the Summary (per class), the Comparison (per class,
// between two snapshots) and the duplicated strings. Every figure comes from DevTools' code;
// this file only calls it and reshapes its results into plain JSON.
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

export async function loadModel(modelDir) {
  const worker = path.join(path.resolve(modelDir), 'entrypoints/heap_snapshot_worker');
  const {HeapSnapshotLoader} = await import(pathToFileURL(path.join(worker, 'HeapSnapshotLoader.js')).href);
  const {SecondaryInitManager} = await import(pathToFileURL(path.join(worker, 'HeapSnapshot.js')).href);
  return {HeapSnapshotLoader, SecondaryInitManager};
}

let nextUid = 1;

// Streams the file (plain or gzip) into DevTools' loader, as the Memory panel does, and builds
// the snapshot with a MessageChannel standing in for the second worker.
export async function loadSnapshot(model, snapshotPath) {
  const t0 = performance.now();
  const loader = new model.HeapSnapshotLoader({sendEvent() {}});
  const decoder = new TextDecoder('utf-8');
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
  const channel = new MessageChannel();
  new model.SecondaryInitManager(channel.port2);
  const snapshot = await loader.buildSnapshot(channel.port1);
  const t2 = performance.now();
  channel.port1.close();
  channel.port2.close();
  snapshot.uid = nextUid++;
  return {snapshot, loadMs: t1 - t0, processMs: t2 - t1};
}

// DevTools' #classKeyFromClassKey: internal keys (string indices) become ",name".
function publicKey(snapshot, internalKey) {
  return typeof internalKey === 'number' ? ',' + snapshot.strings[internalKey] : internalKey;
}

// Internal class keys that share a public key. DevTools' getAggregatesByClassKey then keeps only
// the last of them (the others' objects vanish from its views); heapscope counts them all.
export function collisions(snapshot) {
  const byPublic = new Map();
  for (const [k, a] of snapshot.buildAggregates()) {
    const pk = publicKey(snapshot, k);
    if (!byPublic.has(pk)) byPublic.set(pk, []);
    byPublic.get(pk).push(a);
  }
  return new Map([...byPublic].filter(([, list]) => list.length > 1));
}

// The Summary view: {key: {name, count, self_size, retained_size, distance}} from DevTools'
// getAggregatesByClassKey (what aggregatesWithFilter gives the Summary grid without a filter).
// Classes whose internal keys collide are replaced by the union of their internal aggregates:
// counts and self sizes summed, the minimum distance, and the retained size of the union's
// outermost members in DevTools' dominator tree.
export function summaryView(snapshot) {
  const rows = {};
  const aggregates = snapshot.getAggregatesByClassKey(false, 'allObjects');
  for (const key of Object.keys(aggregates)) {
    const a = aggregates[key];
    rows[key] = {name: a.name, count: a.count, self_size: a.self, retained_size: a.maxRet, distance: a.distance};
  }
  const clashes = collisions(snapshot);
  if (clashes.size) {
    const retained = outermostRetained(snapshot, new Set(clashes.keys()));
    for (const [key, list] of clashes) {
      rows[key] = {
        name: list[0].name,
        count: list.reduce((s, a) => s + a.count, 0),
        self_size: list.reduce((s, a) => s + a.self, 0),
        retained_size: retained.get(key),
        distance: Math.min(...list.map(a => a.distance)),
      };
    }
  }
  return {rows, collisions: [...clashes.keys()]};
}

// calculateClassesRetainedSize's rule over public keys, for the given keys only: a member adds
// its retained size unless a dominator-tree ancestor is a member of the same class.
function outermostRetained(snapshot, keys) {
  const {nodeFieldCount, firstDominatedNodeIndex, dominatedNodes, retainedSizes} = snapshot;
  const node = snapshot.createNode(0);
  const out = new Map([...keys].map(k => [k, 0]));
  const open = new Map();  // key -> depth count of members on the current tree path
  const stack = [[snapshot.rootNodeIndexInternal, false]];
  while (stack.length) {
    const [nodeIndex, leaving] = stack.pop();
    node.nodeIndex = nodeIndex;
    const key = node.selfSize() ? publicKey(snapshot, node.classKeyInternal()) : null;
    const member = key !== null && keys.has(key);
    if (leaving) {
      if (member) open.set(key, open.get(key) - 1);
      continue;
    }
    if (member) {
      if (!open.get(key)) out.set(key, out.get(key) + retainedSizes[nodeIndex / nodeFieldCount]);
      open.set(key, (open.get(key) || 0) + 1);
    }
    stack.push([nodeIndex, true]);
    const ordinal = nodeIndex / nodeFieldCount;
    for (let i = firstDominatedNodeIndex[ordinal]; i < firstDominatedNodeIndex[ordinal + 1]; i++) {
      stack.push([dominatedNodes[i], false]);
    }
  }
  return out;
}

// The Comparison view of `target` against `base`, as HeapSnapshotDiffDataGrid computes it: the
// target's interface definitions applied to the base (aggregatesForDiff), then the target's
// calculateSnapshotDiff. {key: {name, new, deleted, delta, alloc_size, freed_size, size_delta,
// new_ids}}. Colliding classes are diffed over the union of their internal aggregates with
// DevTools' own calculateDiffForClass.
export function comparisonView(base, target) {
  const definitions = target.interfaceDefinitions();
  const baseAggregates = base.aggregatesForDiff(definitions);
  const diff = target.calculateSnapshotDiff(base.uid, baseAggregates);
  const rows = {};
  for (const key of Object.keys(diff)) rows[key] = diffRow(diff[key]);

  // Collisions on either side: recompute those classes from the internal aggregates.
  const targetClashes = collisions(target);
  const original = base.interfaceDefinitions();
  base.applyInterfaceDefinitions(JSON.parse(definitions));
  const baseClashes = collisions(base);
  const keys = new Set([...targetClashes.keys(), ...baseClashes.keys()]);
  if (keys.size) {
    const baseUnion = unionForDiff(base, keys);
    const targetUnion = unionForDiff(target, keys);
    for (const key of keys) {
      const b = baseUnion.get(key) || {name: '', ids: [], indexes: [], selfSizes: []};
      const t = targetUnion.get(key);
      const d = target.calculateDiffForClass(b, t && {name: t.name, idxs: t.indexes});
      if (d) rows[key] = diffRow(d); else delete rows[key];
    }
  }
  base.applyInterfaceDefinitions(JSON.parse(original));
  return {rows, collisions: [...keys]};
}

function diffRow(d) {
  return {
    name: d.name, new: d.addedCount, deleted: d.removedCount, delta: d.countDelta,
    alloc_size: d.addedSize, freed_size: d.removedSize, size_delta: d.sizeDelta, new_ids: d.addedIds,
  };
}

// Members (self size > 0) of the given public keys, sorted by id as aggregatesForDiff sorts them.
function unionForDiff(snapshot, keys) {
  const out = new Map();
  for (const [k, a] of snapshot.buildAggregates()) {
    const pk = publicKey(snapshot, k);
    if (!keys.has(pk)) continue;
    if (!out.has(pk)) out.set(pk, {name: a.name, nodes: []});
    out.get(pk).nodes.push(...a.idxs);
  }
  const node = snapshot.createNode(0);
  for (const entry of out.values()) {
    const withIds = entry.nodes.map(i => {
      node.nodeIndex = i;
      return [node.id(), i, node.selfSize()];
    }).sort((x, y) => x[0] - y[0]);
    entry.ids = withIds.map(x => x[0]);
    entry.indexes = withIds.map(x => x[1]);
    entry.selfSizes = withIds.map(x => x[2]);
  }
  return out;
}

// DevTools' duplicated-strings view (getDuplicateStrings): groups of equal string values.
export function duplicateStrings(snapshot) {
  return snapshot.getDuplicateStrings().map(g => ({
    value: g.value, count: g.count, self_size: g.totalSelfSize, retained_size: g.totalRetainedSize,
    truncated: g.truncated, length: g.length, hash: g.hash, ids: g.nodes.map(n => n.id).sort((a, b) => a - b),
  }));
}
