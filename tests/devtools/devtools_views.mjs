// Runs Chrome DevTools' own heap snapshot model (prepared by prepare_model.mjs) on a series of
// snapshots and writes what its Memory panel shows, for compare.mjs and compare_views.mjs:
//
//   node tests/devtools/devtools_views.mjs MODEL_DIR OUT_PREFIX SNAPSHOT...
//
// For snapshot i (0-based): OUT_PREFIX.i.nodes.tsv (per node: id, self size after DevTools'
// reassignment, retained size, distance, dominator id), OUT_PREFIX.i.summary.json (the Summary
// view per class key) and OUT_PREFIX.i.strings.json (the duplicated strings). With two or more
// snapshots, OUT_PREFIX.diff.json: the Comparison view for each consecutive pair and for
// first -> last ({"pairs": [{"base": i, "target": j, "rows": {...}, "collisions": [...]}]}).
// Timings go to stderr as "devtools_ms load=… process=…".
import fs from 'node:fs';
import {comparisonView, duplicateStrings, loadModel, loadSnapshot, summaryView} from './devtools_model.mjs';

const [modelDir, prefix, ...snapshots] = process.argv.slice(2);
if (!modelDir || !prefix || snapshots.length === 0) {
  console.error('usage: devtools_views.mjs MODEL_DIR OUT_PREFIX SNAPSHOT...');
  process.exit(2);
}
const model = await loadModel(modelDir);
const loaded = [];
for (const [i, file] of snapshots.entries()) {
  const {snapshot, loadMs, processMs} = await loadSnapshot(model, file);
  loaded.push(snapshot);
  const {nodes, nodeFieldCount, nodeIdOffset, nodeSelfSizeOffset, nodeCount} = snapshot;
  const lines = ['id\tself_size\tretained_size\tdistance\tdominator'];
  for (let ordinal = 0; ordinal < nodeCount; ordinal++) {
    const base = ordinal * nodeFieldCount;
    const id = nodes.getValue(base + nodeIdOffset);
    const dominatorId = nodes.getValue(snapshot.dominatorsTree[ordinal] * nodeFieldCount + nodeIdOffset);
    lines.push(`${id}\t${nodes.getValue(base + nodeSelfSizeOffset)}\t${snapshot.retainedSizes[ordinal]}\t` +
               `${snapshot.nodeDistances[ordinal]}\t${dominatorId}`);
  }
  fs.writeFileSync(`${prefix}.${i}.nodes.tsv`, lines.join('\n') + '\n');
  fs.writeFileSync(`${prefix}.${i}.summary.json`, JSON.stringify(summaryView(snapshot)));
  fs.writeFileSync(`${prefix}.${i}.strings.json`, JSON.stringify(duplicateStrings(snapshot)));
  console.error(`devtools_ms load=${loadMs.toFixed(1)} process=${processMs.toFixed(1)} nodes=${nodeCount}`);
}
if (loaded.length >= 2) {
  const pairs = [];
  for (let i = 0; i + 1 < loaded.length; i++) pairs.push([i, i + 1]);
  if (loaded.length > 2) pairs.push([0, loaded.length - 1]);
  const out = pairs.map(([b, t]) => ({base: b, target: t, ...comparisonView(loaded[b], loaded[t])}));
  fs.writeFileSync(`${prefix}.diff.json`, JSON.stringify({pairs: out}));
}
process.exit(0);
