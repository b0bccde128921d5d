// Typed 32-bit indices into heapscope's struct-of-arrays models.
//
// An index is an ordinal (node 0, 1, 2, …), never a V8 field offset. "None" is always
// UINT32_MAX (kNone), so that 0 stays a valid ordinal (node 0 is the snapshot root).
#ifndef HEAPSCOPE_IDS_H_
#define HEAPSCOPE_IDS_H_

#include <compare>
#include <cstdint>
#include <functional>
#include <limits>

namespace heapscope {

inline constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

template <typename Tag>
struct Index {
  uint32_t v = kNone;
  constexpr Index() = default;
  constexpr explicit Index(uint32_t value) : v(value) {}
  constexpr bool valid() const { return v != kNone; }
  constexpr auto operator<=>(const Index&) const = default;
};

using NodeIndex = Index<struct NodeTag>;      // node ordinal in a Snapshot
using EdgeIndex = Index<struct EdgeTag>;      // edge ordinal in a Snapshot
using StringId = Index<struct StringTag>;     // index into Snapshot strings

inline constexpr NodeIndex kNoNode{};

}  // namespace heapscope

template <typename Tag>
struct std::hash<heapscope::Index<Tag>> {
  size_t operator()(const heapscope::Index<Tag>& i) const noexcept { return i.v; }
};

#endif  // HEAPSCOPE_IDS_H_
