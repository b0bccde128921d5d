'use strict';
// Shared bootstrap of the presence reference server.
//
//   node --expose-gc shared/server.js --variant leaky|fixed
//   node --expose-gc shared/server.js --variant-dir /path/to/variant
//
// Environment:
//   HOST                   listen address, default 127.0.0.1 (keep it on loopback)
//   PORT                   listen port, default 0 (ephemeral); the chosen port is
//                          printed on stdout as "LISTENING port=<n> ..."
//   PRESENCE_HEARTBEAT_MS  interval of the presence service heartbeat timer (1000)
//   PRESENCE_LOG_LEVEL     silent | info (default) | debug
//   PRESENCE_SNAPSHOT_DIR  enables POST /debug/heapsnapshot and POST /debug/gc,
//                          served on 127.0.0.1 only; snapshots are written there
//   PRESENCE_DEBUG_PORT    port of the separate loopback debug listener, used only
//                          when HOST is not a loopback address (default 0)

const http = require('node:http');
const path = require('node:path');
const fs = require('node:fs');
const v8 = require('node:v8');
const { Server } = require('socket.io');
const { createLogger } = require('./logger');
const { createMetrics, EVENTS } = require('./metrics');

const ROOT = path.resolve(__dirname, '..');
const VARIANTS = { leaky: path.join(ROOT, 'leaky'), fixed: path.join(ROOT, 'fixed') };

