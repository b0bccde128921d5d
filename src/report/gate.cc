#include "heapscope/report/gate.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <map>
#include <set>

#include "heapscope/io/input.h"
#include "heapscope/io/memory.h"
#include "heapscope/report/fingerprint.h"
#include "report/json_config.h"
#include "report/json_writer.h"
#include "report/render_util.h"
#include "report/rules.h"

namespace heapscope::report {
namespace {

using internal::JValue;

class ConfigReader {
 public:
  explicit ConfigReader(std::string_view file) : file_(file) {}

  Status Error(std::string_view field, uint64_t offset, std::string_view message) const {
    return InputError(file_, field, static_cast<int64_t>(offset), message);
  }
  Status Expect(const JValue& v, JValue::Type t, std::string_view field) const {
    if (v.type == t) return Status::Ok();
    return Error(
        field, v.offset,
        fmt::format("expected {}, found {}", internal::TypeName(t), internal::TypeName(v.type)));
  }
  // Every key of `obj` must be in `allowed`.
  Status OnlyKeys(const JValue& obj, std::string_view prefix,
                  std::initializer_list<std::string_view> allowed) const {
    std::set<std::string_view> seen;
    for (size_t i = 0; i < obj.keys.size(); ++i) {
      std::string field = prefix.empty() ? obj.keys[i] : fmt::format("{}.{}", prefix, obj.keys[i]);
      if (std::find(allowed.begin(), allowed.end(), obj.keys[i]) == allowed.end()) {
        return Error(field, obj.key_offsets[i],
                     fmt::format("unknown key (known: {})", fmt::join(allowed, ", ")));
      }
      if (!seen.insert(obj.keys[i]).second) {
        return Error(field, obj.key_offsets[i], "duplicate key");
      }
    }
    return Status::Ok();
  }
  Result<uint64_t> Unsigned(const JValue& v, std::string_view field) const {
    HS_RETURN_IF_ERROR(Expect(v, JValue::Type::kNumber, field));
    if (!v.integral || v.negative) {
      return Error(field, v.offset, "expected a non-negative integer");
    }
    return v.magnitude;
  }
  Result<double> PositiveNumber(const JValue& v, std::string_view field) const {
    HS_RETURN_IF_ERROR(Expect(v, JValue::Type::kNumber, field));
    if (!(v.number > 0) || !std::isfinite(v.number)) {
      return Error(field, v.offset, "expected a number > 0");
    }
    return v.number;
  }
  Result<std::string> NonEmptyString(const JValue& v, std::string_view field) const {
    HS_RETURN_IF_ERROR(Expect(v, JValue::Type::kString, field));
    if (v.string.empty()) return Error(field, v.offset, "must not be empty");
    return v.string;
  }
  // A rule id the policy names must be one heapscope has (the rule registry), so that a typo
  // cannot silently switch nothing off.
  Status KnownRule(std::string_view id, std::string_view field, uint64_t offset) const {
    if (internal::LookupRule(id).known) return Status::Ok();
    return Error(field, offset,
                 fmt::format("unknown rule '{}' (known: {})", text::TerminalSafe(id),
                             fmt::join(internal::CatalogIds(), ", ")));
  }
  Status Schema(const JValue& root, const char* expected) const {
    const JValue* s = root.Find("schema");
    if (!s) return Status::Ok();  // optional; when present it must match
    HS_RETURN_IF_ERROR(Expect(*s, JValue::Type::kString, "schema"));
    if (s->string != expected) {
      return Error("schema", s->offset,
                   fmt::format("unsupported schema '{}' (expected '{}')", s->string, expected));
    }
    return Status::Ok();
  }

