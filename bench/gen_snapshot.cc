// Writes a large, valid V8 heap snapshot (Node 20 layout: 7 node fields, 3 edge fields, 4
// location fields) in about the time it takes to write its bytes, for the benchmarks and the
// 100M-node run. Nothing of the graph is held in memory: every node's ordinal, id, edges and
// strings follow from its position, so the nodes, edges, locations and strings passes each
// regenerate the same graph and the file is written front to back.
//
//   heapscope_gen_snapshot (--nodes N | --sessions S) [--leak K] [--rooms R] --out FILE
//
// Shape (sizes and edge kinds as Node 20 writes them for the same JavaScript):
//   - the root, (GC roots), the global object, a native context, two scripts with their
//     SharedFunctionInfos, maps ("object shape"), scope infos and feedback cells;
//   - S "sessions" hung off `global.sessions` (an Array and its backing store), each a `Session`
//     with a `room` (one of R shared strings), a `user` object with a unique name string, a
//     `tags` array with its elements, an `onMessage` closure from /app/session.js:8:21 whose
//     context captures the session, and a weak edge to the previous session's user; every 8th
//     session has a `cache` Map whose table also holds the next session's user (so dominators
//     are not a plain tree);
//   - the planted leak of the incident: `global.presenceService`, a PresenceService whose
//     `_events.heartbeat` array holds K anonymous closures from
//     /app/src/websocket/handlers/presence.handler.js:32:37, each capturing its own `socket`,
//     `presenceService` and `currentBoard`. `heapscope analyze` names it at every size
//     (listener-accumulation, K >= 10).
// About 7.3 nodes and 23.6 edges per session; ids are 2 * ordinal + 1 (V8's odd heap ids). Two
// files with the same --sessions and --rooms and a growing --leak form a series: the same
// objects keep their ids and only the leak grows.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

