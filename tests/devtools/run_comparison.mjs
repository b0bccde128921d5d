// heapscope versus Chrome DevTools' own model, node by node: self size (after reassignment),
// retained size, distance and dominator must be equal for every node of every snapshot.
//
//   node tests/devtools/run_comparison.mjs HEAPSCOPE WORK_DIR MODEL_DIR GROUP
//
// GROUP:
//   node      snapshots written at test time by this Node (tests/devtools/app.js, 2 variants)
//   random    random V8-format graphs hitting every rule (random_snapshot.mjs; 6 seeds, dense to sparse)
//   captures  the reference server's bundled captures (samples/presence-server/captures), if any
//   generated snapshots from bench/gen_snapshot.cc (heapscope_gen_snapshot beside HEAPSCOPE), at
//             two sizes; `heapscope analyze` must also name their planted listener leak
// MODEL_DIR is where prepare_model.mjs puts the type-stripped DevTools code (made if missing).
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const [heapscope, work, model] = process.argv.slice(2, 5).map(p => p && path.resolve(p));
const group = process.argv[5];
if (!heapscope || !work || !model || !group) {
  console.error('usage: run_comparison.mjs HEAPSCOPE WORK_DIR MODEL_DIR node|random|captures');
  process.exit(2);
}
fs.mkdirSync(work, {recursive: true});
const run = (cmd, args) => execFileSync(cmd, args, {stdio: ['ignore', 'pipe', 'pipe'], cwd: repo}).toString();

run(process.execPath, [path.join(here, 'prepare_model.mjs'), model]);

const cases = [];  // [label, snapshot path]
if (group === 'node') {
  for (const variant of ['basic', 'listeners']) {
    const snap = path.join(work, `node-${variant}.heapsnapshot`);
    run(process.execPath, ['--expose-gc', path.join(here, 'app.js'), snap, variant]);
    cases.push([`node-${variant}`, snap]);
  }
} else if (group === 'random') {
  for (const [seed, density] of [[1, 3], [2, 3], [3, 1.5], [4, 1], [5, 0.8], [6, 0.8]]) {
    const snap = path.join(work, `random-${seed}.heapsnapshot`);
    run(process.execPath, [path.join(here, 'random_snapshot.mjs'), String(seed), '3000', snap, String(density)]);
    cases.push([`random-${seed} (${density} edges/node)`, snap]);
  }
} else if (group === 'captures') {
  const dir = path.join(repo, 'samples/presence-server/captures');
  for (const variant of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
    if (!fs.statSync(path.join(dir, variant)).isDirectory()) continue;
    for (const f of fs.readdirSync(path.join(dir, variant)).sort()) {
      if (f.endsWith('.heapsnapshot.gz')) cases.push([`${variant}/${f}`, path.join(dir, variant, f)]);
    }
  }
  if (cases.length === 0) {
    console.log('no bundled captures yet: skipped');
    process.exit(77);
  }
} else if (group === 'generated') {
  const gen = path.join(path.dirname(heapscope), 'heapscope_gen_snapshot');
  for (const [sessions, leak, rooms] of [[2000, 150, 5000], [9000, 450, 37]]) {
    const snap = path.join(work, `generated-${sessions}.heapsnapshot`);
    run(gen, ['--sessions', String(sessions), '--leak', String(leak), '--rooms', String(rooms), '--out', snap]);
    cases.push([`generated-${sessions} (leak ${leak})`, snap]);
    // The planted leak is named, with its count.
    const report = JSON.parse(run(heapscope, ['analyze', snap, '--format', 'json']));
    const f = report.findings[0];
    const want = '/app/src/websocket/handlers/presence.handler.js:32:37';
    const got = f && `${f.site.file}:${f.site.line}:${f.site.column}`;
    if (!f || got !== want || f.count !== leak || f.event !== 'heartbeat') {
      console.log(`generated-${sessions}: expected the planted leak at ${want} (${leak} 'heartbeat' ` +
                  `listeners) first, got ${f ? `${f.rule} ${got} count ${f.count} event ${f.event}` : 'no finding'}`);
      process.exit(1);
    }
    console.log(`generated-${sessions}: ${f.rule} ${got}, ${f.count} '${f.event}' listeners on ${f.emitter}`);
  }
} else {
  console.error(`unknown group ${group}`);
  process.exit(2);
}

let failed = 0;
for (const [label, snap] of cases) {
  const base = path.join(work, label.replace(/[^A-Za-z0-9.-]+/g, '_'));
  const t0 = performance.now();
  run(process.execPath, [path.join(here, 'devtools_dump.mjs'), model, snap, `${base}.devtools.tsv`]);
  const t1 = performance.now();
  run(heapscope, ['retained', snap, '--top', '0', '--format', 'json', '-o', `${base}.heapscope.json`]);
  const t2 = performance.now();
  try {
    process.stdout.write(run(process.execPath, [path.join(here, 'compare.mjs'), `${base}.devtools.tsv`,
                                                 `${base}.heapscope.json`, label]));
  } catch (e) {
    process.stdout.write(e.stdout.toString());
    failed++;
  }
  console.log(`  time: devtools ${(t1 - t0).toFixed(0)} ms, heapscope ${(t2 - t1).toFixed(0)} ms (whole processes)`);
}
console.log(failed ? `${failed} of ${cases.length} snapshots differ` : `all ${cases.length} snapshots equal`);
process.exit(failed ? 1 : 0);
