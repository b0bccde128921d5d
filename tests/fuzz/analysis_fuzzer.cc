// The whole `heapscope analyze`: RunAnalysis over a series of snapshots (and a metrics export),
// the CI gate, and every renderer. An input is up to four files separated by NUL bytes: the
// snapshots in time order, and last, when it reads as a metrics export, the metrics. The seeds are
// tiny valid series, which the fuzzer mutates.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "heapscope/metrics/metrics.h"
#include "heapscope/report/gate.h"
#include "heapscope/report/render.h"
#include "heapscope/run.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  heapscope::fuzz::InitBudget();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace report = heapscope::report;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  while (parts.size() < 3) {
    size_t nul = input.find('\0');
    if (nul == std::string_view::npos) break;
    parts.push_back(input.substr(0, nul));
    input.remove_prefix(nul + 1);
  }
  parts.push_back(input);

  heapscope::AnalyzeOptions options;
  std::vector<std::unique_ptr<heapscope::fuzz::MemFile>> files;
  for (size_t i = 0; i < parts.size(); ++i) {
    files.push_back(std::make_unique<heapscope::fuzz::MemFile>(parts[i]));
    bool metrics = i > 0 && i + 1 == parts.size() && heapscope::metrics::DetectFormat(parts[i]);
    (metrics ? options.metrics : options.snapshots).push_back(files.back()->path());
  }
  options.top_classes = 5;
  options.top_clusters = 5;
  options.min_listeners_per_site = 2;
  auto rep = heapscope::RunAnalysis(options);
  heapscope::fuzz::CheckError(rep.status());
  if (!rep.ok()) return 0;
  report::ApplyGate(&*rep, report::Policy{}, report::Baseline{}, "", "");
  for (auto format : {report::Format::kText, report::Format::kMarkdown, report::Format::kHtml,
                      report::Format::kJson, report::Format::kSarif, report::Format::kJunit})
    (void)report::Render(*rep, format);
  return 0;
}
