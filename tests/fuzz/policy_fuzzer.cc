// The `check` policy file reader.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_util.h"
#include "heapscope/report/gate.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  heapscope::fuzz::InitBudget();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  auto policy = heapscope::report::ParsePolicy(json, "fuzz-policy.json");
  heapscope::fuzz::CheckError(policy.status());
  return 0;
}
