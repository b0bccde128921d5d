'use strict';
// Prometheus metrics of the reference server (identical for both variants).

const client = require('prom-client');

const EVENTS = ['heartbeat', 'cursor-move', 'selection-change'];

function createMetrics({ getPresenceService, getSockets, getActiveConnections }) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });

  new client.Gauge({
    name: 'presence_listeners',
    help: 'Listeners per event on the presence service and summed over all live (not yet collected) server sockets',
    labelNames: ['emitter', 'event'],
    registers: [registry],
    collect() {
      const service = getPresenceService();
      const sockets = [...getSockets()];
      for (const event of EVENTS) {
        this.set({ emitter: 'presence_service', event }, service ? service.listenerCount(event) : 0);
        let total = 0;
        for (const socket of sockets) total += socket.listenerCount(event);
        this.set({ emitter: 'sockets', event }, total);
      }
    },
  });

  new client.Gauge({
    name: 'presence_active_connections',
    help: 'Currently connected Socket.IO sockets',
    registers: [registry],
    collect() { this.set(getActiveConnections()); },
  });

  new client.Gauge({
    name: 'presence_tracked_users',
    help: 'Entries in the presence service user map',
    registers: [registry],
    collect() { const s = getPresenceService(); this.set(s ? s.users.size : 0); },
  });

  new client.Gauge({
    name: 'presence_heartbeat_ticks',
    help: 'Heartbeat timer ticks emitted by the presence service since start',
    registers: [registry],
    collect() { const s = getPresenceService(); this.set(s ? s.tick : 0); },
  });

  new client.Gauge({
    name: 'presence_retained_sockets',
    help: 'Server socket objects still alive (connected or not yet garbage-collected)',
    registers: [registry],
    collect() { let n = 0; for (const _ of getSockets()) n += 1; this.set(n); },
  });

  const counter = (name, help, labelNames = []) =>
    new client.Counter({ name, help, labelNames, registers: [registry] });

  const listenerRemovals = counter('presence_listener_removals_total', 'Listeners removed by the presence code', ['emitter', 'event']);
  // Export the removal series at 0 from the start (the leaky variant never removes any).
  listenerRemovals.inc({ emitter: 'presence_service', event: 'heartbeat' }, 0);
  for (const event of EVENTS) listenerRemovals.inc({ emitter: 'sockets', event }, 0);

  return {
    registry,
    listenerRemovals,
    connections: counter('presence_connections_total', 'Socket.IO connections accepted'),
    disconnects: counter('presence_disconnects_total', 'Socket.IO disconnects'),
    ghostCursors: counter('presence_ghost_cursor_events_total', 'cursor-move events broadcast to a board the user is no longer on'),
    staleHeartbeats: counter('presence_stale_heartbeats_total', 'Timer heartbeats handled for sockets that are already disconnected'),
    clientHeartbeats: counter('presence_client_heartbeats_total', 'heartbeat events handled by socket heartbeat listeners'),
    joins: counter('presence_board_joins_total', 'join-board requests (including board switches)'),
  };
}

module.exports = { createMetrics, EVENTS };
