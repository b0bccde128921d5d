'use strict';
// Load driver for the presence reference server (socket.io-client).
//
//   node driver/driver.js --url http://127.0.0.1:PORT --users U --cycles N \
//        --concurrency C [--switches K] [--boards B] [--heartbeats H] \
//        [--cursor-moves M] [--selections S] [--cycle-delay-ms D] [--no-settle] \
//        [--max-seconds T] [--json]
//
// One cycle = every user (C at a time): connect, join a board, send H heartbeats,
// M cursor moves and S selection changes, switch boards K times (same traffic on
// each board), leave the board, disconnect. Every step waits for an ack (the
// 'sync' barrier after the traffic), so the run is deterministic. After each
// cycle the driver waits (bounded) until the server reports no active
// connection, i.e. every disconnect was handled. Loops are bounded by the
// arguments, each wait by a timeout, and the whole run by --max-seconds.

const { io } = require('socket.io-client');
const { fetchMetrics, pick } = require('./promtext');

const DEFAULTS = {
  url: 'http://127.0.0.1:3000', users: 5, cycles: 10, concurrency: 5, switches: 2, boards: 4,
  heartbeats: 2, cursorMoves: 3, selections: 1, cycleDelayMs: 0, settle: true,
  ackTimeoutMs: 5000, connectTimeoutMs: 5000, settleTimeoutMs: 10000, maxSeconds: 600,
};

function isLoopbackUrl(url) {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

// Boards visited by user u in cycle c: K+1 consecutive boards starting at (u+c) mod B.
function boardsFor(opts, userIndex, cycle) {
  const start = (userIndex + cycle) % opts.boards;
  return Array.from({ length: opts.switches + 1 }, (_, j) => `board-${(start + j) % opts.boards}`);
}

// Exact per-cycle expectations of the protocol (used by the tests and printed by the CLI).
function expectations(opts) {
  const joinsPerUser = opts.switches + 1;
  let ghostsPerUser = 0; // leaky only: old closures on other boards fire for every cursor move
  const fake = boardsFor(opts, 0, 0);
  for (let j = 0; j < joinsPerUser; j += 1) {
    const earlierOnOtherBoards = fake.slice(0, j).filter((b) => b !== fake[j]).length;
    ghostsPerUser += earlierOnOtherBoards * opts.cursorMoves;
  }
  return {
    joinsPerCycle: opts.users * joinsPerUser,
    leakyListenersPerCycle: opts.users * joinsPerUser, // per event: service heartbeat, socket heartbeat, cursor-move, selection-change
    leakyGhostCursorsPerCycle: opts.users * ghostsPerUser,
  };
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

async function runUser(opts, userIndex, cycle, stats) {
  const socket = io(opts.url, {
    transports: ['websocket'], forceNew: true, reconnection: false, timeout: opts.connectTimeoutMs,
  });
  try {
    await withTimeout(new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    }), opts.connectTimeoutMs, `connect user-${userIndex}`);
    socket.on('cursor', () => { stats.cursorEventsReceived += 1; });
    const userId = `user-${userIndex}`;
    for (const boardId of boardsFor(opts, userIndex, cycle)) {
      const joined = await socket.timeout(opts.ackTimeoutMs).emitWithAck('join-board', { boardId, userId, name: `User ${userIndex}` });
      if (!joined || !joined.ok) throw new Error(`join-board ${boardId} rejected`);
      stats.joins += 1;
      for (let h = 0; h < opts.heartbeats; h += 1) socket.emit('heartbeat', { ts: Date.now() });
      for (let m = 0; m < opts.cursorMoves; m += 1) socket.emit('cursor-move', { x: userIndex * 10 + m, y: cycle });
      for (let s = 0; s < opts.selections; s += 1) socket.emit('selection-change', { ids: [`shape-${cycle}-${s}`] });
      await socket.timeout(opts.ackTimeoutMs).emitWithAck('sync');
      stats.heartbeatsSent += opts.heartbeats;
      stats.cursorMovesSent += opts.cursorMoves;
      stats.selectionsSent += opts.selections;
    }
    await socket.timeout(opts.ackTimeoutMs).emitWithAck('leave-board', {});
    stats.leaves += 1;
  } finally {
    socket.disconnect();
    stats.disconnects += 1;
  }
}

