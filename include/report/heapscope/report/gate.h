// The CI gate behind `heapscope check`: a policy (what fails the run), a baseline (findings
// accepted by fingerprint, each with a justification), and the evaluation that marks every
// finding with a Verdict and decides the exit code. The command only maps the result.
//
// Policy and baseline files are JSON, documented in docs/policy.md and docs/ci.md. Unknown
// keys, wrong types and bad values are input errors naming the file, the field and the byte.
#ifndef HEAPSCOPE_REPORT_GATE_H_
#define HEAPSCOPE_REPORT_GATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heapscope/report/report.h"
#include "heapscope/status.h"

namespace heapscope::report {

inline constexpr const char* kPolicySchema = "heapscope.policy/v1";
inline constexpr const char* kBaselineSchema = "heapscope.baseline/v1";

// An ignore entry: a finding is ignored when every given matcher matches (at least one must be
// given) — rule (exact id), site (glob with '*' over "file:line:col", "file:line" or "file"),
// path (substring of a normalized retainer-path step or of the accumulation point), fingerprint
// (exact). `reason` is required.
struct IgnoreEntry {
  std::string rule, site, path, fingerprint;
  std::string reason;
};

// A class-growth limit: every class whose name (or DevTools class key) matches `pattern` (exact,
// or a glob with '*') may grow from the first to the last snapshot by at most `max_instances`
// objects (# Delta) and at most `max_bytes` bytes (Size Delta), as `heapscope diff` counts
// them. At least one limit is given.
struct ClassLimit {
  std::string pattern;
  std::optional<int64_t> max_instances;
  std::optional<int64_t> max_bytes;
};

// A finding fails the gate when its severity is in `fail_on`, it is neither baselined nor
// ignored, and it reaches every threshold: count >= listeners_per_site, largest growth per
// interval >= growth_per_interval (when there are two or more snapshots), retained_size >=
// retained_bytes. Independently of those, a finding with metric evidence, or a metric series,
// projected to reach its limit within time_to_limit_seconds fails the gate.
struct Policy {
  bool fail_on[3] = {false, true, true};  // indexed by Severity: note, warning, error
  uint64_t listeners_per_site = 10;
  int64_t growth_per_interval = 1;
  uint64_t retained_bytes = 0;
  std::optional<double> time_to_limit_seconds;
  std::vector<std::string> rules_off;
  std::vector<IgnoreEntry> ignore;
  // Independently of findings: each exceeded class-growth limit fails the gate.
  std::vector<ClassLimit> class_growth;
};

Result<Policy> ParsePolicy(std::string_view json, std::string_view file);
// "" -> the defaults above.
Result<Policy> LoadPolicy(const std::string& path);

struct BaselineEntry {
  std::string fingerprint;
  std::string rule, site, title;  // for people reading the file; matching uses the fingerprint
  std::string justification;      // required
};
struct Baseline {
  std::vector<BaselineEntry> entries;
};

Result<Baseline> ParseBaseline(std::string_view json, std::string_view file);
// A missing file is an empty baseline only when `missing_ok` (for --update-baseline).
Result<Baseline> LoadBaseline(const std::string& path, bool missing_ok);
// The baseline as JSON text (entries sorted by fingerprint, so rewrites diff cleanly).
std::string SerializeBaseline(const Baseline& baseline);

// Marks every finding (nested included) with a Verdict, checks the class-growth limits against
// report->class_growth (two or more snapshots), and fills report->gate. Fingerprints
// are filled first. Findings whose rule is off are removed (counted in gate.rules_off).
void ApplyGate(Report* report, const Policy& policy, const Baseline& baseline,
               const std::string& policy_file, const std::string& baseline_file);

// The baseline `--update-baseline` writes after ApplyGate: every finding that is not ignored,
// keeping the justification of entries that still match; new entries get a placeholder
// justification to be edited. Entries that match nothing are dropped.
Baseline UpdatedBaseline(const Report& gated, const Baseline& old);

// 1 when report.gate says failed, else 0 (2 is for errors, decided before a report exists).
int GateExitCode(const Report& report);

}  // namespace heapscope::report

#endif  // HEAPSCOPE_REPORT_GATE_H_
