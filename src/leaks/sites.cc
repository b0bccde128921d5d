#include "heapscope/leaks/sites.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>

namespace heapscope::leaks {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

SiteId SiteTable::Intern(std::string_view file, uint32_t line, uint32_t column,
                         std::string_view function) {
  std::string key = std::to_string(line);
  key += ':';
  key += std::to_string(column);
  key += ':';
  key += file;
  auto [it, inserted] = site_index_.try_emplace(std::move(key), size());
  if (inserted) {
    sites_.push_back(SourceSite{std::string(file), line, column, std::string(function)});
  } else if (sites_[it->second].function.empty() && !function.empty()) {
    sites_[it->second].function = std::string(function);
  }
  return SiteId(it->second);
}

uint32_t SiteTable::InternName(std::string_view name) {
  auto [it, inserted] =
      name_index_.try_emplace(std::string(name), static_cast<uint32_t>(names_.size()));
  if (inserted) names_.emplace_back(name);
  return it->second;
}

NodeIndex NamedEdge(const Snapshot& snap, NodeIndex node, EdgeType type, std::string_view name) {
  for (uint32_t e = snap.EdgeBegin(node); e < snap.EdgeEnd(node); ++e) {
    if (snap.edge_type[e] == type && snap.EdgeName(EdgeIndex(e)) == name) return snap.edge_to[e];
  }
  return kNoNode;
}

namespace {

// A closure's Script: shared -> script (or script_or_debug_info); kNoNode when absent.
NodeIndex ClosureScript(const Snapshot& snap, NodeIndex closure) {
  NodeIndex shared = NamedEdge(snap, closure, EdgeType::kInternal, "shared");
  if (!shared.valid()) return kNoNode;
  NodeIndex script = NamedEdge(snap, shared, EdgeType::kInternal, "script");
  if (!script.valid())
    script = NamedEdge(snap, shared, EdgeType::kInternal, "script_or_debug_info");
  return script;
}

}  // namespace

bool StringText(const Snapshot& snap, NodeIndex node, std::string& out, size_t max_bytes) {
  out.clear();
  if (!node.valid() || node.v >= snap.node_count()) return false;
  // Depth-first over the rope, left part first; an explicit stack (ropes can be deep).
  std::vector<NodeIndex> stack{node};
  for (size_t steps = 0; !stack.empty(); ++steps) {
    NodeIndex n = stack.back();
    stack.pop_back();
    if (steps > (size_t{1} << 20)) return false;  // a cycle in damaged input
    const NodeType t = snap.Type(n);
    if (t == NodeType::kString) {
      std::string_view leaf = snap.NodeName(n);
      out.append(leaf.substr(0, max_bytes - std::min(max_bytes, out.size())));
      // V8 cuts each string at --heap-snapshot-string-limit (1024 by default): what follows a
      // cut part is not where it seems, so the text ends there.
      if (leaf.size() >= kSnapshotStringLimit || out.size() >= max_bytes) break;
      continue;
    }
    if (t == NodeType::kConsString) {
      std::string_view name = snap.NodeName(n);
      if (name != "(concatenated string)") {  // newer V8 names a rope with its text
        out.append(name);
        continue;
      }
      NodeIndex first = NamedEdge(snap, n, EdgeType::kInternal, "first");
      NodeIndex second = NamedEdge(snap, n, EdgeType::kInternal, "second");
      if (!first.valid() || !second.valid()) return false;
      stack.push_back(second);
      stack.push_back(first);
      continue;
    }
    if (t == NodeType::kSlicedString) {
      // V8 writes the parent of a slice but not its offset: only a named slice has a text.
      std::string_view name = snap.NodeName(n);
      if (name == "(sliced string)") return false;
      out.append(name);
      continue;
    }
    // A thin string points at its internalized copy.
    NodeIndex actual = NamedEdge(snap, n, EdgeType::kInternal, "actual");
    if (!actual.valid() || snap.Type(actual) == NodeType::kHidden) return false;
    stack.push_back(actual);
  }
  return true;
}

std::string_view ResolvedName(const Snapshot& snap, NodeIndex node) {
  if (!node.valid()) return {};
  const NodeType t = snap.Type(node);
  std::string_view name = snap.NodeName(node);
  if (t == NodeType::kString) return name;
  if (t != NodeType::kConsString && t != NodeType::kSlicedString) return {};
  if (name != "(concatenated string)" && name != "(sliced string)") return name;
  std::string text;
  if (!StringText(snap, node, text, 64 << 10) || text.empty()) return {};
  // Names are few (one per script) and short; each distinct text is kept once for the life of
  // the process, so a view of it stays valid.
  static std::mutex mu;
  static std::unordered_set<std::string> pool;
  std::lock_guard<std::mutex> lock(mu);
  return *pool.insert(std::move(text)).first;
}

std::string_view ClosureScriptName(const Snapshot& snap, NodeIndex closure) {
  NodeIndex script = ClosureScript(snap, closure);
  if (!script.valid()) return {};
  return ResolvedName(snap, NamedEdge(snap, script, EdgeType::kInternal, "name"));
}

int BooleanProperty(const Snapshot& snap, NodeIndex object, std::string_view name) {
  NodeIndex v = NamedEdge(snap, object, EdgeType::kProperty, name);
  if (!v.valid() || snap.NodeName(v) != "system / Oddball") return -1;
  for (uint32_t e = snap.EdgeBegin(v); e < snap.EdgeEnd(v); ++e) {
    if (snap.edge_type[e] != EdgeType::kHidden) continue;
    std::string_view s = snap.NodeName(snap.edge_to[e]);
    if (s == "true") return 1;
    if (s == "false") return 0;
    return -1;  // the first hidden edge decides
  }
  return -1;
}

std::string_view ScopeSlotName(const Snapshot& snap, NodeIndex context, uint32_t index) {
  NodeIndex scope_info = NamedEdge(snap, context, EdgeType::kInternal, "scope_info");
  if (!scope_info.valid()) return {};
  uint32_t k = 0;
  for (uint32_t e = snap.EdgeBegin(scope_info); e < snap.EdgeEnd(scope_info); ++e) {
    if (snap.edge_type[e] != EdgeType::kHidden) continue;
    NodeIndex to = snap.edge_to[e];
    if (snap.Type(to) != NodeType::kString) continue;
    if (k++ == index) return snap.NodeName(to);
  }
  return {};
}

std::vector<std::string> CapturedVariables(const Snapshot& snap, NodeIndex closure) {
  std::vector<std::string> out;
  if (IsFrame(snap, closure)) {
    for (FrameVariable& v : FrameVariables(snap, closure)) {
      if (v.name.empty()) continue;  // a slot of a frame whose parameters are not known
      bool seen = false;
      for (const std::string& s : out) seen = seen || s == v.name;
      if (!seen) out.push_back(std::move(v.name));
    }
    return out;
  }
  if (snap.NodeName(closure) == "native_bind") {
    // fn.bind(self, …args) captures its bound `this` and arguments; its target's context is
    // the shared method's, not this registration's.
    NodeIndex self = NamedEdge(snap, closure, EdgeType::kInternal, "bound_this");
    if (self.valid() && snap.Type(self) == NodeType::kObject)
      out.push_back("this (" + std::string(snap.NodeName(self)) + ")");
    for (uint32_t e = snap.EdgeBegin(closure); e < snap.EdgeEnd(closure); ++e) {
      std::string_view name = snap.EdgeName(EdgeIndex(e));
      if (snap.edge_type[e] == EdgeType::kShortcut && name.starts_with("bound_argument_"))
        out.push_back(std::string(name) + " (" + std::string(snap.NodeName(snap.edge_to[e])) + ")");
    }
    return out;
  }
  NodeIndex ctx = NamedEdge(snap, closure, EdgeType::kInternal, "context");
  // Contexts nest a handful deep; the bound only guards against malformed cycles.
  for (int depth = 0; ctx.valid() && depth < 64; ++depth) {
    std::string_view ctx_name = snap.NodeName(ctx);
    if (ctx_name.starts_with("system / NativeContext")) break;
    NodeIndex previous = kNoNode;
    for (uint32_t e = snap.EdgeBegin(ctx); e < snap.EdgeEnd(ctx); ++e) {
      EdgeType t = snap.edge_type[e];
      std::string name;
      if (t == EdgeType::kContext) {
        name = std::string(snap.EdgeName(EdgeIndex(e)));
      } else if (t == EdgeType::kHidden) {
        // Block-scope values written without names (HEAP-FORMAT.md §9). Only real values.
        NodeType to = snap.Type(snap.edge_to[e]);
        if (to == NodeType::kHidden || to == NodeType::kCode) continue;
        std::string_view from_scope = ScopeSlotName(snap, ctx, snap.edge_name_or_index[e]);
        name = from_scope.empty() ? "captured value #" + std::to_string(snap.edge_name_or_index[e])
                                  : std::string(from_scope);
      } else if (t == EdgeType::kInternal && snap.EdgeName(EdgeIndex(e)) == "previous") {
        previous = snap.edge_to[e];
        continue;
      } else {
        continue;
      }
      bool seen = false;
      for (const std::string& s : out) seen = seen || s == name;
      if (!seen) out.push_back(std::move(name));
    }
    ctx = previous;
  }
  return out;
}

namespace {

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool IsIdentPart(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

// The name a parameter's text binds: its leading identifier ("a = 1" -> "a", "...rest" ->
// "rest"); "" for a destructuring pattern.
std::string ParameterName(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' ||
                           text.front() == '\r'))
    text.remove_prefix(1);
  if (text.starts_with("...")) text.remove_prefix(3);
  size_t n = 0;
  if (!text.empty() && IsIdentStart(text.front())) {
    while (n < text.size() && IsIdentPart(text[n])) ++n;
  }
  return std::string(text.substr(0, n));
}

}  // namespace

