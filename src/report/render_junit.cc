// JUnit XML (the junit-4.xsd shape Jenkins, GitLab and GitHub test reporters read).
//
// One <testcase> per (rule, site): classname "heapscope.<rule>", name "<file:line:col>". Every
// finding in the group adds a <failure> (type = rule, message = title, body = message, counts,
// retainer path, fix) when it fails: under `check` that is the gate's verdict "fail", under
// `analyze` any finding above severity note. A group whose findings are all baselined or
// ignored is <skipped> with the justification; one below the policy's thresholds passes. A
// report without findings has a single passing test case, so CI shows that the gate ran.
#include <fmt/format.h>

#include <map>

#include "report/renderers.h"

namespace heapscope::report::internal {
namespace {

bool Fails(const Finding& f) {
  if (f.verdict == Verdict::kNone) return f.severity != Severity::kNote;
  return f.verdict == Verdict::kFail;
}

bool Suppressed(const Finding& f) {
  return f.verdict == Verdict::kBaselined || f.verdict == Verdict::kIgnored;
}

std::string FailureBody(const Finding& f) {
  std::string body = f.message;
  if (!f.counts.empty()) body += "\nCounts per snapshot: " + JoinCounts(f.counts, " -> ");
  if (!f.growth.empty()) body += "\nGrowth per interval: " + JoinGrowth(f.growth);
  body += fmt::format("\nRetained size: {} bytes", f.retained_size);
  if (!f.retainer_path.empty()) body += "\nRetainer path:\n  " + Join(f.retainer_path, "\n  ");
  if (!f.fix.empty()) body += "\nFix: " + f.fix;
  body += "\nFingerprint: " + FingerprintOf(f);
  if (!f.verdict_reason.empty()) body += "\nGate: " + f.verdict_reason;
  return body;
}

}  // namespace

std::string RenderJunit(const Report& r, const RenderOptions& /*options*/) {
  std::vector<FlatFinding> flat = Flatten(r);
  struct Case {
    std::string rule, site;
    std::vector<const Finding*> findings;
  };
  std::vector<Case> cases;
  std::map<std::pair<std::string, std::string>, size_t> index;
  for (const FlatFinding& ff : flat) {
    std::string site = SiteString(ff.finding->site);
    auto [it, fresh] = index.emplace(std::make_pair(ff.finding->rule, site), cases.size());
    if (fresh) cases.push_back({ff.finding->rule, site, {}});
    cases[it->second].findings.push_back(ff.finding);
  }

  uint64_t failures = 0, skipped = 0;
  std::string body;
  for (const Case& c : cases) {
    bool any_fail = false, all_suppressed = true;
    for (const Finding* f : c.findings) {
      any_fail |= Fails(*f);
      all_suppressed &= Suppressed(*f);
    }
    body += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"0\">\n",
                        XmlEscape("heapscope." + c.rule, true), XmlEscape(c.site, true));
    if (any_fail) {
      ++failures;
      for (const Finding* f : c.findings) {
        if (!Fails(*f)) continue;
        body += fmt::format("      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                            XmlEscape(f->rule, true), XmlEscape(f->title, true),
                            XmlEscape(FailureBody(*f), false));
      }
    } else if (all_suppressed) {
      ++skipped;
      std::vector<std::string> why;
      for (const Finding* f : c.findings) {
        why.push_back(std::string(VerdictName(f->verdict)) + ": " + f->verdict_reason);
      }
      body += fmt::format("      <skipped>{}</skipped>\n", XmlEscape(Join(why, "; "), false));
    } else {
      std::vector<std::string> why;
      for (const Finding* f : c.findings) {
        why.push_back(f->title + (f->verdict_reason.empty() ? "" : " (" + f->verdict_reason + ")"));
      }
      body += fmt::format("      <system-out>{}</system-out>\n", XmlEscape(Join(why, "\n"), false));
    }
    body += "    </testcase>\n";
  }
  uint64_t tests = cases.size();
  // The policy's class-growth limits: a failing case per exceeded limit, else one passing case.
  if (r.gate && r.gate->class_limits > 0 && r.snapshots.size() >= 2) {
    const GateSummary& g = *r.gate;
    for (const ClassBreach& b : g.class_breaches) {
      ++tests;
      ++failures;
      body += fmt::format(
          "    <testcase classname=\"{}\" name=\"{}\" time=\"0\">\n      <failure type=\"{}\" "
          "message=\"{}\">{}</failure>\n    </testcase>\n",
          XmlEscape("heapscope." + std::string(kClassGrowthRule), true),
          XmlEscape(b.growth.name + " (" + b.pattern + ")", true),
          XmlEscape(std::string(kClassGrowthRule), true),
          XmlEscape(ClassBreachText(b, r.snapshots.size()), true),
          XmlEscape(fmt::format("{}\nClass key: {}\nNew {}, deleted {}, alloc. size {} bytes, "
                                "freed size {} bytes",
                                ClassBreachText(b, r.snapshots.size()), b.growth.key,
                                b.growth.new_count, b.growth.deleted_count, b.growth.alloc_size,
                                b.growth.freed_size),
                    false));
    }
    if (g.class_breaches.empty()) {
      ++tests;
      body += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"0\"/>\n",
                          XmlEscape("heapscope." + std::string(kClassGrowthRule), true),
                          XmlEscape(fmt::format("{} limits over {} classes", g.class_limits,
                                                g.classes_compared),
                                    true));
    }
  }
  if (cases.empty()) {
    ++tests;
    body += fmt::format("    <testcase classname=\"heapscope\" name=\"{}\" time=\"0\"/>\n",
                        XmlEscape(fmt::format("no findings in {} snapshot{}", r.snapshots.size(),
                                              r.snapshots.size() == 1 ? "" : "s"),
                                  true));
  }

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"heapscope\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n",
                     tests, failures);
  out += fmt::format(
      "  <testsuite name=\"heapscope\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
      tests, failures, skipped);
  std::vector<std::pair<std::string, std::string>> props;
  if (!r.tool_version.empty()) props.emplace_back("heapscope.version", r.tool_version);
  for (const SnapshotInfo& s : r.snapshots) props.emplace_back("snapshot", s.path);
  for (const std::string& m : r.metric_files) props.emplace_back("metrics", m);
  if (r.gate) props.emplace_back("gate", r.gate->failed ? "fail" : "pass");
  if (!props.empty()) {
    out += "    <properties>\n";
    for (const auto& [k, v] : props) {
      out += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", XmlEscape(k, true),
                         XmlEscape(v, true));
    }
    out += "    </properties>\n";
  }
  out += body;
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace heapscope::report::internal
