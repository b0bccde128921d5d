// Writes a random V8-format heap snapshot that exercises every DevTools rule heapscope
// reproduces: weak and shortcut edges everywhere, root shortcuts (page-owned nodes), WeakMap
// ephemeron edge names (key/table pairs), "(map descriptors)" arrays, NativeContext's
// sloppy_function_map, hidden/array nodes with one or many owners, synthetic owners,
// "system / ExternalStringData", self edges, nodes with only weak retainers, and unreachable
// cliques, plain Objects with property edges (interface names), and native nodes attached or
// detached in the file (detachedness propagation). Deterministic for a seed.
//
//   node tests/devtools/random_snapshot.mjs SEED NODE_COUNT OUT.heapsnapshot [EDGES_PER_NODE]
//
// EDGES_PER_NODE (default 3) below ~1.5 leaves many nodes unreachable, orphaned or in cliques.
import fs from 'node:fs';

const [seedArg = '1', countArg = '2000', out, densityArg = '3'] = process.argv.slice(2);
let seed = Number(seedArg) >>> 0 || 1;
function rand() {  // xorshift32
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 4294967296;
}
const pick = a => a[Math.floor(rand() * a.length)];
const N = Number(countArg);

const nodeTypes = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native',
  'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'];
const edgeTypes = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];
const strings = ['<dummy>'];
const stringIds = new Map();
const str = s => {
  if (!stringIds.has(s)) { stringIds.set(s, strings.length); strings.push(s); }
  return stringIds.get(s);
};

// Nodes: [type, name, id, self_size] (detachedness is drawn at the end, see below)
const nodes = [];
const add = (type, name, size = 0) => { nodes.push([nodeTypes.indexOf(type), str(name), 2 * nodes.length + 1, size]); return nodes.length - 1; };
const edges = [];  // [from, type, nameOrIndex, to]
const edge = (from, type, name, to) => edges.push([from, edgeTypes.indexOf(type), typeof name === 'number' ? name : str(name), to]);

const root = add('synthetic', '');
const gcRoots = add('synthetic', '(GC roots)');
const handles = add('synthetic', '(Global handles)');
const nativeContext = add('hidden', 'system / NativeContext', 64);
const descriptors = add('array', '(map descriptors)', 48);
const domTrees = rand() < 0.5 ? add('synthetic', '(Document DOM trees)') : -1;
const kinds = ['object', 'object', 'object', 'closure', 'hidden', 'hidden', 'array', 'array', 'string', 'code', 'native', 'number', 'synthetic'];
const names = ['Object', 'Array', 'Foo', 'Bar', 'system / Context', 'system / ExternalStringData', '(object elements)', 'x',
  '<div id=a>', '<span class="b">', 'Detached <p>', 'HTMLDocument', '(system)', 'RegExp'];
for (let i = nodes.length; i < N; i++) add(pick(kinds), pick(names), Math.floor(rand() * 200));
const globals = [];
for (let i = 0; i < 3; i++) globals.push(add('object', 'global', 100));

edge(root, 'element', 1, gcRoots);
edge(gcRoots, 'element', 1, handles);
for (const g of globals) edge(root, rand() < 0.7 ? 'shortcut' : 'property', 'global', g);
if (domTrees >= 0) edge(root, 'element', 2, domTrees);
edge(globals[0], 'internal', 'native_context', nativeContext);
edge(globals[0], 'internal', 'descriptors', descriptors);
edge(nativeContext, 'internal', 'sloppy_function_map', 10 + Math.floor(rand() * (N - 10)));
for (let i = 0; i < 9; i++) edge(descriptors, 'element', i, 10 + Math.floor(rand() * (N - 10)));

