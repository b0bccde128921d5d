// Checks heapscope's PromQL math against a real Prometheus (the installed Debian 2.42).
//
// 1. Writes known samples as OpenMetrics (a gauge with a trend and noise, a large-magnitude
//    memory gauge, a counter with two resets; jittered millisecond timestamps).
// 2. Loads them with `promtool tsdb create-blocks-from openmetrics` (no scraping, exact samples)
//    and starts `prometheus` on 127.0.0.1 with that storage.
// 3. At several evaluation times (one with a sample exactly on the window's left edge), asks
//    Prometheus for x[1m] (raw samples), deriv, predict_linear(…, 3600), rate, increase, resets,
//    and compares with `heapscope metrics --at T --range 1m` run (a) on the API export of the raw
//    samples and (b) on the OpenMetrics file itself (heapscope selects the window).
// Relative error allowed: 1e-9. Prints the largest error seen. Bounded: everything stops by PID.
//
// Usage: node prometheus_check.js HEAPSCOPE_BINARY SCRATCH_DIR
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const net = require('node:net');
const { spawn, execFileSync } = require('node:child_process');

const [heapscope, scratchArg] = process.argv.slice(2);
if (!heapscope || !scratchArg) {
  console.error('usage: node prometheus_check.js HEAPSCOPE SCRATCH_DIR');
  process.exit(2);
}
for (const tool of ['prometheus', 'promtool']) {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    console.error(`SKIP: ${tool} is not installed (Debian: apt-get install prometheus)`);
    process.exit(77);
  }
}
const scratch = path.resolve(scratchArg);
fs.rmSync(scratch, { recursive: true, force: true });
fs.mkdirSync(scratch, { recursive: true });

const BASE_MS = 1707955200000; // 2024-02-15T00:00:00Z
const N = 120;
const TOL = 1e-9;
let failures = 0;
let maxErr = 0;
let compared = 0;

// Deterministic pseudo-random numbers (LCG), so the data is the same on every run.
let seed = 12345;
function rnd() {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}

// Sample times: every second with 0–999 ms jitter, as a real scrape loop drifts.
const times = [];
for (let i = 0; i < N; i++) times.push(BASE_MS + i * 1000 + Math.floor(rnd() * 1000));
for (let i = 1; i < N; i++) if (times[i] <= times[i - 1]) times[i] = times[i - 1] + 1;

const gauge = times.map((t, i) => 1000.25 + 2.5 * i + Math.sin(i) * 7.125 + Math.floor(rnd() * 100) / 8);
const memory = times.map((t, i) => 314572800 + 46137 * i + Math.floor(rnd() * 4096) * 1024);
const counter = [];
let c = 0;
for (let i = 0; i < N; i++) {
  if (i === 40 || i === 85) c = Math.floor(rnd() * 5); // two resets
  else c += Math.floor(rnd() * 20) + 0.5;
  counter.push(c);
}

function tsSeconds(ms) {
  const s = Math.floor(ms / 1000);
  const frac = String(ms % 1000).padStart(3, '0');
  return `${s}.${frac}`;
}

let om = '';
om += '# TYPE hs_gauge gauge\n';
times.forEach((t, i) => { om += `hs_gauge{job="check"} ${gauge[i]} ${tsSeconds(t)}\n`; });
om += '# TYPE process_resident_memory_bytes gauge\n';
times.forEach((t, i) => { om += `process_resident_memory_bytes{job="check"} ${memory[i]} ${tsSeconds(t)}\n`; });
// Large magnitude: here the OLS sums lose digits (the slope is not exactly 3/s); heapscope must
// lose exactly the same ones as Prometheus.
om += '# TYPE hs_big gauge\n';
times.forEach((t) => { om += `hs_big{job="check"} ${1e15 + 3 * (t - BASE_MS)} ${tsSeconds(t)}\n`; });
om += '# TYPE hs_requests counter\n';
times.forEach((t, i) => { om += `hs_requests_total{job="check"} ${counter[i]} ${tsSeconds(t)}\n`; });
om += '# EOF\n';
const omFile = path.join(scratch, 'samples.om.txt');
fs.writeFileSync(omFile, om);

