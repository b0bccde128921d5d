// `heapscope capture (--inspect HOST:PORT | --pid PID) [--count 3] [--interval 60s | --between
// CMD] [--out DIR] [--analyze …]`: takes a GC'd, verified snapshot series of a live Node process
// or Chromium page over the DevTools protocol, optionally analyzed at the end (docs/capture.md).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/command.h"
#include "heapscope/capture/capture.h"
#include "heapscope/io/output.h"
#include "heapscope/report/render.h"
#include "heapscope/run.h"
#include "heapscope/text.h"

namespace heapscope::cli {
namespace {

struct CaptureCliOptions {
  capture::CaptureOptions capture;
  std::string interval = "60s";
  std::string max_memory;
  std::string timeout = "10s";
  std::string snapshot_timeout = "10m";
  bool plain = false;
  bool analyze = false;
  AnalyzeOptions analysis;
  std::string format = "text";
  std::string output = "-";
};

// V8 reports the build in objects, then the chunks arrive as bytes.
void ShowProgress(const char* phase, uint64_t done, uint64_t total) {
  if (phase[0] == '\0') {
    ProgressDone();
    fmt::print(stderr, "\r\x1b[K");
    return;
  }
  if (std::string_view(phase) == "writing") return Progress("snapshot: writing", done, 0);
  if (total == 0) return;
  fmt::print(stderr, "\r\x1b[Ksnapshot: building {}/{} objects ({:.0f}%)", text::Thousands(done),
             text::Thousands(total), 100.0 * static_cast<double>(done) / static_cast<double>(total));
  std::fflush(stderr);
}

int RunCaptureCommand(CaptureCliOptions& o) {
  capture::CaptureOptions c = o.capture;
  Result<double> interval = capture::ParseDuration(o.interval);
  if (!interval.ok()) return Fail(Status::Usage("--interval: " + interval.status().message()));
  c.interval_seconds = *interval;
  Result<double> timeout = capture::ParseDuration(o.timeout);
  if (!timeout.ok()) return Fail(Status::Usage("--timeout: " + timeout.status().message()));
  c.timeout_seconds = *timeout;
  Result<double> snap_timeout = capture::ParseDuration(o.snapshot_timeout);
  if (!snap_timeout.ok()) return Fail(Status::Usage("--snapshot-timeout: " + snap_timeout.status().message()));
  c.snapshot_timeout_seconds = *snap_timeout;
  if (!o.max_memory.empty()) {
    Result<uint64_t> m = capture::ParseByteSize(o.max_memory);
    if (!m.ok()) return Fail(Status::Usage("--max-memory: " + m.status().message()));
    c.max_memory_bytes = *m;
  }
  c.gzip = !o.plain;
  std::optional<report::Format> format = report::ParseFormat(o.format);
  if (!format) return Fail(Status::Usage("capture: unknown --format '" + o.format + "'"));
  if (ProgressEnabled()) c.progress = ShowProgress;
  c.log = [](const std::string& line) { fmt::print(stderr, "{}\n", line); };

  Result<capture::CaptureResult> got = capture::RunCapture(c);
  if (!got.ok()) return Fail(got.status());
  if (!o.analyze) {
    for (const capture::CapturedSnapshot& s : got->snapshots) fmt::print("{}\n", s.path);
    for (const std::string& p : got->profiles) fmt::print("{}\n", p);
    if (!got->sampling_profile.empty()) fmt::print("{}\n", got->sampling_profile);
    return 0;
  }
  AnalyzeOptions a = o.analysis;
  for (const capture::CapturedSnapshot& s : got->snapshots) a.snapshots.push_back(s.path);
  a.profiles = got->profiles;
  Result<report::Report> rep = RunAnalysis(a);
  if (!rep.ok()) return Fail(rep.status());
  report::RenderOptions ro;
  ro.color = *format == report::Format::kText && o.output == "-" && ::isatty(STDOUT_FILENO) == 1 &&
             std::getenv("NO_COLOR") == nullptr;
  Status st = io::WriteOutput(o.output, report::Render(*rep, *format, ro));
  return st.ok() ? 0 : Fail(st);
}

Runner SetupCapture(CLI::App& app) {
  auto opts = std::make_shared<CaptureCliOptions>();
  capture::CaptureOptions& c = opts->capture;
  CLI::App* sub = app.add_subcommand(
      "capture", "Take a GC'd, verified snapshot series of a live Node process or Chromium page");
  sub->add_option("--inspect", c.inspect, "Inspector HOST:PORT (node --inspect, or Chromium's "
                  "--remote-debugging-port); with --pid, where to wait for it");
  sub->add_option("--pid", c.pid, "Open the inspector of this running Node process (SIGUSR1; "
                  "waits on 127.0.0.1:9229 unless --inspect says otherwise)");
  sub->add_option("--target-url", c.target_url, "Capture the target whose URL contains this");
  sub->add_option("--target-title", c.target_title, "Capture the target whose title contains this");
  sub->add_flag("--allow-remote", c.allow_remote,
                "Allow a non-loopback inspector (it gives full control of the process)");
  sub->add_option("--count", c.count, "Snapshots to take")->capture_default_str();
  sub->add_option("--interval", opts->interval, "Wait between snapshots (60s, 2m, 500ms)")
      ->capture_default_str();
  sub->add_option("--between", c.between,
                  "Run this shell command between snapshots instead of waiting (failure stops)");
  sub->add_option("--out", c.out_dir, "Folder for NN-<label>.heapsnapshot.gz")->capture_default_str();
  sub->add_flag("--plain", opts->plain, "Write plain .heapsnapshot JSON instead of gzip");
  sub->add_flag("--track-allocations", c.track_allocations,
                "Record allocation stacks for the whole series (slows the target)");
  sub->add_flag("--sampling", c.sampling,
                "Also write a sampling heap profile beside each snapshot (NN-label.heapprofile) and of the whole run (sampling.heapprofile)");
  sub->add_option("--sampling-interval", c.sampling_interval,
                  "Mean bytes between sampled allocations (smaller: more precise, slower)")
      ->capture_default_str();
  sub->add_option("--max-memory", opts->max_memory,
                  "Memory the snapshot may use (e.g. 512M) instead of the machine's free memory");
  sub->add_option("--timeout", opts->timeout, "Deadline of every connection and command")
      ->capture_default_str();
  sub->add_option("--snapshot-timeout", opts->snapshot_timeout,
                  "Longest silence of V8 while it collects garbage or writes a snapshot")
      ->capture_default_str();
  sub->add_flag("--analyze", opts->analyze, "Run `analyze` on the series at the end");
  sub->add_option("--format", opts->format, "Output format of --analyze")
      ->check(CLI::IsMember({"text", "markdown", "html", "json", "sarif", "junit"}))
      ->capture_default_str();
  sub->add_option("-o,--output", opts->output, "Write the --analyze report to FILE (atomically)");
  sub->add_option("--source-root", opts->analysis.source_root, "Show script paths relative to DIR");
  sub->add_option("--source-maps", opts->analysis.source_maps,
                  "Also look for scripts' source maps (NAME.js.map) in DIR");
  sub->add_flag("--no-source-maps", opts->analysis.no_source_maps,
                "Report positions in the generated scripts; read no source map");
  return [opts] { return RunCaptureCommand(*opts); };
}

}  // namespace

HS_REGISTER_COMMAND(25, SetupCapture);

}  // namespace heapscope::cli
