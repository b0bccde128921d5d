'use strict';
// Loads page/index.html in headless Chromium and writes a series of renderer heap snapshots over
// the DevTools protocol: HeapProfiler.collectGarbage, then HeapProfiler.takeHeapSnapshot, with
// the page's step() run between two snapshots.
//
//   node tests/devtools/chromium_series.js OUT_DIR [COUNT]   (writes OUT_DIR/chromium-<i>.heapsnapshot)
//
// Exits 77 (skipped) when no chromium is installed.
const {spawn, spawnSync} = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const WebSocket = require('ws');

const out = process.argv[2];
const count = Number(process.argv[3] || 3);
if (!out) {
  console.error('usage: chromium_series.js OUT_DIR [COUNT]');
  process.exit(2);
}
if (spawnSync('chromium', ['--version']).status !== 0) {
  console.log('no chromium: skipped');
  process.exit(77);
}
fs.mkdirSync(out, {recursive: true});
const page = 'file://' + path.join(__dirname, 'page', 'index.html');
const profile = fs.mkdtempSync(path.join(out, 'chromium-profile-'));  // left in the scratch folder
const chrome = spawn('chromium', ['--headless=new', '--no-sandbox', '--disable-gpu',
  '--remote-debugging-port=0', `--user-data-dir=${profile}`, page],
{stdio: ['ignore', 'ignore', 'pipe']});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fail = (msg) => {
  chrome.kill('SIGKILL');
  console.error(msg);
  process.exit(1);
};
setTimeout(() => fail('timeout'), 120000).unref();

async function main() {
  // Chromium prints "DevTools listening on ws://127.0.0.1:PORT/…" on stderr.
  const port = await new Promise((resolve) => {
    let buf = '';
    chrome.stderr.on('data', (d) => {
      buf += d;
      const m = buf.match(/DevTools listening on ws:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) resolve(m[1]);
    });
  });
  let target;
  for (let i = 0; i < 100 && !target; i++) {
    try {
      const list = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
      target = list.find((t) => t.type === 'page' && t.url.endsWith('index.html'));
    } catch { /* not up yet */ }
    if (!target) await sleep(100);
  }
  if (!target) fail('no page target');
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((r, j) => {
    ws.on('open', r);
    ws.on('error', j);
  });
  let id = 0;
  let chunks = [];
  const pending = new Map();
  ws.on('message', (m) => {
    const msg = JSON.parse(m);
    if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(msg.params.chunk);
    if (msg.id && pending.has(msg.id)) pending.get(msg.id)(msg);
  });
  const send = (method, params = {}) => new Promise((r) => {
    const i = ++id;
    pending.set(i, r);
    ws.send(JSON.stringify({id: i, method, params}));
  });
  const evaluate = async (expression) => {
    const r = await send('Runtime.evaluate', {expression, returnByValue: true});
    return r.result && r.result.result && r.result.result.value;
  };
  await send('Runtime.enable');
  for (let i = 0; i < 100; i++) {
    if (await evaluate("document.readyState === 'complete' && window.ready === true")) break;
    await sleep(100);
  }
  await send('HeapProfiler.enable');
  for (let i = 0; i < count; i++) {
    if (i > 0) await evaluate('step()');
    await send('HeapProfiler.collectGarbage');
    chunks = [];
    await send('HeapProfiler.takeHeapSnapshot', {reportProgress: false});
    fs.writeFileSync(path.join(out, `chromium-${i}.heapsnapshot`), chunks.join(''));
  }
  ws.close();
  chrome.kill('SIGKILL');
  process.exit(0);
}
main().catch((e) => fail(String(e && e.stack || e)));
