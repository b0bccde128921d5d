#!/usr/bin/env node
// Loads a local HTML file in headless Chromium over the DevTools protocol (--remote-debugging-pipe)
// with JavaScript on or off, then writes a PNG screenshot and the DOM as HTML.
//
// Why not --screenshot/--dump-dom: in Chromium 156 (Debian) both produce nothing when
// --blink-settings=scriptEnabled=false is given, so "JavaScript disabled" is set here with
// Emulation.setScriptExecutionDisabled, and the DOM is read with DOM.getOuterHTML (no page JS).
//
// usage: node cdp_render.js --js on|off --html FILE [--png OUT] [--dom OUT] [--width W] [--height H]
'use strict';
const {spawn} = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const args = {js: 'on', width: '1280', height: '1600'};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].slice(2)] = process.argv[i + 1];
if (!args.html) {
  console.error('usage: cdp_render.js --js on|off --html FILE [--png OUT] [--dom OUT]');
  process.exit(2);
}
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'heapscope-cdp-'));
const chrome = spawn('chromium', [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank',
], {stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
    env: {...process.env, DBUS_SESSION_BUS_ADDRESS: 'disabled:'}});

let nextId = 1;
const pending = new Map();
const waiters = [];
let buffer = Buffer.alloc(0);
chrome.stdio[4].on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  let end;
  while ((end = buffer.indexOf(0)) >= 0) {
    const msg = JSON.parse(buffer.subarray(0, end).toString('utf8'));
    buffer = buffer.subarray(end + 1);
    if (msg.id && pending.has(msg.id)) {
      const {resolve, reject} = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) reject(new Error(JSON.stringify(msg.error))); else resolve(msg.result);
    } else if (msg.method) {
      for (const w of waiters.slice()) {
        if (w.method === msg.method) { waiters.splice(waiters.indexOf(w), 1); w.resolve(msg.params); }
      }
    }
  }
});
function send(method, params = {}, sessionId) {
  const id = nextId++;
  const msg = {id, method, params};
  if (sessionId) msg.sessionId = sessionId;
  chrome.stdio[3].write(JSON.stringify(msg) + '\0');
  return new Promise((resolve, reject) => pending.set(id, {resolve, reject}));
}
function waitFor(method) { return new Promise((resolve) => waiters.push({method, resolve})); }

async function main() {
  const {targetId} = await send('Target.createTarget', {url: 'about:blank'});
  const {sessionId} = await send('Target.attachToTarget', {targetId, flatten: true});
  const s = (m, p) => send(m, p, sessionId);
  await s('Page.enable');
  await s('Emulation.setScriptExecutionDisabled', {value: args.js === 'off'});
  await s('Emulation.setDeviceMetricsOverride',
          {width: Number(args.width), height: Number(args.height), deviceScaleFactor: 1, mobile: false});
  const loaded = waitFor('Page.loadEventFired');
  await s('Page.navigate', {url: 'file://' + path.resolve(args.html)});
  await loaded;
  if (args.png) {
    const shot = await s('Page.captureScreenshot', {format: 'png'});
    fs.writeFileSync(args.png, Buffer.from(shot.data, 'base64'));
  }
  if (args.dom) {
    const {root} = await s('DOM.getDocument', {depth: -1});
    const {outerHTML} = await s('DOM.getOuterHTML', {nodeId: root.nodeId});
    fs.writeFileSync(args.dom, outerHTML);
  }
  await send('Browser.close').catch(() => {});
}

const timer = setTimeout(() => { console.error('cdp_render: timed out'); chrome.kill('SIGKILL'); process.exit(1); }, 45000);
main().then(() => {
  clearTimeout(timer);
  chrome.on('exit', () => { fs.rmSync(profile, {recursive: true, force: true}); process.exit(0); });
  setTimeout(() => chrome.kill('SIGKILL'), 3000).unref();
}, (e) => {
  console.error('cdp_render: ' + e.message);
  chrome.kill('SIGKILL');
  process.exit(1);
});
