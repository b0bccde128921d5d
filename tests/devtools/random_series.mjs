// Writes the next snapshot of a random "process" from a random_snapshot.mjs file, for the
// Comparison view: some nodes are gone (their edges too), new nodes with new ids join (plain
// Objects with property edges, DOM-like natives, objects of the base's names), some surviving
// plain Objects gain a property (so their interface class changes), some native nodes change
// their DOM state, and some self sizes change. Node ids of survivors are kept, as V8 keeps them.
// Deterministic for a seed.
//
//   node tests/devtools/random_series.mjs SEED IN.heapsnapshot OUT.heapsnapshot
import fs from 'node:fs';

const [seedArg, input, output] = process.argv.slice(2);
let seed = Number(seedArg) >>> 0 || 1;
function rand() {  // xorshift32
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 4294967296;
}
const snap = JSON.parse(fs.readFileSync(input, 'utf8'));
const meta = snap.snapshot.meta;
const NF = meta.node_fields.length, EF = meta.edge_fields.length;
const nodeTypes = meta.node_types[0], edgeTypes = meta.edge_types[0];
const strings = snap.strings;
const str = s => {
  let i = strings.indexOf(s);
  if (i < 0) { i = strings.length; strings.push(s); }
  return i;
};
// Nodes as records; edges as [from, type, nameOrIndex, to] by ordinal.
const nodes = [], edges = [];
let maxId = 0;
for (let i = 0, e = 0; i < snap.nodes.length / NF; i++) {
  const f = snap.nodes.slice(i * NF, (i + 1) * NF);
  nodes.push(f);
  maxId = Math.max(maxId, f[2]);
  for (let k = 0; k < f[4]; k++, e++) {
    const [t, n, to] = snap.edges.slice(e * EF, (e + 1) * EF);
    edges.push([i, t, n, to / NF]);
  }
}
const keep = nodes.map((_, i) => i < 10 || rand() > 0.12);  // the roots stay
const T = name => nodeTypes.indexOf(name), E = name => edgeTypes.indexOf(name);
const add = (type, name, size, detachedness = 0) => {
  maxId += 2;
  nodes.push([T(type), str(name), maxId, size, 0, 0, detachedness]);
  keep.push(true);
  return nodes.length - 1;
};
const pickKept = () => {
  for (;;) {
    const i = Math.floor(rand() * nodes.length);
    if (keep[i]) return i;
  }
};
const base = nodes.length;
for (let i = 0; i < base * 0.15; i++) {
  const r = rand();
  let n;
  if (r < 0.4) {
    n = add('object', 'Object', 16 + Math.floor(rand() * 40));
    const props = [['a', 'b'], ['a', 'b', 'c'], ['map'], ['b', 'a'], ['elements', 'a']][Math.floor(rand() * 5)];
    for (const p of props) edges.push([n, E('property'), str(p), pickKept()]);
  } else if (r < 0.6) {
    n = add('native', ['<div id=n>', '<span class="s">', 'Text'][Math.floor(rand() * 3)], 40, [0, 1, 2][Math.floor(rand() * 3)]);
  } else {
    const f = nodes[pickKept()];
    n = add(nodeTypes[f[0]], strings[f[1]], 1 + Math.floor(rand() * 200));
  }
  edges.push([pickKept(), E(rand() < 0.8 ? 'property' : 'internal'), str('n' + (i % 7)), n]);
  if (rand() < 0.5) edges.push([n, E('internal'), str('x'), pickKept()]);
}
for (let i = 0; i < base; i++) {
  if (!keep[i]) continue;
  const f = nodes[i];
  if (nodeTypes[f[0]] === 'object' && strings[f[1]] === 'Object' && rand() < 0.2) {
    edges.push([i, E('property'), str('late'), pickKept()]);
  }
  if (nodeTypes[f[0]] === 'native' && rand() < 0.2) f[6] = Math.floor(rand() * 3);
  if (rand() < 0.05) f[3] = Math.floor(rand() * 300);
}
// Renumber and serialize, edges grouped by source in node order.
const ordinal = new Array(nodes.length).fill(-1);
let count = 0;
for (let i = 0; i < nodes.length; i++) if (keep[i]) ordinal[i] = count++;
const kept = edges.filter(([from, , , to]) => keep[from] && keep[to]).sort((a, b) => ordinal[a[0]] - ordinal[b[0]]);
const edgeCounts = new Array(count).fill(0);
for (const e of kept) edgeCounts[ordinal[e[0]]]++;
const outNodes = [];
for (let i = 0; i < nodes.length; i++) {
  if (!keep[i]) continue;
  const f = nodes[i].slice();
  f[4] = edgeCounts[ordinal[i]];
  outNodes.push(f.join(','));
}
snap.snapshot.node_count = count;
snap.snapshot.edge_count = kept.length;
const parts = [`{"snapshot":${JSON.stringify(snap.snapshot)},\n"nodes":[`, outNodes.join(',\n'), '],\n"edges":[',
  kept.map(([, t, n, to]) => `${t},${n},${ordinal[to] * NF}`).join(',\n'),
  '],\n"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[],\n"strings":[',
  strings.map(s => JSON.stringify(s)).join(',\n'), ']}\n'];
fs.writeFileSync(output, parts.join(''));