const children = [];
function cleanup() {
  for (const p of children) {
    try { process.kill(p.pid, 'SIGTERM'); } catch { /* already gone */ }
  }
}
process.on('exit', cleanup);
const deadline = setTimeout(() => { console.error('FAIL: timed out after 50 s'); cleanup(); process.exit(1); }, 50000);

async function freePort() {
  const srv = net.createServer();
  await new Promise((res, rej) => { srv.once('error', rej); srv.listen(0, '127.0.0.1', res); });
  const { port } = srv.address();
  await new Promise((res) => srv.close(res));
  return port;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function getJson(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(10000) });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) };
}

function relErr(a, b) {
  if (a === b) return 0;
  if (Number.isNaN(a) && Number.isNaN(b)) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

function check(what, ours, theirs) {
  compared++;
  if (ours === null || ours === undefined) {
    console.error(`FAIL ${what}: heapscope has no value, Prometheus says ${theirs}`);
    failures++;
    return;
  }
  const e = relErr(ours, theirs);
  maxErr = Math.max(maxErr, e);
  if (!(e <= TOL)) {
    console.error(`FAIL ${what}: heapscope ${ours} vs Prometheus ${theirs} (relative error ${e})`);
    failures++;
  }
}

function runHeapscope(args) {
  const out = execFileSync(heapscope, ['metrics', '--format', 'json', ...args], { encoding: 'utf8' });
  return JSON.parse(out);
}

async function main() {
  const data = path.join(scratch, 'data');
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', omFile, data], { stdio: 'ignore' });
  const port = await freePort();
  const cfg = path.join(scratch, 'prometheus.yml');
  fs.writeFileSync(cfg, 'global:\n  evaluation_interval: 1h\n');
  const log = fs.openSync(path.join(scratch, 'prometheus.log'), 'w');
  const prom = spawn('prometheus', [
    `--config.file=${cfg}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`,
    '--storage.tsdb.retention.time=100y', '--log.level=warn',
  ], { stdio: ['ignore', log, log] });
  children.push(prom);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) break;
    } catch { /* not yet */ }
    if (i > 150) throw new Error('Prometheus not ready after 30 s; see prometheus.log');
    await sleep(200);
  }
  const q = async (expr, tMs) => {
    const r = await getJson(`${url}/api/v1/query?query=${encodeURIComponent(expr)}&time=${tsSeconds(tMs)}`);
    if (r.json.status !== 'success') throw new Error(`${expr}: ${r.text}`);
    return r;
  };
  const scalarOf = (r) => {
    if (r.json.data.result.length !== 1) throw new Error(`expected one series, got ${r.text}`);
    return Number(r.json.data.result[0].value[1]);
  };

  // Evaluation times: one with a sample exactly on the left edge (v2 includes it, v3 would not),
  // one spanning the first reset, one at an odd millisecond, one spanning the second reset.
  const evals = [times[30] + 60000, times[40] + 20500, times[70] + 333, times[100] + 7];
  let edgeChecked = false;
  for (const T of evals) {
    const exports = {};
    for (const name of ['hs_gauge', 'process_resident_memory_bytes', 'hs_big', 'hs_requests_total']) {
      const raw = await q(`${name}[1m]`, T);
      const file = path.join(scratch, `${name}-${T}.json`);
      fs.writeFileSync(file, raw.text);
      exports[name] = file;
    }
    const fromExport = runHeapscope([...Object.values(exports), '--at', tsSeconds(T), '--range', '1m']);
    const fromOm = runHeapscope([omFile, '--at', tsSeconds(T), '--range', '1m']);
    const v3 = runHeapscope([omFile, '--at', tsSeconds(T), '--range', '1m', '--window', 'v3']);
    for (const [label, result] of [['export', fromExport], ['openmetrics', fromOm]]) {
      const by = Object.fromEntries(result.series.map((s) => [s.name, s]));
      for (const name of ['hs_gauge', 'process_resident_memory_bytes', 'hs_big']) {
        if (!by[name]) continue;  // the export files hold only the three exported series
        const p = by[name].promql;
        check(`${label} deriv(${name}[1m]) @${T}`, p.deriv, scalarOf(await q(`deriv(${name}[1m])`, T)));
        check(`${label} predict_linear(${name}[1m], 3600) @${T}`, p.predict_linear,
          scalarOf(await q(`predict_linear(${name}[1m], 3600)`, T)));
      }
      const cp = by.hs_requests_total.promql;
      check(`${label} rate(hs_requests_total[1m]) @${T}`, cp.rate, scalarOf(await q('rate(hs_requests_total[1m])', T)));
      check(`${label} increase(hs_requests_total[1m]) @${T}`, cp.increase, scalarOf(await q('increase(hs_requests_total[1m])', T)));
      check(`${label} resets(hs_requests_total[1m]) @${T}`, cp.resets, scalarOf(await q('resets(hs_requests_total[1m])', T)));
      check(`${label} deriv(hs_requests_total[1m]) @${T}`, cp.deriv, scalarOf(await q('deriv(hs_requests_total[1m])', T)));
      const rawCount = JSON.parse(fs.readFileSync(exports.hs_gauge, 'utf8')).data.result[0].values.length;
      if (by.hs_gauge.promql.window_samples !== rawCount) {
        console.error(`FAIL ${label} window @${T}: heapscope ${by.hs_gauge.promql.window_samples} samples, Prometheus ${rawCount}`);
        failures++;
      }
    }
    // The OpenMetrics file parsed by heapscope has exactly Prometheus' timestamps and values.
    const exported = JSON.parse(fs.readFileSync(exports.hs_gauge, 'utf8')).data.result[0].values;
    const first = Number(exported[0][0]) * 1000;
    if (Math.round(first) === T - 60000) {
      edgeChecked = true;
      const v3g = v3.series.find((s) => s.name === 'hs_gauge').promql.window_samples;
      if (v3g !== exported.length - 1) {
        console.error(`FAIL v3 window @${T}: ${v3g} samples, expected ${exported.length - 1} (left edge excluded)`);
        failures++;
      }
    }
  }
  if (!edgeChecked) {
    console.error('FAIL: no evaluation had a sample on the left window edge');
    failures++;
  }
  // Whole-series numbers: slope over all samples equals deriv over a window holding them all.
  const all = runHeapscope([omFile]);
  const Tall = times[N - 1];
  const g = all.series.find((s) => s.name === 'hs_gauge');
  check('whole-series slope = deriv(hs_gauge[2m]) @last', g.slope_per_second, scalarOf(await q('deriv(hs_gauge[2m])', Tall)));
  const cnt = all.series.find((s) => s.name === 'hs_requests_total');
  check('whole-series resets = resets(hs_requests_total[2m]) @last', cnt.resets, scalarOf(await q('resets(hs_requests_total[2m])', Tall)));
  // increase() over a window starting exactly at the first sample and ending at the last: no
  // extrapolation at the end; at the start, durationToStart = 0 → no extrapolation either.
  const incr = scalarOf(await q(`increase(hs_requests_total[${Tall - times[0]}ms])`, Tall));
  check('whole-series increase = increase(hs_requests_total[last-first]) @last', cnt.increase, incr);

  console.log(`prometheus_check: ${compared} comparisons, ${failures} failures, max relative error ${maxErr}`);
  clearTimeout(deadline);
  cleanup();
  process.exit(failures ? 1 : 0);
}

main().catch((err) => {
  console.error(`FAIL: ${err.stack || err}`);
  cleanup();
  process.exit(1);
});
