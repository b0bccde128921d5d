// Ownership and liveness of listener registrations and growing closures (detect.h,
// JudgeOwnership; docs/rules.md, "Ownership and liveness").
#include <algorithm>
#include <charconv>
#include <optional>

#include "heapscope/leaks/detect.h"
#include "heapscope/leaks/owners.h"
#include "heapscope/leaks/shapes.h"
#include "heapscope/leaks/sites.h"

namespace heapscope::leaks {
namespace {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

// Owners worth judging: JS objects and native objects (not functions, strings or numbers).
bool IsOwnerCandidate(const Snapshot& snap, NodeIndex x) {
  NodeType t = snap.Type(x);
  return t == NodeType::kObject || t == NodeType::kNative;
}

// The objects a registration captures: a bound function's `this` and arguments (a once()
// wrapper: its listener's captures), else the closure's context variables, innermost context
// first, up to the native context.
// *all_slots is set when `reg` is a frame whose parameters could not be told from its locals:
// every slot it holds is listed, and only a frame all of whose state is kept by it is leaked.
void Captured(const Snapshot& snap, NodeIndex reg, std::vector<NodeIndex>& out,
              bool* all_slots) {
  out.clear();
  *all_slots = false;
  if (IsFrame(snap, reg)) {
    // A suspended async function a helper keeps waiting (events.on(), events.once()): the
    // state its caller handed it — parameters, receiver, the variables of its enclosing
    // functions — not its own locals nor the module's shared scope (sites.h, FrameVariables).
    bool known = true;
    for (const FrameVariable& v : FrameVariables(snap, reg, &known)) {
      if (IsOwnerCandidate(snap, v.node) && std::find(out.begin(), out.end(), v.node) == out.end())
        out.push_back(v.node);
    }
    *all_slots = !known;
    return;
  }
  NodeIndex fn = reg;
  if (snap.NodeName(reg) == "native_bind") {
    NodeIndex user = NamedEdge(snap, reg, EdgeType::kProperty, "listener");
    if (user.valid() && snap.Type(user) == NodeType::kClosure) {
      fn = user;
    } else {
      for (uint32_t e = snap.EdgeBegin(reg); e < snap.EdgeEnd(reg); ++e) {
        std::string_view name = snap.EdgeName(EdgeIndex(e));
        if (!name.starts_with("bound_") || name == "bound_function") continue;
        NodeIndex to = snap.edge_to[e];
        if (IsOwnerCandidate(snap, to)) out.push_back(to);
        if (snap.Type(to) != NodeType::kArray) continue;  // bound_arguments
        for (uint32_t a = snap.EdgeBegin(to); a < snap.EdgeEnd(to); ++a) {
          if (IsOwnerCandidate(snap, snap.edge_to[a])) out.push_back(snap.edge_to[a]);
        }
      }
      return;
    }
  }
  // Up to the native context: module-level objects are never dominated by a registration, so
  // they can make it live only by being an owner with a lifecycle that no leaked owner beside
  // it outweighs (see Judge).
  NodeIndex ctx = NamedEdge(snap, fn, EdgeType::kInternal, "context");
  for (int depth = 0; ctx.valid() && depth < 64; ++depth) {
    if (snap.NodeName(ctx).starts_with("system / NativeContext")) break;
    NodeIndex previous = kNoNode;
    for (uint32_t e = snap.EdgeBegin(ctx); e < snap.EdgeEnd(ctx); ++e) {
      EdgeType t = snap.edge_type[e];
      if (t == EdgeType::kInternal && snap.EdgeName(EdgeIndex(e)) == "previous") {
        previous = snap.edge_to[e];
      } else if ((t == EdgeType::kContext || t == EdgeType::kHidden) &&
                 IsOwnerCandidate(snap, snap.edge_to[e])) {
        out.push_back(snap.edge_to[e]);
      }
    }
    ctx = previous;
  }
}

// Whether `x`'s dominator chain reaches `a` or `b` (bounded: captured state kept only by a
// listener sits a few levels under it).
bool DominatedBy(const dominators::HeapAnalysis& an, NodeIndex x, NodeIndex a, NodeIndex b) {
  NodeIndex cur = x;
  for (int i = 0; i < 256; ++i) {
    NodeIndex p = an.dominator[cur.v];
    if (!p.valid() || p == cur) return false;
    if (p == a || p == b) return true;
    cur = p;
  }
  return false;
}

// An EventEmitter that still has listeners (`_events` holds a function or an array of them):
// something waits on it, so it is an owner with a lifecycle (a socket, a request, a job).
bool HasListeners(const Snapshot& snap, NodeIndex x) {
  NodeIndex events = NamedEdge(snap, x, EdgeType::kProperty, "_events");
  if (!events.valid()) events = NamedEdge(snap, x, EdgeType::kProperty, "_callbacks");
  if (!events.valid()) return false;
  for (uint32_t e = snap.EdgeBegin(events); e < snap.EdgeEnd(events); ++e) {
    if (snap.edge_type[e] != EdgeType::kProperty) continue;
    NodeType t = snap.Type(snap.edge_to[e]);
    if (t == NodeType::kClosure || snap.NodeName(snap.edge_to[e]) == "Array") return true;
  }
  return false;
}

enum class Verdict { kLive, kOwned, kDead };

Verdict Judge(const Snapshot& snap, const dominators::HeapAnalysis& an, NodeIndex reg,
              NodeIndex holder, NodeIndex emitter, NodeIndex closure, NodeIndex registration,
              std::vector<NodeIndex>& captured, Detection& d) {
  bool all_slots = false;
  Captured(snap, reg, captured, &all_slots);
  if (closure.valid()) {
    // A library's per-registration record (eventemitter3's EE.context, tiny-emitter's ctx)
    // holds owners too (owners.h).
    thread_local std::vector<CapturedOwner> owners;
    owners.clear();
    const NodeIndex bound = snap.NodeName(reg) == "native_bind" ? reg : kNoNode;
    CapturedOwners(snap, emitter, closure, bound, registration, owners);
    for (const CapturedOwner& o : owners) {
      if (o.via == OwnerVia::kRegistration) captured.push_back(o.node);
    }
  }
  // The emitter itself (a method's arrow function captures `this`) is no owner of the
  // registration: it holds it.
  std::erase(captured, emitter);
  // Owners with a lifecycle (a liveness flag, or an emitter with listeners: sockets, requests,
  // jobs) decide when there are any; per-call state captured beside them (options, a parser
  // frame) does not. Otherwise any captured object that only the registration reaches.
  // An owner whose flag says alive (an unfinished response) outweighs one whose flag says
  // closed (its request, whose body was read).
  bool primary = false, primary_owned = false, owned = false, any_alive = false;
  bool all_owned = true;
  NodeIndex dead = kNoNode;
  const char* dead_evidence = nullptr;
  for (NodeIndex x : captured) {
    const char* evidence = nullptr;
    int v = OwnerAlive(snap, x, &evidence);
    any_alive = any_alive || v == 1;
    if (v == 0 && !dead.valid()) {
      dead = x;
      dead_evidence = evidence;
    }
    const bool dominated = DominatedBy(an, x, reg, holder);
    if (v == 1 || HasListeners(snap, x)) {
      primary = true;
      primary_owned = primary_owned || dominated;
    }
    owned = owned || dominated;
    all_owned = all_owned && dominated;
  }
  if (dead.valid() && !any_alive) {
    if (!d.dead_signal) {
      d.dead_signal = dead_evidence;
      d.owner_class = std::string(snap.NodeName(dead));
    }
    return Verdict::kDead;
  }
  if (primary) return primary_owned ? Verdict::kOwned : Verdict::kLive;
  if (captured.empty() && d.rule == Rule::kClosureGrowth) {
    // A closure with no state of its own (a response callback) lives as long as what holds it:
    // the nearest dominator with a liveness flag (its request) decides.
    NodeIndex cur = reg;
    for (int i = 0; i < 16; ++i) {
      NodeIndex p = an.dominator[cur.v];
      if (!p.valid() || p == cur) break;
      int v = OwnerAlive(snap, p, nullptr);
      if (v == 1) return Verdict::kLive;
      if (v == 0) return Verdict::kDead;
      cur = p;
    }
  }
  // A frame whose parameters are not known holds its own locals beside its caller's state:
  // leaked only when nothing it holds is reached from elsewhere.
  if (all_slots) return all_owned ? Verdict::kOwned : Verdict::kLive;
  // Nothing captured: the registration is its own state, reachable only through the holder.
  if (owned || captured.empty()) return Verdict::kOwned;
  return Verdict::kLive;
}

bool Judged(const Detection& d) {
  return d.event != kNone || d.rule == Rule::kClosureGrowth;
}

// A listener on an emitter of its own (at most two from the group on it: a socket's 'data'
// handler) lives and dies with that emitter: dead when the emitter's flag says so, else live —
// whatever keeps a live emitter is a finding of its own. Listeners that pile up on a shared
// emitter are judged by what they capture.
std::vector<uint32_t> PerHolder(const Detection& d) {
  std::vector<uint32_t> per(d.holders.size(), 0);
  std::vector<std::pair<uint32_t, uint32_t>> sorted;  // (holder, index)
  for (uint32_t i = 0; i < d.holders.size(); ++i) sorted.emplace_back(d.holders[i].v, i);
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    while (j < sorted.size() && sorted[j].first == sorted[i].first) ++j;
    for (size_t k = i; k < j; ++k) per[sorted[k].second] = static_cast<uint32_t>(j - i);
    i = j;
  }
  return per;
}

// A string key whose owner is alive or dead: an object with a liveness flag that holds the
// same string as a property (a Socket.IO socket's `id` keying its rooms). -1 when none.
int KeyedOwner(const Snapshot& snap, const graph::Retainers* r, NodeIndex key) {
  if (!r) return -1;
  int verdict = -1;
  const uint32_t end = std::min(r->End(key), r->Begin(key) + 64);  // ids have a few holders
  for (uint32_t i = r->Begin(key); i < end; ++i) {
    if (snap.edge_type[r->retainer_edge[i].v] != EdgeType::kProperty) continue;
    int v = OwnerAlive(snap, r->retainer_node[i], nullptr);
    if (v == 1) return 1;  // a live owner outweighs a stale one
    if (v == 0) verdict = 0;
  }
  return verdict;
}

bool IsString(const Snapshot& snap, NodeIndex x) {
  NodeType t = snap.Type(x);
  return t == NodeType::kString || t == NodeType::kConsString || t == NodeType::kSlicedString;
}

// collection-growth: the liveness of a collection's entries. An entry (a Map's key and value,
// a Set's or an Array's element, a WeakRef's target) is live when it holds or is keyed to an
// owner alive by its flag (owners.h) — a socket, a request, a job still listened to — dead when
// such an owner is closed, else unknown. Growth whose entries are all live but a few (fewer
// than min_growth dead or unknown) is a note: a Map of connected sockets, of rooms keyed by
// their ids.
void JudgeCollection(const Snapshot& snap, const graph::Retainers* retainers,
                     const LeakOptions& options, Detection& d) {
  NodeIndex c = d.objects.front();
  NodeIndex table = NamedEdge(snap, c, EdgeType::kInternal, "table");
  const bool is_map = snap.NodeName(c) == "Map";
  uint32_t live = 0, dead = 0, unknown = 0;
  // The entry being read: its verdict so far and whether it holds anything judged.
  int entry = -2;  // -2: no entry open
  auto close_entry = [&] {
    if (entry == 1) ++live;
    if (entry == 0) ++dead;
    if (entry == -1) ++unknown;
    entry = -2;
  };
  auto add = [&](NodeIndex x) {
    if (snap.NodeName(x) == "WeakRef") {
      NodeIndex t = NamedEdge(snap, x, EdgeType::kWeak, "target");
      if (t.valid()) x = t;
    }
    int v = -1;
    if (IsString(snap, x)) {
      v = KeyedOwner(snap, retainers, x);
    } else if (IsOwnerCandidate(snap, x)) {
      const char* evidence = nullptr;
      v = OwnerAlive(snap, x, &evidence);
      if (v < 0 && HasListeners(snap, x)) v = 1;  // a job, request or socket still listened to
      if (v == 0 && !d.dead_signal) {
        d.dead_signal = evidence;
        d.owner_class = std::string(snap.NodeName(x));
      }
    } else {
      return;  // numbers, the hash table's bookkeeping
    }
    if (entry == -2) entry = -1;
    if (v == 1) entry = 1;
    if (v == 0 && entry != 1) entry = 0;
  };
  if (table.valid()) {
    // V8 writes a hash table's slots as edges named by their index: a Map entry's key and
    // value are adjacent slots (its chain link, a small integer, is not written).
    uint32_t previous = kNone;
    for (uint32_t e = snap.EdgeBegin(table); e < snap.EdgeEnd(table); ++e) {
      if (snap.edge_type[e] == EdgeType::kWeak) continue;
      std::string_view name = snap.EdgeName(EdgeIndex(e));
      uint32_t index = kNone;
      std::from_chars(name.data(), name.data() + name.size(), index);
      if (!is_map || index == kNone || previous == kNone || index != previous + 1) close_entry();
      previous = index;
      add(snap.edge_to[e]);
    }
  } else {
    for (uint32_t e = snap.EdgeBegin(c); e < snap.EdgeEnd(c); ++e) {
      if (snap.edge_type[e] != EdgeType::kElement) continue;
      close_entry();
      add(snap.edge_to[e]);
    }
  }
  close_entry();
  if (live + dead == 0) return;  // nothing flagged: the growth stands on its own
  d.judged = true;
  d.judged_total = live + dead + unknown;
  d.live = live;
  d.dead_owners = dead;
  if (dead + unknown < std::max<uint32_t>(options.min_growth, 1)) d.level = Level::kNote;
}

}  // namespace

