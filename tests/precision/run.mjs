// Runs precision programs and judges heapscope's report on them against expectations.json.
// Usage: node run.mjs --heapscope BUILD/heapscope --tmp DIR [--keep] [PROGRAM...]
//   PROGRAM: a file name under programs/ (default: all of expectations.json, in its order).
// Per program: run it (it writes baseline/target/final.heapsnapshot and checks its own facts),
// run `heapscope analyze … --format json`, compare, print one PASS/FAIL line with what was
// expected and what was found. Exit 0 when every program passed, 1 otherwise, 2 on bad usage.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const programsDir = path.join(here, 'programs');
const expectations = JSON.parse(fs.readFileSync(path.join(here, 'expectations.json'), 'utf8')).programs;

function usage(msg) {
  console.error(`run.mjs: ${msg}\nusage: node run.mjs --heapscope BIN --tmp DIR [--keep] [PROGRAM...]`);
  process.exit(2);
}

const args = process.argv.slice(2);
let bin = '';
let tmp = '';
let keep = false;
const names = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--heapscope') bin = args[++i] || '';
  else if (args[i] === '--tmp') tmp = args[++i] || '';
  else if (args[i] === '--keep') keep = true;
  else names.push(args[i]);
}
if (!bin || !tmp) usage('--heapscope and --tmp are required');
bin = path.resolve(bin);
tmp = path.resolve(tmp);
for (const n of names) if (!expectations[n]) usage(`no expectation for '${n}' in expectations.json`);

const SEVERE = new Set(['warning', 'error']);
const NAMES = ['baseline', 'target', 'final'];

function describe(f) {
  const site = f.site.file ? `${f.site.file}:${f.site.line}` : '(unknown site)';
  const event = f.event ? ` '${f.event}'` : '';
  const emitter = f.emitter ? ` on ${f.emitter}` : '';
  const counts = f.counts.length ? ` [${f.counts.join(', ')}]` : '';
  return `${f.severity} ${f.rule} ${site}${event}${emitter}${counts}`;
}

function describeExpected(e) {
  if (e.kind === 'healthy') return 'no warning or error';
  const event = e.event !== undefined ? ` '${e.event}'` : '';
  return `first: ${e.rule} ${e.site.file}:${e.site.line}${event}${e.alone ? ', alone' : ''}`;
}

function walk(findings, out = [], depth = 0) {
  for (const f of findings) {
    out.push({ f, depth });
    walk(f.secondary, out, depth + 1);
  }
  return out;
}

// The report's file is relative to --source-root, or shortened some other way: compare the
// trailing path segments.
function sameFile(found, expected) {
  return found === expected || found.endsWith(`/${expected}`);
}

// Returns the reasons the report does not meet the expectation ([] = it does).
function judge(e, report) {
  const top = report.findings;
  if (e.kind === 'healthy') {
    return walk(top).filter(({ f }) => SEVERE.has(f.severity))
      .map(({ f, depth }) => `${depth ? 'nested ' : ''}${describe(f)}`);
  }
  if (!top.length) return ['no finding'];
  const first = top[0];
  const reasons = [];
  if (first.rule !== e.rule) reasons.push(`first rule is ${first.rule}`);
  if (!sameFile(first.site.file, e.site.file) || first.site.line !== e.site.line) {
    reasons.push(`first site is ${first.site.file || '(unknown)'}:${first.site.line}`);
  }
  if (e.event !== undefined && first.event !== e.event) reasons.push(`first event is '${first.event}'`);
  if (!SEVERE.has(first.severity)) reasons.push(`first is only a ${first.severity}`);
  if (e.alone) {
    for (const f of top.slice(1)) if (SEVERE.has(f.severity)) reasons.push(`also top-level: ${describe(f)}`);
  }
  return reasons;
}

// The leak site's line must carry the '// site' comment: expectations and programs agree.
function checkMarker(name, e) {
  if (e.kind !== 'leak') return null;
  const lines = fs.readFileSync(path.join(programsDir, e.site.file), 'utf8').split('\n');
  const line = lines[e.site.line - 1] || '';
  return line.trimEnd().endsWith('// site') ? null
    : `expectations.json says ${e.site.file}:${e.site.line}, but that line has no '// site' comment`;
}

function runOne(name) {
  const e = expectations[name];
  const out = path.join(tmp, name.replace(/\.m?js$/, ''));
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const lines = [];
  const fail = (why) => ({ ok: false, lines: [...lines, `FAIL ${name}: ${why}`] });

  const marker = checkMarker(name, e);
  if (marker) return fail(marker);

  const prog = spawnSync(process.execPath, ['--expose-gc', path.join(programsDir, name), out],
    { cwd: here, encoding: 'utf8', timeout: 120_000 });
  for (const l of prog.stdout.split('\n')) if (l.startsWith('FACT ')) lines.push(`  ${name} ${l}`);
  if (prog.status !== 0 || !prog.stdout.includes('CHECK ok')) {
    return fail(`the program failed (exit ${prog.status ?? prog.signal}): ${prog.stderr.trim()}`);
  }

  const snaps = NAMES.map((n) => path.join(out, `${n}.heapsnapshot`));
  const reportPath = path.join(out, 'report.json');
  const hs = spawnSync(bin, ['analyze', ...snaps, '--format', 'json', '--source-root', programsDir,
    '-o', reportPath], { encoding: 'utf8', timeout: 300_000 });
  if (hs.status !== 0) return fail(`heapscope analyze exited ${hs.status ?? hs.signal}: ${hs.stderr.trim()}`);
  const report = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
  if (!keep) for (const s of snaps) fs.rmSync(s, { force: true });

  const top = report.findings;
  const found = top.length
    ? `${top.length} top-level (${report.summary.errors} errors, ${report.summary.warnings} warnings, ` +
      `${report.summary.notes} notes in all); first: ${describe(top[0])}`
    : 'no finding';
  const reasons = judge(e, report);
  const verdict = reasons.length ? 'FAIL' : 'PASS';
  lines.push(`${verdict} ${name} [${e.kind}] expected ${describeExpected(e)}; found ${found}`);
  for (const r of reasons) lines.push(`    - ${r}`);
  return { ok: !reasons.length, lines };
}

fs.mkdirSync(tmp, { recursive: true });
let failed = 0;
const todo = names.length ? names : Object.keys(expectations);
for (const name of todo) {
  const r = runOne(name);
  for (const l of r.lines) console.log(l);
  if (!r.ok) failed += 1;
}
console.log(`${todo.length - failed} of ${todo.length} passed`);
process.exit(failed ? 1 : 0);
