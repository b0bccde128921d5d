// Leak detection across a series of snapshots of one process.
//
// Each snapshot is reduced by ScanSnapshot() to SnapshotFacts: its listeners, its closures from
// user scripts, and its collections, keyed by things that are stable across snapshots (V8 node
// ids for objects, interned sites for closures). The snapshot can then be freed. Detect() runs
// the rules of docs/rules.md over the facts; AttachRetention() then uses the last snapshot's
// dominator tree for retained sizes and for nesting a detection under the one that retains it.
#ifndef HEAPSCOPE_LEAKS_DETECT_H_
#define HEAPSCOPE_LEAKS_DETECT_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "heapscope/dominators/heap_analysis.h"
#include "heapscope/ids.h"
#include "heapscope/leaks/listeners.h"
#include "heapscope/leaks/owners.h"
#include "heapscope/leaks/sites.h"
#include "heapscope/snapshot/snapshot.h"

namespace heapscope::leaks {

struct LeakOptions {
  // listener-accumulation: listeners from one site on one emitter and event.
  uint32_t min_listeners_per_site = 10;
  // closure-growth: closures from one site in the last snapshot.
  uint32_t min_closures_per_site = 10;
  // collection-growth: entries (references held) in the last snapshot.
  uint32_t min_collection_size = 100;
  // Growth rules: the count must rise in every interval and by at least this much in total.
  uint32_t min_growth = 5;
  // allocation-growth (sampling heap profiles): what a function allocated and the next profile
  // still holds must add up to this many bytes and this many samples' worth.
  uint64_t min_profile_growth_bytes = 16 << 10;
  uint32_t min_profile_growth_samples = 4;
  uint32_t min_profile_interval_samples = 2;  // survivors of every interval, in samples' worth
  // Below this many bytes of survivors an allocation-growth finding is a note: healthy servers'
  // library state (caches, histograms, buffers replaced now and then) keeps tens of kB of
  // samples alive for an interval or two, as much as a small leak does (docs/rules.md).
  uint64_t min_profile_warning_bytes = 1 << 20;
};

// One allocating function of a series of sampling heap profiles (filled by run/ from the
// profile stage): its site and its sampled live bytes in each profile, in time order.
struct ProfileFunctionFact {
  SiteId site;                         // the function's frame; invalid for V8's pseudo-frames
  std::vector<uint64_t> bytes;         // per profile: live bytes allocated in it
  // Per profile k: bytes allocated in the interval before it that the next profile still holds
  // (the same samples, by V8's ordinal); 0 for the first and the last. Empty: unknown.
  std::vector<uint64_t> survived;
  bool user_code = false;              // a script of the user's or a package's, not Node's
  uint64_t bytes_per_sample = 0;       // the last profile's bytes per sample (its resolution)
  uint32_t function = kNone;           // run/'s index of it (profile::ProfileSeries::functions)
};

struct ListenerFact {
  uint32_t emitter_id = 0;  // V8 node ids (stable across snapshots of one process)
  uint32_t closure_id = 0;
  uint32_t function_id = 0;  // the user's function's id (== closure_id)
  NodeIndex emitter, closure, holder;  // valid in that snapshot only
  uint32_t emitter_class = kNone;      // SiteTable name id
  uint32_t event = kNone;              // SiteTable name id
  SiteId site;                         // the closure's site; invalid when it has no location
  ListenerShape shape = ListenerShape::kEventEmitter;  // index into Shapes()
  bool warned = false;
  int8_t emitter_alive = -1;  // the shape's liveness signal (`connected`): -1 n/a, 0 dead, 1
  uint32_t holder_listeners = 0;
  bool once = false;  // registered through a once() wrapper
  // Per registration (owners.h): the object one registration allocated — the bound function,
  // the once wrapper, the library's record (eventemitter3 EE, RxJS SafeSubscriber, tiny-emitter
  // {fn, ctx}, EventTarget Listener) — or the closure itself when there is none. Its id is the
  // survivor identity: a bound method's closure is shared by every registration.
  uint32_t registration_id = 0;
  NodeIndex registration;
  NodeIndex bound;  // registered as fn.bind(…): the native_bind (== registration); else none
  // Registered by a helper on behalf of user code (Listener::frame): the suspended async
  // function or generator (or the user callback) it keeps waiting; the site is its function's,
  // and it is the object the ownership test judges. Else none.
  NodeIndex frame;
  // The owners this listener captures: SnapshotFacts::owners[owners_begin, owners_end).
  uint32_t owners_begin = 0, owners_end = 0;
  // The listener's liveness from its owners: dead when an owner's signal says dead, else live
  // when one says live, else unknown; with the deciding owner's evidence ("readyState 3").
  Liveness liveness = Liveness::kUnknown;
  const char* liveness_evidence = "";
};

// An owner captured by a listener (owners.h, CapturedOwners()).
struct OwnerFact {
  uint32_t id = 0;  // V8 node id
  NodeIndex node;
  uint32_t owner_class = kNone;  // SiteTable name id: the owner node's name ("WebSocket")
  uint32_t name = kNone;         // SiteTable name id: the variable or edge ("client", "this")
  OwnerVia via = OwnerVia::kContext;
  uint8_t depth = 0;
  uint32_t listeners = 0;  // listeners of this snapshot capturing it (1: its registration's own)
  int16_t signal = -1;     // OwnerSignals() index that recognised it; -1 none
  LivenessVerdict verdict;
};

struct ClosureFact {
  SiteId site;
  uint32_t id = 0;
  NodeIndex node;
};

struct CollectionFact {
  uint32_t id = 0;
  NodeIndex node;
  uint32_t kind = kNone;  // SiteTable name id: "Map", "Set", "Array", "Object"
  uint32_t size = 0;  // entries: element edges (Array), table references (Map/Set; memlab's fanout)
};

struct SnapshotFacts {
  uint32_t max_node_id = 0;  // largest odd (V8 heap) id: id > this = allocated later
  std::vector<ListenerFact> listeners;
  std::vector<OwnerFact> owners;  // ranges of it per listener (ListenerFact::owners_begin)
  std::vector<ClosureFact> closures;        // closures of user scripts, sorted by (site, id)
  std::vector<CollectionFact> collections;  // sorted by id
};

// One pass over `snap`. Sites and names are interned in `table`.
SnapshotFacts ScanSnapshot(const snapshot::Snapshot& snap, SiteTable& table);

// A WeakRef whose target has been collected (its `target` is gone or undefined).
bool DeadWeakRef(const snapshot::Snapshot& snap, NodeIndex x);

// Fills `f`'s per-registration object, owners (appended to facts.owners) and liveness from the
// listener `l` (called by ScanSnapshot for every listener); then, once every listener is in,
// CountOwnerSharing() sets OwnerFact::listeners.
void AddOwnerFacts(const snapshot::Snapshot& snap, const Listener& l, SiteTable& table,
                   SnapshotFacts& facts, ListenerFact& f);
void CountOwnerSharing(SnapshotFacts& facts);

// The owners of one listener group (the facts of one snapshot), for the judgement's message
// ("2 of 3 captured sockets are closed (connected: false)").
struct GroupOwners {
  uint32_t live = 0, dead = 0, unknown = 0;  // listeners by ListenerFact::liveness
  const char* evidence = "";    // the most frequent evidence among the dead ("" when none)
  uint32_t evidence_count = 0;  // dead listeners with that evidence
  uint32_t owner_class = kNone;  // the class of the owners that decided the most listeners
  uint32_t own_owners = 0;       // listeners with at least one owner captured by them alone
};
GroupOwners SummarizeOwners(const SnapshotFacts& facts,
                            std::span<const ListenerFact* const> group);

// Whether a script name is user code (not a Node/V8 internal such as "node:internal/…" or an
// unnamed script).
bool IsUserScript(std::string_view script);

// Index of a rule in the rule registry (leaks/rules.h), named for the built-in rules.
enum class Rule : uint8_t {
  kListenerGrowth,
  kListenerAccumulation,
  kListenerDuplicateSite,
  kListenerDeadEmitter,
  kClosureGrowth,
  kCollectionGrowth,
  kAllocationGrowth,
};
const char* RuleId(Rule r);  // "listener-growth", … (stable; docs/rules.md): Rules()[r].id

enum class Level : uint8_t { kNote, kWarning, kError };

struct Detection {
  Rule rule = Rule::kListenerGrowth;
  Level level = Level::kWarning;
  SiteId site;                        // invalid for collection-growth
  uint32_t event = kNone;             // name ids; kNone when not a listener detection
  uint32_t emitter_class = kNone;     // listener detections: emitter class; collections: kind
  std::vector<uint64_t> counts;       // per snapshot, input order
  uint32_t emitters = 0;              // distinct emitters in the last snapshot
  uint32_t max_per_emitter = 0;       // most listeners from the site on one emitter and event
  uint32_t emitter_id = 0;            // that emitter's V8 id (0 = n/a)
  NodeIndex emitter;                  // that emitter in the last snapshot
  uint32_t duplicate_emitters = 0;    // emitters holding the site more than once for the event
  uint32_t dead_emitters = 0;         // emitters whose liveness signal says dead
  ListenerShape shape = ListenerShape::kEventEmitter;  // listener rules: the busiest emitter's
  bool warned = false;                // Node's MaxListenersExceededWarning flag was set
  bool has_survivors = false;         // three or more snapshots: survivors was computed
  uint64_t survivors = 0;             // memlab: allocated after baseline, alive at target and final
  std::vector<NodeIndex> objects;     // last snapshot: the registrations (closures, bound
                                      // functions, once wrappers, the user frames helpers keep
                                      // waiting) or the collection
  std::vector<NodeIndex> holders;     // listener rules: the holder of each of `objects`
  std::vector<uint8_t> emitter_dead;  // listener rules: 1 when that one's emitter is dead
  std::vector<NodeIndex> emitter_of;  // listener rules: the emitter of each of `objects`
  std::vector<NodeIndex> closure_of;  // listener rules: the user's function of each
  std::vector<NodeIndex> registration_of;  // listener rules: the per-registration object of each
  std::vector<NodeIndex> containers;  // holders whose listeners all belong to this detection
  NodeIndex representative;           // whose retainer path is shown
  // Filled by JudgeOwnership() (listener rules and closure-growth): how many registrations of
  // the last snapshot are leaked, and by which evidence, and how many are live.
  bool judged = false;
  uint32_t judged_total = 0;  // registrations judged
  uint32_t owned = 0;         // leaked: captured state reachable only through the registration
  uint32_t dead_owners = 0;   // leaked: a captured owner is closed by its library's flag
  uint32_t live = 0;          // a captured owner is alive (flag, or reachable from elsewhere)
  const char* dead_signal = nullptr;  // the flag that said dead: "destroyed", …
  std::string owner_class;            // class of the first dead captured owner
  // Filled by AttachRetention():
  uint64_t retained_size = 0;
  uint64_t self_size = 0;
  uint32_t parent = kNone;  // index of the detection this one is secondary to
  uint32_t profile_function = kNone;  // allocation-growth: ProfileFunctionFact::function
};

// Runs the rules of the registry (leaks/rules.h) over the facts of every snapshot (input order; the last one is the snapshot
// whose node indices the detections refer to). Unranked.
// `profile_functions` (may be empty) feed allocation-growth; with no snapshot facts only that
// rule runs.
std::vector<Detection> Detect(const std::vector<SnapshotFacts>& series, const SiteTable& table,
                              const LeakOptions& options,
                              std::span<const ProfileFunctionFact> profile_functions = {});

// The size freed if every object in `members` were gone, approximated as memlab's
// aggregateDominatorMetrics does: the sum of retained sizes of the members that no other member
// dominates. Linear in the dominator-tree depth visited (memoised), no per-node allocation.
uint64_t SetRetainedSize(const dominators::HeapAnalysis& analysis,
                         std::span<const NodeIndex> members);

// SetRetainedSize for many sets over one dominator tree: the node-sized scratch arrays are
// allocated once and reset in O(1) between sets (generation stamps), so sizing S sets costs
// O(nodes + total members), whatever S is.
class SetSizer {
 public:
  explicit SetSizer(const dominators::HeapAnalysis& analysis);
  ~SetSizer();
  SetSizer(const SetSizer&) = delete;
  SetSizer& operator=(const SetSizer&) = delete;

