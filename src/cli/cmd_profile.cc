// `heapscope profile FILE.heapprofile... [--format …] [-o FILE]`: sampling heap profiles of one
// process (node --heap-prof, HeapProfiler.getSamplingProfile, `capture --sampling`, Chrome's
// Allocation sampling): the last profile's stacks by self and total size, and across the series
// the functions whose allocations survive and grow (docs/cmd-profile.md). The same report as
// `analyze`, so every format and `check --policy` apply.
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "heapscope/report/render.h"
#include "heapscope/run.h"

namespace heapscope::cli {
namespace {

struct ProfileCliOptions {
  AnalyzeOptions analysis;
  std::string format = "text";
  std::string output = "-";
};

int RunProfileCommand(ProfileCliOptions& o) {
  std::optional<report::Format> format = report::ParseFormat(o.format);
  if (!format) return Fail(Status::Usage("profile: unknown --format '" + o.format + "'"));
  AnalyzeOptions a = o.analysis;
  a.profiles = std::move(a.snapshots);  // every input is a profile here
  a.snapshots.clear();
  Result<report::Report> rep = RunAnalysis(a);
  if (!rep.ok()) return Fail(rep.status());
  report::RenderOptions ro;
  ro.color = *format == report::Format::kText && o.output == "-" && ::isatty(STDOUT_FILENO) == 1 &&
             std::getenv("NO_COLOR") == nullptr;
  return Emit(o.output, report::Render(*rep, *format, ro));
}

Runner SetupProfile(CLI::App& app) {
  auto opts = std::make_shared<ProfileCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "profile", "Allocation stacks of sampling heap profiles; the ones that grow across a series");
  sub->add_option("profiles", opts->analysis.snapshots,
                  "Sampling heap profiles (.heapprofile) of one process in time order")
      ->required();
  sub->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "markdown", "html", "json", "sarif", "junit"}))
      ->capture_default_str();
  sub->add_option("-o,--output", opts->output, "Write to FILE (atomically) instead of stdout");
  sub->add_option("--source-root", opts->analysis.source_root, "Show script paths relative to DIR");
  sub->add_option("--source-maps", opts->analysis.source_maps,
                  "Also look for scripts' source maps (NAME.js.map) in DIR");
  sub->add_flag("--no-source-maps", opts->analysis.no_source_maps,
                "Report positions in the generated scripts; read no source map");
  return [opts] { return RunProfileCommand(*opts); };
}

}  // namespace

HS_REGISTER_COMMAND(22, SetupProfile);

}  // namespace heapscope::cli