std::optional<std::vector<std::string>> FormalParameters(std::string_view source, uint32_t line,
                                                         uint32_t column) {
  size_t pos = 0;
  for (uint32_t l = 0; l < line; ++l) {
    pos = source.find('\n', pos);
    if (pos == std::string_view::npos) return std::nullopt;
    ++pos;
  }
  pos += column;
  if (pos >= source.size()) return std::nullopt;
  if (IsIdentStart(source[pos])) {  // x => …
    return std::vector<std::string>{ParameterName(source.substr(pos, 256))};
  }
  if (source[pos] != '(') return std::nullopt;
  std::vector<std::string> out;
  std::string text;  // the current parameter's text (strings blanked, comments dropped)
  int depth = 0;
  const size_t end = std::min(source.size(), pos + 4096);  // a parameter list, not a file
  for (size_t i = pos + 1; i < end; ++i) {
    const char c = source[i];
    if (c == '"' || c == '\'' || c == '`') {
      for (++i; i < end && source[i] != c; ++i) {
        if (source[i] == '\\') ++i;
      }
      text += '_';
      continue;
    }
    if (c == '/' && i + 1 < end && source[i + 1] == '/') {
      while (i < end && source[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < end && source[i + 1] == '*') {
      size_t close = source.find("*/", i + 2);
      if (close == std::string_view::npos || close >= end) return std::nullopt;
      i = close + 1;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      if (depth == 0) {
        if (c != ')') return std::nullopt;
        // "(a, b,)": a trailing comma adds no parameter.
        if (text.find_first_not_of(" \t\r\n") != std::string::npos)
          out.push_back(ParameterName(text));
        return out;
      }
      --depth;
    } else if (c == ',' && depth == 0) {
      out.push_back(ParameterName(text));
      text.clear();
      continue;
    }
    text += c;
  }
  return std::nullopt;
}

bool NodeLocation(const Snapshot& snap, NodeIndex node, uint32_t& line, uint32_t& column) {
  for (uint32_t row = 0; row < snap.location_count(); ++row) {
    if (snap.loc_node[row] != node) continue;
    line = snap.loc_line[row];
    column = snap.loc_column[row];
    return true;
  }
  return false;
}

bool IsFrame(const Snapshot& snap, NodeIndex node) {
  if (!node.valid() || snap.Type(node) != NodeType::kObject || snap.NodeName(node) != "Generator")
    return false;
  NodeIndex fn = NamedEdge(snap, node, EdgeType::kInternal, "function");
  return fn.valid() && snap.Type(fn) == NodeType::kClosure;
}

std::vector<FrameVariable> FrameVariables(const Snapshot& snap, NodeIndex frame,
                                          bool* parameters_known) {
  std::vector<FrameVariable> out;
  if (!IsFrame(snap, frame)) return out;
  NodeIndex fn = NamedEdge(snap, frame, EdgeType::kInternal, "function");
  std::optional<std::vector<std::string>> params;
  uint32_t line = 0, column = 0;
  if (NodeLocation(snap, fn, line, column))
    params = FormalParameters(ClosureScriptSource(snap, fn), line, column);
  if (parameters_known) *parameters_known = params.has_value();
  // parameters_and_registers: the parameters first (receiver excluded), then the registers.
  NodeIndex slots = NamedEdge(snap, frame, EdgeType::kInternal, "parameters_and_registers");
  if (slots.valid()) {
    for (uint32_t e = snap.EdgeBegin(slots); e < snap.EdgeEnd(slots); ++e) {
      std::string_view name = snap.EdgeName(EdgeIndex(e));
      uint32_t index = 0;
      auto [p, ec] = std::from_chars(name.data(), name.data() + name.size(), index);
      if (ec != std::errc() || p != name.data() + name.size()) continue;
      if (!params) {
        // The source is not in the snapshot (V8 writes at most 1,024 characters of a script):
        // every slot but the frame itself, unnamed.
        NodeIndex to = snap.edge_to[e];
        if (to != frame && snap.NodeName(to) != "system / Context")
          out.push_back({std::string(), to});
        continue;
      }
      if (index >= params->size()) continue;
      std::string shown = (*params)[index].empty() ? "parameter #" + std::to_string(index + 1)
                                                   : (*params)[index];
      out.push_back({std::move(shown), snap.edge_to[e]});
    }
  }
  NodeIndex receiver = NamedEdge(snap, frame, EdgeType::kInternal, "receiver");
  if (receiver.valid() && snap.Type(receiver) == NodeType::kObject &&
      !snap.NodeName(receiver).starts_with("system / "))
    out.push_back({"this", receiver});
  NodeIndex ctx = NamedEdge(snap, frame, EdgeType::kInternal, "context");
  for (int depth = 0; ctx.valid() && depth < 8; ++depth) {
    if (snap.NodeName(ctx).starts_with("system / NativeContext")) break;
    NodeIndex previous = NamedEdge(snap, ctx, EdgeType::kInternal, "previous");
    // The module's own scope: the program's shared state, not the caller's.
    if (previous.valid() && snap.NodeName(previous).starts_with("system / NativeContext")) break;
    for (uint32_t e = snap.EdgeBegin(ctx); e < snap.EdgeEnd(ctx); ++e) {
      EdgeType t = snap.edge_type[e];
      if (t == EdgeType::kContext) {
        out.push_back({std::string(snap.EdgeName(EdgeIndex(e))), snap.edge_to[e]});
      } else if (t == EdgeType::kHidden) {
        NodeType to = snap.Type(snap.edge_to[e]);
        if (to == NodeType::kHidden || to == NodeType::kCode) continue;
        std::string_view slot = ScopeSlotName(snap, ctx, snap.edge_name_or_index[e]);
        if (!slot.empty()) out.push_back({std::string(slot), snap.edge_to[e]});
      }
    }
    ctx = previous;
  }
  return out;
}

std::string DisplayPath(std::string_view file, std::string_view source_root) {
  std::string_view f = file;
  if (f.starts_with("file://")) f.remove_prefix(7);
  if (!source_root.empty()) {
    std::string_view root = source_root;
    if (root.starts_with("file://")) root.remove_prefix(7);
    while (root.size() > 1 && root.back() == '/') root.remove_suffix(1);
    if (f.starts_with(root) && f.size() > root.size() && f[root.size()] == '/') {
      f.remove_prefix(root.size() + 1);
      return std::string(f);
    }
    // Captured elsewhere: drop leading folders until the rest names a file under the root.
    // Longest tail first, so "leaky/src/x.js" wins over "src/x.js".
    if (f.starts_with('/')) {
      std::error_code ec;
      for (size_t slash = f.find('/', 1); slash != std::string_view::npos;
           slash = f.find('/', slash + 1)) {
        std::string_view tail = f.substr(slash + 1);
        if (tail.empty()) break;
        if (std::filesystem::is_regular_file(std::filesystem::path(root) / tail, ec))
          return std::string(tail);
      }
    }
  }
  // A package: node_modules/<package>/<path>, whatever machine installed it.
  constexpr std::string_view kModules = "/node_modules/";
  if (size_t at = f.rfind(kModules); at != std::string_view::npos && f.starts_with('/'))
    return std::string(f.substr(at + 1));
  return file.starts_with("file://") ? std::string(f) : std::string(file);
}

LocationIndex::LocationIndex(const Snapshot& snap) : snap_(snap) {
  node_row_.assign(snap.node_count(), kNone);
  for (uint32_t row = 0; row < snap.location_count(); ++row) {
    NodeIndex n = snap.loc_node[row];
    if (n.v < node_row_.size() && node_row_[n.v] == kNone) node_row_[n.v] = row;
  }
  // Script id -> name: from the 5-field script node when present, else from any closure of
  // that script (every closure of a script leads to the same Script node).
  for (uint32_t row = 0; row < snap.location_count(); ++row) {
    uint32_t sid = snap.loc_script_id[row];
    if (script_name_.count(sid)) continue;
    std::string_view name;
    NodeIndex script = row < snap.loc_script_node.size() ? snap.loc_script_node[row] : kNoNode;
    if (script.valid() && script.v < snap.node_count()) {
      name = ResolvedName(snap, NamedEdge(snap, script, EdgeType::kInternal, "name"));
    }
    NodeIndex n = snap.loc_node[row];
    if (name.empty() && n.v < snap.node_count() && snap.Type(n) == NodeType::kClosure) {
      name = ClosureScriptName(snap, n);
    }
    if (!name.empty()) script_name_.emplace(sid, name);
  }
}

std::string_view LocationIndex::ScriptName(uint32_t row) const {
  auto it = script_name_.find(snap_.loc_script_id[row]);
  return it == script_name_.end() ? std::string_view() : it->second;
}

SiteId LocationIndex::Resolve(NodeIndex node, SiteTable& table) {
  uint32_t row = node_row_[node.v];
  if (row == kNone) return SiteId();
  Key key{snap_.loc_script_id[row], snap_.loc_line[row], snap_.loc_column[row]};
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  std::string_view fn;
  if (snap_.Type(node) == NodeType::kClosure) fn = snap_.NodeName(node);
  SiteId id = table.Intern(ScriptName(row), key.line, key.column, fn);
  cache_.emplace(key, id);
  return id;
}

std::string_view ClosureScriptSource(const Snapshot& snap, NodeIndex closure) {
  NodeIndex script = ClosureScript(snap, closure);
  if (!script.valid()) return {};
  NodeIndex source = NamedEdge(snap, script, EdgeType::kInternal, "source");
  if (!source.valid()) return {};
  if (snap.Type(source) == NodeType::kString) return snap.NodeName(source);
  return ResolvedName(snap, source);
}

namespace {

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$';
}

// The first occurrence of `prefix` + `name` as a whole word in `source`: its 0-based line and
// column (of `name`).
bool FindWord(std::string_view source, std::string_view prefix, std::string_view name,
              uint32_t& line, uint32_t& column) {
  const std::string needle = std::string(prefix) + std::string(name);
  for (size_t at = source.find(needle); at != std::string_view::npos;
       at = source.find(needle, at + 1)) {
    size_t end = at + needle.size();
    if (at > 0 && IsIdentChar(source[at - 1]) && IsIdentChar(needle.front())) continue;
    if (end < source.size() && IsIdentChar(source[end])) continue;
    line = 0;
    size_t line_start = 0;
    for (size_t i = 0; i < at; ++i) {
      if (source[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    column = static_cast<uint32_t>(at + prefix.size() - line_start);
    return true;
  }
  return false;
}

// A closure created in `ctx` (its `context` edge): its script tells where the context's
// variables are declared.
NodeIndex ClosureOfContext(const Snapshot& snap, const graph::Retainers& r, NodeIndex ctx) {
  for (uint32_t i = r.Begin(ctx); i < r.End(ctx); ++i) {
    NodeIndex from = r.retainer_node[i];
    if (snap.Type(from) == NodeType::kClosure && snap.EdgeName(r.retainer_edge[i]) == "context")
      return from;
  }
  return kNoNode;
}

// `x`'s owner one step up, for a property path: an object holding it as a property
// (".name"), or the Map/Set whose hash table holds it ("[…]"). kNoNode when neither.
NodeIndex OwnerStep(const Snapshot& snap, const graph::Retainers& r, NodeIndex x,
                    std::string& step) {
  for (uint32_t i = r.Begin(x); i < r.End(x); ++i) {
    EdgeIndex e = r.retainer_edge[i];
    NodeIndex from = r.retainer_node[i];
    if (snap.edge_type[e.v] == EdgeType::kProperty && snap.Type(from) == NodeType::kObject &&
        !snap.NodeName(from).starts_with("system /")) {
      step = "." + std::string(snap.EdgeName(e));
      return from;
    }
  }
  for (uint32_t i = r.Begin(x); i < r.End(x); ++i) {
    NodeIndex table = r.retainer_node[i];
    if (snap.edge_type[r.retainer_edge[i].v] == EdgeType::kWeak) continue;
    for (uint32_t j = r.Begin(table); j < r.End(table); ++j) {
      NodeIndex owner = r.retainer_node[j];
      std::string_view name = snap.NodeName(owner);
      if ((name == "Map" || name == "Set") && snap.EdgeName(r.retainer_edge[j]) == "table") {
        step = "[…]";
        return owner;
      }
    }
  }
  return kNoNode;
}

constexpr size_t kMaxClasses = 6;

// The constructors that may have set an instance's properties, own class first: the
// `constructor` of each prototype on its chain (a derived class, then its bases), then the
// constructor its hidden class records (older V8: `constructor_or_back_pointer`; newer: the
// root map's `constructor`, reached through `back_pointer`s — for a derived class, the base
// that allocated it). At most kMaxClasses, each once.
size_t ClassConstructors(const Snapshot& snap, NodeIndex object, NodeIndex (&out)[kMaxClasses]) {
  size_t n = 0;
  auto add = [&](NodeIndex fn) {
    if (!fn.valid() || snap.Type(fn) != NodeType::kClosure || n == kMaxClasses) return;
    for (size_t i = 0; i < n; ++i) {
      if (out[i] == fn) return;
    }
    out[n++] = fn;
  };
  NodeIndex proto = NamedEdge(snap, object, EdgeType::kProperty, "__proto__");
  for (int depth = 0; proto.valid() && depth < 4; ++depth) {
    add(NamedEdge(snap, proto, EdgeType::kProperty, "constructor"));
    proto = NamedEdge(snap, proto, EdgeType::kProperty, "__proto__");
  }
  NodeIndex map = NamedEdge(snap, object, EdgeType::kInternal, "map");
  add(map.valid() ? NamedEdge(snap, map, EdgeType::kInternal, "constructor_or_back_pointer")
                  : kNoNode);
  for (int hop = 0; map.valid() && hop < 64; ++hop) {  // property transitions, one per field
    NodeIndex ctor = NamedEdge(snap, map, EdgeType::kInternal, "constructor");
    if (ctor.valid()) {
      add(ctor);
      break;
    }
    map = NamedEdge(snap, map, EdgeType::kInternal, "back_pointer");
  }
  return n;
}

}  // namespace

bool CollectionOwnerSite(const Snapshot& snap, const graph::Retainers& r, NodeIndex collection,
                         SourceSite& out) {
  std::string path;  // from the owner found to the collection: ".cursors", "[…].cursors"
  NodeIndex cur = collection;
  for (int hop = 0; cur.valid() && hop < 4; ++hop) {
    // A context variable: `const sessions = new Map()` in the function that made the context.
    for (uint32_t i = r.Begin(cur); i < r.End(cur); ++i) {
      EdgeIndex e = r.retainer_edge[i];
      if (snap.edge_type[e.v] != EdgeType::kContext) continue;
      std::string_view name = snap.EdgeName(e);
      NodeIndex fn = ClosureOfContext(snap, r, r.retainer_node[i]);
      if (!fn.valid()) continue;
      std::string_view source = ClosureScriptSource(snap, fn);
      uint32_t line = 0, column = 0;
      bool found = false;
      for (std::string_view decl : {"const ", "let ", "var "}) {
        if ((found = FindWord(source, decl, name, line, column))) break;
      }
      if (!found) continue;
      out = SourceSite{std::string(ClosureScriptName(snap, fn)), line, column,
                       std::string(name) + path};
      if (!out.file.empty()) return true;
    }
    // A property of a class instance: `this.sessions = new Map()` in the class's script.
    for (uint32_t i = r.Begin(cur); i < r.End(cur); ++i) {
      EdgeIndex e = r.retainer_edge[i];
      if (snap.edge_type[e.v] != EdgeType::kProperty) continue;
      NodeIndex owner = r.retainer_node[i];
      if (snap.Type(owner) != NodeType::kObject) continue;
      std::string_view name = snap.EdgeName(e);
      NodeIndex classes[kMaxClasses];
      const size_t n = ClassConstructors(snap, owner, classes);
      const std::string function =
          std::string(snap.NodeName(owner)) + "." + std::string(name) + path;
      for (size_t k = 0; k < n; ++k) {
        std::string_view source = ClosureScriptSource(snap, classes[k]);
        uint32_t line = 0, column = 0;
        if (!FindWord(source, "this.", name, line, column)) continue;
        out = SourceSite{std::string(ClosureScriptName(snap, classes[k])), line, column, function};
        if (!out.file.empty()) return true;
      }
      // V8 writes at most the first 1,024 characters of a script's source, so `this.<name>`
      // of a longer file is not in the snapshot: the class itself, at its constructor's
      // definition, is the owner's site.
      uint32_t line = 0, column = 0;
      if (n > 0 && NodeLocation(snap, classes[0], line, column)) {
        out = SourceSite{std::string(ClosureScriptName(snap, classes[0])), line, column, function};
        if (!out.file.empty()) return true;
      }
    }
    std::string step;
    cur = OwnerStep(snap, r, cur, step);
    path = step + path;
  }
  return false;
}

}  // namespace heapscope::leaks
