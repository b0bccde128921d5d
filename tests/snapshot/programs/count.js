#!/usr/bin/env node
// An independent count of a heap snapshot, for comparing with heapscope's loader:
//   node count.js FILE.heapsnapshot  ->  JSON on stdout
// Reads the whole file with JSON.parse (fine for test-sized files) and reports counts, per-type
// node and edge counts, and node counts and self-size totals per (type, name).
'use strict';
const fs = require('fs');
const zlib = require('zlib');

let buf = fs.readFileSync(process.argv[2]);
if (buf[0] === 0x1f && buf[1] === 0x8b) buf = zlib.gunzipSync(buf);
const snap = JSON.parse(buf.toString('utf8'));
const meta = snap.snapshot.meta;
const nf = meta.node_fields.length;
const ef = meta.edge_fields.length;
const typeOff = meta.node_fields.indexOf('type');
const nameOff = meta.node_fields.indexOf('name');
const sizeOff = meta.node_fields.indexOf('self_size');
const edgeTypeOff = meta.edge_fields.indexOf('type');
const nodeTypes = meta.node_types[0];
const edgeTypes = meta.edge_types[0];

const out = {
  node_count: snap.nodes.length / nf,
  edge_count: snap.edges.length / ef,
  string_count: snap.strings.length,
  location_count: meta.location_fields ? snap.locations.length / meta.location_fields.length : 0,
  total_self_size: 0,
  node_types: {},
  edge_types: {},
  names: [],  // [type, name, count, self size total], one per (type, name)
};
const byName = new Map();
for (let i = 0; i < snap.nodes.length; i += nf) {
  const type = nodeTypes[snap.nodes[i + typeOff]];
  const name = snap.strings[snap.nodes[i + nameOff]];
  const size = snap.nodes[i + sizeOff];
  out.total_self_size += size;
  out.node_types[type] = (out.node_types[type] || 0) + 1;
  const key = type + '\0' + name;
  let agg = byName.get(key);
  if (!agg) byName.set(key, agg = [type, name, 0, 0]);
  agg[2] += 1;
  agg[3] += size;
}
out.names = Array.from(byName.values());
for (let i = 0; i < snap.edges.length; i += ef) {
  const type = edgeTypes[snap.edges[i + edgeTypeOff]];
  out.edge_types[type] = (out.edge_types[type] || 0) + 1;
}
process.stdout.write(JSON.stringify(out) + '\n');
