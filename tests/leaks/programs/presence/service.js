'use strict';
// A PresenceService like the incident's (seed/incident-presence-leak.md), small enough for
// tests. `fixed` removes the socket heartbeat listener in removeUser(). Line numbers are test
// oracles (tests/leaks/presence_test.cc): the heartbeat handler is on line 20.
const { EventEmitter } = require('node:events');

class PresenceService extends EventEmitter {
  constructor(fixed) {
    super();
    this.setMaxListeners(0);
    this.fixed = fixed;
    this.users = new Map();
    this.boards = new Map();
  }

  trackUser(socket, boardId) {
    const key = `${boardId}:${socket.id}`;
    const entry = { boardId, socketId: socket.id, lastSeen: 0, handler: null };
    this.users.set(key, entry);
    const heartbeatHandler = (payload) => {
      const e = this.users.get(key);
      if (e) e.lastSeen = payload;
    };
    socket.on('heartbeat', heartbeatHandler);
    if (this.fixed) entry.handler = heartbeatHandler;
  }

  removeUser(socket, boardId) {
    const key = `${boardId}:${socket.id}`;
    const entry = this.users.get(key);
    if (this.fixed && entry) socket.off('heartbeat', entry.handler);
    this.users.delete(key);
  }

  getBoard(boardId) {
    let board = this.boards.get(boardId);
    if (!board) this.boards.set(boardId, (board = { id: boardId, cursors: new Map() }));
    return board;
  }
}

module.exports = { PresenceService };
