// The report: the analysis result as plain data. Every output format is a pure function of it
// (render.h). Names are resolved to strings here, once; renderers never see a Snapshot.
//
// Lines and columns are 1-based, as editors show them (V8 stores them 0-based).
// JSON form: schema "heapscope.report/v1", documented field by field in docs/report-schema.md.
#ifndef HEAPSCOPE_REPORT_REPORT_H_
#define HEAPSCOPE_REPORT_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace heapscope::report {

inline constexpr const char* kSchema = "heapscope.report/v1";

enum class Severity : uint8_t { kNote, kWarning, kError };
const char* SeverityName(Severity s);  // "note", "warning", "error"

// The CI gate's verdict on one finding; set only by `heapscope check` (report/gate.h).
enum class Verdict : uint8_t {
  kNone,       // no gate ran (`heapscope analyze`)
  kFail,       // at or above the policy's thresholds: fails the run
  kPass,       // below the policy's thresholds (or a severity that does not fail)
  kBaselined,  // accepted in the baseline file (verdict_reason = its justification)
  kIgnored,    // matched an ignore entry of the policy (verdict_reason = its reason)
};
const char* VerdictName(Verdict v);  // "none", "fail", "pass", "baselined", "ignored"

struct Site {
  std::string file;      // script name, made relative by --source-root when it applies
  uint32_t line = 0;     // 1-based; 0 = unknown
  uint32_t column = 0;   // 1-based; 0 = unknown
  std::string function;  // function name, "" for anonymous
  // When a source map gave file/line/column: the position in the generated script it was
  // mapped from (the script as the snapshot names it). Empty file = not mapped.
  std::string generated_file{};
  uint32_t generated_line = 0;    // 1-based
  uint32_t generated_column = 0;  // 1-based
  bool mapped() const { return !generated_file.empty(); }
};

// One allocation stack of a finding's objects (allocation-tracking snapshots, or sampled heap
// profiles joined to the finding).
struct AllocationStack {
  std::vector<Site> frames;      // the allocating function first, then its callers
  uint64_t count = 0;            // the finding's objects allocated at this stack
  uint64_t self_size = 0;        // their bytes
  uint64_t allocations = 0;      // all allocations V8 counted at this stack while tracking
  uint64_t allocated_bytes = 0;  // their bytes (live or since collected)
};

// One piece of metric evidence next to a finding (from `--metrics`).
struct Evidence {
  std::string series;          // e.g. presence_listeners{event="heartbeat",emitter="presence_service"}
  std::string kind;            // "listener-gauge-growth", "memory-growth", "churn-mismatch", …
  std::string text;            // one human sentence with the numbers
  double slope_per_second = 0;
  double r2 = 0;
  std::optional<double> time_to_limit_seconds;
};

struct Finding {
  std::string rule;             // stable rule id, e.g. "listener-accumulation"; docs/rules.md
  Severity severity = Severity::kWarning;
  std::string title;            // one line: what is leaking
  std::string message;          // several sentences: what, how much, why we think so
  std::string fix;              // the suggested fix
  Site site;
  std::string event;            // event name ("" when not a listener finding)
  std::string emitter;          // emitter class, e.g. "PresenceService"
  uint32_t emitter_id = 0;      // V8 node id of the emitter in the last snapshot (0 = n/a)
  uint64_t count = 0;           // listeners/closures/entries in the last snapshot
  std::vector<uint64_t> counts; // per snapshot, in input order (empty for one snapshot)
  std::vector<int64_t> growth;  // per interval: counts[i+1] - counts[i]
  uint64_t retained_size = 0;   // bytes freed if every object of the finding were gone
  uint64_t self_size = 0;
  std::vector<std::string> captured;        // captured variable names of the closures
  std::vector<std::string> retainer_path;   // GC roots -> ... -> the object, one step each
  std::string accumulation_point;           // e.g. "PresenceService._events.heartbeat"
  std::string fingerprint;                  // stable across runs: rule + site + normalized path
  std::vector<Evidence> evidence;
  // Where the objects were allocated (snapshots taken with allocation tracking): the top
  // stacks by count, then bytes. Empty when the snapshot has no allocation traces.
  std::vector<AllocationStack> allocated_at;
  uint64_t allocated_at_objects = 0;        // of `count`, objects with a known stack
  std::vector<Finding> secondary;           // findings retained only through this one
  Verdict verdict = Verdict::kNone;         // set by the CI gate (report/gate.h)
  std::string verdict_reason;               // why: threshold met/missed, justification, reason
};

