// `heapscope check SNAPSHOT... [--metrics FILE]... [--policy FILE] [--baseline FILE]
// [--update-baseline] [--format …]... [-o FILE]...`: the CI gate (docs/ci.md, docs/policy.md).
//
// Runs the same analysis as `analyze`, then lets the policy and the baseline decide
// (report/gate.h). Exit codes: 0 clean, 1 findings at or above the policy's thresholds, 2 usage
// or input error (unreadable, truncated or malformed input is never "clean").
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/outputs.h"
#include "heapscope/report/gate.h"
#include "heapscope/report/render.h"
#include "heapscope/run.h"
#include "heapscope/text.h"

namespace heapscope::cli {
namespace {

struct CheckCliOptions {
  AnalyzeOptions analysis;
  std::string policy;
  std::string baseline;
  bool update_baseline = false;
  OutputOptions out;
  double memory_limit = 0;  // 0 = not given
  bool no_reassign = false;
};

int RunCheck(CheckCliOptions& o) {
  Result<std::vector<Output>> outputs = ResolveOutputs("check", o.out);
  if (!outputs.ok()) return Fail(outputs.status());
  if (o.update_baseline && o.baseline.empty()) {
    return Fail(Status::Usage("check: --update-baseline needs --baseline FILE"));
  }
  Result<report::Policy> policy = report::LoadPolicy(o.policy);
  if (!policy.ok()) return Fail(policy.status());
  Result<report::Baseline> baseline = report::LoadBaseline(o.baseline, o.update_baseline);
  if (!baseline.ok()) return Fail(baseline.status());

  AnalyzeOptions a = o.analysis;
  if (o.memory_limit > 0) a.memory_limit_bytes = o.memory_limit;
  a.reassign_shallow_sizes = !o.no_reassign;
  // The analysis must report every site the policy could fail on.
  a.min_listeners_per_site = static_cast<uint32_t>(std::max<uint64_t>(
      1, std::min<uint64_t>(a.min_listeners_per_site, policy->listeners_per_site)));
  a.class_growth = !policy->class_growth.empty();
  if (ProgressEnabled()) {
    a.progress = [](const char* phase, uint64_t done, uint64_t total) {
      if (std::string_view(phase) == "loading") Progress(phase, done, total);
    };
  }
  Result<report::Report> analyzed = RunAnalysis(a);
  ProgressDone();
  if (!analyzed.ok()) return Fail(analyzed.status());

  report::Report rep = *analyzed;
  report::ApplyGate(&rep, *policy, *baseline, o.policy, o.baseline);
  if (o.update_baseline) {
    report::Baseline updated = report::UpdatedBaseline(rep, *baseline);
    if (int failed = Emit(o.baseline, report::SerializeBaseline(updated))) return failed;
    fmt::print(stderr, "heapscope: {} rewritten: {} entr{} ({} stale removed)\n",
               text::TerminalSafe(o.baseline),
               updated.entries.size(), updated.entries.size() == 1 ? "y" : "ies",
               rep.gate->stale_baseline.size());
    rep = *std::move(analyzed);
    report::ApplyGate(&rep, *policy, updated, o.policy, o.baseline);
  }

  if (int failed = EmitReport(rep, *outputs)) return failed;
  int code = report::GateExitCode(rep);
  if (!WritesStdout(*outputs)) {
    // The reports went to files; say the verdict where CI logs show it.
    const report::GateSummary& g = *rep.gate;
    fmt::print(stderr,
               "heapscope check: {}: {} failing, {} below thresholds, {} baselined, {} ignored\n",
               g.failed ? "FAIL" : "PASS", g.failing, g.passing, g.baselined, g.ignored);
  }
  return code;
}

Runner SetupCheck(CLI::App& app) {
  auto opts = std::make_shared<CheckCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "check", "CI gate: analyze snapshots, apply a policy and a baseline; exit 1 on findings");
  sub->add_option("snapshots", opts->analysis.snapshots,
                  "Heap snapshots of one process in time order (baseline target final …)")
      ->required();
  sub->add_option("--metrics", opts->analysis.metrics,
                  "Metric export to join as evidence (repeatable)");
  sub->add_option("--policy", opts->policy,
                  "Policy file (JSON, docs/policy.md); defaults if absent");
  sub->add_option("--baseline", opts->baseline, "Baseline of accepted findings (JSON, docs/ci.md)");
  sub->add_flag("--update-baseline", opts->update_baseline,
                "Rewrite --baseline (atomically) to accept every current finding");
  AddOutputOptions(sub, &opts->out);
  sub->add_option("--source-root", opts->analysis.source_root,
                  "Show script paths relative to DIR (SARIF URIs are relative to it)");
  sub->add_option("--source-maps", opts->analysis.source_maps,
                  "Also look for scripts' source maps (NAME.js.map) in DIR");
  sub->add_flag("--no-source-maps", opts->analysis.no_source_maps,
                "Report positions in the generated scripts; read no source map");
  sub->add_option("--memory-limit", opts->memory_limit,
                  "Memory limit in bytes for time-to-limit estimates (overrides metrics)");
  sub->add_flag("--no-reassign-shallow-sizes", opts->no_reassign,
                "Keep the file's self sizes (DevTools reassigns some before retained sizes)");
  return [opts] { return RunCheck(*opts); };
}

}  // namespace

HS_REGISTER_COMMAND(30, SetupCheck);

}  // namespace heapscope::cli
