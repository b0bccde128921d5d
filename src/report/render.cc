#include "heapscope/report/render.h"

#include <array>
#include <utility>

#include "report/renderers.h"

namespace heapscope::report {
namespace {

constexpr std::array<std::pair<Format, std::string_view>, 6> kFormats = {{
    {Format::kText, "text"},
    {Format::kMarkdown, "markdown"},
    {Format::kHtml, "html"},
    {Format::kJson, "json"},
    {Format::kSarif, "sarif"},
    {Format::kJunit, "junit"},
}};

}  // namespace

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kNote:
      return "note";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "warning";
}

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kNone:
      return "none";
    case Verdict::kFail:
      return "fail";
    case Verdict::kPass:
      return "pass";
    case Verdict::kBaselined:
      return "baselined";
    case Verdict::kIgnored:
      return "ignored";
  }
  return "none";
}

std::optional<Format> ParseFormat(std::string_view name) {
  for (const auto& [f, n] : kFormats) {
    if (n == name) return f;
  }
  if (name == "md") return Format::kMarkdown;
  if (name == "xml") return Format::kJunit;
  return std::nullopt;
}

std::optional<Format> FormatFromPath(std::string_view path) {
  auto ends = [&](std::string_view suffix) {
    return path.size() > suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
  };
  if (ends(".sarif.json") || ends(".sarif")) return Format::kSarif;
  if (ends(".json")) return Format::kJson;
  if (ends(".html") || ends(".htm")) return Format::kHtml;
  if (ends(".md")) return Format::kMarkdown;
  if (ends(".xml")) return Format::kJunit;
  if (ends(".txt")) return Format::kText;
  return std::nullopt;
}

std::string_view FormatName(Format f) {
  for (const auto& [format, n] : kFormats) {
    if (format == f) return n;
  }
  return "text";
}

std::string Render(const Report& report, Format format, const RenderOptions& options) {
  switch (format) {
    case Format::kText:
      return internal::RenderText(report, options);
    case Format::kMarkdown:
      return internal::RenderMarkdown(report, options);
    case Format::kHtml:
      return internal::RenderHtml(report, options);
    case Format::kJson:
      return internal::RenderJson(report, options);
    case Format::kSarif:
      return internal::RenderSarif(report, options);
    case Format::kJunit:
      return internal::RenderJunit(report, options);
  }
  return internal::RenderText(report, options);
}

}  // namespace heapscope::report
