'use strict';
// LEAKY VARIANT — reproduces the 2024-02-15 presence incident on purpose.
// Defect 2: every join-board registers three listeners (heartbeat on the
// presence service, cursor-move and selection-change on the socket) and none
// of them is ever removed: not on leave-board, not on a board switch, not on
// disconnect.
// Defect 3: the closures capture `currentBoard` of the join that created
// them, so after a board switch the old closures keep sending cursor moves
// to the old board ("ghost cursors").
// The heartbeat closure below starts on line 32 (heapscope test oracle).

function registerPresenceHandlers(socket, presenceService) {
  socket.on('join-board', (payload, ack) => {
    const boardId = String(payload && payload.boardId);
    const user = { id: String(payload && payload.userId), name: String(payload && payload.name) };

    // A join while on another board is a board switch.
    if (socket.data.boardId) {
      presenceService.removeUser(socket, socket.data.boardId, socket.data.userId);
      socket.leave(socket.data.boardId);
    }

    const currentBoard = presenceService.getBoard(boardId);
    socket.join(boardId);
    socket.data.boardId = boardId;
    socket.data.userId = user.id;
    presenceService.trackUser(socket, boardId, user);

    // Listener 1 of 3: timer-driven heartbeat on the presence service.
    // Captures socket, presenceService and currentBoard; retained by
    // PresenceService._events.heartbeat long after the socket is gone.
    presenceService.on('heartbeat', (tick) => {
      presenceService.recordHeartbeat(currentBoard, socket, tick);
    });

    // Listener 2 of 3: cursor moves, bound to the board of *this* join.
    socket.on('cursor-move', (position) => {
      presenceService.updateCursor(currentBoard, socket, position);
    });

    // Listener 3 of 3: selection changes, bound to the board of *this* join.
    socket.on('selection-change', (selection) => {
      presenceService.updateSelection(currentBoard, socket, selection);
    });

    if (typeof ack === 'function') ack({ ok: true, boardId });
  });

  socket.on('leave-board', (payload, ack) => {
    if (socket.data.boardId) {
      presenceService.removeUser(socket, socket.data.boardId, socket.data.userId);
      socket.leave(socket.data.boardId);
      socket.data.boardId = null;
    }
    // BUG: the three listeners added by join-board stay registered.
    if (typeof ack === 'function') ack({ ok: true });
  });

  socket.on('disconnect', () => {
    if (socket.data.boardId) {
      presenceService.removeUser(socket, socket.data.boardId, socket.data.userId);
      socket.data.boardId = null;
    }
    // BUG: nothing is removed from presenceService or from the socket.
  });
}

module.exports = { registerPresenceHandlers };