const randomNode = () => Math.floor(rand() * nodes.length);
const edgeCount = Math.round(N * Number(densityArg));
for (let i = 0; i < edgeCount; i++) {
  const from = randomNode();
  const to = rand() < 0.02 ? from : randomNode();
  const t = pick(['property', 'property', 'element', 'internal', 'hidden', 'context', 'weak', 'weak', 'shortcut']);
  edge(from, t, t === 'element' || t === 'hidden' ? i : pick(['a', 'b', 'c', 'map', 'elements']), to);
}
// Handles into the page.
for (let i = 0; i < 20; i++) edge(handles, 'internal', `${i} / handle`, randomNode());
// WeakMap entries: key -> value and table -> value, with DevTools' edge names.
for (let i = 0; i < 40; i++) {
  const table = randomNode(), key = randomNode(), value = randomNode();
  const [tid, kid, vid] = [table, key, value].map(n => nodes[n][2]);
  const tail = ` / part of key (Foo @${kid}) -> value (Bar @${vid}) pair in WeakMap (table @${tid})`;
  const n = Math.floor(rand() * 100);
  if (rand() < 0.5) {
    edge(key, 'internal', `${n}${tail}`, value);
    edge(table, 'internal', `${n + 1}${tail}`, value);
  } else {
    edge(table, 'internal', `${n}${tail}`, value);
    edge(key, 'internal', `${n}${tail}`, value);
  }
}
// An unreachable clique and a node with only weak retainers.
const c1 = add('object', 'Clique', 7), c2 = add('object', 'Clique', 11), c3 = add('array', 'CliqueArr', 13);
edge(c1, 'property', 'next', c2); edge(c2, 'property', 'next', c1); edge(c2, 'internal', 'elements', c3);
const weakOnly = add('object', 'WeakOnly', 17);
edge(globals[1], 'weak', 'w', weakOnly);
edge(weakOnly, 'property', 'child', add('hidden', 'OwnedByWeakOnly', 19));

// Strings for DevTools' duplicated-strings view: cons strings (nested, and one V8 flattened:
// an empty part) equal to a plain string, and strings V8 wrote truncated (internal edges to
// "bool"/"int" number nodes whose `value` strings hold the values), equal or not in length/hash.
{
  const holder = add('object', 'Strings', 24);
  edge(globals[2], 'property', 'strings', holder);
  const hello = add('string', 'hello ', 20), world = add('string', 'world', 20);
  const empty = add('string', '', 0);
  const cons = (a, b) => {
    const c = add('concatenated string', '', 32);
    edge(c, 'internal', 'first', a);
    edge(c, 'internal', 'second', b);
    edge(holder, 'element', nodes.length, c);
    return c;
  };
  edge(holder, 'element', 0, add('string', 'hello world', 28));
  const c1 = cons(hello, world);
  cons(hello, world);
  cons(empty, add('string', 'hello world', 28));  // flat: not a candidate (its twin still is)
  cons(c1, world);
  cons(c1, world);
  const value = (type, v) => {
    const n = add('number', type, 0);
    edge(n, 'internal', 'value', add('string', v, 0));
    return n;
  };
  const yes = value('bool', 'true');
  const truncated = (length, hash) => {
    const s = add('string', 'a long value cut by V8', 96);
    edge(s, 'internal', 'truncated', yes);
    edge(s, 'internal', 'length', value('int', String(length)));
    edge(s, 'internal', 'hash', value('int', String(hash)));
    edge(holder, 'element', nodes.length, s);
  };
  truncated(5000, 77);
  truncated(5000, 77);
  truncated(5000, 78);
  for (let i = 0; i < 2; i++) edge(holder, 'element', 100 + i, add('string', 'a long value cut by V8', 40));
}

// DOM states: a share of native nodes (and a few others) attached or detached in the file, so
// that DevTools' propagation and its "Detached " names are exercised. Drawn last so that the
// graph itself does not depend on them.
const detachedness = nodes.map(n => {
  const r = rand();
  if (nodeTypes[n[0]] === 'native') return r < 0.15 ? 1 : r < 0.35 ? 2 : 0;
  return r < 0.02 ? 2 : r < 0.03 ? 1 : 0;
});

// Serialize: edges grouped by source in node order (stable).
edges.sort((a, b) => a[0] - b[0]);
const edgeCounts = new Array(nodes.length).fill(0);
for (const e of edges) edgeCounts[e[0]]++;
const NF = 7;
const meta = {
  node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
  node_types: [nodeTypes, 'string', 'number', 'number', 'number', 'number', 'number'],
  edge_fields: ['type', 'name_or_index', 'to_node'],
  edge_types: [edgeTypes, 'string_or_number', 'node'],
  trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
  trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
  sample_fields: ['timestamp_us', 'last_assigned_id'],
  location_fields: ['object_index', 'script_id', 'line', 'column'],
};
const parts = [];
parts.push(`{"snapshot":{"meta":${JSON.stringify(meta)},"node_count":${nodes.length},"edge_count":${edges.length},"trace_function_count":0},\n"nodes":[`);
parts.push(nodes.map((n, i) => `${n[0]},${n[1]},${n[2]},${n[3]},${edgeCounts[i]},0,${detachedness[i]}`).join(',\n'));
parts.push('],\n"edges":[');
parts.push(edges.map(e => `${e[1]},${e[2]},${e[3] * NF}`).join(',\n'));
parts.push('],\n"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[],\n"strings":[');
parts.push(strings.map(s => JSON.stringify(s)).join(',\n'));
parts.push(']}\n');
fs.writeFileSync(out, parts.join(''));
