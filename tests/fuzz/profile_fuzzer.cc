// The sampling heap profile reader and the series combination (profile/profile.h): any input is
// a profile or an error naming the file, the field and the byte; three copies combine.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_util.h"
#include "heapscope/profile/profile.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  heapscope::fuzz::InitBudget();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  auto p = heapscope::profile::ParseHeapProfile(json, "fuzz.heapprofile");
  heapscope::fuzz::CheckError(p.status());
  if (p.ok()) {
    std::vector<heapscope::profile::HeapProfile> series(3, *p);
    (void)heapscope::profile::CombineProfiles(
        series, [](const heapscope::profile::CallFrame& f) { return !f.url.empty(); });
  }
  return 0;
}
