// DevTools' detachedness propagation, class names, interface names and class keys
// (heapscope/snapshot/classes.h).
#include "heapscope/snapshot/classes.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "heapscope/text.h"

namespace heapscope::snapshot {
namespace {

// DevTools' interface limits (HeapSnapshot.ts): MAX_INTERFACE_NAME_LENGTH,
// MIN_INTERFACE_PROPERTY_COUNT, MIN_OBJECT_COUNT_PER_INTERFACE,
// MIN_OBJECT_PROPORTION_PER_INTERFACE.
constexpr size_t kMaxInterfaceNameLength = 120;
constexpr size_t kMinInterfacePropertyCount = 1;
constexpr double kMinObjectCountPerInterface = 2;
constexpr double kMinObjectProportionPerInterface = 1000;

constexpr uint8_t kVisited = 0x80;  // PropagateDetachedness's visited bit, inside the state byte

// Yields the UTF-16 code units of a UTF-8 string, one at a time (invalid bytes as U+FFFD).
class Utf16Units {
 public:
  explicit Utf16Units(std::string_view s) : s_(s) {}
  // The next unit, or -1 at the end.
  int32_t Next() {
    if (low_ != 0) {
      int32_t u = low_;
      low_ = 0;
      return u;
    }
    if (i_ >= s_.size()) return -1;
    uint32_t cp;
    size_t n = text::DecodeUtf8(s_, i_, &cp);
    if (n == 0) {
      ++i_;
      return 0xFFFD;
    }
    i_ += n;
    if (cp < 0x10000) return static_cast<int32_t>(cp);
    cp -= 0x10000;
    low_ = static_cast<int32_t>(0xDC00 + (cp & 0x3FF));
    return static_cast<int32_t>(0xD800 + (cp >> 10));
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
  int32_t low_ = 0;
};

// "<div id=x>" -> "<div>", "Detached <div id=x>" -> "Detached <div>"; else as is.
std::string ShortenTagName(std::string name) {
  size_t from;
  if (name.starts_with("<")) {
    from = 0;
  } else if (name.starts_with("Detached <")) {
    from = 10;
  } else {
    return name;
  }
  size_t space = name.find(' ', from);
  if (space == std::string::npos) return name;
  name.resize(space);
  name += '>';
  return name;
}

std::string FixedClassName(NodeType t) {
  switch (t) {
    case NodeType::kHidden:
      return "(system)";
    case NodeType::kCode:
      return "(compiled code)";
    case NodeType::kClosure:
      return "Function";
    case NodeType::kRegExp:
      return "RegExp";
    default:
      return fmt::format("({})", NodeTypeName(t));
  }
}

bool NamedByNode(NodeType t) { return t == NodeType::kObject || t == NodeType::kNative; }

bool IsPlainObject(const Snapshot& s, uint32_t v) {
  return s.node_type[v] == NodeType::kObject && s.String(s.node_name[v]) == "Object";
}

// JSHeapSnapshotNode.formatPropertyName: names with a comma, quote or brace are shown as a JSON
// string literal (JSON.stringify's escaping).
std::string FormatPropertyName(std::string_view name) {
  if (name.find_first_of(",'\"{}") == std::string_view::npos) return std::string(name);
  std::string out = "\"";
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20) {
          out += fmt::format("\\u{:04x}", u);
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

// Transparent hashing, so that lookups by string_view allocate nothing.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
using StringIndex = std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>>;

// Interns strings: one copy per distinct value.
class Interner {
 public:
  uint32_t Intern(std::string_view s) {
    auto it = index_.find(s);
    if (it != index_.end()) return it->second;
    uint32_t id = static_cast<uint32_t>(values_.size());
    values_.emplace_back(s);
    index_.emplace(values_.back(), id);
    return id;
  }
  const std::string& Get(uint32_t id) const { return values_[id]; }

 private:
  std::vector<std::string> values_;
  StringIndex index_;
};

// applyInterfaceDefinitions: the property tree of the definitions and the search of each plain
// object's sorted property names through it.
class InterfaceMatcher {
 public:
  InterfaceMatcher(const Snapshot& s, const std::vector<InterfaceDefinition>& defs)
      : s_(s), defs_(defs) {
    RankStrings();
    tree_.push_back({});  // the root: the empty object
    for (uint32_t d = 0; d < defs.size(); ++d) {
      std::vector<uint32_t> props;
      props.reserve(defs[d].properties.size());
      for (const std::string& p : defs[d].properties) props.push_back(rank_of_value_.at(p));
      std::sort(props.begin(), props.end());  // ranks are in JavaScript's string order
      uint32_t node = 0;
      for (uint32_t p : props) {
        auto [it, inserted] = children_.try_emplace(ChildKey(node, p), 0);
        if (inserted) {
          it->second = static_cast<uint32_t>(tree_.size());
          if (tree_[node].greatest_next == kNone || tree_[node].greatest_next < p) {
            tree_[node].greatest_next = p;
          }
          tree_.push_back({});
        }
        node = it->second;
      }
      if (tree_[node].def == kNone) {  // an earlier definition keeps its place
        tree_[node].def = d;
        tree_[node].property_count = static_cast<uint32_t>(props.size());
      }
    }
    in_set_.assign(tree_.size(), 0);
  }

  // The definition a plain object matches, or kNone (it stays "Object").
  uint32_t Match(uint32_t v) {
    props_.clear();
    for (uint32_t e = s_.first_edge[v]; e < s_.first_edge[v + 1]; ++e) {
      if (s_.edge_type[e] == EdgeType::kProperty) props_.push_back(RankOf(s_.edge_name_or_index[e]));
    }
    std::sort(props_.begin(), props_.end());
    // The set of tree nodes reachable so far, in JavaScript Set order: entries are appended on
    // insertion and marked dead on deletion.
    states_.clear();
    dead_.clear();
    states_.push_back(0);
    dead_.push_back(0);
    in_set_[0] = 1;
    Best best;
    best = Better(best, 0);
    for (uint32_t p : props_) {
      const size_t n = states_.size();
      for (size_t i = 0; i < n; ++i) {
        if (dead_[i]) continue;
        const uint32_t state = states_[i];
        const uint32_t greatest = tree_[state].greatest_next;
        if (greatest == kNone || p >= greatest) {
          dead_[i] = 1;
          in_set_[state] = 0;
        }
        auto it = children_.find(ChildKey(state, p));
        if (it != children_.end()) {
          const uint32_t next = it->second;
          if (!in_set_[next]) {
            in_set_[next] = 1;
            states_.push_back(next);
            dead_.push_back(0);
          }
          best = Better(best, next);
        }
      }
      // Compact (keeps the order).
      size_t k = 0;
      for (size_t i = 0; i < states_.size(); ++i) {
        if (!dead_[i]) {
          states_[k] = states_[i];
          dead_[k] = 0;
          ++k;
        }
      }
      states_.resize(k);
      dead_.resize(k);
    }
    for (uint32_t st : states_) in_set_[st] = 0;
    return best.def;
  }

 private:
  struct TreeNode {
    uint32_t def = kNone;            // the definition named at this node
    uint32_t property_count = 0;
    uint32_t greatest_next = kNone;  // the largest rank among the children
  };
  struct Best {
    uint32_t def = kNone;  // kNone = DevTools' initialMatch ("Object", 0 properties, index ∞)
    uint32_t property_count = 0;
  };
  static uint64_t ChildKey(uint32_t node, uint32_t rank) {
    return (uint64_t{node} << 32) | rank;
  }
  // selectBetterMatch: more properties win, then the earlier definition.
  Best Better(Best a, uint32_t node) const {
    const TreeNode& t = tree_[node];
    if (t.def == kNone) return a;
    if (t.property_count > a.property_count) return {t.def, t.property_count};
    if (a.property_count > t.property_count) return a;
    return a.def <= t.def ? a : Best{t.def, t.property_count};
  }

  // Every property name that matters (the definitions' and the plain objects') gets a rank in
  // JavaScript's string order, so that the search compares integers.
  void RankStrings() {
    std::vector<std::string_view> values;
    StringIndex seen;
    auto add = [&](std::string_view v) {
      if (seen.find(v) == seen.end()) {
        seen.emplace(std::string(v), 0);
        values.push_back(v);
      }
    };
    for (const InterfaceDefinition& d : defs_) {
      for (const std::string& p : d.properties) add(p);
    }
    const uint32_t n = s_.node_count();
    for (uint32_t v = 0; v < n; ++v) {
      if (!IsPlainObject(s_, v)) continue;
      for (uint32_t e = s_.first_edge[v]; e < s_.first_edge[v + 1]; ++e) {
        if (s_.edge_type[e] == EdgeType::kProperty) {
          add(s_.String(StringId(s_.edge_name_or_index[e])));
        }
      }
    }
    std::sort(values.begin(), values.end(), Utf16Less);
    for (uint32_t i = 0; i < values.size(); ++i) rank_of_value_.emplace(std::string(values[i]), i);
    rank_of_string_.assign(s_.string_count(), kNone);
  }
  uint32_t RankOf(uint32_t string_id) {
    uint32_t& r = rank_of_string_[string_id];
    if (r == kNone) r = rank_of_value_.find(s_.String(StringId(string_id)))->second;
    return r;
  }

  const Snapshot& s_;
  const std::vector<InterfaceDefinition>& defs_;
  StringIndex rank_of_value_;
  std::vector<uint32_t> rank_of_string_;
  std::vector<TreeNode> tree_;
  std::unordered_map<uint64_t, uint32_t> children_;
  // Scratch, reused for every object.
  std::vector<uint32_t> props_, states_;
  std::vector<uint8_t> dead_, in_set_;
};

struct KeyHash {
  size_t operator()(const std::tuple<uint32_t, uint32_t, uint32_t, uint32_t>& k) const noexcept {
    uint64_t h = std::get<0>(k);
    h = h * 0x9E3779B97F4A7C15ull ^ std::get<1>(k);
    h = h * 0x9E3779B97F4A7C15ull ^ std::get<2>(k);
    h = h * 0x9E3779B97F4A7C15ull ^ std::get<3>(k);
    return static_cast<size_t>(h ^ (h >> 29));
  }
};

}  // namespace

std::vector<uint8_t> PropagateDetachedness(const Snapshot& s) {
  const uint32_t n = s.node_count();
  std::vector<uint8_t> state(n, kDomUnknown);
  if (!s.meta.has_detachedness) {
    // initDetachednessAndClassIndex, for snapshots without the field.
    for (uint32_t v = 0; v < n; ++v) {
      if (s.node_type[v] == NodeType::kNative && s.String(s.node_name[v]).starts_with("Detached ")) {
        state[v] = kDomDetached;
      }
    }
    return state;
  }
  for (uint32_t v = 0; v < n; ++v) state[v] = s.detachedness[v] & 3;
  std::vector<uint32_t> attached, detached;
  // processNode: the first state a node is given is final; JavaScript nodes stop the spread.
  auto process = [&](uint32_t v, uint8_t new_state) {
    if (state[v] & kVisited) return;
    if (s.node_type[v] != NodeType::kNative) {
      state[v] |= kVisited;
      return;
    }
    state[v] = new_state | kVisited;
    if (new_state == kDomAttached) {
      attached.push_back(v);
    } else if (new_state == kDomDetached) {
      detached.push_back(v);
    }
  };
  auto spread = [&](uint32_t v, uint8_t new_state) {
    for (uint32_t e = s.first_edge[v]; e < s.first_edge[v + 1]; ++e) {
      const EdgeType t = s.edge_type[e];
      if (t == EdgeType::kHidden || t == EdgeType::kWeak) continue;
      process(s.edge_to[e].v, new_state);
    }
  };
  // 1. Nodes with a known state keep it and seed the spread.
  for (uint32_t v = 0; v < n; ++v) {
    const uint8_t st = state[v] & 3;
    if (st != kDomUnknown) process(v, st);
  }
  // 2. What an attached node reaches is attached.
  while (!attached.empty()) {
    uint32_t v = attached.back();
    attached.pop_back();
    spread(v, kDomAttached);
  }
  // 3. What a detached node reaches, and nothing attached reached first, is detached.
  while (!detached.empty()) {
    uint32_t v = detached.back();
    detached.pop_back();
    if ((state[v] & 3) == kDomAttached) continue;
    spread(v, kDomDetached);
  }
  for (uint8_t& st : state) st &= 3;
  return state;
}

bool HasDetachedPrefix(const Snapshot& s, const std::vector<uint8_t>& dom_state, NodeIndex n) {
  return s.meta.has_detachedness && s.node_type[n.v] == NodeType::kNative &&
         dom_state[n.v] == kDomDetached;
}

std::string DisplayName(const Snapshot& s, const std::vector<uint8_t>& dom_state, NodeIndex n) {
  std::string_view raw = s.NodeName(n);
  return HasDetachedPrefix(s, dom_state, n) ? fmt::format("Detached {}", raw) : std::string(raw);
}

std::vector<InterfaceDefinition> InferInterfaceDefinitions(const Snapshot& s) {
  struct Candidate {
    std::string name;
    std::vector<uint32_t> properties;  // string ids
    uint32_t count = 0;
  };
  std::vector<Candidate> candidates;
  StringIndex candidate_of_name;
  // formatPropertyName and its UTF-16 length, once per string.
  std::vector<uint32_t> formatted_of_string(s.string_count(), kNone);
  std::vector<std::pair<std::string, size_t>> formatted;

  std::string name;  // scratch
  std::vector<uint32_t> props;
  uint64_t total = 0;
  const uint32_t n = s.node_count();
  for (uint32_t v = 0; v < n; ++v) {
    if (!IsPlainObject(s, v)) continue;
    ++total;
    name.assign("{");
    size_t length = 1;  // UTF-16 units
    props.clear();
    for (uint32_t e = s.first_edge[v]; e < s.first_edge[v + 1]; ++e) {
      if (s.edge_type[e] != EdgeType::kProperty) continue;
      const uint32_t sid = s.edge_name_or_index[e];
      std::string_view edge_name = s.String(StringId(sid));
      if (edge_name == "__proto__") continue;
      uint32_t& f = formatted_of_string[sid];
      if (f == kNone) {
        std::string text = FormatPropertyName(edge_name);
        size_t units = Utf16Length(text);
        f = static_cast<uint32_t>(formatted.size());
        formatted.emplace_back(std::move(text), units);
      }
      const auto& [text, units] = formatted[f];
      if (length > kMinInterfacePropertyCount && length + units > kMaxInterfaceNameLength) break;
      if (length != 1) {
        name += ", ";
        length += 2;
      }
      name += text;
      length += units;
      props.push_back(sid);
    }
    if (props.empty()) continue;
    name += '}';
    auto it = candidate_of_name.find(name);
    if (it != candidate_of_name.end()) {
      ++candidates[it->second].count;
    } else {
      candidate_of_name.emplace(name, static_cast<uint32_t>(candidates.size()));
      candidates.push_back({name, props, 1});
    }
  }
  // The most popular first (a stable sort: first seen first among equals).
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.count > b.count; });
  const double min_count = std::max(kMinObjectCountPerInterface,
                                    static_cast<double>(total) / kMinObjectProportionPerInterface);
  std::vector<InterfaceDefinition> out;
  for (Candidate& c : candidates) {
    if (c.count < min_count) break;
    InterfaceDefinition d;
    d.name = std::move(c.name);
    d.count = c.count;
    d.properties.reserve(c.properties.size());
    for (uint32_t sid : c.properties) d.properties.emplace_back(s.String(StringId(sid)));
    out.push_back(std::move(d));
  }
  return out;
}

std::string DevToolsClassKey(const ClassKey& k) {
  return k.located() ? fmt::format("{},{},{},{}", k.script_id, k.line, k.column, k.name)
                     : fmt::format(",{}", k.name);
}

// The class DevTools shows for nodes of a type heapscope does not know: "(<type name>)" from
// meta.node_types, and "(undefined)" for a type index meta.node_types does not declare (the
// loader names those "(unknown type N)"). Types are canonical per node, so when a file mixes
// several unknown names the first declared one is used, else "(undefined)".
static std::string UnknownTypeClassName(const Snapshot& s) {
  bool undeclared = false;
  for (const std::string& name : s.meta.node_type_names) {
    if (name.rfind("(unknown type ", 0) == 0) {
      undeclared = true;
    } else if (NodeTypeFromName(name) == NodeType::kUnknown) {
      return fmt::format("({})", name);
    }
  }
  return undeclared ? "(undefined)" : "(unknown)";
}

NodeClasses ClassifyNodes(const Snapshot& s, const ClassifyOptions& options) {
  NodeClasses out;
  const uint32_t n = s.node_count();
  out.dom_state = options.dom_state ? *options.dom_state : PropagateDetachedness(s);
  out.interfaces = options.interfaces ? *options.interfaces : InferInterfaceDefinitions(s);

  // Class names: interned once per (string, detached) or per type.
  Interner names;
  std::vector<uint32_t> name_of_string(s.string_count(), kNone);
  std::vector<uint32_t> detached_name_of_string;
  std::vector<uint32_t> name_of_type(static_cast<size_t>(NodeType::kUnknown) + 1, kNone);
  std::vector<uint32_t> name_of_def(out.interfaces.size(), kNone);
  std::vector<uint32_t> node_name(n);
  std::optional<InterfaceMatcher> matcher;
  if (!out.interfaces.empty()) matcher.emplace(s, out.interfaces);
  for (uint32_t v = 0; v < n; ++v) {
    const NodeType t = s.node_type[v];
    if (!NamedByNode(t)) {
      uint32_t& id = name_of_type[static_cast<size_t>(t)];
      if (id == kNone) id = names.Intern(t == NodeType::kUnknown ? UnknownTypeClassName(s) : FixedClassName(t));
      node_name[v] = id;
      continue;
    }
    if (matcher && IsPlainObject(s, v)) {
      const uint32_t d = matcher->Match(v);
      if (d != kNone) {
        uint32_t& id = name_of_def[d];
        if (id == kNone) id = names.Intern(out.interfaces[d].name);
        node_name[v] = id;
        continue;
      }
    }
    const uint32_t sid = s.node_name[v].v;
    if (HasDetachedPrefix(s, out.dom_state, NodeIndex(v))) {
      if (detached_name_of_string.empty()) detached_name_of_string.assign(s.string_count(), kNone);
      uint32_t& id = detached_name_of_string[sid];
      if (id == kNone) {
        id = names.Intern(ShortenTagName(fmt::format("Detached {}", s.String(StringId(sid)))));
      }
      node_name[v] = id;
    } else {
      uint32_t& id = name_of_string[sid];
      if (id == kNone) id = names.Intern(ShortenTagName(std::string(s.String(StringId(sid)))));
      node_name[v] = id;
    }
  }

  // Keys: located objects by (name, location), everything else by name. DevTools keeps the last
  // location record of a node.
  std::vector<uint32_t> loc_of_node;
  if (s.location_count() > 0) {
    loc_of_node.assign(n, kNone);
    for (uint32_t i = 0; i < s.location_count(); ++i) loc_of_node[s.loc_node[i].v] = i;
  }
  std::unordered_map<std::tuple<uint32_t, uint32_t, uint32_t, uint32_t>, uint32_t, KeyHash> key_of;
  out.node_class.resize(n);
  for (uint32_t v = 0; v < n; ++v) {
    const uint32_t loc =
        (s.node_type[v] == NodeType::kObject && !loc_of_node.empty()) ? loc_of_node[v] : kNone;
    std::tuple<uint32_t, uint32_t, uint32_t, uint32_t> k{node_name[v], kNone, 0, 0};
    if (loc != kNone) k = {node_name[v], s.loc_script_id[loc], s.loc_line[loc], s.loc_column[loc]};
    auto [it, inserted] = key_of.try_emplace(k, static_cast<uint32_t>(out.keys.size()));
    if (inserted) {
      out.keys.push_back({names.Get(node_name[v]), std::get<1>(k), std::get<2>(k), std::get<3>(k)});
    }
    out.node_class[v] = it->second;
  }
  return out;
}

bool Utf16Less(std::string_view a, std::string_view b) {
  Utf16Units x(a), y(b);
  for (;;) {
    const int32_t u = x.Next(), w = y.Next();
    if (u != w) return u < w;  // -1 (the end) sorts first
    if (u < 0) return false;
  }
}

size_t Utf16Length(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) {
    uint32_t cp;
    size_t k = text::DecodeUtf8(s, i, &cp);
    if (k == 0) {
      ++n;
      ++i;
      continue;
    }
    n += cp >= 0x10000 ? 2 : 1;
    i += k;
  }
  return n;
}

}  // namespace heapscope::snapshot