function isLoopback(address) {
  if (!address) return false;
  return address === '::1' || address === 'localhost' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function loadVariant(variantDir) {
  const { PresenceService } = require(path.join(variantDir, 'src/services/collaboration/presence.service.js'));
  const { registerPresenceHandlers } = require(path.join(variantDir, 'src/websocket/handlers/presence.handler.js'));
  return { PresenceService, registerPresenceHandlers };
}

function createPresenceServer({
  variantDir,
  host = process.env.HOST || '127.0.0.1',
  port = Number(process.env.PORT || 0),
  heartbeatIntervalMs = Number(process.env.PRESENCE_HEARTBEAT_MS || 1000),
  snapshotDir = process.env.PRESENCE_SNAPSHOT_DIR || '',
  debugPort = Number(process.env.PRESENCE_DEBUG_PORT || 0),
  log = createLogger(),
} = {}) {
  const { PresenceService, registerPresenceHandlers } = loadVariant(variantDir);

  // Every server socket ever accepted, held weakly: the "sockets" listener gauge
  // sums over the sockets that are still alive, so sockets retained by leaked
  // closures keep counting after they disconnected.
  const socketRefs = new Set();
  const finalizer = new FinalizationRegistry((ref) => socketRefs.delete(ref));
  function* liveSockets() {
    for (const ref of socketRefs) {
      const socket = ref.deref();
      if (socket) yield socket;
    }
  }

  let presenceService = null;
  let io = null;
  const metrics = createMetrics({
    getPresenceService: () => presenceService,
    getSockets: liveSockets,
    getActiveConnections: () => (io ? io.of('/').sockets.size : 0),
  });
  presenceService = new PresenceService({ log, metrics, heartbeatIntervalMs });

  function listenerCounts() {
    const out = { presence_service: {}, sockets: {} };
    for (const event of EVENTS) {
      out.presence_service[event] = presenceService.listenerCount(event);
      let total = 0;
      for (const socket of liveSockets()) total += socket.listenerCount(event);
      out.sockets[event] = total;
    }
    return out;
  }

  function sendJson(res, status, body) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  function collectGarbage() {
    if (typeof global.gc === 'function') {
      global.gc();
      global.gc();
      return true;
    }
    return false;
  }

  // Debug routes: loopback only, enabled only by PRESENCE_SNAPSHOT_DIR.
  function handleDebug(req, res, url) {
    if (!snapshotDir) return sendJson(res, 404, { error: 'debug endpoints disabled (set PRESENCE_SNAPSHOT_DIR)' });
    if (!isLoopback(req.socket.remoteAddress)) return sendJson(res, 403, { error: 'loopback only' });
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
    if (url.pathname === '/debug/gc') {
      const gc = collectGarbage();
      return sendJson(res, 200, { gc, memory: process.memoryUsage(), listeners: listenerCounts(), trackedUsers: presenceService.users.size });
    }
    if (url.pathname === '/debug/heapsnapshot') {
      const name = url.searchParams.get('name') || `presence-${Date.now()}`;
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) return sendJson(res, 400, { error: 'name must match [A-Za-z0-9._-]{1,64}' });
      const file = path.resolve(snapshotDir, name.endsWith('.heapsnapshot') ? name : `${name}.heapsnapshot`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const gc = collectGarbage();
      const memory = process.memoryUsage();
      const listeners = listenerCounts();
      const written = v8.writeHeapSnapshot(file);
      log.info('DEBUG', `Heap snapshot written path=${written}`);
      return sendJson(res, 200, {
        path: written, bytes: fs.statSync(written).size, gc, memory, listeners,
        trackedUsers: presenceService.users.size, activeConnections: io.of('/').sockets.size,
      });
    }
    return sendJson(res, 404, { error: 'unknown debug route' });
  }

  function handleRequest(req, res, { debugHere }) {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/metrics' && req.method === 'GET') {
      metrics.registry.metrics().then(
        (text) => { res.writeHead(200, { 'content-type': metrics.registry.contentType }); res.end(text); },
        (err) => { res.writeHead(500); res.end(String(err)); },
      );
      return;
    }
    if (url.pathname === '/healthz') return sendJson(res, 200, { ok: true });
    if (url.pathname.startsWith('/debug/') && debugHere) return handleDebug(req, res, url);
    if (url.pathname.startsWith('/socket.io')) return; // handled by Socket.IO
    return sendJson(res, 404, { error: 'not found' });
  }

  const mainIsLoopback = isLoopback(host);
  const httpServer = http.createServer((req, res) => handleRequest(req, res, { debugHere: mainIsLoopback }));
  const debugServer = snapshotDir && !mainIsLoopback
    ? http.createServer((req, res) => handleRequest(req, res, { debugHere: true }))
    : null;

  io = new Server(httpServer, { serveClient: false, cors: { origin: false } });
  io.on('connection', (socket) => {
    const ref = new WeakRef(socket);
    socketRefs.add(ref);
    finalizer.register(socket, ref);
    metrics.connections.inc();
    log.info('WS', `User connected socket=${socket.id}`);
    socket.use((packet, next) => {
      if (packet[0] === 'join-board') metrics.joins.inc();
      next();
    });
    registerPresenceHandlers(socket, presenceService);
    // Protocol barrier: Socket.IO delivers events of one connection in order,
    // so the ack of 'sync' proves every earlier event was handled.
    socket.on('sync', (ack) => { if (typeof ack === 'function') ack({ ok: true }); });
    socket.on('disconnect', (reason) => {
      metrics.disconnects.inc();
      log.info('WS', `User disconnected socket=${socket.id} reason=${reason}`);
    });
  });

  async function start() {
    await new Promise((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(port, host, () => { httpServer.off('error', reject); resolve(); });
    });
    if (debugServer) {
      await new Promise((resolve, reject) => {
        debugServer.once('error', reject);
        debugServer.listen(debugPort, '127.0.0.1', () => { debugServer.off('error', reject); resolve(); });
      });
    }
    presenceService.start();
    return {
      port: httpServer.address().port,
      debugPort: debugServer ? debugServer.address().port : null,
    };
  }

  async function stop() {
    presenceService.stop();
    await new Promise((resolve) => io.close(() => resolve()));
    if (debugServer) await new Promise((resolve) => debugServer.close(() => resolve()));
  }

  return { start, stop, io, presenceService, metrics, listenerCounts, httpServer };
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--variant') args.variant = argv[++i];
    else if (a === '--variant-dir') args.variantDir = argv[++i];
    else if (a === '--help' || a === '-h') args.help = true;
    else throw new Error(`unknown argument: ${a}`);
  }
  return args;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`server: ${err.message}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write('usage: node --expose-gc shared/server.js --variant leaky|fixed | --variant-dir DIR\n');
    return;
  }
  const variantDir = args.variantDir ? path.resolve(args.variantDir) : VARIANTS[args.variant];
  if (!variantDir) {
    process.stderr.write('server: --variant must be leaky or fixed (or give --variant-dir)\n');
    process.exit(2);
  }
  const server = createPresenceServer({ variantDir });
  let info;
  try {
    info = await server.start();
  } catch (err) {
    process.stderr.write(`server: cannot listen: ${err.message}\n`);
    process.exit(1);
  }
  const variant = path.basename(variantDir);
  const gc = typeof global.gc === 'function' ? 'on' : 'off';
  process.stdout.write(`LISTENING port=${info.port} host=${process.env.HOST || '127.0.0.1'} variant=${variant} pid=${process.pid} gc=${gc}` +
    (info.debugPort ? ` debug_port=${info.debugPort}` : '') + '\n');
  let stopping = false;
  const shutdown = (signal) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`STOPPING signal=${signal}\n`);
    const force = setTimeout(() => process.exit(0), 3000);
    force.unref();
    server.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) main();

module.exports = { createPresenceServer, VARIANTS, isLoopback };
