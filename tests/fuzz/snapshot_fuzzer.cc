// The snapshot loader over JSON text in memory. The read buffer size varies with the input so
// that tokens, escapes and numbers are split across reads at every position.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_util.h"
#include "heapscope/snapshot/parse.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  heapscope::fuzz::InitBudget();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  heapscope::snapshot::ParseOptions options;
  options.max_model_bytes = uint64_t{64} << 20;
  options.buffer_bytes = 24 + size % 61;
  auto snap = heapscope::snapshot::ParseSnapshot(text, "fuzz.heapsnapshot", options);
  heapscope::fuzz::CheckError(snap.status());
  return 0;
}