 private:
  std::string file_;
};

// '*' matches any run of characters (slashes included); everything else matches itself.
bool Glob(std::string_view pattern, std::string_view s) {
  size_t p = 0, i = 0, star = std::string_view::npos, mark = 0;
  while (i < s.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = i;
    } else if (p < pattern.size() && pattern[p] == s[i]) {
      ++p;
      ++i;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool SiteMatches(std::string_view pattern, const Site& site) {
  if (Glob(pattern, internal::SiteString(site))) return true;
  if (site.line != 0 && Glob(pattern, fmt::format("{}:{}", site.file, site.line))) return true;
  return Glob(pattern, site.file);
}

bool PathMatches(std::string_view needle, const Finding& f) {
  for (const std::string& step : f.retainer_path) {
    if (NormalizeRetainerStep(step).find(needle) != std::string::npos) return true;
    if (step.find(needle) != std::string::npos) return true;
  }
  return f.accumulation_point.find(needle) != std::string::npos;
}

const IgnoreEntry* MatchIgnore(const Policy& policy, const Finding& f) {
  for (const IgnoreEntry& e : policy.ignore) {
    if (!e.rule.empty() && e.rule != f.rule) continue;
    if (!e.fingerprint.empty() && e.fingerprint != f.fingerprint) continue;
    if (!e.site.empty() && !SiteMatches(e.site, f.site)) continue;
    if (!e.path.empty() && !PathMatches(e.path, f)) continue;
    return &e;
  }
  return nullptr;
}

std::string Secs(double s) { return internal::Duration(s); }

bool ClassMatches(std::string_view pattern, const ClassGrowth& g) {
  if (pattern == g.name || pattern == g.key) return true;
  return pattern.find('*') != std::string_view::npos && Glob(pattern, g.name);
}

// The class-growth limits against the first -> last comparison: one breach per (entry, class).
void CheckClassLimits(const Report& report, const Policy& policy, GateSummary& g) {
  g.class_limits = static_cast<uint32_t>(policy.class_growth.size());
  g.classes_compared = static_cast<uint32_t>(report.class_growth.size());
  const size_t last = report.snapshots.size();
  for (const ClassLimit& limit : policy.class_growth) {
    for (const ClassGrowth& c : report.class_growth) {
      if (!ClassMatches(limit.pattern, c)) continue;
      ClassBreach b;
      b.instances_exceeded = limit.max_instances && c.count_delta > *limit.max_instances;
      b.bytes_exceeded = limit.max_bytes && c.size_delta > *limit.max_bytes;
      if (!b.instances_exceeded && !b.bytes_exceeded) continue;
      b.growth = c;
      b.pattern = limit.pattern;
      b.max_instances = limit.max_instances;
      b.max_bytes = limit.max_bytes;
      g.reasons.push_back(internal::ClassBreachText(b, last));
      g.class_breaches.push_back(std::move(b));
    }
  }
}

}  // namespace

Result<Policy> ParsePolicy(std::string_view json, std::string_view file) {
  HS_ASSIGN_OR_RETURN(JValue root, internal::ParseJsonConfig(json, file));
  ConfigReader r(file);
  HS_RETURN_IF_ERROR(r.Expect(root, JValue::Type::kObject, "(document)"));
  HS_RETURN_IF_ERROR(
      r.OnlyKeys(root, "", {"schema", "fail_on", "thresholds", "rules", "ignore", "class_growth"}));
  HS_RETURN_IF_ERROR(r.Schema(root, kPolicySchema));
  Policy p;
  if (const JValue* v = root.Find("fail_on")) {
    HS_RETURN_IF_ERROR(r.Expect(*v, JValue::Type::kArray, "fail_on"));
    p.fail_on[0] = p.fail_on[1] = p.fail_on[2] = false;
    for (size_t i = 0; i < v->items.size(); ++i) {
      const JValue& s = v->items[i];
      std::string field = fmt::format("fail_on[{}]", i);
      HS_RETURN_IF_ERROR(r.Expect(s, JValue::Type::kString, field));
      if (s.string == "note") {
        p.fail_on[0] = true;
      } else if (s.string == "warning") {
        p.fail_on[1] = true;
      } else if (s.string == "error") {
        p.fail_on[2] = true;
      } else {
        return r.Error(field, s.offset,
                       fmt::format("unknown severity '{}' (note, warning, error)", s.string));
      }
    }
  }
  if (const JValue* t = root.Find("thresholds")) {
    HS_RETURN_IF_ERROR(r.Expect(*t, JValue::Type::kObject, "thresholds"));
    HS_RETURN_IF_ERROR(r.OnlyKeys(
        *t, "thresholds",
        {"listeners_per_site", "growth_per_interval", "retained_bytes", "time_to_limit_seconds"}));
    if (const JValue* v = t->Find("listeners_per_site")) {
      HS_ASSIGN_OR_RETURN(p.listeners_per_site, r.Unsigned(*v, "thresholds.listeners_per_site"));
    }
    if (const JValue* v = t->Find("growth_per_interval")) {
      HS_ASSIGN_OR_RETURN(uint64_t g, r.Unsigned(*v, "thresholds.growth_per_interval"));
      if (g > static_cast<uint64_t>(INT64_MAX)) {
        return r.Error("thresholds.growth_per_interval", v->offset, "too large");
      }
      p.growth_per_interval = static_cast<int64_t>(g);
    }
    if (const JValue* v = t->Find("retained_bytes")) {
      HS_ASSIGN_OR_RETURN(p.retained_bytes, r.Unsigned(*v, "thresholds.retained_bytes"));
    }
    if (const JValue* v = t->Find("time_to_limit_seconds")) {
      if (v->type != JValue::Type::kNull) {
        HS_ASSIGN_OR_RETURN(double s, r.PositiveNumber(*v, "thresholds.time_to_limit_seconds"));
        p.time_to_limit_seconds = s;
      }
    }
  }
  if (const JValue* rules = root.Find("rules")) {
    HS_RETURN_IF_ERROR(r.Expect(*rules, JValue::Type::kObject, "rules"));
    for (size_t i = 0; i < rules->keys.size(); ++i) {
      const JValue& v = rules->items[i];
      std::string field = "rules." + rules->keys[i];
      HS_RETURN_IF_ERROR(r.KnownRule(rules->keys[i], field, rules->key_offsets[i]));
      HS_RETURN_IF_ERROR(r.Expect(v, JValue::Type::kString, field));
      if (v.string == "off") {
        p.rules_off.push_back(rules->keys[i]);
      } else if (v.string != "on") {
        return r.Error(field, v.offset,
                       fmt::format("expected \"on\" or \"off\", found \"{}\"", v.string));
      }
    }
  }
  if (const JValue* ig = root.Find("ignore")) {
    HS_RETURN_IF_ERROR(r.Expect(*ig, JValue::Type::kArray, "ignore"));
    for (size_t i = 0; i < ig->items.size(); ++i) {
      const JValue& e = ig->items[i];
      std::string prefix = fmt::format("ignore[{}]", i);
      HS_RETURN_IF_ERROR(r.Expect(e, JValue::Type::kObject, prefix));
      HS_RETURN_IF_ERROR(r.OnlyKeys(e, prefix, {"rule", "site", "path", "fingerprint", "reason"}));
      IgnoreEntry entry;
      std::string* targets[] = {&entry.rule, &entry.site, &entry.path, &entry.fingerprint};
      const char* names[] = {"rule", "site", "path", "fingerprint"};
      bool any = false;
      for (int k = 0; k < 4; ++k) {
        if (const JValue* v = e.Find(names[k])) {
          HS_ASSIGN_OR_RETURN(*targets[k], r.NonEmptyString(*v, prefix + "." + names[k]));
          if (k == 0) HS_RETURN_IF_ERROR(r.KnownRule(entry.rule, prefix + ".rule", v->offset));
          any = true;
        }
      }
      if (!any) {
        return r.Error(prefix, e.offset, "needs at least one of rule, site, path, fingerprint");
      }
      const JValue* reason = e.Find("reason");
      if (!reason) return r.Error(prefix + ".reason", e.offset, "missing: say why it is ignored");
      HS_ASSIGN_OR_RETURN(entry.reason, r.NonEmptyString(*reason, prefix + ".reason"));
      p.ignore.push_back(std::move(entry));
    }
  }
  if (const JValue* cg = root.Find("class_growth")) {
    HS_RETURN_IF_ERROR(r.Expect(*cg, JValue::Type::kArray, "class_growth"));
    for (size_t i = 0; i < cg->items.size(); ++i) {
      const JValue& e = cg->items[i];
      std::string prefix = fmt::format("class_growth[{}]", i);
      HS_RETURN_IF_ERROR(r.Expect(e, JValue::Type::kObject, prefix));
      HS_RETURN_IF_ERROR(r.OnlyKeys(e, prefix, {"class", "max_instances", "max_bytes"}));
      ClassLimit limit;
      const JValue* cls = e.Find("class");
      if (!cls) {
        return r.Error(prefix + ".class", e.offset,
                       "missing: a class name as summary shows it, a DevTools class key, or a "
                       "glob such as \"*\"");
      }
      HS_ASSIGN_OR_RETURN(limit.pattern, r.NonEmptyString(*cls, prefix + ".class"));
      for (auto [key, target] : {std::pair{"max_instances", &limit.max_instances},
                                 std::pair{"max_bytes", &limit.max_bytes}}) {
        if (const JValue* v = e.Find(key)) {
          const std::string field = prefix + "." + key;
          HS_ASSIGN_OR_RETURN(uint64_t n, r.Unsigned(*v, field));
          if (n > static_cast<uint64_t>(INT64_MAX)) return r.Error(field, v->offset, "too large");
          *target = static_cast<int64_t>(n);
        }
      }
      if (!limit.max_instances && !limit.max_bytes) {
        return r.Error(prefix, e.offset, "needs at least one of max_instances, max_bytes");
      }
      p.class_growth.push_back(std::move(limit));
    }
  }
  return p;
}

Result<Policy> LoadPolicy(const std::string& path) {
  if (path.empty()) return Policy{};
  HS_ASSIGN_OR_RETURN(std::string text,
                      io::ReadWholeInput(path, io::kMaxConfigBytes, "policy file"));
  return ParsePolicy(text, path);
}

Result<Baseline> ParseBaseline(std::string_view json, std::string_view file) {
  HS_ASSIGN_OR_RETURN(JValue root, internal::ParseJsonConfig(json, file));
  ConfigReader r(file);
  HS_RETURN_IF_ERROR(r.Expect(root, JValue::Type::kObject, "(document)"));
  HS_RETURN_IF_ERROR(r.OnlyKeys(root, "", {"schema", "entries"}));
  HS_RETURN_IF_ERROR(r.Schema(root, kBaselineSchema));
  Baseline b;
  const JValue* entries = root.Find("entries");
  if (!entries) return r.Error("entries", root.offset, "missing");
  HS_RETURN_IF_ERROR(r.Expect(*entries, JValue::Type::kArray, "entries"));
  std::set<std::string> seen;
  for (size_t i = 0; i < entries->items.size(); ++i) {
    const JValue& e = entries->items[i];
    std::string prefix = fmt::format("entries[{}]", i);
    HS_RETURN_IF_ERROR(r.Expect(e, JValue::Type::kObject, prefix));
    HS_RETURN_IF_ERROR(
        r.OnlyKeys(e, prefix, {"fingerprint", "rule", "site", "title", "justification"}));
    BaselineEntry entry;
    const JValue* fp = e.Find("fingerprint");
    if (!fp) return r.Error(prefix + ".fingerprint", e.offset, "missing");
    HS_ASSIGN_OR_RETURN(entry.fingerprint, r.NonEmptyString(*fp, prefix + ".fingerprint"));
    if (!seen.insert(entry.fingerprint).second) {
      return r.Error(prefix + ".fingerprint", fp->offset, "duplicate fingerprint");
    }
    const JValue* just = e.Find("justification");
    if (!just)
      return r.Error(prefix + ".justification", e.offset, "missing: say why it is accepted");
    HS_ASSIGN_OR_RETURN(entry.justification, r.NonEmptyString(*just, prefix + ".justification"));
    for (auto [key, target] : {std::pair{"rule", &entry.rule}, std::pair{"site", &entry.site},
                               std::pair{"title", &entry.title}}) {
      if (const JValue* v = e.Find(key)) {
        HS_RETURN_IF_ERROR(r.Expect(*v, JValue::Type::kString, prefix + "." + key));
        *target = v->string;
      }
    }
    b.entries.push_back(std::move(entry));
  }
  return b;
}

Result<Baseline> LoadBaseline(const std::string& path, bool missing_ok) {
  if (path.empty()) return Baseline{};
  struct stat st;
  if (missing_ok && ::stat(path.c_str(), &st) != 0 && errno == ENOENT) return Baseline{};
  HS_ASSIGN_OR_RETURN(std::string text,
                      io::ReadWholeInput(path, io::kMaxConfigBytes, "baseline file"));
  return ParseBaseline(text, path);
}

std::string SerializeBaseline(const Baseline& baseline) {
  std::vector<const BaselineEntry*> sorted;
  for (const BaselineEntry& e : baseline.entries) sorted.push_back(&e);
  std::sort(sorted.begin(), sorted.end(), [](const BaselineEntry* a, const BaselineEntry* b) {
    return a->fingerprint < b->fingerprint;
  });
  internal::JsonOut j;
  j.StartObject();
  j.KStr("schema", kBaselineSchema);
  j.Key("entries");
  j.StartArray();
  for (const BaselineEntry* e : sorted) {
    j.StartObject();
    j.KStr("fingerprint", e->fingerprint);
    j.KStr("rule", e->rule);
    j.KStr("site", e->site);
    j.KStr("title", e->title);
    j.KStr("justification", e->justification);
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  return j.Take();
}

void ApplyGate(Report* report, const Policy& policy, const Baseline& baseline,
               const std::string& policy_file, const std::string& baseline_file) {
  FillFingerprints(report);
  GateSummary g;
  g.policy_file = policy_file;
  g.baseline_file = baseline_file;

  // Rules switched off: drop their findings (nested ones too).
  std::vector<std::vector<Finding>*> lists = {&report->findings};
  while (!lists.empty()) {
    std::vector<Finding>* list = lists.back();
    lists.pop_back();
    size_t before = list->size();
    std::erase_if(*list, [&](const Finding& f) {
      return std::find(policy.rules_off.begin(), policy.rules_off.end(), f.rule) !=
             policy.rules_off.end();
    });
    g.rules_off += static_cast<uint32_t>(before - list->size());
    for (Finding& f : *list) lists.push_back(&f.secondary);
  }

  std::map<std::string, const BaselineEntry*> by_fp;
  for (const BaselineEntry& e : baseline.entries) by_fp.emplace(e.fingerprint, &e);
  std::set<std::string> used;

  std::vector<std::pair<Finding*, std::string>> stack;  // finding, its number ("1", "1.2")
  for (size_t i = report->findings.size(); i-- > 0;) {
    stack.emplace_back(&report->findings[i], std::to_string(i + 1));
  }
  while (!stack.empty()) {
    auto [fp, number] = std::move(stack.back());
    stack.pop_back();
    Finding& f = *fp;
    for (size_t i = f.secondary.size(); i-- > 0;) {
      stack.emplace_back(&f.secondary[i], fmt::format("{}.{}", number, i + 1));
    }
    if (const IgnoreEntry* ig = MatchIgnore(policy, f)) {
      f.verdict = Verdict::kIgnored;
      f.verdict_reason = ig->reason;
      ++g.ignored;
      continue;
    }
    if (auto it = by_fp.find(f.fingerprint); it != by_fp.end()) {
      f.verdict = Verdict::kBaselined;
      f.verdict_reason = it->second->justification;
      used.insert(f.fingerprint);
      ++g.baselined;
      continue;
    }
    // Thresholds: all must be reached.
    std::vector<std::string> met, missed;
    int sev = static_cast<int>(f.severity);
    if (policy.fail_on[sev]) {
      met.push_back(fmt::format("severity {}", SeverityName(f.severity)));
    } else {
      missed.push_back(fmt::format("severity {} does not fail", SeverityName(f.severity)));
    }
    (f.count >= policy.listeners_per_site ? met : missed)
        .push_back(fmt::format("count {} {} {}", internal::Thousands(f.count),
                               f.count >= policy.listeners_per_site ? ">=" : "<",
                               internal::Thousands(policy.listeners_per_site)));
    if (!f.growth.empty()) {
      int64_t max_growth = *std::max_element(f.growth.begin(), f.growth.end());
      bool ok = max_growth >= policy.growth_per_interval;
      (ok ? met : missed)
          .push_back(fmt::format("growth {} {} {}", internal::Signed(max_growth), ok ? ">=" : "<",
                                 internal::Signed(policy.growth_per_interval)));
    }
    if (policy.retained_bytes > 0) {
      bool ok = f.retained_size >= policy.retained_bytes;
      (ok ? met : missed)
          .push_back(fmt::format("retained {} {} {}", internal::Thousands(f.retained_size),
                                 ok ? ">=" : "<", internal::Thousands(policy.retained_bytes)));
    }
    std::string limit_reason;
    if (policy.time_to_limit_seconds) {
      for (const Evidence& e : f.evidence) {
        if (e.time_to_limit_seconds && *e.time_to_limit_seconds <= *policy.time_to_limit_seconds) {
          limit_reason =
              fmt::format("{} reaches its limit in {} (<= {})", e.series,
                          Secs(*e.time_to_limit_seconds), Secs(*policy.time_to_limit_seconds));
          break;
        }
      }
    }
    if (missed.empty() || !limit_reason.empty()) {
      f.verdict = Verdict::kFail;
      f.verdict_reason = missed.empty() ? internal::Join(met, ", ") : limit_reason;
      if (missed.empty() && !limit_reason.empty()) f.verdict_reason += "; " + limit_reason;
      ++g.failing;
      g.reasons.push_back(fmt::format("[{}] {} at {}: {}", number, f.rule,
                                      internal::SiteString(f.site), f.verdict_reason));
    } else {
      f.verdict = Verdict::kPass;
      f.verdict_reason = "below thresholds: " + internal::Join(missed, ", ");
      ++g.passing;
    }
  }

  if (policy.time_to_limit_seconds) {
    for (const MetricSeries& m : report->metrics) {
      if (m.time_to_limit_seconds && *m.time_to_limit_seconds <= *policy.time_to_limit_seconds) {
        std::string name = m.name;
        if (!m.labels.empty()) {
          std::vector<std::string> l;
          for (const auto& [k, v] : m.labels) l.push_back(k + "=\"" + v + "\"");
          name += "{" + internal::Join(l, ",") + "}";
        }
        g.reasons.push_back(fmt::format("metric {} reaches its limit in {} (<= {})", name,
                                        Secs(*m.time_to_limit_seconds),
                                        Secs(*policy.time_to_limit_seconds)));
        g.failed = true;
      }
    }
  }
  for (const BaselineEntry& e : baseline.entries) {
    if (used.count(e.fingerprint)) continue;
    std::string what = e.rule.empty() ? "" : e.rule;
    if (!e.site.empty()) what += (what.empty() ? "" : " at ") + e.site;
    g.stale_baseline.push_back(fmt::format("{}{}: {}", e.fingerprint,
                                           what.empty() ? "" : " (" + what + ")", e.justification));
  }
  if (!policy.class_growth.empty()) {
    if (report->snapshots.size() < 2) {
      report->notes.push_back("class-growth limits not checked: they need two or more snapshots");
      g.class_limits = static_cast<uint32_t>(policy.class_growth.size());
    } else {
      CheckClassLimits(*report, policy, g);
    }
  }
  g.failed = g.failed || g.failing > 0 || !g.class_breaches.empty();
  report->gate = std::move(g);
}

Baseline UpdatedBaseline(const Report& gated, const Baseline& old) {
  std::map<std::string, const BaselineEntry*> by_fp;
  for (const BaselineEntry& e : old.entries) by_fp.emplace(e.fingerprint, &e);
  Baseline out;
  std::set<std::string> added;
  for (const internal::FlatFinding& ff : internal::Flatten(gated)) {
    const Finding& f = *ff.finding;
    if (f.verdict == Verdict::kIgnored) continue;
    std::string fp = internal::FingerprintOf(f);
    if (!added.insert(fp).second) continue;
    BaselineEntry e;
    e.fingerprint = fp;
    e.rule = f.rule;
    e.site = internal::SiteString(f.site);
    e.title = f.title;
    auto it = by_fp.find(fp);
    e.justification = it != by_fp.end()
                          ? it->second->justification
                          : "TODO: accepted by heapscope check --update-baseline; say why";
    out.entries.push_back(std::move(e));
  }
  return out;
}

int GateExitCode(const Report& report) { return report.gate && report.gate->failed ? 1 : 0; }

}  // namespace heapscope::report
