'use strict';
// FIXED VARIANT — same protocol and metrics as leaky/, without the leak.
// Fix 1: trackUser() keeps its heartbeat handler in the presence entry and
// removeUser() removes it with socket.off() ("Removed heartbeat listener").
// The line numbers of the closures below are part of the heapscope test
// oracle (see README.md): the heartbeat handler closure starts on line 57.

const { EventEmitter } = require('node:events');

class PresenceService extends EventEmitter {
  constructor({ log, metrics, heartbeatIntervalMs = 1000 } = {}) {
    super();
    this.setMaxListeners(0); // one listener per connected user is expected
    this.log = log;
    this.metrics = metrics;
    this.users = new Map(); // key `${boardId}:${socket.id}` -> presence entry
    this.boards = new Map(); // boardId -> board state (cursors, selections)
    this.heartbeatIntervalMs = heartbeatIntervalMs;
    this.tick = 0;
    this.timer = null;
  }

  start() {
    if (this.timer || !(this.heartbeatIntervalMs > 0)) return;
    this.timer = setInterval(() => {
      this.tick += 1;
      this.emit('heartbeat', { tick: this.tick, at: Date.now() });
    }, this.heartbeatIntervalMs);
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  getBoard(boardId) {
    let board = this.boards.get(boardId);
    if (!board) {
      board = { id: boardId, createdAt: Date.now(), cursors: new Map(), selections: new Map() };
      this.boards.set(boardId, board);
    }
    return board;
  }

  isOnBoard(boardId, socketId) {
    return this.users.has(`${boardId}:${socketId}`);
  }

  trackUser(socket, boardId, user) {
    const key = `${boardId}:${socket.id}`;
    this.log.info('PRESENCE', `Tracking user on board ${boardId}`);
    if (this.users.has(key)) this.removeUser(socket, boardId, user.id);
    const entry = {
      boardId, socketId: socket.id, userId: user.id, name: user.name,
      joinedAt: Date.now(), lastSeen: Date.now(), heartbeatHandler: null,
    };
    const heartbeatHandler = (payload) => {
      const entry = this.users.get(key);
      if (entry) entry.lastSeen = Date.now();
      this.metrics.clientHeartbeats.inc();
      this.emit('client-heartbeat', key, payload);
    };
    entry.heartbeatHandler = heartbeatHandler;
    this.users.set(key, entry);
    socket.on('heartbeat', heartbeatHandler);
    this.log.info('PRESENCE', `Added heartbeat listener socket=${socket.id}`);
  }

  removeUser(socket, boardId, userId) {
    const key = `${boardId}:${socket.id}`;
    this.log.info('PRESENCE', `Removing user from board ${boardId}`);
    const board = this.boards.get(boardId);
    if (board) {
      board.cursors.delete(socket.id);
      board.selections.delete(socket.id);
    }
    const entry = this.users.get(key);
    this.users.delete(key);
    if (entry && entry.heartbeatHandler) {
      socket.off('heartbeat', entry.heartbeatHandler);
      this.metrics.listenerRemovals.inc({ emitter: 'sockets', event: 'heartbeat' });
      this.log.info('PRESENCE', `Removed heartbeat listener socket=${socket.id}`);
    }
    this.log.info('PRESENCE', `User removed from tracking user=${userId}`);
  }

  // Called by the timer-driven 'heartbeat' listeners of presence.handler.js.
  recordHeartbeat(board, socket) {
    this.log.info('PRESENCE', `Heartbeat received socket=${socket.id}`);
    if (socket.disconnected) this.metrics.staleHeartbeats.inc();
    const entry = this.users.get(`${board.id}:${socket.id}`);
    if (entry) entry.lastSeen = Date.now();
  }

  updateCursor(board, socket, position) {
    if (!this.isOnBoard(board.id, socket.id)) this.metrics.ghostCursors.inc();
    board.cursors.set(socket.id, { x: position.x, y: position.y, at: Date.now() });
    socket.to(board.id).emit('cursor', { boardId: board.id, socketId: socket.id, x: position.x, y: position.y });
  }

  updateSelection(board, socket, selection) {
    board.selections.set(socket.id, { ids: selection.ids, at: Date.now() });
    socket.to(board.id).emit('selection', { boardId: board.id, socketId: socket.id, ids: selection.ids });
  }

  noteListenerRemoved(emitter, event) {
    this.metrics.listenerRemovals.inc({ emitter, event });
  }
}

module.exports = { PresenceService };