  uint64_t RetainedSize(std::span<const NodeIndex> members);

 private:
  struct Scratch;
  const dominators::HeapAnalysis& analysis_;
  std::unique_ptr<Scratch> scratch_;
};

// An owner's liveness by the owner-signal registry (owners.h): 1 alive, 0 dead, -1 unknown or
// no signal knows it; `evidence` (may be null) gets the flag as worded ("connected: false").
int OwnerAlive(const snapshot::Snapshot& snap, NodeIndex object, const char** evidence);

// Ownership and liveness (docs/rules.md): for every registration of a listener or
// closure-growth detection, the objects it captures (its closure's context variables up to the
// module scope, a bound function's `this` and arguments) are read on the last snapshot. A
// registration is leaked when a captured owner is dead by its library's flag (owners.h) or,
// with no live flag, when a captured object is dominated by the registration or its holder
// (nothing else reaches it); otherwise it is live. A detection keeps only its leaked
// registrations in `objects`; one whose leaked part is below `min_growth` becomes a note.
//
// collection-growth is judged on its entries: live when an entry holds, or is a string keyed
// to (held as a property by), an owner alive by its flag; a collection whose entries are all
// live but fewer than `min_growth` becomes a note. `retainers` (of `last`) finds the owners of
// string keys; without it only held owners count.
void JudgeOwnership(const snapshot::Snapshot& last, const dominators::HeapAnalysis& analysis,
                    const LeakOptions& options, std::vector<Detection>& detections,
                    const graph::Retainers* retainers = nullptr);

// Sets retained_size/self_size of each detection and nests detection B under A (B.parent) when
// more than half of B's objects (sampled) have, as nearest dominator owned by any detection,
// one of A's objects or containers, and A is stronger (retained size, then severity), whatever
// their severities; a note is never a parent.
void AttachRetention(const snapshot::Snapshot& last, const dominators::HeapAnalysis& analysis,
                     std::vector<Detection>& detections);

}  // namespace heapscope::leaks

#endif  // HEAPSCOPE_LEAKS_DETECT_H_
