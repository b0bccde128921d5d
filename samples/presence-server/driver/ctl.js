'use strict';
// Small HTTP helpers for scenario.sh (no curl/jq needed). Loopback targets only.
//
//   node driver/ctl.js free-port
//   node driver/ctl.js wait-http URL TIMEOUT_S [PID]       # until HTTP 200 (fails early if PID exits)
//   node driver/ctl.js snapshot BASE_URL NAME               # POST /debug/heapsnapshot, prints JSON
//   node driver/ctl.js wait-scrapes PROM_URL JOB SINCE_S N TIMEOUT_S
//   node driver/ctl.js prom-export PROM_URL JOB START_S END_S OUT_DIR
//   node driver/ctl.js summary OUT_FILE KEY=JSON_FILE...    # merge JSON files into one object

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { isLoopbackUrl } = require('./driver');

const SERIES = 'presence_.+|nodejs_heap_size_used_bytes|nodejs_heap_size_total_bytes|nodejs_external_memory_bytes|process_resident_memory_bytes|up';

function die(msg) {
  process.stderr.write(`ctl: ${msg}\n`);
  process.exit(1);
}

function checkUrl(url) {
  if (!isLoopbackUrl(url)) die(`refusing non-loopback URL ${url}`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function getJson(url, init = {}) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method || 'GET'} ${url}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return { json: JSON.parse(text), text };
}

async function promQuery(promUrl, pathname, params) {
  const url = new URL(pathname, promUrl);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
  const { json, text } = await getJson(url);
  if (json.status !== 'success') throw new Error(`${pathname} failed: ${text.slice(0, 300)}`);
  return { json, text };
}

const commands = {
  async 'free-port'() {
    const srv = net.createServer();
    await new Promise((resolve, reject) => { srv.once('error', reject); srv.listen(0, '127.0.0.1', resolve); });
    const { port } = srv.address();
    await new Promise((r) => srv.close(r));
    process.stdout.write(`${port}\n`);
  },

  async 'wait-http'(url, timeoutS = '30', pid = '') {
    checkUrl(url);
    const alive = () => { try { process.kill(Number(pid), 0); return true; } catch { return false; } };
    const deadline = Date.now() + Number(timeoutS) * 1000;
    let last = '';
    while (Date.now() < deadline) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) return;
        last = `HTTP ${res.status}`;
      } catch (err) {
        last = err.cause ? err.cause.code || err.message : err.message;
      }
      if (pid && !alive()) die(`process ${pid} exited while waiting for ${url} (last: ${last})`);
      await sleep(200);
    }
    die(`${url} not ready after ${timeoutS} s (last: ${last})`);
  },

  async snapshot(base, name) {
    checkUrl(base);
    const url = new URL('/debug/heapsnapshot', base);
    url.searchParams.set('name', name);
    const { json } = await getJson(url, { method: 'POST' });
    if (!json.path || !fs.existsSync(json.path)) die(`snapshot ${name}: server did not write a file (${JSON.stringify(json)})`);
    process.stdout.write(`${JSON.stringify(json)}\n`);
  },

  // Wait until Prometheus holds N scrapes of JOB taken after SINCE_S (epoch seconds).
  async 'wait-scrapes'(promUrl, job, sinceS, n, timeoutS = '30') {
    checkUrl(promUrl);
    const deadline = Date.now() + Number(timeoutS) * 1000;
    let got = 0;
    while (Date.now() < deadline) {
      const now = Date.now() / 1000;
      const window = Math.max(1, Math.ceil(now - Number(sinceS)));
      const { json } = await promQuery(promUrl, '/api/v1/query', { query: `up{job="${job}"}[${window}s]`, time: now.toFixed(3) });
      const series = json.data.result[0];
      got = series ? series.values.filter(([t, v]) => t >= Number(sinceS) && v === '1').length : 0;
      if (got >= Number(n)) return;
      await sleep(250);
    }
    die(`Prometheus has only ${got} successful scrapes of job ${job} since ${sinceS} after ${timeoutS} s`);
  },

  async 'prom-export'(promUrl, job, startS, endS, outDir) {
    checkUrl(promUrl);
    const selector = `{job="${job}",__name__=~"${SERIES}"}`;
    const start = Math.floor(Number(startS));
    const end = Math.ceil(Number(endS));
    const window = end - start + 1;
    const raw = await promQuery(promUrl, '/api/v1/query', { query: `${selector}[${window}s]`, time: end });
    if (raw.json.data.resultType !== 'matrix' || raw.json.data.result.length === 0) die('metrics.json: the range-selector query returned no series');
    fs.writeFileSync(path.join(outDir, 'metrics.json'), raw.text);
    const range = await promQuery(promUrl, '/api/v1/query_range', { query: selector, start, end, step: '1s' });
    if (range.json.data.result.length === 0) die('metrics-range.json: query_range returned no series');
    fs.writeFileSync(path.join(outDir, 'metrics-range.json'), range.text);
    const samples = raw.json.data.result.reduce((n, s) => n + s.values.length, 0);
    process.stdout.write(`exported ${raw.json.data.result.length} series / ${samples} raw samples, ` +
      `${range.json.data.result.length} range series over ${end - start} s\n`);
  },

  async summary(outFile, ...pairs) {
    const out = {};
    for (const pair of pairs) {
      const i = pair.indexOf('=');
      const key = pair.slice(0, i);
      const file = pair.slice(i + 1);
      const text = fs.readFileSync(file, 'utf8').trim();
      try { out[key] = JSON.parse(text); } catch { out[key] = text; }
    }
    fs.writeFileSync(outFile, `${JSON.stringify(out, null, 2)}\n`);
  },
};

const [cmd, ...args] = process.argv.slice(2);
if (!commands[cmd]) die(`unknown command ${cmd || '(none)'}; one of: ${Object.keys(commands).join(', ')}`);
commands[cmd](...args).catch((err) => die(`${cmd}: ${err.message}`));