// One stack of a sampling heap profile: the last profile's live bytes allocated at exactly this
// stack (self) and at it and the stacks it calls (total), and the self bytes per profile.
struct ProfileStackRow {
  std::vector<Site> frames;           // the allocating function first, then its callers
  uint64_t self_size = 0;
  uint64_t total_size = 0;
  std::vector<uint64_t> self_sizes;   // per profile, in input order
};

// One cluster of closures sharing a source site (and normalized retainer path).
struct Cluster {
  Site site;
  uint64_t count = 0;
  uint64_t self_size = 0;
  uint64_t retained_size = 0;             // the cluster's own retained size (not a sum)
  std::vector<std::string> captured;
  std::vector<std::pair<std::string, uint64_t>> top_paths;  // normalized path, count
  std::vector<uint64_t> counts;           // per snapshot (series input)
};

struct ClassRow {
  std::string name;
  uint64_t count = 0;
  uint64_t self_size = 0;
  uint64_t retained_size = 0;   // max over the class's objects, like DevTools
  int32_t distance = 0;         // min distance over the class's objects
};

struct SnapshotInfo {
  std::string path;
  uint32_t node_count = 0;
  uint32_t edge_count = 0;
  uint64_t total_size = 0;
  std::string format;           // e.g. "7 node fields (trace_node_id, detachedness), 4 location fields"
};

// A metric series summary (from `--metrics`).
struct MetricSeries {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;
  uint64_t samples = 0;
  double first_time = 0, last_time = 0;    // seconds since epoch
  double slope_per_second = 0;
  double intercept = 0;                    // at first_time
  double r2 = 0;
  uint64_t resets = 0;
  double increase = 0;
  std::optional<double> time_to_limit_seconds;
  std::optional<double> limit_bytes;
  std::vector<std::pair<double, double>> points;  // (t, value), possibly downsampled for charts
};

// One class's change from the first to the last snapshot, as DevTools' Comparison view counts
// it (`heapscope diff`); what the policy's class-growth limits are checked against.
struct ClassGrowth {
  std::string name;
  std::string key;  // DevTools' class key ("12,4,7,Order", ",Object")
  uint64_t new_count = 0, deleted_count = 0, alloc_size = 0, freed_size = 0;
  int64_t count_delta = 0, size_delta = 0;
};

// A class-growth limit of the policy that a class exceeded (report/gate.h).
struct ClassBreach {
  ClassGrowth growth;
  std::string pattern;                  // the policy entry's `class`
  std::optional<int64_t> max_instances;  // the entry's limits (either may be absent)
  std::optional<int64_t> max_bytes;
  bool instances_exceeded = false, bytes_exceeded = false;
};

// The outcome of `heapscope check` (report/gate.h): counts over all findings, nested included.
struct GateSummary {
  bool failed = false;
  uint32_t failing = 0, passing = 0, baselined = 0, ignored = 0;
  uint32_t rules_off = 0;                   // findings dropped because their rule is off
  std::string policy_file;                  // "" = built-in defaults
  std::string baseline_file;                // "" = no baseline
  // Baseline entries that matched no finding: "FINGERPRINT (rule at site): justification".
  std::vector<std::string> stale_baseline;
  std::vector<std::string> reasons;         // why the gate failed, one line per cause
  // Class-growth limits (policy `class_growth`): entries in the policy, classes compared, and
  // the limits exceeded (each fails the gate).
  uint32_t class_limits = 0;
  uint32_t classes_compared = 0;
  std::vector<ClassBreach> class_breaches;
};

struct Report {
  std::string tool_version;
  std::vector<SnapshotInfo> snapshots;
  std::vector<std::string> metric_files;
  std::vector<Finding> findings;          // ranked; secondary findings nested inside
  std::vector<Cluster> clusters;
  std::vector<ClassRow> classes;          // class summary of the last snapshot
  std::vector<MetricSeries> metrics;
  // Sampling heap profiles given (`heapscope profile`, or beside snapshots): their paths and the
  // last profile's top stacks by self and by total size.
  std::vector<std::string> profile_files;
  std::vector<ProfileStackRow> profile_by_self, profile_by_total;
  std::vector<std::string> relations;     // metric relations in words ("7,922 disconnects vs …")
  std::vector<std::pair<std::string, uint64_t>> diagnostics;
  std::vector<std::string> notes;         // e.g. "shallow-size reassignment off"
  std::optional<GateSummary> gate;        // set by `heapscope check` only
  // First -> last, every class that changed; filled when AnalyzeOptions::class_growth is set
  // (`check` with a policy that has class-growth limits) and there are two or more snapshots.
  std::vector<ClassGrowth> class_growth;
};

}  // namespace heapscope::report

#endif  // HEAPSCOPE_REPORT_REPORT_H_
