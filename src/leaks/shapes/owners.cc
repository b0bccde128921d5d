// Owner liveness signals, in the order they are tried. Each reads one library's own flag on an
// object a listener captures (HEAP-FORMAT.md: booleans are edges to `system / Oddball` nodes
// whose hidden edge names `true`/`false`; small integers appear only in snapshots written with
// numeric values exposed, as `number` nodes named by their value).
#include "heapscope/leaks/shapes.h"
#include "heapscope/leaks/sites.h"

namespace heapscope::leaks {
namespace {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

bool HasProperty(const Snapshot& snap, NodeIndex object, std::string_view name) {
  return NamedEdge(snap, object, EdgeType::kProperty, name).valid();
}

// Socket.IO sockets (server `Socket` has `nsp`, client `Socket` has `io`): `connected`.
int SocketIoAlive(const Snapshot& snap, NodeIndex o) {
  if (!HasProperty(snap, o, "nsp") && !HasProperty(snap, o, "io")) return -1;
  return BooleanProperty(snap, o, "connected");
}

int StreamAlive(const Snapshot& snap, NodeIndex o);

// ws WebSocket: `_readyState` (0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED) when numbers are in
// the snapshot; else its `_socket`'s `destroyed`.
int WsAlive(const Snapshot& snap, NodeIndex o) {
  if (!HasProperty(snap, o, "_receiver") || !HasProperty(snap, o, "_binaryType")) return -1;
  NodeIndex state = NamedEdge(snap, o, EdgeType::kProperty, "_readyState");
  if (state.valid() && snap.Type(state) == NodeType::kNumber) {
    std::string_view v = snap.NodeName(state);
    if (v == "0" || v == "1") return 1;
    if (v == "2" || v == "3") return 0;
  }
  NodeIndex socket = NamedEdge(snap, o, EdgeType::kProperty, "_socket");
  return socket.valid() ? StreamAlive(snap, socket) : -1;
}

// The value an Oddball property names ("null", "undefined", "true", "false"); "" when the
// property is absent or no Oddball.
std::string_view OddballValue(const Snapshot& snap, NodeIndex o, std::string_view name) {
  NodeIndex v = NamedEdge(snap, o, EdgeType::kProperty, name);
  if (!v.valid() || snap.NodeName(v) != "system / Oddball") return {};
  for (uint32_t e = snap.EdgeBegin(v); e < snap.EdgeEnd(v); ++e) {
    if (snap.edge_type[e] == EdgeType::kHidden) return snap.NodeName(snap.edge_to[e]);
  }
  return {};
}

// Node streams and net.Socket (a `_readableState` or `_writableState`): a net.Socket's
// `_handle` is its libuv handle while open and null once destroyed; other streams: an own
// `destroyed` boolean (Node 20 keeps the stream's flags in a small-integer bit field, which
// snapshots do not show).
int StreamAlive(const Snapshot& snap, NodeIndex o) {
  if (!HasProperty(snap, o, "_readableState") && !HasProperty(snap, o, "_writableState"))
    return -1;
  NodeIndex handle = NamedEdge(snap, o, EdgeType::kProperty, "_handle");
  if (handle.valid()) {
    std::string_view v = OddballValue(snap, o, "_handle");
    if (v == "null") return 0;
    if (v.empty()) return 1;
  }
  int destroyed = BooleanProperty(snap, o, "destroyed");
  return destroyed < 0 ? -1 : 1 - destroyed;
}

// http.IncomingMessage / ServerResponse (a `socket` property beside `_readableState` or
// `outputData`): alive while its connection is; a response whose socket was detached (null)
// has finished.
int HttpMessageAlive(const Snapshot& snap, NodeIndex o) {
  if (!HasProperty(snap, o, "_readableState") && !HasProperty(snap, o, "outputData")) return -1;
  NodeIndex socket = NamedEdge(snap, o, EdgeType::kProperty, "socket");
  if (!socket.valid()) return -1;
  if (OddballValue(snap, o, "socket") == "null") return HasProperty(snap, o, "outputData") ? 0 : -1;
  return StreamAlive(snap, socket);
}

// AbortSignal: `aborted` is kept in a symbol property; an aborted signal has fired.
int AbortSignalAlive(const Snapshot& snap, NodeIndex o) {
  if (snap.NodeName(o) != "AbortSignal") return -1;
  for (uint32_t e = snap.EdgeBegin(o); e < snap.EdgeEnd(o); ++e) {
    if (snap.edge_type[e] != EdgeType::kProperty) continue;
    std::string_view name = snap.EdgeName(EdgeIndex(e));
    if (name.find("kAborted") == std::string_view::npos) continue;
    NodeIndex v = snap.edge_to[e];
    for (uint32_t h = snap.EdgeBegin(v); h < snap.EdgeEnd(v); ++h) {
      if (snap.edge_type[h] != EdgeType::kHidden) continue;
      std::string_view s = snap.NodeName(snap.edge_to[h]);
      if (s == "true") return 0;
      if (s == "false") return 1;
    }
  }
  return -1;
}

const OwnerSignalDef kSignals[] = {
    {"Socket.IO socket", "connected = false", SocketIoAlive},
    {"ws WebSocket", "readyState CLOSED", WsAlive},
    {"http.IncomingMessage / ServerResponse", "connection closed", HttpMessageAlive},
    {"net.Socket / stream", "destroyed", StreamAlive},
    {"AbortSignal", "aborted", AbortSignalAlive},
};

}  // namespace

std::span<const OwnerSignalDef> OwnerSignals() { return kSignals; }

int OwnerAlive(const Snapshot& snap, NodeIndex object, const OwnerSignalDef** signal) {
  for (const OwnerSignalDef& s : kSignals) {
    int v = s.alive(snap, object);
    if (v >= 0) {
      if (signal) *signal = &s;
      return v;
    }
  }
  return -1;
}

}  // namespace heapscope::leaks