// ---- Output ------------------------------------------------------------------------------
class Writer {
 public:
  explicit Writer(std::FILE* f) : f_(f), buf_(kSize + 64) {}
  ~Writer() { Flush(); }
  void Put(std::string_view s) {
    Reserve(s.size());
    std::memcpy(buf_.data() + len_, s.data(), s.size());
    len_ += s.size();
  }
  void Char(char c) {
    Reserve(1);
    buf_[len_++] = c;
  }
  void Num(uint64_t v) {
    Reserve(20);
    char tmp[20];
    int n = 0;
    do {
      tmp[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (n > 0) buf_[len_++] = tmp[--n];
  }
  void Flush() {
    if (len_ > 0 && std::fwrite(buf_.data(), 1, len_, f_) != len_) ok_ = false;
    bytes_ += len_;
    len_ = 0;
  }
  bool ok() const { return ok_; }
  uint64_t bytes() const { return bytes_ + len_; }

 private:
  static constexpr size_t kSize = size_t{8} << 20;
  void Reserve(size_t n) {
    if (len_ + n > kSize) Flush();
    if (n > kSize) buf_.resize(n + 64);
  }
  std::FILE* f_;
  std::vector<char> buf_;
  size_t len_ = 0;
  uint64_t bytes_ = 0;
  bool ok_ = true;
};

// ---- Vocabulary ----------------------------------------------------------------------------
// Node 20's type lists (meta.node_types[0], meta.edge_types[0]).
enum NodeType : uint8_t {
  kHidden = 0, kArray = 1, kString = 2, kObject = 3, kCode = 4, kClosure = 5, kSynthetic = 9,
  kObjectShape = 14
};
enum EdgeType : uint8_t {
  kContext = 0, kElement = 1, kProperty = 2, kInternal = 3, kHiddenEdge = 4, kShortcut = 5,
  kWeak = 6
};

// Fixed strings: their index in `strings` is their position here.
#define HS_STRINGS(X)                                                                    \
  X(kEmpty, "") X(kGcRoots, "(GC roots)") X(kStrongRoots, "(Strong roots)")              \
  X(kHandleScope, "(Handle scope)") X(kGlobalName, "global") X(kNativeContext,           \
  "system / NativeContext") X(kScriptType, "system / Script") X(kSessionScript,          \
  "/app/session.js") X(kPresenceScript, "/app/src/websocket/handlers/presence.handler.js") \
  X(kOnMessage, "onMessage") X(kMapType, "system / Map") X(kScopeInfo,                  \
  "system / ScopeInfo") X(kFeedbackCell, "system / FeedbackCell") X(kEmptyArray,        \
  "(empty fixed array)") X(kBuiltin, "(builtin code)") X(kSessionClass, "Session")       \
  X(kObjectClass, "Object") X(kArrayClass, "Array") X(kMapClass, "Map") X(kContextType,  \
  "system / Context") X(kPresence, "presence") X(kPresenceService, "PresenceService")    \
  X(kSocketClass, "Socket") X(kBoardClass, "Board") X(kElements, "elements")            \
  X(kProperties, "properties") X(kMapEdge, "map") X(kContextEdge, "context")             \
  X(kShared, "shared") X(kCodeEdge, "code") X(kFeedbackEdge, "feedback_cell")            \
  X(kScopeInfoEdge, "scope_info") X(kPrevious, "previous") X(kScriptEdge, "script")      \
  X(kNameEdge, "name") X(kRoom, "room") X(kUser, "user") X(kTags, "tags") X(kCache,      \
  "cache") X(kTable, "table") X(kSession, "session") X(kSessions, "sessions")            \
  X(kPresenceServiceEdge, "presenceService") X(kEvents, "_events") X(kHeartbeat,         \
  "heartbeat") X(kSocket, "socket") X(kCurrentBoard, "currentBoard") X(kId, "id")        \
  X(kPeer, "peer") X(kGlobalProxy, "global_proxy_object") X(kSloppy, "sloppy_function_map") \
  X(kSource, "source") X(kSourceText,                         \
  "class Session { constructor(i) { this.onMessage = (msg) => this.id + msg.length; } }")
// The rest of each user's string (real heaps hold long strings: sources, headers, JSON).
constexpr std::string_view kUserAgent =
    "|Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
    "Safari/537.36|token=";
#define HS_ENUM(name, text) name,
enum StringId : uint32_t { HS_STRINGS(HS_ENUM) kFixedStrings };
#define HS_TEXT(name, text) text,
const char* const kStringText[] = {HS_STRINGS(HS_TEXT)};

// ---- Layout (ordinals) ---------------------------------------------------------------------
struct Layout {
  uint64_t sessions = 0, rooms = 0, leak = 0;
  // Prologue.
  enum : uint64_t {
    kRoot, kGcRootsNode, kStrong, kHandles, kGlobal, kNativeCtx, kScriptS, kScriptSName,
    kScriptSSource, kScriptP, kScriptPName, kSfiSession, kSfiHeartbeat, kMapSession, kMapObject,
    kMapArray, kMapClosure, kMapMap, kMapContext, kMapService, kEmptyFixed, kScopeInfoNode,
    kCode, kFeedback, kPresenceStr, kSessionsArray, kSessionsStore, kSessionCtor, kRooms
  };
  static constexpr uint64_t kPerSession = 7;  // Session, user, name, tags, elements, closure, context
  static constexpr uint64_t kPerBlock = 8 * kPerSession + 2;  // + Map, its table
  static constexpr uint64_t kPerLeak = 5;     // closure, context, socket, socket id, board
  uint64_t blocks() const { return sessions / 8; }
  uint64_t block_base(uint64_t b) const { return kRooms + rooms + b * kPerBlock; }
  uint64_t session(uint64_t i) const { return block_base(i / 8) + (i % 8) * kPerSession; }
  uint64_t leak_base() const { return block_base(blocks()); }
  uint64_t service() const { return leak_base(); }
  uint64_t leaked(uint64_t k) const { return leak_base() + 4 + k * kPerLeak; }
  uint64_t node_count() const { return leaked(leak); }
  // Strings: the fixed ones, then R rooms, S user names, K socket ids.
  uint64_t room_string(uint64_t r) const { return kFixedStrings + r; }
  uint64_t user_string(uint64_t i) const { return kFixedStrings + rooms + i; }
  uint64_t socket_string(uint64_t k) const { return kFixedStrings + rooms + sessions + k; }
  uint64_t string_count() const { return kFixedStrings + rooms + sessions + leak; }
};

// ---- The graph, node by node ---------------------------------------------------------------
// A Sink receives Node(type, name, self_size) then that node's Edge()s, in ordinal order, and
// Location()s for closures. Every pass drives the same Emit(), so they cannot disagree.
template <typename Sink>
void Emit(const Layout& L, Sink& s) {
  using O = Layout;
  const uint64_t S = L.sessions;
  // Prologue.
  s.Node(kSynthetic, kEmpty, 0);
  s.Edge(kShortcut, kGlobalName, O::kGlobal);
  s.Edge(kElement, 1, O::kGcRootsNode);
  s.Node(kSynthetic, kGcRoots, 0);
  s.Edge(kElement, 1, O::kStrong);
  s.Edge(kElement, 2, O::kHandles);
  s.Node(kSynthetic, kStrongRoots, 0);
  s.Edge(kInternal, kNativeContext, O::kNativeCtx);
  for (uint64_t m = O::kMapSession; m <= O::kMapService; ++m) s.Edge(kElement, m, m);
  s.Edge(kInternal, kEmptyArray, O::kEmptyFixed);
  s.Edge(kInternal, kBuiltin, O::kCode);
  s.Node(kSynthetic, kHandleScope, 0);
  s.Edge(kInternal, kGlobalName, O::kGlobal);
  s.Edge(kInternal, kScriptType, O::kScriptS);
  s.Edge(kInternal, kScriptType, O::kScriptP);
  s.Node(kObject, kGlobalName, 48);  // global
  s.Edge(kProperty, kSessions, O::kSessionsArray);
  s.Edge(kProperty, kPresenceServiceEdge, L.service());
  s.Edge(kProperty, kSessionClass, O::kSessionCtor);
  s.Edge(kInternal, kMapEdge, O::kMapObject);
  s.Node(kHidden, kNativeContext, 1024);
  s.Edge(kInternal, kGlobalProxy, O::kGlobal);
  s.Edge(kInternal, kSloppy, O::kMapClosure);
  s.Edge(kInternal, kScopeInfoEdge, O::kScopeInfoNode);
  s.Node(kCode, kScriptType, 80);  // /app/session.js
  s.Edge(kInternal, kNameEdge, O::kScriptSName);
  s.Edge(kInternal, kSource, O::kScriptSSource);
  s.Node(kString, kSessionScript, 32);
  s.Node(kString, kSourceText, 104);
  s.Node(kCode, kScriptType, 80);  // presence.handler.js
  s.Edge(kInternal, kNameEdge, O::kScriptPName);
  s.Node(kString, kPresenceScript, 64);
  s.Node(kCode, kOnMessage, 56);  // SharedFunctionInfo of the sessions' closures
  s.Edge(kInternal, kScriptEdge, O::kScriptS);
  s.Edge(kInternal, kScopeInfoEdge, O::kScopeInfoNode);
  s.Edge(kInternal, kCodeEdge, O::kCode);
  s.Node(kCode, kEmpty, 56);  // SharedFunctionInfo of the heartbeat closures
  s.Edge(kInternal, kScriptEdge, O::kScriptP);
  s.Edge(kInternal, kScopeInfoEdge, O::kScopeInfoNode);
  s.Edge(kInternal, kCodeEdge, O::kCode);
  for (uint64_t m = O::kMapSession; m <= O::kMapService; ++m) {
    s.Node(kObjectShape, kMapType, 40);
    s.Edge(kWeak, kPrevious, m == O::kMapSession ? O::kMapService : m - 1);  // transitions
  }
  s.Node(kArray, kEmptyArray, 16);
  s.Node(kCode, kScopeInfo, 48);
  s.Node(kCode, kBuiltin, 2048);
  s.Node(kCode, kFeedbackCell, 16);
  s.Node(kString, kPresence, 24);
  // JS arrays show their elements as element edges of their own, as V8 writes them, beside
  // the internal edge to their backing store.
  s.Node(kObject, kArrayClass, 32);  // global.sessions
  for (uint64_t i = 0; i < S; ++i) s.Edge(kElement, i, L.session(i));
  s.Edge(kInternal, kElements, O::kSessionsStore);
  s.Edge(kInternal, kMapEdge, O::kMapArray);
  s.Node(kArray, kEmpty, 16 + 8 * S);  // its backing store
  s.Node(kClosure, kSessionClass, 32);  // class Session
  s.Edge(kInternal, kShared, O::kSfiSession);
  s.Edge(kInternal, kMapEdge, O::kMapClosure);
  for (uint64_t r = 0; r < L.rooms; ++r) s.Node(kString, L.room_string(r), 24);

  // Sessions, 8 to a block.
  for (uint64_t b = 0; b < L.blocks(); ++b) {
    for (uint64_t k = 0; k < 8; ++k) {
      const uint64_t i = b * 8 + k, o = L.session(i);
      s.Node(kObject, kSessionClass, 40);
      s.Edge(kProperty, kRoom, O::kRooms + i % L.rooms);
      s.Edge(kProperty, kUser, o + 1);
      s.Edge(kProperty, kTags, o + 3);
      s.Edge(kProperty, kOnMessage, o + 5);
      if (k == 0) s.Edge(kProperty, kCache, L.block_base(b) + 8 * Layout::kPerSession);
      if (i > 0) s.Edge(kWeak, kPeer, L.session(i - 1) + 1);
      s.Edge(kInternal, kMapEdge, O::kMapSession);
      s.Edge(kInternal, kProperties, O::kEmptyFixed);
      s.Edge(kInternal, kElements, O::kEmptyFixed);
      s.Node(kObject, kObjectClass, 24);  // user
      s.Edge(kProperty, kNameEdge, o + 2);
      s.Edge(kInternal, kMapEdge, O::kMapObject);
      s.Edge(kInternal, kProperties, O::kEmptyFixed);
      s.Edge(kInternal, kElements, O::kEmptyFixed);
      s.Node(kString, L.user_string(i), 160);  // "user-<i>|<user agent>|<token>"
      s.Node(kObject, kArrayClass, 32);  // tags
      s.Edge(kInternal, kElements, o + 4);
      s.Edge(kInternal, kMapEdge, O::kMapArray);
      s.Edge(kInternal, kProperties, O::kEmptyFixed);
      s.Node(kArray, kEmpty, 40);  // its elements
      s.Edge(kElement, 2, O::kPresenceStr);
      s.Node(kClosure, kOnMessage, 32);  // (msg) => this.id + msg.length
      s.Edge(kInternal, kContextEdge, o + 6);
      s.Edge(kInternal, kShared, O::kSfiSession);
      s.Edge(kInternal, kFeedbackEdge, O::kFeedback);
      s.Edge(kInternal, kCodeEdge, O::kCode);
      s.Edge(kInternal, kMapEdge, O::kMapClosure);
      s.Location(o + 5, 1, 7, 20);
      s.Node(kObject, kContextType, 32);  // its context: captures the session
      s.Edge(kContext, kSession, o);
      s.Edge(kInternal, kScopeInfoEdge, O::kScopeInfoNode);
      s.Edge(kInternal, kPrevious, O::kNativeCtx);
    }
    const uint64_t map = L.block_base(b) + 8 * Layout::kPerSession;
    s.Node(kObject, kMapClass, 32);
    s.Edge(kInternal, kTable, map + 1);
    s.Edge(kInternal, kMapEdge, O::kMapMap);
    s.Node(kArray, kEmpty, 96);  // the Map's table: this session's user and tags, the next user
    const uint64_t first = L.session(b * 8);
    s.Edge(kInternal, kUser, first + 1);
    s.Edge(kInternal, kTags, first + 3);
    s.Edge(kInternal, kPeer, L.session(b * 8 + 1) + 1);
  }

  // The planted leak.
  const uint64_t svc = L.service();
  s.Node(kObject, kPresenceService, 48);
  s.Edge(kProperty, kEvents, svc + 1);
  s.Edge(kInternal, kMapEdge, O::kMapService);
  s.Node(kObject, kObjectClass, 32);  // _events
  s.Edge(kProperty, kHeartbeat, svc + 2);
  s.Edge(kInternal, kMapEdge, O::kMapObject);
  s.Node(kObject, kArrayClass, 32);  // _events.heartbeat
  for (uint64_t k = 0; k < L.leak; ++k) s.Edge(kElement, k, L.leaked(k));
  s.Edge(kInternal, kElements, svc + 3);
  s.Edge(kInternal, kMapEdge, O::kMapArray);
  s.Node(kArray, kEmpty, 16 + 8 * L.leak);
  for (uint64_t k = 0; k < L.leak; ++k) {
    const uint64_t c = L.leaked(k);
    s.Node(kClosure, kEmpty, 32);  // () => presenceService.touch(socket, currentBoard)
    s.Edge(kInternal, kContextEdge, c + 1);
    s.Edge(kInternal, kShared, O::kSfiHeartbeat);
    s.Edge(kInternal, kCodeEdge, O::kCode);
    s.Edge(kInternal, kMapEdge, O::kMapClosure);
    s.Location(c, 2, 31, 36);
    s.Node(kObject, kContextType, 48);
    s.Edge(kContext, kSocket, c + 2);
    s.Edge(kContext, kPresenceServiceEdge, svc);
    s.Edge(kContext, kCurrentBoard, c + 4);
    s.Edge(kInternal, kPrevious, O::kNativeCtx);
    s.Node(kObject, kSocketClass, 64);
    s.Edge(kProperty, kId, c + 3);
    s.Edge(kInternal, kMapEdge, O::kMapObject);
    s.Node(kString, L.socket_string(k), 24);
    s.Node(kObject, kBoardClass, 40);
    s.Edge(kInternal, kMapEdge, O::kMapObject);
  }
}

// Counts nodes and edges (for the header) and checks the layout's arithmetic.
struct CountSink {
  uint64_t nodes = 0, edges = 0;
  void Node(uint8_t, uint64_t, uint64_t) { ++nodes; }
  void Edge(uint8_t, uint64_t, uint64_t) { ++edges; }
  void Location(uint64_t, uint32_t, uint32_t, uint32_t) {}
};

// Writes `nodes`: each record once its edge count is known (at the next node, or the end).
struct NodeSink {
  Writer& w;
  uint64_t ordinal = 0;
  bool pending = false;
  uint8_t type = 0;
  uint64_t name = 0, size = 0, edges = 0;
  void Node(uint8_t t, uint64_t n, uint64_t s) {
    Finish();
    pending = true;
    type = t, name = n, size = s, edges = 0;
  }
  void Edge(uint8_t, uint64_t, uint64_t) { ++edges; }
  void Location(uint64_t, uint32_t, uint32_t, uint32_t) {}
  void Finish() {
    if (!pending) return;
    if (ordinal > 0) w.Put("\n,");
    w.Num(type), w.Char(','), w.Num(name), w.Char(','), w.Num(2 * ordinal + 1), w.Char(',');
    w.Num(size), w.Char(','), w.Num(edges), w.Put(",0,0");
    ++ordinal;
    pending = false;
  }
};

struct EdgeSink {
  Writer& w;
  uint64_t count = 0;
  void Node(uint8_t, uint64_t, uint64_t) {}
  void Edge(uint8_t t, uint64_t name, uint64_t to) {
    if (count++ > 0) w.Put("\n,");
    w.Num(t), w.Char(','), w.Num(name), w.Char(','), w.Num(to * 7);
  }
  void Location(uint64_t, uint32_t, uint32_t, uint32_t) {}
};

struct LocationSink {
  Writer& w;
  uint64_t count = 0;
  void Node(uint8_t, uint64_t, uint64_t) {}
  void Edge(uint8_t, uint64_t, uint64_t) {}
  void Location(uint64_t node, uint32_t script, uint32_t line, uint32_t column) {
    if (count++ > 0) w.Put("\n,");
    w.Num(node * 7), w.Char(','), w.Num(script), w.Char(','), w.Num(line), w.Char(','), w.Num(column);
  }
};

int Usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s (--nodes N | --sessions S) [--leak K (450)] [--rooms R (5000)] --out FILE\n",
               argv0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t nodes = 0, sessions = 0, leak = 450, rooms = 5000;
  std::string out;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (i + 1 >= argc) return Usage(argv[0]);
    const char* v = argv[++i];
    if (flag == "--nodes") nodes = std::strtoull(v, nullptr, 10);
    else if (flag == "--sessions") sessions = std::strtoull(v, nullptr, 10);
    else if (flag == "--leak") leak = std::strtoull(v, nullptr, 10);
    else if (flag == "--rooms") rooms = std::strtoull(v, nullptr, 10);
    else if (flag == "--out") out = v;
    else return Usage(argv[0]);
  }
  if (out.empty() || (nodes == 0) == (sessions == 0)) return Usage(argv[0]);
  Layout L;
  L.leak = leak;
  L.rooms = rooms == 0 ? 1 : rooms;
  if (nodes != 0) {
    const uint64_t fixed = Layout::kRooms + L.rooms + 4 + leak * Layout::kPerLeak;
    const uint64_t blocks = nodes > fixed ? (nodes - fixed) / Layout::kPerBlock : 0;
    sessions = blocks * 8;
  }
  L.sessions = (sessions + 7) / 8 * 8;
  if (L.sessions == 0) L.sessions = 8;
  if (L.rooms > L.sessions) L.rooms = L.sessions;
  CountSink count;
  Emit(L, count);
  if (count.nodes != L.node_count() || count.nodes * 7 >= (uint64_t{1} << 32) * 7 ||
      count.edges >= (uint64_t{1} << 32)) {
    std::fprintf(stderr, "%s: %llu nodes, %llu edges: too many for V8's 32-bit counts\n", argv[0],
                 static_cast<unsigned long long>(count.nodes),
                 static_cast<unsigned long long>(count.edges));
    return 2;
  }

