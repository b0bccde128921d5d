'use strict';
// Counts duplicated strings in a .heapsnapshot on its own, from the file format (JSON.parse), for
// tests/snapshot/strings_real_test.cc. The rule, as docs/cmd-strings.md states it: nodes of
// type "string" or "concatenated string" with a self size above 0 (as in the file); a
// concatenated string is skipped when its "first" or "second" part has the empty value; its
// value is its parts' values joined left to right, whole parts, stopping once 1024 UTF-16 units
// are reached; strings marked truncated (an internal "truncated" edge to a "bool" number whose
// "value" is "true") are grouped with their "length" and "hash" numbers; a value held by two
// nodes or more is a duplicate.
//
//   node count_strings.js FILE.heapsnapshot   -> JSON {"groups": [{value, truncated, count, self_size, ids}]}
const fs = require('node:fs');

const snap = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const meta = snap.snapshot.meta;
const NF = meta.node_fields.length, EF = meta.edge_fields.length;
const f = (name) => meta.node_fields.indexOf(name);
const [TYPE, NAME, ID, SIZE, EDGES] = ['type', 'name', 'id', 'self_size', 'edge_count'].map(f);
const nodeTypes = meta.node_types[TYPE], edgeTypes = meta.edge_types[0];
const STRING = nodeTypes.indexOf('string'), CONS = nodeTypes.indexOf('concatenated string');
const NUMBER = nodeTypes.indexOf('number'), INTERNAL = edgeTypes.indexOf('internal');
const count = snap.nodes.length / NF;
const firstEdge = new Array(count + 1);
firstEdge[0] = 0;
for (let i = 0; i < count; i++) firstEdge[i + 1] = firstEdge[i] + snap.nodes[i * NF + EDGES];
const type = (n) => snap.nodes[n * NF + TYPE];
const name = (n) => snap.strings[snap.nodes[n * NF + NAME]];
// Internal edges of n: [[name, target], ...].
function internals(n) {
  const out = [];
  for (let e = firstEdge[n]; e < firstEdge[n + 1]; e++) {
    if (snap.edges[e * EF] !== INTERNAL) continue;
    out.push([snap.strings[snap.edges[e * EF + 1]], snap.edges[e * EF + 2] / NF]);
  }
  return out;
}
const part = (n, which) => {
  const hit = internals(n).find(([k]) => k === which);
  return hit ? hit[1] : 0;  // a missing part reads as node 0
};
function value(n) {
  if (type(n) !== CONS) return name(n);
  let out = '';
  const todo = [n];
  while (todo.length && out.length < 1024) {
    const m = todo.pop();
    if (type(m) !== CONS) {
      out += name(m);
    } else {
      todo.push(part(m, 'second'), part(m, 'first'));
    }
  }
  return out;
}
function numberValue(n, kind) {
  if (n === undefined || type(n) !== NUMBER || name(n) !== kind) return undefined;
  const v = internals(n).find(([k]) => k === 'value');
  return v ? name(v[1]) : undefined;
}
const groups = new Map();
for (let n = 0; n < count; n++) {
  if (type(n) !== STRING && type(n) !== CONS) continue;
  if (snap.nodes[n * NF + SIZE] === 0) continue;
  if (type(n) === CONS && internals(n).some(([k, m]) =>
    (k === 'first' || k === 'second') && !(type(m) === nodeTypes.indexOf('object') && name(m) === 'Object') &&
    value(m) === '')) continue;
  const edges = Object.fromEntries(internals(n).reverse());
  const truncated = numberValue(edges.truncated, 'bool') === 'true';
  const key = truncated ? JSON.stringify([value(n), numberValue(edges.length, 'int'), numberValue(edges.hash, 'int')])
                        : JSON.stringify([value(n)]);
  if (!groups.has(key)) groups.set(key, {value: value(n), truncated, count: 0, self_size: 0, ids: []});
  const g = groups.get(key);
  g.count++;
  g.self_size += snap.nodes[n * NF + SIZE];
  g.ids.push(snap.nodes[n * NF + ID]);
}
const dups = [...groups.values()].filter((g) => g.count >= 2);
console.log(JSON.stringify({groups: dups}));
