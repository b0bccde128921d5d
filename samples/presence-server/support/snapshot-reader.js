'use strict';
// Minimal V8 .heapsnapshot reader for the oracle tests: closures by source
// location, their captured context variables, and what retains them.

const fs = require('node:fs');

function readSnapshot(file) {
  const s = JSON.parse(fs.readFileSync(file, 'utf8'));
  const meta = s.snapshot.meta;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const lf = meta.location_fields.length;
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const N = s.nodes;
  const E = s.edges;
  const S = s.strings;
  const nodeCount = N.length / nf;
  const firstEdge = new Uint32Array(nodeCount + 1);
  for (let i = 0, e = 0; i < nodeCount; i += 1) { firstEdge[i] = e; e += N[i * nf + 4] * ef; firstEdge[i + 1] = e; }

  const node = (i) => ({ index: i, type: nodeTypes[N[i * nf]], name: S[N[i * nf + 1]], id: N[i * nf + 2] });
  const edges = (i) => {
    const out = [];
    for (let e = firstEdge[i]; e < firstEdge[i + 1]; e += ef) {
      const type = edgeTypes[E[e]];
      const nameOrIndex = type === 'element' || type === 'hidden' ? E[e + 1] : S[E[e + 1]];
      out.push({ type, name: nameOrIndex, to: E[e + 2] / nf });
    }
    return out;
  };
  const edge = (i, name) => edges(i).find((x) => x.name === name);

  function scriptName(closureIndex) {
    const shared = edge(closureIndex, 'shared');
    if (!shared) return null;
    const script = edge(shared.to, 'script_or_debug_info') || edge(shared.to, 'script');
    if (!script) return null;
    const name = edge(script.to, 'name');
    return name ? node(name.to).name : null;
  }

  // Closures whose function starts on `line` (1-based) of a script whose name ends with `fileSuffix`.
  function closuresAt(fileSuffix, line) {
    const out = [];
    const L = s.locations;
    for (let k = 0; k < L.length; k += lf) {
      const i = L[k] / nf;
      if (L[k + 2] !== line - 1 || nodeTypes[N[i * nf]] !== 'closure') continue;
      const name = scriptName(i);
      if (name && name.endsWith(fileSuffix)) out.push({ ...node(i), line: L[k + 2] + 1, column: L[k + 3] + 1 });
    }
    return out;
  }

  // Context variables captured by a closure, innermost scope first (NativeContext excluded).
  function capturedScopes(closureIndex) {
    const scopes = [];
    let ctx = edge(closureIndex, 'context');
    while (ctx && node(ctx.to).name === 'system / Context') {
      scopes.push(edges(ctx.to).filter((x) => x.type === 'context').map((x) => ({ name: x.name, target: node(x.to) })));
      ctx = edge(ctx.to, 'previous');
    }
    return scopes;
  }

  function objectsNamed(name) {
    const out = [];
    for (let i = 0; i < nodeCount; i += 1) if (nodeTypes[N[i * nf]] === 'object' && S[N[i * nf + 1]] === name) out.push(node(i));
    return out;
  }

  // Functions stored in obj._events[event] (a single function or an array of them).
  function eventListeners(objIndex, event) {
    const events = edge(objIndex, '_events');
    if (!events) return [];
    const slot = edges(events.to).find((x) => x.type === 'property' && x.name === event);
    if (!slot) return [];
    const target = node(slot.to);
    if (target.type === 'closure') return [target];
    return edges(slot.to).filter((x) => x.type === 'element').map((x) => node(x.to)).filter((n) => n.type === 'closure');
  }

  return { node, edges, edge, closuresAt, capturedScopes, objectsNamed, eventListeners, scriptName };
}

module.exports = { readSnapshot };
