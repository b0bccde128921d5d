// Compares DevTools' views (devtools_views.mjs output) with heapscope's, row by row, keyed by
// DevTools' class key:
//
//   node tests/devtools/compare_views.mjs summary DEVTOOLS.summary.json HEAPSCOPE.json LABEL
//       every class of `heapscope summary SNAPSHOT --top 0 --format json`: name, count, self
//       size, retained size, distance
//   node tests/devtools/compare_views.mjs diff DEVTOOLS.diff.json HEAPSCOPE.json LABEL
//       every row of every comparison of `heapscope diff SNAPSHOT... --top 0 --format json`:
//       name, # new, # deleted, # delta, alloc. size, freed size, size delta
//   node tests/devtools/compare_views.mjs new DEVTOOLS.diff.json HEAPSCOPE.json LABEL
//       the new objects of `heapscope diff … --class KEY --top 0 --format json` (first -> last)
//   node tests/devtools/compare_views.mjs strings DEVTOOLS.strings.json HEAPSCOPE.json LABEL
//       every group of `heapscope strings SNAPSHOT --top 0 --format json`: value, count, self
//       size, retained size, the node ids
//
// Prints one line per comparison and the first differences; exits 1 on any difference.
import fs from 'node:fs';

const [mode, dtPath, hsPath, label = hsPath] = process.argv.slice(2);
const dt = JSON.parse(fs.readFileSync(dtPath, 'utf8'));
const hs = JSON.parse(fs.readFileSync(hsPath, 'utf8'));
let bad = false;

// Compares two maps key -> row on the given fields; prints a summary line and differences.
function compareRows(what, devtools, heapscope, fields) {
  const diffs = [];
  let equal = 0;
  for (const [key, d] of devtools) {
    const h = heapscope.get(key);
    if (!h) {
      diffs.push(`${key}: missing in heapscope (devtools ${JSON.stringify(d)})`);
      continue;
    }
    const wrong = fields.filter(f => JSON.stringify(h[f]) !== JSON.stringify(d[f]));
    if (wrong.length) {
      diffs.push(`${key}: ` + wrong.map(f => `${f} heapscope ${JSON.stringify(h[f])} devtools ${JSON.stringify(d[f])}`).join(', '));
    } else {
      equal++;
    }
  }
  for (const key of heapscope.keys()) {
    if (!devtools.has(key)) diffs.push(`${key}: only in heapscope (${JSON.stringify(heapscope.get(key))})`);
  }
  console.log(`  ${what.padEnd(22)} ${equal}/${devtools.size} rows equal (heapscope ${heapscope.size})` +
              ` on ${fields.join(', ')}`);
  for (const line of diffs.slice(0, 10)) console.log(`    ${line.slice(0, 400)}`);
  if (diffs.length) bad = true;
}

console.log(`${label}:`);
if (mode === 'summary') {
  const devtools = new Map(Object.entries(dt.rows));
  const heapscope = new Map(hs.classes.map(c => [c.key, c]));
  if (hs.class_count !== hs.classes.length) {
    console.log(`  heapscope listed ${hs.classes.length} of ${hs.class_count} classes (use --top 0)`);
    bad = true;
  }
  if (dt.collisions.length) console.log(`  devtools class keys that collide (union compared): ${dt.collisions.join(' | ')}`);
  compareRows('summary', devtools, heapscope, ['name', 'count', 'self_size', 'retained_size', 'distance']);
} else if (mode === 'diff') {
  for (const pair of dt.pairs) {
    const mine = hs.comparisons.find(c => c.base === pair.base + 1 && c.target === pair.target + 1);
    if (!mine) {
      console.log(`  comparison #${pair.base + 1} -> #${pair.target + 1} missing in heapscope`);
      bad = true;
      continue;
    }
    if (mine.class_count !== mine.classes.length) {
      console.log(`  heapscope listed ${mine.classes.length} of ${mine.class_count} classes (use --top 0)`);
      bad = true;
    }
    if (pair.collisions.length) console.log(`  devtools class keys that collide (union compared): ${pair.collisions.join(' | ')}`);
    const devtools = new Map(Object.entries(pair.rows));
    const heapscope = new Map(mine.classes.map(c => [c.key, c]));
    compareRows(`#${pair.base + 1} -> #${pair.target + 1}`, devtools, heapscope,
                ['name', 'new', 'deleted', 'delta', 'alloc_size', 'freed_size', 'size_delta']);
  }
} else if (mode === 'new') {
  const pair = dt.pairs[dt.pairs.length - 1];
  const d = pair.rows[hs.drill_down.class];
  const want = d ? [...d.new_ids].sort((a, b) => a - b) : [];
  const got = hs.drill_down.objects.map(o => o.id).sort((a, b) => a - b);
  const ok = JSON.stringify(want) === JSON.stringify(got) && hs.drill_down.new_count === want.length;
  console.log(`  new objects of ${hs.drill_down.class}: heapscope ${got.length} (new_count ${hs.drill_down.new_count}), ` +
              `devtools ${want.length}: ${ok ? 'same ids' : 'DIFFERENT'}`);
  if (!ok) bad = true;
} else if (mode === 'strings') {
  // A truncated group is keyed by its value, length and hash (DevTools' own grouping). DevTools
  // keeps node ids in a Uint32Array: 64-bit ids (Julia's) are compared modulo 2^32, as in compare.mjs.
  const key = g => JSON.stringify(g.truncated ? [g.value, true, g.length ?? null, g.hash ?? null] : [g.value, false]);
  const devtools = new Map(dt.map(g => [key(g), g]));
  const heapscope = new Map(hs.groups.map(g => [key(g), {...g, ids: [...g.ids].map(id => id >>> 0).sort((a, b) => a - b)}]));
  if (devtools.size !== dt.length || heapscope.size !== hs.groups.length) {
    console.log(`  groups with the same key: devtools ${dt.length - devtools.size}, heapscope ${hs.groups.length - heapscope.size}`);
    bad = true;
  }
  if (hs.group_count !== hs.groups.length) {
    console.log(`  heapscope listed ${hs.groups.length} of ${hs.group_count} groups (use --top 0)`);
    bad = true;
  }
  compareRows('duplicated strings', devtools, heapscope, ['count', 'self_size', 'retained_size', 'ids']);
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
process.exit(bad ? 1 : 0);
