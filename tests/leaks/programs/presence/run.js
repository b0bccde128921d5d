'use strict';
// The presence incident in miniature: a series of snapshots of one process.
// Usage: node --expose-gc run.js OUT_DIR leaky|fixed CYCLES...
//   Each cycle: USERS sockets connect, join a board, switch board SWITCHES times, disconnect.
//   After the cycles given by each CYCLES argument a snapshot sN.heapsnapshot is written
//   (e.g. "2 5 5": baseline after 2 cycles, target after 5 more, final after 5 more).
// Two sockets stay connected throughout (long-lived, each on a board).
const path = require('node:path');
const v8 = require('node:v8');
const { EventEmitter } = require('node:events');
const { PresenceService } = require('./service');
const { registerLeaky, registerFixed } = require('./handler');

const [out, variant, ...cycleArgs] = process.argv.slice(2);
const USERS = 4, SWITCHES = 2, BOARDS = 3;

// Shaped like a Socket.IO server socket: its namespace (`nsp`) and its `connected` flag.
const namespace = { name: '/' };
class Socket extends EventEmitter {
  constructor(id) {
    super();
    this.id = id;
    this.nsp = namespace;
    this.connected = true;
    this.data = { boardId: null };
  }
  disconnect() {
    this.connected = false;
    this.emit('disconnect');
  }
}

const service = new PresenceService(variant === 'fixed');
const register = variant === 'fixed' ? registerFixed : registerLeaky;
const live = new Map();  // the server's connected sockets, like socket.io's namespace map
let next = 0;
function connect() {
  const s = new Socket(`sock_${next++}`);
  live.set(s.id, s);
  register(s, service);
  return s;
}
function cycle() {
  const sockets = [];
  for (let u = 0; u < USERS; u++) sockets.push(connect());
  for (let k = 0; k <= SWITCHES; k++) {
    for (const s of sockets) s.emit('join-board', `board_${(k + s.id.length) % BOARDS}`);
    service.emit('heartbeat', k);
    for (const s of sockets) s.emit('cursor-move', { x: k, y: k });
  }
  for (const s of sockets) {
    s.disconnect();
    live.delete(s.id);
  }
}

globalThis.presence = { service, live };
const longLived = [connect(), connect()];
for (const s of longLived) s.emit('join-board', 'board_0');
cycleArgs.forEach((n, i) => {
  for (let c = 0; c < Number(n); c++) cycle();
  global.gc();
  v8.writeHeapSnapshot(path.join(out, `s${i}.heapsnapshot`));
});
