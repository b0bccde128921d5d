'use strict';
// Owners captured by listeners, some closed by their library and some open, in one snapshot:
// Socket.IO server sockets, ws WebSockets, net.Sockets, http.IncomingMessages, AbortSignals.
// Each owner is captured by one listener on a shared hub (event = the owner's kind).
// Usage: node --expose-gc liveness.js OUT_DIR [numeric]
// Writes OUT_DIR/liveness.heapsnapshot; with `numeric`, OUT_DIR/liveness-numeric.heapsnapshot
// with small integers exposed (v8.writeHeapSnapshot's exposeNumericValues, DevTools' "Include
// numerical values in capture").
// Line numbers below are test oracles (tests/leaks/shapes_test.cc): keep them stable.
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const v8 = require('node:v8');
const { EventEmitter, once } = require('node:events');
const { Server } = require('socket.io');
const ioClient = require('socket.io-client');
const { WebSocket, WebSocketServer } = require('ws');

const hub = new EventEmitter();
hub.setMaxListeners(100);
const until = (cond) => new Promise((done) => { const t = setInterval(() => { if (cond()) { clearInterval(t); done(); } }, 5); });

async function socketIo() {  // 3 connected, 2 of them then disconnected by the client
  const server = http.createServer();
  const io = new Server(server);
  const sockets = [];
  io.on('connection', (socket) => {
    sockets.push(socket);
    hub.on('io', () => socket.id); // line 29: captures a Socket.IO server socket
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}`;
  const clients = [0, 1, 2].map(() => ioClient(url, { transports: ['websocket'] }));
  await until(() => sockets.length === 3);
  clients[0].disconnect();
  clients[1].disconnect();
  await until(() => sockets.filter((s) => !s.connected).length === 2);
  return { io, server, clients };
}

async function ws() {  // 3 open, 2 of them then closed by the client
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(wss, 'listening');
  const sockets = [];
  wss.on('connection', (socket) => {
    sockets.push(socket);
    hub.on('ws', () => socket.readyState); // line 47: captures a server-side WebSocket
  });
  const url = `ws://127.0.0.1:${wss.address().port}`;
  const clients = [0, 1, 2].map(() => new WebSocket(url));
  await until(() => sockets.length === 3);
  clients[0].close();
  clients[1].close();
  await until(() => sockets.filter((s) => s.readyState === WebSocket.CLOSED).length === 2);
  return { wss, clients };
}

async function tcp() {  // 3 connections, 2 of them then ended by the client
  const sockets = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    hub.on('net', () => socket.remotePort); // line 63: captures a net.Socket
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const clients = [0, 1, 2].map(() => net.connect(server.address().port, '127.0.0.1'));
  await until(() => sockets.length === 3);
  clients[0].end();
  clients[1].destroy();
  await until(() => sockets.filter((s) => s.destroyed).length === 2);
  return { server, clients };
}

// Only `req` in the listener's context (the handler's own context also holds `res`).
function watchRequest(req) {
  hub.on('http', () => req.url); // line 76: captures an http.IncomingMessage
}

async function requests() {  // one complete, one aborted mid-body, one still receiving
  const reqs = [];
  const server = http.createServer((req, res) => {
    reqs.push(req);
    req.on('error', () => {});
    watchRequest(req);
    if (req.url === '/done') req.on('end', () => res.end('ok')).resume();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  const post = (p) => {
    const c = http.request({ port, host: '127.0.0.1', path: p, method: 'POST' });
    c.on('error', () => {});
    c.write('x');
    return c;
  };
  const done = post('/done');
  done.end();
  const aborted = post('/aborted');
  const open = post('/open');
  await until(() => reqs.length === 3 && reqs[0].complete);
  aborted.destroy();
  await until(() => reqs.some((r) => r.url === '/aborted' && r.aborted));
  return { server, open, agent: http.globalAgent };
}

function signals() {  // 3 signals, 2 of them aborted
  const controllers = [0, 1, 2].map(() => new AbortController());
  for (const c of controllers) {
    const signal = c.signal;
    hub.on('signal', () => signal.reason); // line 109: captures an AbortSignal
  }
  controllers[0].abort();
  controllers[1].abort();
  return controllers;
}

async function main() {
  globalThis.keep = {
    hub,
    io: await socketIo(),
    ws: await ws(),
    net: await tcp(),
    http: await requests(),
    signals: signals(),
  };
  global.gc();
  const numeric = process.argv[3] === 'numeric';
  const file = numeric ? 'liveness-numeric.heapsnapshot' : 'liveness.heapsnapshot';
  v8.writeHeapSnapshot(path.join(process.argv[2], file), { exposeNumericValues: numeric });
  process.exit(0);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
