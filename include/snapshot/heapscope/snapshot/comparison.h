// DevTools' Comparison view as data: per class, the objects of a target snapshot that a base
// snapshot did not have (# New, Alloc. Size), those it had and the target has not (# Deleted,
// Freed Size), and the differences (# Delta, Size Delta).
//
// As DevTools' calculateSnapshotDiff / calculateDiffForClass (HeapSnapshot.ts) compute it: both
// snapshots are grouped into classes by the same keys (classes.h; the base is named with the
// target's interface definitions, ClassifyOptions::interfaces), members are the nodes of
// non-zero self size (after DevTools' reassignment when the caller passes those sizes), and
// within one class the two member lists are matched by node id (V8 keeps an object's id across
// snapshots of one process). An object whose class changed (a plain object that gained a
// property, a DOM node that became detached) is deleted from one class and new in the other.
// Classes with nothing new and nothing deleted have no row.
#ifndef HEAPSCOPE_SNAPSHOT_COMPARISON_H_
#define HEAPSCOPE_SNAPSHOT_COMPARISON_H_

#include <cstdint>
#include <vector>

#include "heapscope/ids.h"
#include "heapscope/snapshot/classes.h"
#include "heapscope/snapshot/snapshot.h"

namespace heapscope::snapshot {

// One snapshot of a comparison: its nodes, their classes and the self sizes to use.
struct ComparisonSide {
  const Snapshot* snapshot = nullptr;
  const NodeClasses* classes = nullptr;
  const std::vector<uint64_t>* self_size = nullptr;  // null = the file's self sizes
};

struct ClassDelta {
  ClassKey key;
  uint32_t base_class = kNone;    // index into the base's NodeClasses::keys, kNone if absent
  uint32_t target_class = kNone;  // index into the target's, kNone if absent
  uint64_t new_count = 0;         // # New
  uint64_t deleted_count = 0;     // # Deleted
  uint64_t alloc_size = 0;        // Alloc. Size: self sizes of the new objects
  uint64_t freed_size = 0;        // Freed Size: self sizes of the deleted objects
  int64_t count_delta() const {
    return static_cast<int64_t>(new_count) - static_cast<int64_t>(deleted_count);
  }
  int64_t size_delta() const {
    return static_cast<int64_t>(alloc_size) - static_cast<int64_t>(freed_size);
  }
};

struct ClassComparison {
  // Largest size delta first, then largest # New, then by name and key.
  std::vector<ClassDelta> rows;
  uint64_t new_count = 0, deleted_count = 0, alloc_size = 0, freed_size = 0;  // over all rows
};

// Every class of either snapshot. O(n log n) in the members of both (one sort of each side).
ClassComparison CompareClasses(const ComparisonSide& base, const ComparisonSide& target);

// The target's members of `target_class` that the base's same class did not have (DevTools'
// "added" nodes of a Comparison row), by ascending node id.
std::vector<NodeIndex> NewMembers(const ComparisonSide& base, const ComparisonSide& target,
                                  uint32_t target_class);

}  // namespace heapscope::snapshot

#endif  // HEAPSCOPE_SNAPSHOT_COMPARISON_H_
