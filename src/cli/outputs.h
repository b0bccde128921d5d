// Several outputs of one run: `-o report.html -o report.sarif -o report.json`, each output's
// format from `--format` (given once per -o, in the same order) or from its file name
// (report::FormatFromPath), so a CI job reads the snapshots once. `analyze` and `check` use it.
#ifndef HEAPSCOPE_SRC_CLI_OUTPUTS_H_
#define HEAPSCOPE_SRC_CLI_OUTPUTS_H_

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "heapscope/report/render.h"
#include "heapscope/status.h"

namespace heapscope::cli {

struct OutputOptions {
  std::vector<std::string> formats;  // --format, repeatable
  std::vector<std::string> outputs;  // -o, repeatable; none = stdout
};

struct Output {
  std::string path;  // "-" = stdout
  report::Format format = report::Format::kText;
};

// Adds --format and -o,--output to `sub`.
void AddOutputOptions(CLI::App* sub, OutputOptions* o);

// Pairs outputs with formats. With no -o the report goes to stdout in --format (text if absent).
// With one --format per -o, they pair in order; with a single --format and a single -o, too.
// With no --format, each file's format comes from its name, and a name without a known
// extension (or "-") is text. Any other mix, or stdout twice, is a usage error.
Result<std::vector<Output>> ResolveOutputs(const char* command, const OutputOptions& o);

// Whether any output is stdout.
bool WritesStdout(const std::vector<Output>& outputs);

// Renders every output first, then writes each (atomically, as Emit): 0, or Fail()'s code.
int EmitReport(const report::Report& report, const std::vector<Output>& outputs);

}  // namespace heapscope::cli

#endif  // HEAPSCOPE_SRC_CLI_OUTPUTS_H_
