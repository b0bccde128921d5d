// JSON: "heapscope.report/v1", documented field by field in docs/report-schema.md and described
// by docs/report.schema.json. Every field is always present (empty arrays, 0, null), so
// consumers never test for absence; `gate` is null unless `heapscope check` produced the report.
#include "report/json_writer.h"
#include "report/renderers.h"

namespace heapscope::report::internal {
namespace {

void WriteSite(JsonOut& j, const Site& s) {
  j.StartObject();
  j.KStr("file", s.file);
  j.KU64("line", s.line);
  j.KU64("column", s.column);
  j.KStr("function", s.function);
  j.Key("generated");
  if (s.mapped()) {
    j.StartObject();
    j.KStr("file", s.generated_file);
    j.KU64("line", s.generated_line);
    j.KU64("column", s.generated_column);
    j.EndObject();
  } else {
    j.Null();
  }
  j.EndObject();
}

void WriteStacks(JsonOut& j, const std::vector<AllocationStack>& stacks) {
  j.StartArray();
  for (const AllocationStack& st : stacks) {
    j.StartObject();
    j.Key("frames");
    j.StartArray();
    for (const Site& s : st.frames) WriteSite(j, s);
    j.EndArray();
    j.KU64("count", st.count);
    j.KU64("self_size", st.self_size);
    j.KU64("allocations", st.allocations);
    j.KU64("allocated_bytes", st.allocated_bytes);
    j.EndObject();
  }
  j.EndArray();
}

void WriteFinding(JsonOut& j, const Finding& f) {
  j.StartObject();
  j.KStr("rule", f.rule);
  j.KStr("severity", SeverityName(f.severity));
  j.KStr("title", f.title);
  j.KStr("message", f.message);
  j.KStr("fix", f.fix);
  j.Key("site");
  WriteSite(j, f.site);
  j.KStr("event", f.event);
  j.KStr("emitter", f.emitter);
  j.KU64("emitter_id", f.emitter_id);
  j.KU64("count", f.count);
  j.KU64s("counts", f.counts);
  j.KI64s("growth", f.growth);
  j.KU64("retained_size", f.retained_size);
  j.KU64("self_size", f.self_size);
  j.KStrings("captured", f.captured);
  j.KStrings("retainer_path", f.retainer_path);
  j.KStr("accumulation_point", f.accumulation_point);
  j.KStr("fingerprint", FingerprintOf(f));
  j.Key("evidence");
  j.StartArray();
  for (const Evidence& e : f.evidence) {
    j.StartObject();
    j.KStr("series", e.series);
    j.KStr("kind", e.kind);
    j.KStr("text", e.text);
    j.KDouble("slope_per_second", e.slope_per_second);
    j.KDouble("r2", e.r2);
    j.Key("time_to_limit_seconds");
    j.OptDouble(e.time_to_limit_seconds);
    j.EndObject();
  }
  j.EndArray();
  j.Key("allocated_at");
  WriteStacks(j, f.allocated_at);
  j.KU64("allocated_at_objects", f.allocated_at_objects);
  j.KStr("verdict", VerdictName(f.verdict));
  j.KStr("verdict_reason", f.verdict_reason);
  // Secondary findings nest at most a level or two deep (the analysis decides), so recursion
  // here is bounded by the report's shape, not by the heap's.
  j.Key("secondary");
  j.StartArray();
  for (const Finding& s : f.secondary) WriteFinding(j, s);
  j.EndArray();
  j.EndObject();
}

}  // namespace

std::string RenderJson(const Report& r, const RenderOptions& options) {
  JsonOut j;
  j.StartObject();
  j.KStr("schema", kSchema);
  j.Key("tool");
  j.StartObject();
  j.KStr("name", "heapscope");
  j.KStr("version", r.tool_version);
  j.EndObject();
  j.KStr("title", options.title);

  std::vector<FlatFinding> flat = Flatten(r);
  uint64_t by_sev[3] = {0, 0, 0};
  for (const FlatFinding& ff : flat) ++by_sev[static_cast<int>(ff.finding->severity)];
  j.Key("summary");
  j.StartObject();
  j.KU64("findings", r.findings.size());
  j.KU64("findings_including_secondary", flat.size());
  j.KU64("errors", by_sev[static_cast<int>(Severity::kError)]);
  j.KU64("warnings", by_sev[static_cast<int>(Severity::kWarning)]);
  j.KU64("notes", by_sev[static_cast<int>(Severity::kNote)]);
  j.EndObject();

  j.Key("snapshots");
  j.StartArray();
  for (const SnapshotInfo& s : r.snapshots) {
    j.StartObject();
    j.KStr("path", s.path);
    j.KU64("node_count", s.node_count);
    j.KU64("edge_count", s.edge_count);
    j.KU64("total_size", s.total_size);
    j.KStr("format", s.format);
    j.EndObject();
  }
  j.EndArray();
  j.KStrings("metric_files", r.metric_files);
  j.KStrings("profile_files", r.profile_files);
  j.Key("profile_stacks");
  j.StartObject();
  for (const auto& [key, rows] : {std::pair<const char*, const std::vector<ProfileStackRow>*>(
                                      "by_self", &r.profile_by_self),
                                  {"by_total", &r.profile_by_total}}) {
    j.Key(key);
    j.StartArray();
    for (const ProfileStackRow& row : *rows) {
      j.StartObject();
      j.Key("frames");
      j.StartArray();
      for (const Site& s : row.frames) WriteSite(j, s);
      j.EndArray();
      j.KU64("self_size", row.self_size);
      j.KU64("total_size", row.total_size);
      j.KU64s("self_sizes", row.self_sizes);
      j.EndObject();
    }
    j.EndArray();
  }
  j.EndObject();

  j.Key("findings");
  j.StartArray();
  for (const Finding& f : r.findings) WriteFinding(j, f);
  j.EndArray();

  j.Key("clusters");
  j.StartArray();
  for (const Cluster& c : r.clusters) {
    j.StartObject();
    j.Key("site");
    WriteSite(j, c.site);
    j.KU64("count", c.count);
    j.KU64("self_size", c.self_size);
    j.KU64("retained_size", c.retained_size);
    j.KStrings("captured", c.captured);
    j.Key("top_paths");
    j.StartArray();
    for (const auto& [path, n] : c.top_paths) {
      j.StartObject();
      j.KStr("path", path);
      j.KU64("count", n);
      j.EndObject();
    }
    j.EndArray();
    j.KU64s("counts", c.counts);
    j.EndObject();
  }
  j.EndArray();

  j.Key("classes");
  j.StartArray();
  for (const ClassRow& c : r.classes) {
    j.StartObject();
    j.KStr("name", c.name);
    j.KU64("count", c.count);
    j.KU64("self_size", c.self_size);
    j.KU64("retained_size", c.retained_size);
    j.Key("distance");
    j.I64(c.distance);
    j.EndObject();
  }
  j.EndArray();

  j.Key("metrics");
  j.StartArray();
  for (const MetricSeries& m : r.metrics) {
    j.StartObject();
    j.KStr("name", m.name);
    j.Key("labels");
    j.StartArray();
    for (const auto& [k, v] : m.labels) {
      j.StartObject();
      j.KStr("name", k);
      j.KStr("value", v);
      j.EndObject();
    }
    j.EndArray();
    j.KU64("samples", m.samples);
    j.KDouble("first_time", m.first_time);
    j.KDouble("last_time", m.last_time);
    j.KDouble("slope_per_second", m.slope_per_second);
    j.KDouble("intercept", m.intercept);
    j.KDouble("r2", m.r2);
    j.KU64("resets", m.resets);
    j.KDouble("increase", m.increase);
    j.Key("time_to_limit_seconds");
    j.OptDouble(m.time_to_limit_seconds);
    j.Key("limit_bytes");
    j.OptDouble(m.limit_bytes);
    j.Key("points");
    j.StartArray();
    for (const auto& [t, v] : m.points) {
      j.StartArray();
      j.Double(t);
      j.Double(v);
      j.EndArray();
    }
    j.EndArray();
    j.EndObject();
  }
  j.EndArray();

  j.KStrings("relations", r.relations);
  j.Key("diagnostics");
  j.StartArray();
  for (const auto& [name, n] : r.diagnostics) {
    j.StartObject();
    j.KStr("name", name);
    j.KU64("count", n);
    j.EndObject();
  }
  j.EndArray();
  j.KStrings("notes", r.notes);

  j.Key("gate");
  if (!r.gate) {
    j.Null();
  } else {
    const GateSummary& g = *r.gate;
    j.StartObject();
    j.KStr("result", g.failed ? "fail" : "pass");
    j.KU64("failing", g.failing);
    j.KU64("passing", g.passing);
    j.KU64("baselined", g.baselined);
    j.KU64("ignored", g.ignored);
    j.KU64("rules_off", g.rules_off);
    j.KStr("policy_file", g.policy_file);
    j.KStr("baseline_file", g.baseline_file);
    j.KStrings("stale_baseline", g.stale_baseline);
    j.KStrings("reasons", g.reasons);
    j.KU64("class_limits", g.class_limits);
    j.KU64("classes_compared", g.classes_compared);
    j.Key("class_breaches");
    j.StartArray();
    for (const ClassBreach& b : g.class_breaches) {
      j.StartObject();
      j.KStr("class", b.growth.name);
      j.KStr("key", b.growth.key);
      j.KStr("policy_class", b.pattern);
      j.KU64("new", b.growth.new_count);
      j.KU64("deleted", b.growth.deleted_count);
      j.Key("delta");
      j.I64(b.growth.count_delta);
      j.KU64("alloc_size", b.growth.alloc_size);
      j.KU64("freed_size", b.growth.freed_size);
      j.Key("size_delta");
      j.I64(b.growth.size_delta);
      j.Key("max_instances");
      if (b.max_instances) j.I64(*b.max_instances); else j.Null();
      j.Key("max_bytes");
      if (b.max_bytes) j.I64(*b.max_bytes); else j.Null();
      j.Key("instances_exceeded");
      j.Bool(b.instances_exceeded);
      j.Key("bytes_exceeded");
      j.Bool(b.bytes_exceeded);
      j.EndObject();
    }
    j.EndArray();
    j.EndObject();
  }
  j.EndObject();
  return j.Take();
}

}  // namespace heapscope::report::internal