  std::FILE* f = out == "-" ? stdout : std::fopen(out.c_str(), "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "%s: cannot write %s: %s\n", argv[0], out.c_str(), std::strerror(errno));
    return 2;
  }
  uint64_t bytes = 0;
  {
    Writer w(f);
    w.Put(
        "{\"snapshot\":{\"meta\":{\"node_fields\":[\"type\",\"name\",\"id\",\"self_size\","
        "\"edge_count\",\"trace_node_id\",\"detachedness\"],\"node_types\":[[\"hidden\",\"array\","
        "\"string\",\"object\",\"code\",\"closure\",\"regexp\",\"number\",\"native\",\"synthetic\","
        "\"concatenated string\",\"sliced string\",\"symbol\",\"bigint\",\"object shape\","
        "\"wasm object\"],\"string\",\"number\",\"number\",\"number\",\"number\",\"number\"],"
        "\"edge_fields\":[\"type\",\"name_or_index\",\"to_node\"],\"edge_types\":[[\"context\","
        "\"element\",\"property\",\"internal\",\"hidden\",\"shortcut\",\"weak\"],"
        "\"string_or_number\",\"node\"],\"trace_function_info_fields\":[\"function_id\",\"name\","
        "\"script_name\",\"script_id\",\"line\",\"column\"],\"trace_node_fields\":[\"id\","
        "\"function_info_index\",\"count\",\"size\",\"children\"],\"sample_fields\":["
        "\"timestamp_us\",\"last_assigned_id\"],\"location_fields\":[\"object_index\","
        "\"script_id\",\"line\",\"column\"]},\"node_count\":");
    w.Num(count.nodes);
    w.Put(",\"edge_count\":");
    w.Num(count.edges);
    w.Put(",\"trace_function_count\":0},\n\"nodes\":[");
    NodeSink ns{w};
    Emit(L, ns);
    ns.Finish();
    w.Put("],\n\"edges\":[");
    EdgeSink es{w};
    Emit(L, es);
    w.Put("],\n\"trace_function_infos\":[],\n\"trace_tree\":[],\n\"samples\":[],\n\"locations\":[");
    LocationSink ls{w};
    Emit(L, ls);
    w.Put("],\n\"strings\":[");
    for (uint32_t i = 0; i < kFixedStrings; ++i) {
      if (i > 0) w.Put("\n,");
      w.Char('"'), w.Put(kStringText[i]), w.Char('"');
    }
    for (uint64_t r = 0; r < L.rooms; ++r) w.Put("\n,\"room-"), w.Num(r), w.Char('"');
    for (uint64_t i = 0; i < L.sessions; ++i) {
      w.Put("\n,\"user-"), w.Num(i), w.Put(kUserAgent), w.Num(i * 2654435761u % 1000000007u);
      w.Char('"');
    }
    for (uint64_t k = 0; k < L.leak; ++k) w.Put("\n,\"sock-"), w.Num(k), w.Char('"');
    w.Put("]}\n");
    w.Flush();
    bytes = w.bytes();
    if (!w.ok()) {
      std::fprintf(stderr, "%s: cannot write %s: %s\n", argv[0], out.c_str(), std::strerror(errno));
      return 2;
    }
  }
  if (f != stdout && std::fclose(f) != 0) {
    std::fprintf(stderr, "%s: cannot write %s: %s\n", argv[0], out.c_str(), std::strerror(errno));
    return 2;
  }
  std::fprintf(stderr, "%s: %llu nodes, %llu edges, %llu strings, %llu sessions, %llu leaked listeners, %llu bytes\n",
               out.c_str(), static_cast<unsigned long long>(count.nodes),
               static_cast<unsigned long long>(count.edges),
               static_cast<unsigned long long>(L.string_count()),
               static_cast<unsigned long long>(L.sessions), static_cast<unsigned long long>(L.leak),
               static_cast<unsigned long long>(bytes));
  return 0;
}
