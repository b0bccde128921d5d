#include <algorithm>
#include <charconv>

#include "leaks/owners/owner_util.h"

namespace heapscope::leaks {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

const char* LivenessName(Liveness l) {
  switch (l) {
    case Liveness::kDead:
      return "dead";
    case Liveness::kLive:
      return "live";
    case Liveness::kUnknown:
      break;
  }
  return "unknown";
}

const char* OwnerViaName(OwnerVia v) {
  switch (v) {
    case OwnerVia::kBoundThis:
      return "bound this";
    case OwnerVia::kBoundArgument:
      return "bound argument";
    case OwnerVia::kRegistration:
      return "registration";
    case OwnerVia::kContext:
      break;
  }
  return "context";
}

std::string_view OddballProperty(const Snapshot& snap, NodeIndex object, std::string_view name) {
  NodeIndex v = NamedEdge(snap, object, EdgeType::kProperty, name);
  if (!v.valid() || snap.NodeName(v) != "system / Oddball") return {};
  // The first hidden edge leads to the value's string (HEAP-FORMAT.md §9).
  for (uint32_t e = snap.EdgeBegin(v); e < snap.EdgeEnd(v); ++e) {
    if (snap.edge_type[e] == EdgeType::kHidden) return snap.NodeName(snap.edge_to[e]);
  }
  return {};
}

std::optional<int64_t> NumberProperty(const Snapshot& snap, NodeIndex object,
                                      std::string_view name) {
  NodeIndex v = NamedEdge(snap, object, EdgeType::kProperty, name);
  if (!v.valid() || snap.Type(v) != NodeType::kNumber) return std::nullopt;
  NodeIndex text = NamedEdge(snap, v, EdgeType::kInternal, "value");
  if (!text.valid()) return std::nullopt;
  std::string_view s = snap.NodeName(text);
  int64_t out = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return out;
}

std::optional<OwnerJudgement> JudgeOwner(const Snapshot& snap, NodeIndex owner) {
  if (!owner.valid() || snap.Type(owner) != NodeType::kObject) return std::nullopt;
  std::string_view cls = snap.NodeName(owner);
  std::span<const OwnerSignalDef> signals = OwnerSignals();
  for (size_t i = 0; i < signals.size(); ++i) {
    if (signals[i].owner_class != nullptr && cls != signals[i].owner_class) continue;
    LivenessVerdict v;
    if (signals[i].judge(snap, owner, &v)) return OwnerJudgement{static_cast<uint16_t>(i), v};
  }
  return std::nullopt;
}

namespace {

// An object worth reporting as an owner: a JS object that is not V8's own bookkeeping.
bool IsOwnerObject(const Snapshot& snap, NodeIndex n) {
  if (snap.Type(n) != NodeType::kObject) return false;
  return !snap.NodeName(n).starts_with("system / ");
}

}  // namespace

void CapturedOwners(const Snapshot& snap, NodeIndex emitter, NodeIndex closure, NodeIndex bound,
                    NodeIndex registration, std::vector<CapturedOwner>& out) {
  const size_t first = out.size();
  auto add = [&](NodeIndex n, OwnerVia via, std::string_view name, uint8_t depth) {
    if (!n.valid() || n == emitter || !IsOwnerObject(snap, n)) return;
    for (size_t i = first; i < out.size(); ++i) {
      if (out[i].node == n) return;
    }
    out.push_back(CapturedOwner{n, via, name, depth});
  };
  if (bound.valid()) {
    add(NamedEdge(snap, bound, EdgeType::kInternal, "bound_this"), OwnerVia::kBoundThis, "this", 0);
    // Bound arguments are shortcut edges bound_argument_<i> (V8's JSBoundFunction entry).
    for (uint32_t e = snap.EdgeBegin(bound); e < snap.EdgeEnd(bound); ++e) {
      if (snap.edge_type[e] != EdgeType::kShortcut) continue;
      std::string_view name = snap.EdgeName(EdgeIndex(e));
      if (name.starts_with("bound_argument_"))
        add(snap.edge_to[e], OwnerVia::kBoundArgument, name, 0);
    }
  }
  if (registration.valid() && snap.Type(registration) == NodeType::kObject) {
    // eventemitter3 EE {fn, context, once}; tiny-emitter {fn, ctx}.
    for (std::string_view name : {std::string_view("context"), std::string_view("ctx")}) {
      add(NamedEdge(snap, registration, EdgeType::kProperty, name), OwnerVia::kRegistration, name,
          0);
    }
  }
  if (!closure.valid() || snap.Type(closure) != NodeType::kClosure) return;
  // Node's and V8's own closures (events.on() iterators, once() resolvers) capture Node's
  // bookkeeping, not the program's state.
  std::string_view script = ClosureScriptName(snap, closure);
  if (script.empty() || script.starts_with("node:") || script.starts_with("internal/")) return;
  NodeIndex ctx = NamedEdge(snap, closure, EdgeType::kInternal, "context");
  for (uint8_t depth = 0; ctx.valid() && depth < 4; ++depth) {
    if (snap.NodeName(ctx).starts_with("system / NativeContext")) break;
    NodeIndex previous = NamedEdge(snap, ctx, EdgeType::kInternal, "previous");
    // The module's own scope (the context just inside the NativeContext) holds the program's
    // long-lived state (required modules, servers), shared by every registration: not an owner.
    if (previous.valid() && snap.NodeName(previous).starts_with("system / NativeContext")) break;
    for (uint32_t e = snap.EdgeBegin(ctx); e < snap.EdgeEnd(ctx); ++e) {
      EdgeType t = snap.edge_type[e];
      if (t == EdgeType::kContext) {
        add(snap.edge_to[e], OwnerVia::kContext, snap.EdgeName(EdgeIndex(e)), depth);
      } else if (t == EdgeType::kHidden) {
        // Block scopes write their values as hidden edges (HEAP-FORMAT.md §9).
        add(snap.edge_to[e], OwnerVia::kContext,
            ScopeSlotName(snap, ctx, snap.edge_name_or_index[e]), depth);
      }
    }
    ctx = previous;
  }
}

}  // namespace heapscope::leaks
