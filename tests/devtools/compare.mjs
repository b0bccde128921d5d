// Compares DevTools' per-node figures (devtools_dump.mjs output) with heapscope's
// (`heapscope retained SNAPSHOT --top 0 --format json`), node by node, keyed by node id:
// self size (after reassignment), retained size, distance and dominator id.
//
//   node tests/devtools/compare.mjs DEVTOOLS.tsv HEAPSCOPE.json [LABEL]
//
// Prints one summary line per field and the first differences; exits 1 on any difference.
// DevTools keeps node ids in a Uint32Array, so a file with 64-bit ids (Julia's addresses) has
// them modulo 2^32 there; heapscope's exact ids are compared modulo 2^32 too (`>>> 0`), and a
// collision of two ids modulo 2^32 is an error, not a silent match.
import fs from 'node:fs';

const [dtPath, hsPath, label = hsPath] = process.argv.slice(2);
const dt = new Map();
const rows = fs.readFileSync(dtPath, 'utf8').trim().split('\n').slice(1);
for (const row of rows) {
  const [id, self, retained, distance, dominator] = row.split('\t').map(Number);
  if (dt.has(id)) throw new Error(`${dtPath}: duplicate node id ${id}`);
  dt.set(id, {self, retained, distance, dominator});
}
const hs = JSON.parse(fs.readFileSync(hsPath, 'utf8'));
const seen = new Set();
for (const node of hs) {
  node.id = node.id >>> 0;
  node.dominator = node.dominator >>> 0;
  if (seen.has(node.id)) throw new Error(`${hsPath}: two node ids equal modulo 2^32: ${node.id}`);
  seen.add(node.id);
}

const fields = [
  ['self_size', 'self'],
  ['retained_size', 'retained'],
  ['distance', 'distance'],
  ['dominator', 'dominator'],
];
const mismatches = Object.fromEntries(fields.map(([f]) => [f, []]));
let missing = 0;
for (const node of hs) {
  const d = dt.get(node.id);
  if (!d) {
    missing++;
    continue;
  }
  for (const [hf, df] of fields) {
    if (node[hf] !== d[df]) mismatches[hf].push(`@${node.id} ${node.type} "${node.name.slice(0, 40)}": heapscope ${node[hf]} devtools ${d[df]}`);
  }
}
let bad = missing !== 0 || hs.length !== dt.size;
console.log(`${label}: ${hs.length} nodes (devtools ${dt.size}), missing ${missing}`);
for (const [f] of fields) {
  const m = mismatches[f];
  console.log(`  ${f.padEnd(13)} ${hs.length - m.length}/${hs.length} equal`);
  for (const line of m.slice(0, 10)) console.log(`    ${line}`);
  if (m.length) bad = true;
}
process.exit(bad ? 1 : 0);
