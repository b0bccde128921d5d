// The snapshot loader through its file path: gzip detection and decompression (truncated and
// corrupt streams, concatenated members) feeding the streaming parse. Inputs are files as they
// are on disk, gzip or plain.
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
  heapscope::fuzz::MemFile file(std::string_view(reinterpret_cast<const char*>(data), size));
  heapscope::snapshot::ParseOptions options;
  options.max_model_bytes = uint64_t{64} << 20;
  options.buffer_bytes = 4096;
  auto snap = heapscope::snapshot::ParseSnapshotFile(file.path(), options);
  heapscope::fuzz::CheckError(snap.status());
  return 0;
}
