// DevTools' class model of one snapshot: which DOM nodes are detached, what each node's class is
// called, and the key that makes two nodes (or two snapshots' rows) the same class. Summary,
// diff and the growth rules all group nodes through this, so their rows are DevTools' rows.
//
// The rules are those of Chrome DevTools' HeapSnapshot.ts (chrome-devtools-frontend
// 1.0.1705227), step by step:
//
//  1. Detachedness (`propagateDOMState`). The file's `detachedness` field seeds the state of
//     every node (0 unknown, 1 attached, 2 detached). From every attached node, then from every
//     detached one, the state spreads over edges that are not `hidden` or `weak`, to `native`
//     nodes only ("do not propagate through JavaScript"), never overriding a state already set.
//     Snapshots without the field: native nodes named "Detached …" are detached, nothing spreads.
//  2. Names (`calculateObjectNames`). hidden -> "(system)", code -> "(compiled code)", closure ->
//     "Function", regexp -> "RegExp"; object and native keep their name, with "Detached "
//     prepended to a native node that step 1 found detached, and "<div id=x>" cut to "<div>";
//     every other type -> "(<type>)".
//  3. Interface names (`inferInterfaceDefinitions`, `applyInterfaceDefinitions`). Plain objects
//     (type object, name "Object") are named after their property list, "{a, b, c}": the
//     leading property names (not `__proto__`) of each object form a candidate, while the name
//     stays within 120 UTF-16 units; candidates shared by at least max(2, plain objects / 1000)
//     objects become definitions, most common first. An object then takes the definition with
//     the most properties that its own property names contain (the earlier one on a tie), or
//     stays "Object".
//  4. Keys (`classKeyInternal`). An `object` node with a location is keyed by (script, line,
//     column, name), so two constructors of one name are two classes; everything else by name.
//
// Where DevTools and heapscope differ (docs/cmd-summary.md "Deliberate differences"): DevTools
// keys unlocated classes by string-table index and then re-keys them by name, so two classes of
// one name (a `native` node named "(system)" next to `hidden` nodes) overwrite each other in its
// views; heapscope keys by name from the start and counts both.
//
// Nothing here allocates per node: the per-node results are one array each; names and keys are
// interned once per distinct string; the interface search reuses one scratch buffer.
#ifndef HEAPSCOPE_SNAPSHOT_CLASSES_H_
#define HEAPSCOPE_SNAPSHOT_CLASSES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "heapscope/ids.h"
#include "heapscope/snapshot/snapshot.h"

namespace heapscope::snapshot {

// DevTools' DOMLinkState, the values of the file's `detachedness` field.
enum DomState : uint8_t { kDomUnknown = 0, kDomAttached = 1, kDomDetached = 2 };

// Step 1: the DOM state of every node after DevTools' propagation (one entry per node). O(nodes +
// edges), two explicit stacks, no recursion.
std::vector<uint8_t> PropagateDetachedness(const Snapshot& s);

// Whether DevTools shows node `n` as "Detached <name>": a `native` node whose propagated state is
// detached, in a snapshot with the `detachedness` field (older files carry the prefix already).
bool HasDetachedPrefix(const Snapshot& s, const std::vector<uint8_t>& dom_state, NodeIndex n);

// Step 3: one interface definition, as DevTools passes them between snapshots.
struct InterfaceDefinition {
  std::string name;                     // "{a, b, c}"
  std::vector<std::string> properties;  // the raw property names, in edge order
  uint32_t count = 0;                   // plain objects that start with these properties
};
std::vector<InterfaceDefinition> InferInterfaceDefinitions(const Snapshot& s);

// A class: its DevTools name and, for location-keyed `object` classes, the location (0-based,
// as in the file; script_id == kNone when the class is keyed by name alone).
struct ClassKey {
  std::string name;
  uint32_t script_id = kNone;
  uint32_t line = 0;
  uint32_t column = 0;
  bool located() const { return script_id != kNone; }
  bool operator==(const ClassKey&) const = default;
};
// DevTools' public class key: "scriptId,line,column,name" or ",name" (stable across snapshots).
std::string DevToolsClassKey(const ClassKey& k);

struct NodeClasses {
  std::vector<uint8_t> dom_state;               // step 1, per node
  std::vector<uint32_t> node_class;             // per node: index into `keys`
  std::vector<ClassKey> keys;                   // distinct classes, in order of first node
  std::vector<InterfaceDefinition> interfaces;  // the definitions applied in step 3

  const ClassKey& Key(NodeIndex n) const { return keys[node_class[n.v]]; }
  const std::string& Name(NodeIndex n) const { return Key(n).name; }
  uint32_t class_count() const { return static_cast<uint32_t>(keys.size()); }
};

struct ClassifyOptions {
  // Definitions to apply instead of this snapshot's own (DevTools' Comparison view names the
  // base snapshot's objects with the target's definitions). Null = infer from the snapshot.
  const std::vector<InterfaceDefinition>* interfaces = nullptr;
  // This snapshot's PropagateDetachedness, when the caller has it already. Null = compute.
  const std::vector<uint8_t>* dom_state = nullptr;
};

// Steps 1-4 for every node.
NodeClasses ClassifyNodes(const Snapshot& s, const ClassifyOptions& options = {});

// DevTools' name of a node as its views show it (its `name()`): the raw name, with "Detached "
// for the nodes HasDetachedPrefix selects. (Class names are in NodeClasses.)
std::string DisplayName(const Snapshot& s, const std::vector<uint8_t>& dom_state, NodeIndex n);

// JavaScript's `a < b` on the UTF-16 forms of two UTF-8 strings (DevTools sorts and compares
// property names this way); invalid bytes count as U+FFFD.
bool Utf16Less(std::string_view a, std::string_view b);
// The UTF-16 length of a UTF-8 string (JavaScript's `.length`); invalid bytes count as one unit.
size_t Utf16Length(std::string_view s);

}  // namespace heapscope::snapshot

#endif  // HEAPSCOPE_SNAPSHOT_CLASSES_H_
