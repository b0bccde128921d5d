// Source sites: where a closure (or a constructor-located object) was defined.
//
// A site is script name + line + column. V8 writes locations 0-based; SourceSite keeps them
// 0-based too, and reports add 1. Script names come from 5-field locations'
// script_object_index when present, otherwise from the graph:
//   closure --internal shared--> SFI --internal script | script_or_debug_info--> Script
//           --internal name--> string
// (HEAP-FORMAT.md §2, §9). Sites are interned in a SiteTable that outlives each snapshot, so
// that facts from different snapshots of one process can be keyed by site.
#ifndef HEAPSCOPE_LEAKS_SITES_H_
#define HEAPSCOPE_LEAKS_SITES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "heapscope/graph/heap_graph.h"
#include "heapscope/ids.h"
#include "heapscope/snapshot/snapshot.h"

namespace heapscope::leaks {

using SiteId = Index<struct SiteTag>;

struct SourceSite {
  std::string file;      // script name as written in the snapshot (path or URL)
  uint32_t line = 0;     // 0-based, as V8 writes it
  uint32_t column = 0;   // 0-based
  std::string function;  // closure name ("" for anonymous) of the first closure seen here
};

// Interned sites and names (event names, class names), shared by every snapshot of a series.
class SiteTable {
 public:
  SiteId Intern(std::string_view file, uint32_t line, uint32_t column, std::string_view function);
  const SourceSite& Get(SiteId id) const { return sites_[id.v]; }
  uint32_t size() const { return static_cast<uint32_t>(sites_.size()); }

  // Interned strings (event names, emitter class names): id -> text.
  uint32_t InternName(std::string_view name);
  const std::string& Name(uint32_t id) const { return names_[id]; }

 private:
  std::vector<SourceSite> sites_;
  std::unordered_map<std::string, uint32_t> site_index_;  // "line:col:file"
  std::vector<std::string> names_;
  std::unordered_map<std::string, uint32_t> name_index_;
};

// Per-snapshot index from node to its location row and from script id to script name.
// Built once per snapshot in O(locations + closures); nothing is allocated per node beyond
// one uint32 per node.
class LocationIndex {
 public:
  explicit LocationIndex(const snapshot::Snapshot& snap);

  // The location row of `node`, or kNone.
  uint32_t Row(NodeIndex node) const { return node_row_[node.v]; }
  // The script name of a location row ("" when it cannot be resolved).
  std::string_view ScriptName(uint32_t row) const;
  // Resolves `node` to a site id in `table` (kNone SiteId when it has no location). Cached
  // per (script id, line, column), so repeated sites cost a hash lookup, not an allocation.
  SiteId Resolve(NodeIndex node, SiteTable& table);

