// The Source Map v3 reader (sourcemap/sourcemap.h): any input is a map or an error naming the
// map, the field and the byte; every lookup of a read map stays inside it. The same bytes also
// go through the data: URL decoder and the sourceMappingURL comment finder.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_util.h"
#include "heapscope/sourcemap/sourcemap.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  heapscope::fuzz::InitBudget();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto m = heapscope::sourcemap::ParseSourceMap(text, "fuzz.js.map");
  heapscope::fuzz::CheckError(m.status());
  if (m.ok()) {
    for (const auto& s : m->segments) {
      auto o = heapscope::sourcemap::Lookup(*m, s.line, s.column);
      if (o && o->source.data() == nullptr && !o->source.empty()) __builtin_trap();
      (void)heapscope::sourcemap::Lookup(*m, s.line, s.column + 1);
    }
  }
  (void)heapscope::sourcemap::FindSourceMappingUrl(text);
  (void)heapscope::sourcemap::DecodeDataUrl(text);
  return 0;
}
