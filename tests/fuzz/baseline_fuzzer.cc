// The `check` baseline file reader, and its writer: a baseline that was read must be written
// back into text that reads as the same baseline (--update-baseline rewrites the file).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "heapscope/report/gate.h"

namespace {

bool SameEntries(const heapscope::report::Baseline& a, const heapscope::report::Baseline& b) {
  if (a.entries.size() != b.entries.size()) return false;
  for (const auto& x : a.entries) {
    bool found = false;
    for (const auto& y : b.entries)
      found = found || (x.fingerprint == y.fingerprint && x.rule == y.rule && x.site == y.site &&
                        x.title == y.title && x.justification == y.justification);
    if (!found) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  heapscope::fuzz::InitBudget();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace report = heapscope::report;
  std::string_view json(reinterpret_cast<const char*>(data), size);
  auto baseline = report::ParseBaseline(json, "fuzz-baseline.json");
  heapscope::fuzz::CheckError(baseline.status());
  if (!baseline.ok()) return 0;
  std::string written = report::SerializeBaseline(*baseline);
  auto reread = report::ParseBaseline(written, "rewritten-baseline.json");
  if (!reread.ok() || !SameEntries(*baseline, *reread)) {
    std::fprintf(stderr, "baseline does not survive a rewrite: %s\n%s\n",
                 reread.ok() ? "entries differ" : reread.status().message().c_str(),
                 written.c_str());
    std::abort();
  }
  return 0;
}
