'use strict';
// One live connection switching boards: every join registers another 'cursor-move' listener
// from the same site (line 14) on the same socket, capturing the board of that join (the stale
// `currentBoard` symptom). One snapshot. Usage: node --expose-gc switch.js OUT_DIR
const path = require('node:path');
const v8 = require('node:v8');
const { EventEmitter } = require('node:events');

const socket = new EventEmitter();
socket.connected = true;
const cursors = new Map();
socket.on('join-board', (board) => {
  const currentBoard = board;
  socket.on('cursor-move', (pos) => { cursors.set(currentBoard, pos); });
});
for (const b of ['a', 'b', 'c', 'd']) socket.emit('join-board', b);
globalThis.keep = socket;
global.gc();
v8.writeHeapSnapshot(path.join(process.argv[2], 'switch.heapsnapshot'));