 private:
  struct Key {
    uint32_t script, line, column;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const noexcept {
      uint64_t h =
          (uint64_t{k.script} * 0x9E3779B97F4A7C15ULL) ^ (uint64_t{k.line} << 20) ^ k.column;
      return static_cast<size_t>(h ^ (h >> 29));
    }
  };
  const snapshot::Snapshot& snap_;
  std::vector<uint32_t> node_row_;                              // per node
  std::unordered_map<uint32_t, std::string_view> script_name_;  // script id -> name
  std::unordered_map<Key, SiteId, KeyHash> cache_;
};

// Follows `node`'s internal edge named `name`; kNoNode if absent. Also used for property edges
// via NamedEdge(…, EdgeType).
NodeIndex NamedEdge(const snapshot::Snapshot& snap, NodeIndex node, snapshot::EdgeType type,
                    std::string_view name);

// The script name of a closure via shared -> script|script_or_debug_info -> name ("" if none),
// resolved to its text when V8 wrote it as a rope (ResolvedName).
std::string_view ClosureScriptName(const snapshot::Snapshot& snap, NodeIndex closure);

// V8's default --heap-snapshot-string-limit: string nodes are cut to this many characters.
inline constexpr size_t kSnapshotStringLimit = 1024;

// The text of a string node into `out` (at most `max_bytes`): a plain string's name; a
// concatenated string (V8 10.x names it "(concatenated string)") its `first` and `second`
// parts joined, walked without recursion; a thin string's `actual`; a sliced string only when V8
// named it with its text (V8 writes a slice's parent but not its offset). The text ends at the
// first part V8 cut at kSnapshotStringLimit, since what followed it is lost. False when the
// node is not a string or its text cannot be known.
bool StringText(const snapshot::Snapshot& snap, NodeIndex node, std::string& out,
                size_t max_bytes);

// A name read from a string node (a script's name, source or URL), whatever kind of string V8
// wrote: a plain string's name; otherwise StringText, kept once per distinct text for the life
// of the process so that the view stays valid. "" when it has no text.
std::string_view ResolvedName(const snapshot::Snapshot& snap, NodeIndex node);

// The source text of a closure's script (shared -> script -> source; a rope resolved by
// ResolvedName); "" when absent.
std::string_view ClosureScriptSource(const snapshot::Snapshot& snap, NodeIndex closure);

// Where a collection's owner lives: the context variable holding it, at its declaration
// (`const socketRefs = new Set()`, function = "socketRefs") in the script of a function created
// in that context; else the property of a class instance holding it, at `this.<name>` in the
// constructor's script (function = "Class.name"). When the collection's holder is neither, its
// owner up to four steps up (a property, or an entry of a Map/Set) is tried, and the path is
// kept: "PresenceService.boards[…].cursors". False when nothing is found.
bool CollectionOwnerSite(const snapshot::Snapshot& snap, const graph::Retainers& retainers,
                         NodeIndex collection, SourceSite& out);

// A boolean stored as an edge to a `system / Oddball` node (V8 writes its value as the
// Oddball's first hidden edge, a string "true"/"false"). -1 unknown/absent, 0 false, 1 true.
int BooleanProperty(const snapshot::Snapshot& snap, NodeIndex object, std::string_view name);

// The name of slot `index` of a block-scope Context, whose values V8 writes as hidden edges
// `index` without names: the index-th string of its ScopeInfo's hidden edges (seen in Node 20
// snapshots). "" when the context has no ScopeInfo or fewer names.
std::string_view ScopeSlotName(const snapshot::Snapshot& snap, NodeIndex context, uint32_t index);

// A closure's captured variable names: the `context` edges of its Context and of each outer
// Context (`previous`) up to the NativeContext, innermost first, without duplicates. Values
// that block scopes write as hidden edges take the i-th name string of the context's ScopeInfo,
// or "captured value #i" when it has none. A bound function ("native_bind") lists its bound
// `this` and arguments with their classes instead: "this (Connection)", "bound_argument_0 (…)".
// A suspended frame (IsFrame) lists the names of its FrameVariables.
std::vector<std::string> CapturedVariables(const snapshot::Snapshot& snap, NodeIndex closure);

// The formal parameters of the function whose definition V8 locates at (line, column), 0-based,
// of `source`: V8 places a function at its parameter list's `(` (or at the single parameter of
// `x => …`). Names in order; a destructuring pattern is "" and a rest parameter keeps its name.
// nullopt when the position holds neither: a source that does not match, or one cut short
// (V8 writes at most the first 1,024 characters of a string, script sources included).
std::optional<std::vector<std::string>> FormalParameters(std::string_view source, uint32_t line,
                                                         uint32_t column);

// The (0-based) location V8 wrote for `node` (a closure); false when it has none. Linear in
// the snapshot's locations: for a few nodes, not for every closure (use LocationIndex).
bool NodeLocation(const snapshot::Snapshot& snap, NodeIndex node, uint32_t& line,
                  uint32_t& column);

// A suspended async function or generator: a "Generator" object whose `function` is a closure.
bool IsFrame(const snapshot::Snapshot& snap, NodeIndex node);

// The state a suspended frame (IsFrame) holds for its caller: its parameters (the first slots
// of `parameters_and_registers`, named from the function's source), its receiver ("this") when
// an object, then the variables of its context chain innermost first, up to but not including
// the module's own scope (the context just inside the NativeContext). The frame's own locals
// (an iterator it made, the last value it received) are left out: they are not its caller's.
// When the function's parameters cannot be read (its source is not in the snapshot),
// *parameters_known is set false and every slot is listed instead, with an empty name.
struct FrameVariable {
  std::string name;
  NodeIndex node;
};
std::vector<FrameVariable> FrameVariables(const snapshot::Snapshot& snap, NodeIndex frame,
                                          bool* parameters_known = nullptr);

// Makes `file` relative to `source_root` for display: strips a "file://" prefix, then the root
// (with or without a trailing slash). A snapshot taken on another machine names scripts under
// that machine's folder (/app/src/x.js); when the root is not a prefix, the longest tail of the
// path that names an existing file under `source_root` is used instead (src/x.js). A file in a
// package outside the root is shown as node_modules/<package>/<path>. Leaves other names
// unchanged.
std::string DisplayPath(std::string_view file, std::string_view source_root);

}  // namespace heapscope::leaks

#endif  // HEAPSCOPE_LEAKS_SITES_H_