async function settle(opts) {
  const deadline = Date.now() + opts.settleTimeoutMs;
  for (;;) {
    const samples = await fetchMetrics(opts.url);
    const active = pick(samples, 'presence_active_connections');
    if (active === 0) return samples;
    if (Date.now() > deadline) throw new Error(`server still reports ${active} active connections after ${opts.settleTimeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function runLoad(userOpts = {}) {
  const opts = { ...DEFAULTS, ...userOpts };
  if (!isLoopbackUrl(opts.url)) throw new Error(`refusing non-loopback target ${opts.url}`);
  for (const k of ['users', 'cycles', 'concurrency', 'switches', 'boards']) {
    if (!Number.isInteger(opts[k]) || opts[k] < 0) throw new Error(`--${k} must be a non-negative integer`);
  }
  if (opts.concurrency < 1) throw new Error('--concurrency must be >= 1');
  if (opts.boards < 1) throw new Error('--boards must be >= 1');
  const stats = {
    cycles: 0, connections: 0, joins: 0, leaves: 0, disconnects: 0, heartbeatsSent: 0,
    cursorMovesSent: 0, selectionsSent: 0, cursorEventsReceived: 0, elapsedMs: 0,
  };
  const started = Date.now();
  const deadline = started + opts.maxSeconds * 1000;
  for (let cycle = 0; cycle < opts.cycles; cycle += 1) {
    if (Date.now() > deadline) throw new Error(`--max-seconds ${opts.maxSeconds} exceeded after ${cycle} cycles`);
    let next = 0;
    const worker = async () => {
      while (next < opts.users) {
        const u = next;
        next += 1;
        stats.connections += 1;
        await runUser(opts, u, (opts.cycleOffset || 0) + cycle, stats);
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.users) }, worker));
    let samples = null;
    if (opts.settle) samples = await settle(opts);
    stats.cycles += 1;
    if (opts.onCycle) await opts.onCycle(cycle, samples);
    if (opts.cycleDelayMs > 0) await new Promise((r) => setTimeout(r, opts.cycleDelayMs));
  }
  stats.elapsedMs = Date.now() - started;
  return stats;
}

function parseArgs(argv) {
  const opts = {};
  const num = (v, name) => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`${name} needs a number, got ${v}`);
    return n;
  };
  const map = {
    '--url': ['url', String], '--users': ['users', num], '--cycles': ['cycles', num],
    '--concurrency': ['concurrency', num], '--switches': ['switches', num], '--boards': ['boards', num],
    '--heartbeats': ['heartbeats', num], '--cursor-moves': ['cursorMoves', num], '--selections': ['selections', num],
    '--cycle-delay-ms': ['cycleDelayMs', num], '--cycle-offset': ['cycleOffset', num], '--max-seconds': ['maxSeconds', num],
  };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--no-settle') opts.settle = false;
    else if (a === '--json') opts.json = true;
    else if (map[a]) {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      opts[map[a][0]] = map[a][1](argv[++i], a);
    } else throw new Error(`unknown argument: ${a}`);
  }
  return opts;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`driver: ${err.message}\n`);
    process.exit(2);
  }
  const full = { ...DEFAULTS, ...opts };
  const hardStop = setTimeout(() => {
    process.stderr.write(`driver: hard stop after ${full.maxSeconds + 30} s\n`);
    process.exit(3);
  }, (full.maxSeconds + 30) * 1000);
  hardStop.unref();
  try {
    const stats = await runLoad(full);
    const summary = { ...stats, params: { ...full, json: undefined }, expectations: expectations(full) };
    if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else process.stdout.write(`driver: ${stats.cycles} cycles, ${stats.connections} connections, ${stats.joins} joins, ` +
      `${stats.cursorMovesSent} cursor moves, ${stats.cursorEventsReceived} cursor events received in ${stats.elapsedMs} ms\n`);
    process.exit(0);
  } catch (err) {
    process.stderr.write(`driver: ${err.message}\n`);
    process.exit(1);
  }
}

if (require.main === module) main();

module.exports = { runLoad, expectations, boardsFor, DEFAULTS, isLoopbackUrl };
