'use strict';
// Per-connection handlers like the incident's presence.handler.js. Leaky: every join adds three
// listeners (heartbeat on the service, cursor-move and selection-change on the socket) that are
// never removed and capture `currentBoard`. Fixed: three handlers per connection, attached while
// on a board and removed on leave and disconnect. Line numbers are test oracles: the leaky
// closures are on lines 17, 19 and 21.

function registerLeaky(socket, service) {
  socket.on('join-board', (boardId) => {
    if (socket.data.boardId) service.removeUser(socket, socket.data.boardId);
    const currentBoard = service.getBoard(boardId);
    socket.data.boardId = boardId;
    service.trackUser(socket, boardId);

    // The three leaked listeners.
    service.on('heartbeat',
      (tick) => { currentBoard.cursors.set(socket.id, tick); });
    socket.on('cursor-move',
      (pos) => { currentBoard.cursors.set(socket.id, pos); });
    socket.on('selection-change',
      (sel) => { currentBoard.cursors.set(socket.id, sel); });
  });
  socket.on('disconnect', () => {
    if (socket.data.boardId) service.removeUser(socket, socket.data.boardId);
  });
}

function registerFixed(socket, service) {
  const session = { boardId: null };
  const onHeartbeat = (tick) => { if (session.boardId) service.getBoard(session.boardId).cursors.set(socket.id, tick); };
  const onCursor = (pos) => { if (session.boardId) service.getBoard(session.boardId).cursors.set(socket.id, pos); };
  const onSelection = (sel) => { if (session.boardId) service.getBoard(session.boardId).cursors.set(socket.id, sel); };
  function detach() {
    if (!session.boardId) return;
    service.off('heartbeat', onHeartbeat);
    socket.off('cursor-move', onCursor);
    socket.off('selection-change', onSelection);
    service.removeUser(socket, session.boardId);
    session.boardId = null;
  }
  socket.on('join-board', (boardId) => {
    detach();
    session.boardId = boardId;
    service.getBoard(boardId);
    service.trackUser(socket, boardId);
    service.on('heartbeat', onHeartbeat);
    socket.on('cursor-move', onCursor);
    socket.on('selection-change', onSelection);
  });
  socket.on('disconnect', detach);
}

module.exports = { registerLeaky, registerFixed };
