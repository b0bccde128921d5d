// V8 sampling heap profiles (`.heapprofile`): Node's --heap-prof, the inspector's
// HeapProfiler.getSamplingProfile/stopSampling (`heapscope capture --sampling`), Chrome DevTools'
// "Allocation sampling" export. The file is one JSON object:
//   {"head": NODE, "samples": [{"size", "nodeId", "ordinal"}, …]}
//   NODE = {"callFrame": {"functionName", "scriptId", "url", "lineNumber", "columnNumber"},
//           "selfSize", "id", "children": [NODE, …]}
// lineNumber/columnNumber are 0-based, -1 when unknown. selfSize is V8's estimate of the live
// bytes allocated at exactly that stack (sampled allocations scaled by the sampling interval)
// among objects still alive when the profile was taken.
//
// Read with RapidJSON's SAX reader (iterative, no recursion, the tree kept flat with parent
// links), so a deep stack cannot exhaust the C++ stack. Errors name the file, the field and the
// byte offset; nothing is accepted half-way.
#ifndef HEAPSCOPE_PROFILE_PROFILE_H_
#define HEAPSCOPE_PROFILE_PROFILE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "heapscope/status.h"

namespace heapscope::profile {

struct CallFrame {
  std::string function;  // "" for anonymous; V8's "(root)", "(V8 API)", "(EXTERNAL)", …
  std::string url;       // script name; "" for V8's own frames
  std::string script_id;
  int64_t line = -1;     // 0-based; -1 unknown
  int64_t column = -1;
  bool operator==(const CallFrame&) const = default;
};

// One profile: the allocation tree in pre-order.
struct HeapProfile {
  std::string source;                 // file name as given
  std::vector<CallFrame> frame;       // per tree node
  std::vector<uint32_t> parent;       // per tree node: parent's index, UINT32_MAX for the head
  std::vector<uint64_t> self_size;    // per tree node
  std::vector<uint64_t> node_id;      // per tree node
  uint64_t samples = 0;               // entries of `samples`
  // Per sample: its `ordinal` (V8 numbers samples in allocation order, so one still listed in a
  // later profile of the same session is the same live object) and its node's `id`.
  std::vector<uint64_t> sample_ordinal, sample_node_id;
  uint64_t total_size() const;
};

Result<HeapProfile> ParseHeapProfile(std::string_view json, std::string_view name);
// Reads a file (plain or gzip), then ParseHeapProfile.
Result<HeapProfile> ReadHeapProfile(const std::string& path);
// Whether `path` names a sampling heap profile rather than a heap snapshot: its name ends in
// .heapprofile (optionally .gz), or its JSON starts with a "head" key.
bool LooksLikeHeapProfile(const std::string& path);

// A series of profiles of one process, in time order, combined by allocating function (the
// stack's top frame) and by full stack.
struct Stack {
  std::vector<uint32_t> frames;         // indices into ProfileSeries::frames, allocating first
  std::vector<uint64_t> self_bytes;     // per profile: live bytes allocated at this stack
  std::vector<uint64_t> total_bytes;    // per profile: this stack and the stacks it calls
};
struct Function {
  uint32_t frame = 0;                   // the function the stacks are attributed to
  std::vector<uint64_t> self_bytes;     // per profile: every stack attributed to it
  // Per profile k (0 and the last are 0): bytes of the samples first listed in profile k that
  // profile k+1 still lists: what was allocated in that interval and survived the next.
  std::vector<uint64_t> survived_bytes;
  std::vector<uint64_t> total_bytes;    // per profile: stacks it appears on (counted once each)
  std::vector<uint32_t> stacks;         // Stack indices allocating in it, most bytes last first
};
struct ProfileSeries {
  std::vector<std::string> sources;
  std::vector<CallFrame> frames;        // distinct frames
  std::vector<Stack> stacks;            // distinct full stacks
  std::vector<Function> functions;      // distinct allocating functions
  std::vector<uint64_t> total_bytes;    // per profile
  std::vector<uint64_t> bytes_per_sample;  // per profile: total / samples (the interval's scale)
  bool has_ordinals = false;            // every profile lists its samples (survivors known)
};
// `attribute(frame)` says whether a frame is one a stack is attributed to (the user's code): a
// stack counts for the first such frame from its top (the code that made a library or Node
// allocate), else for its allocating frame. Empty: always the allocating frame.
ProfileSeries CombineProfiles(const std::vector<HeapProfile>& profiles,
                              const std::function<bool(const CallFrame&)>& attribute = {});

// V8's pseudo-frames ("(root)", "(V8 API)", "(EXTERNAL)", "(GC)", "(program)", "(idle)"):
// frames without a script, which are not code a user can change.
bool IsPseudoFrame(const CallFrame& f);

}  // namespace heapscope::profile

#endif  // HEAPSCOPE_PROFILE_PROFILE_H_
