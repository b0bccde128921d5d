'use strict';
// FIXED VARIANT — same protocol and metrics as leaky/, without the leak.
// Fix 2: the three listeners are named handlers created once per connection
// and removed by detach() on leave-board, on a board switch and on
// disconnect; removeUser() removes the socket heartbeat listener.
// Fix 3: no closure captures a board: handlers read the *current* board from
// the per-connection session at call time, and are only attached while the
// socket is on a board.
// The heartbeat closure below starts on line 32 (heapscope test oracle).

function registerPresenceHandlers(socket, presenceService) {
  const session = { boardId: null, userId: null, attached: false };

  function detach() {
    if (!session.attached) return;
    session.attached = false;
    presenceService.off('heartbeat', onHeartbeat);
    socket.off('cursor-move', onCursorMove);
    socket.off('selection-change', onSelectionChange);
    presenceService.noteListenerRemoved('presence_service', 'heartbeat');
    presenceService.noteListenerRemoved('sockets', 'cursor-move');
    presenceService.noteListenerRemoved('sockets', 'selection-change');
    presenceService.log.info('PRESENCE', `Removed board listeners socket=${socket.id}`);
    if (session.boardId) {
      presenceService.removeUser(socket, session.boardId, session.userId);
      socket.leave(session.boardId);
    }
    session.boardId = null;
  }

  // Listener 1 of 3: timer-driven heartbeat on the presence service.
  const onHeartbeat = (tick) => {
    if (session.boardId) {
      presenceService.recordHeartbeat(presenceService.getBoard(session.boardId), socket, tick);
    }
  };

  // Listener 2 of 3: cursor moves, always to the board the user is on now.
  const onCursorMove = (position) => {
    if (session.boardId) {
      presenceService.updateCursor(presenceService.getBoard(session.boardId), socket, position);
    }
  };

  // Listener 3 of 3: selection changes, always to the current board.
  const onSelectionChange = (selection) => {
    if (session.boardId) {
      presenceService.updateSelection(presenceService.getBoard(session.boardId), socket, selection);
    }
  };

  socket.on('join-board', (payload, ack) => {
    const boardId = String(payload && payload.boardId);
    const user = { id: String(payload && payload.userId), name: String(payload && payload.name) };

    // A join while on another board is a board switch: detach everything first.
    detach();

    socket.join(boardId);
    session.boardId = boardId;
    session.userId = user.id;
    presenceService.trackUser(socket, boardId, user);
    presenceService.on('heartbeat', onHeartbeat);
    socket.on('cursor-move', onCursorMove);
    socket.on('selection-change', onSelectionChange);
    session.attached = true;

    if (typeof ack === 'function') ack({ ok: true, boardId });
  });

  socket.on('leave-board', (payload, ack) => {
    detach();
    if (typeof ack === 'function') ack({ ok: true });
  });

  socket.on('disconnect', () => {
    detach();
  });
}

module.exports = { registerPresenceHandlers };
