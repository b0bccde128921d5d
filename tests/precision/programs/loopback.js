'use strict';
// The client side of the loopback programs: connect, send one line or message, hang up.
const net = require('node:net');
const http = require('node:http');

const closed = (emitter) => new Promise((resolve) => emitter.once('close', resolve));

// A net client that stays connected (its data is read and dropped) after sending `line`.
async function netConnect(port, line) {
  const c = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => { c.once('connect', resolve); c.once('error', reject); });
  c.on('data', () => {});
  c.write(line);
  return c;
}

// Connects, sends `line`, hangs up and waits for the connection to close.
async function netVisit(port, line) {
  const c = await netConnect(port, line);
  c.end();
  await closed(c);
}

// GET over a fresh connection (no keep-alive); resolves when the response ended.
function httpGet(port, path, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent: false, headers }, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
}

// A WebSocket client that stays connected after sending `text`.
async function wsConnect(port, text) {
  const { WebSocket } = require('ws'); // only the ws programs load it
  const c = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise((resolve, reject) => { c.once('open', resolve); c.once('error', reject); });
  c.send(text);
  return c;
}

// Connects, sends `text`, closes and waits for the close handshake.
async function wsVisit(port, text) {
  const c = await wsConnect(port, text);
  c.close();
  await closed(c);
}

module.exports = { netConnect, netVisit, httpGet, wsConnect, wsVisit };
