#include "cli/outputs.h"

#include <unistd.h>

#include <cstdlib>
#include <utility>

#include "cli/command.h"

namespace heapscope::cli {

void AddOutputOptions(CLI::App* sub, OutputOptions* o) {
  sub->add_option("--format", o->formats,
                  "Output format: text (default), markdown, html, json, sarif, junit; once per "
                  "-o to pair them in order, or none to take each format from the file's name")
      ->check(CLI::IsMember({"text", "markdown", "html", "json", "sarif", "junit"}))
      ->allow_extra_args(false);  // repeatable, one value each: positionals stay positionals
  sub->add_option("-o,--output", o->outputs,
                  "Write to FILE (atomically) instead of stdout; repeatable (one run, several "
                  "reports: -o report.html -o report.sarif -o report.json)")
      ->allow_extra_args(false);
}

Result<std::vector<Output>> ResolveOutputs(const char* command, const OutputOptions& o) {
  std::vector<std::string> paths = o.outputs;
  if (paths.empty()) paths.push_back("-");
  if (!o.formats.empty() && o.formats.size() != paths.size()) {
    return Status::Usage(std::string(command) + ": " + std::to_string(o.formats.size()) +
                         " --format for " + std::to_string(paths.size()) +
                         " outputs: give --format once per -o (in the same order), or none to "
                         "take each format from the file's name");
  }
  std::vector<Output> out;
  bool stdout_seen = false;
  for (size_t i = 0; i < paths.size(); ++i) {
    Output x;
    x.path = paths[i];
    if (x.path == "-") {
      if (stdout_seen) return Status::Usage(std::string(command) + ": -o - given twice");
      stdout_seen = true;
    }
    std::optional<report::Format> f;
    if (!o.formats.empty()) {
      f = report::ParseFormat(o.formats[i]);
      if (!f) {
        return Status::Usage(std::string(command) + ": unknown --format '" + o.formats[i] + "'");
      }
    } else {
      f = report::FormatFromPath(x.path);
    }
    x.format = f.value_or(report::Format::kText);
    out.push_back(std::move(x));
  }
  return out;
}

bool WritesStdout(const std::vector<Output>& outputs) {
  for (const Output& x : outputs) {
    if (x.path == "-") return true;
  }
  return false;
}

int EmitReport(const report::Report& report, const std::vector<Output>& outputs) {
  // Everything is rendered before anything is written, so a failure leaves no output behind
  // half-way through the list for a reason of its own making.
  std::vector<std::string> texts;
  texts.reserve(outputs.size());
  for (const Output& x : outputs) {
    report::RenderOptions ro;
    ro.color = x.format == report::Format::kText && x.path == "-" &&
               ::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
    texts.push_back(report::Render(report, x.format, ro));
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (int failed = Emit(outputs[i].path, texts[i])) return failed;
  }
  return 0;
}

}  // namespace heapscope::cli
