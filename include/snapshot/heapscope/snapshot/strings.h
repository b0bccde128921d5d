// Duplicated strings: string objects whose value another string object has too, grouped by
// value (DevTools' "Duplicated strings" filter, Eclipse MAT's duplicate-strings report).
//
// As DevTools' createDuplicatedStringsFilter / getDuplicateStrings (HeapSnapshot.ts):
//  - candidates are nodes of type `string` and `concatenated string` with a non-zero self size
//    (the caller's sizes: DevTools' reassigned ones); sliced strings are not;
//  - a cons string that V8 has flattened (its `first` or `second` part is the empty string) is
//    skipped;
//  - the value of a cons string is its parts concatenated, left to right, until the value
//    reaches 1,024 UTF-16 units (DevTools' consStringName; longer strings are compared on that
//    prefix, whole parts at a time); other strings' value is their name;
//  - strings V8 wrote truncated (an internal `truncated` edge to a `bool` true) are grouped by
//    value, `length` and `hash` (their internal edges to `int` numbers), others by value;
//  - a group is a duplicate when it has two members or more.
// One deliberate difference: DevTools' cons walk has no bound, so a cycle of cons strings (a
// damaged file) never ends; here one value is built from at most 1,000,000 parts.
#ifndef HEAPSCOPE_SNAPSHOT_STRINGS_H_
#define HEAPSCOPE_SNAPSHOT_STRINGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "heapscope/ids.h"
#include "heapscope/snapshot/snapshot.h"

namespace heapscope::snapshot {

struct StringGroup {
  std::string value;                  // as DevTools shows it (a cons string's prefix, see above)
  bool truncated = false;             // V8 wrote these strings truncated
  std::optional<int64_t> length, hash;  // of truncated strings, from their `length`/`hash` edges
  std::vector<NodeIndex> nodes;       // the members, in node order
  uint64_t self_size = 0;             // sum of the members' self sizes
  uint64_t largest_self_size = 0;     // the largest member's
  // What deduplication would save at least: every copy but the largest.
  uint64_t wasted() const { return self_size - largest_self_size; }
};

// Every duplicated value, in DevTools' order before its sort: untruncated groups by first
// member, then truncated ones. O(nodes + edges), plus the cons strings' parts.
std::vector<StringGroup> DuplicateStrings(const Snapshot& s, const std::vector<uint64_t>& self_size);

// DevTools' value of a cons string (consStringName), as described above.
std::string ConsStringValue(const Snapshot& s, NodeIndex n);

}  // namespace heapscope::snapshot

#endif  // HEAPSCOPE_SNAPSHOT_STRINGS_H_
