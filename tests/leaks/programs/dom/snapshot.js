'use strict';
// Loads page.html in headless Chromium and writes a renderer heap snapshot over the DevTools
// protocol (HeapProfiler.takeHeapSnapshot after collectGarbage).
// Usage: node snapshot.js OUT_DIR   (writes OUT_DIR/dom.heapsnapshot)
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const WebSocket = require('ws');

const out = process.argv[2];
const page = 'file://' + path.join(__dirname, 'page.html');
const profile = fs.mkdtempSync(path.join(out, 'chromium-'));  // left in the scratch folder
const chrome = spawn('chromium', ['--headless=new', '--no-sandbox', '--disable-gpu',
  '--remote-debugging-port=0', `--user-data-dir=${profile}`, page],
{ stdio: ['ignore', 'ignore', 'pipe'] });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fail = (msg) => { chrome.kill('SIGKILL'); console.error(msg); process.exit(1); };
setTimeout(() => fail('timeout'), 60000).unref();

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
      target = list.find((t) => t.type === 'page' && t.url.endsWith('page.html'));
    } catch { /* not up yet */ }
    if (!target) await sleep(100);
  }
  if (!target) fail('no page target');
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((r, j) => { ws.on('open', r); ws.on('error', j); });
  let id = 0;
  const chunks = [];
  const pending = new Map();
  ws.on('message', (m) => {
    const msg = JSON.parse(m);
    if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(msg.params.chunk);
    if (msg.id && pending.has(msg.id)) pending.get(msg.id)(msg);
  });
  const send = (method, params = {}) => new Promise((r) => {
    const i = ++id;
    pending.set(i, r);
    ws.send(JSON.stringify({ id: i, method, params }));
  });
  await send('Runtime.enable');
  for (let i = 0; i < 100; i++) {
    // about:blank is "complete" too: wait for this page's own script to have run.
    const r = await send('Runtime.evaluate', {
      expression: "document.readyState === 'complete' && location.href.endsWith('page.html') && typeof board === 'object'",
      returnByValue: true,
    });
    if (r.result && r.result.result && r.result.result.value === true) break;
    await sleep(100);
  }
  await send('HeapProfiler.enable');
  await send('HeapProfiler.collectGarbage');
  await send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  fs.writeFileSync(path.join(out, 'dom.heapsnapshot'), chunks.join(''));
  ws.close();
  chrome.kill('SIGKILL');
  process.exit(0);
}
main().catch((e) => fail(String(e && e.stack || e)));
