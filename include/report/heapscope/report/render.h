// Renderers: each output format is a pure function of a Report.
#ifndef HEAPSCOPE_REPORT_RENDER_H_
#define HEAPSCOPE_REPORT_RENDER_H_

#include <optional>
#include <string>
#include <string_view>

#include "heapscope/report/report.h"

namespace heapscope::report {

enum class Format { kText, kMarkdown, kHtml, kJson, kSarif, kJunit };

std::optional<Format> ParseFormat(std::string_view name);  // "text", "markdown", …
std::string_view FormatName(Format f);
// The format an output file's name asks for: .txt text, .md markdown, .html/.htm html, .json
// json, .sarif and .sarif.json sarif, .xml junit; nullopt for any other name (and for "-").
std::optional<Format> FormatFromPath(std::string_view path);

struct RenderOptions {
  bool color = false;        // ANSI colour (text only); the CLI sets it for TTYs without NO_COLOR
  uint32_t width = 100;      // text: fit this many columns
  std::string title;         // optional report title (markdown/html)
};

std::string Render(const Report& report, Format format, const RenderOptions& options = {});

}  // namespace heapscope::report

#endif  // HEAPSCOPE_REPORT_RENDER_H_
