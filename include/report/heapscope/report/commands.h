// Text and JSON for the values RunSummary, RunRetained, RunPaths and RunMetrics return
// (run/commands.h). They use the report's escaping and the one set of formatters (text.h):
// every string from a snapshot is terminal-safe in text and valid UTF-8 in JSON.
// Formats: docs/cmd-summary.md, docs/cmd-retained.md, docs/cmd-paths.md, docs/cmd-diff.md,
// docs/cmd-strings.md,
// docs/metrics.md.
#ifndef HEAPSCOPE_REPORT_COMMANDS_H_
#define HEAPSCOPE_REPORT_COMMANDS_H_

#include <string>

#include "heapscope/metrics/analysis.h"
#include "heapscope/run/commands.h"

namespace heapscope::report {

std::string RenderSummaryText(const SummaryResult& result);
std::string RenderSummaryJson(const SummaryResult& result);

std::string RenderRetainedText(const RetainedResult& result);
std::string RenderRetainedJson(const RetainedResult& result);

std::string RenderPathsText(const PathsResult& result);
std::string RenderPathsJson(const PathsResult& result);

// `diff` (docs/cmd-diff.md). CSV lists the class rows of every comparison, or, with a
// drill-down, its new objects.
std::string RenderDiffText(const DiffResult& result);
std::string RenderDiffJson(const DiffResult& result);
std::string RenderDiffMarkdown(const DiffResult& result);
std::string RenderDiffHtml(const DiffResult& result);
std::string RenderDiffCsv(const DiffResult& result);

// `strings` (docs/cmd-strings.md).
std::string RenderStringsText(const StringsResult& result);
std::string RenderStringsJson(const StringsResult& result);

std::string RenderMetricsText(const metrics::MetricsAnalysis& analysis);
std::string RenderMetricsJson(const metrics::MetricsAnalysis& analysis);

}  // namespace heapscope::report

#endif  // HEAPSCOPE_REPORT_COMMANDS_H_