int OwnerAlive(const Snapshot& snap, NodeIndex object, const char** evidence) {
  std::optional<OwnerJudgement> j = JudgeOwner(snap, object);
  if (!j || j->verdict.state == Liveness::kUnknown) return -1;
  if (evidence) *evidence = j->verdict.evidence;
  return j->verdict.state == Liveness::kLive ? 1 : 0;
}

void JudgeOwnership(const Snapshot& last, const dominators::HeapAnalysis& analysis,
                    const LeakOptions& options, std::vector<Detection>& detections,
                    const graph::Retainers* retainers) {
  std::vector<NodeIndex> captured, leaked, leaked_holders;
  for (Detection& d : detections) {
    if (d.rule == Rule::kCollectionGrowth && !d.objects.empty()) JudgeCollection(last, retainers, options, d);
    if (!Judged(d) || d.objects.empty()) continue;
    d.judged = true;
    const std::vector<uint32_t> per_holder = PerHolder(d);
    auto at = [](const std::vector<NodeIndex>& v, size_t i) { return i < v.size() ? v[i] : kNoNode; };
    d.judged_total = static_cast<uint32_t>(d.objects.size());
    leaked.clear();
    leaked_holders.clear();
    for (size_t i = 0; i < d.objects.size(); ++i) {
      NodeIndex holder = i < d.holders.size() ? d.holders[i] : kNoNode;
      // A listener on a dead emitter (a disconnected socket) is as dead as its emitter.
      const bool on_dead = i < d.emitter_dead.size() && d.emitter_dead[i];
      if (on_dead && !d.dead_signal && d.emitter.valid()) {
        const char* evidence = nullptr;
        if (OwnerAlive(last, d.emitter, &evidence) == 0) {
          d.dead_signal = evidence;
          d.owner_class = std::string(last.NodeName(d.emitter));
        }
      }
      const bool own_emitter = i < per_holder.size() && per_holder[i] <= 2;
      Verdict v = on_dead       ? Verdict::kDead
                  : own_emitter ? Verdict::kLive
                                : Judge(last, analysis, d.objects[i], holder, at(d.emitter_of, i),
                                        at(d.closure_of, i), at(d.registration_of, i), captured,
                                        d);
      switch (v) {
        case Verdict::kDead:
          ++d.dead_owners;
          break;
        case Verdict::kOwned:
          ++d.owned;
          break;
        case Verdict::kLive:
          ++d.live;
          continue;
      }
      leaked.push_back(d.objects[i]);
      if (i < d.holders.size()) leaked_holders.push_back(holder);
    }
    const uint32_t n_leaked = d.owned + d.dead_owners;
    // Growth with live owners is healthy: at most a note, sized on everything it holds. (A
    // site registered twice on one emitter is no growth rule: it stands as it is.)
    if (d.rule == Rule::kListenerDuplicateSite) continue;
    if (n_leaked < std::max<uint32_t>(options.min_growth, 1)) {
      d.level = Level::kNote;
      continue;
    }
    if (d.live == 0) continue;
    d.objects = leaked;
    d.holders = leaked_holders;
    d.emitter_dead.clear();
    d.emitter_of.clear();
    d.closure_of.clear();
    d.registration_of.clear();
    if (std::find(d.objects.begin(), d.objects.end(), d.representative) == d.objects.end())
      d.representative = d.objects.front();
    // The containers stay: leaked registrations that share state (three joins of one socket)
    // dominate it only together, through their listener array.
  }
}

}  // namespace heapscope::leaks
