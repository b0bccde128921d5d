// The CI gate: policy and baseline parsing (errors name file, field and byte), verdicts, exit
// codes, stale baseline entries and --update-baseline.
#include "heapscope/report/gate.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "report/rules.h"

#include "heapscope/report/fingerprint.h"
#include "report/report_fixtures.h"

namespace heapscope::report {
namespace {

using testing::CleanReport;
using testing::IncidentReport;

Policy ParseOk(std::string_view json) {
  Result<Policy> p = ParsePolicy(json, "policy.json");
  EXPECT_TRUE(p.ok()) << p.status().message();
  return p.ok() ? *p : Policy{};
}

std::string ParseError(std::string_view json) {
  Result<Policy> p = ParsePolicy(json, "policy.json");
  EXPECT_FALSE(p.ok());
  return p.status().message();
}

TEST(Policy, DefaultsWhenAbsent) {
  Result<Policy> p = LoadPolicy("");
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->fail_on[0]);
  EXPECT_TRUE(p->fail_on[1]);
  EXPECT_TRUE(p->fail_on[2]);
  EXPECT_EQ(p->listeners_per_site, 10u);
  EXPECT_EQ(p->growth_per_interval, 1);
  EXPECT_EQ(p->retained_bytes, 0u);
  EXPECT_FALSE(p->time_to_limit_seconds.has_value());
}

TEST(Policy, ParsesEveryField) {
  Policy p = ParseOk(R"({
    "schema": "heapscope.policy/v1",
    "fail_on": ["error"],
    "thresholds": {"listeners_per_site": 50, "growth_per_interval": 10,
                   "retained_bytes": 1048576, "time_to_limit_seconds": 86400},
    "rules": {"closure-growth": "off", "listener-accumulation": "on"},
    "ignore": [{"site": "node_modules/*", "reason": "third-party code"},
               {"rule": "listener-growth", "path": "Socket._events", "reason": "OPS-7"}]
  })");
  EXPECT_FALSE(p.fail_on[1]);
  EXPECT_TRUE(p.fail_on[2]);
  EXPECT_EQ(p.listeners_per_site, 50u);
  EXPECT_EQ(p.growth_per_interval, 10);
  EXPECT_EQ(p.retained_bytes, 1048576u);
  EXPECT_EQ(p.time_to_limit_seconds, 86400.0);
  ASSERT_EQ(p.rules_off.size(), 1u);
  EXPECT_EQ(p.rules_off[0], "closure-growth");
  ASSERT_EQ(p.ignore.size(), 2u);
  EXPECT_EQ(p.ignore[0].site, "node_modules/*");
  EXPECT_EQ(p.ignore[1].path, "Socket._events");
  EXPECT_EQ(p.ignore[1].reason, "OPS-7");
}

TEST(Policy, ErrorsNameFileFieldAndByte) {
  EXPECT_EQ(ParseError(R"({"thresholds": {"listeners": 5}})"),
            "policy.json: field 'thresholds.listeners': byte 16: unknown key (known: "
            "listeners_per_site, growth_per_interval, retained_bytes, time_to_limit_seconds)");
  EXPECT_EQ(ParseError(R"({"fail_on": ["fatal"]})"),
            "policy.json: field 'fail_on[0]': byte 13: unknown severity 'fatal' (note, warning, "
            "error)");
  EXPECT_EQ(ParseError(R"({"thresholds": {"retained_bytes": -1}})"),
            "policy.json: field 'thresholds.retained_bytes': byte 34: expected a non-negative "
            "integer");
  EXPECT_EQ(ParseError(R"({"ignore": [{"site": "a.js"}]})"),
            "policy.json: field 'ignore[0].reason': byte 12: missing: say why it is ignored");
  // Rule ids come from the rule registry: a typo is an error, not a rule that never matches.
  std::string known = fmt::format("{}", fmt::join(report::internal::CatalogIds(), ", "));
  EXPECT_EQ(ParseError(R"({"rules": {"listener-grwoth": "off"}})"),
            "policy.json: field 'rules.listener-grwoth': byte 11: unknown rule 'listener-grwoth' "
            "(known: " + known + ")");
  EXPECT_EQ(ParseError(R"({"ignore": [{"rule": "memory-growth", "reason": "r"}]})"),
            "policy.json: field 'ignore[0].rule': byte 21: unknown rule 'memory-growth' (known: " +
                known + ")");
  EXPECT_NE(known.find("listener-growth"), std::string::npos);
  EXPECT_EQ(
      ParseError(R"({"rules": {"closure-growth": "disabled"}})"),
      "policy.json: field 'rules.closure-growth': byte 29: expected \"on\" or \"off\", found \"disabled\"");
  EXPECT_EQ(ParseError(R"({"fail_on": "error"})"),
            "policy.json: field 'fail_on': byte 12: expected an array, found a string");
  EXPECT_EQ(ParseError(R"({"schema": "heapscope.policy/v9"})"),
            "policy.json: field 'schema': byte 11: unsupported schema 'heapscope.policy/v9' "
            "(expected 'heapscope.policy/v1')");
  EXPECT_EQ(ParseError("{\"fail_on\": [\"error\"],\n  \"thresholds\": {"),
            "policy.json: byte 40: malformed JSON: Missing a name for object member.");
  EXPECT_EQ(ParseError(""), "policy.json: byte 0: malformed JSON: The document is empty.");
  EXPECT_EQ(ParseError(R"({"ignore": [{"reason": "x"}]})"),
            "policy.json: field 'ignore[0]': byte 12: needs at least one of rule, site, path, "
            "fingerprint");
}

TEST(Gate, DefaultPolicyFailsTheIncident) {
  Report r = IncidentReport();
  ApplyGate(&r, Policy{}, Baseline{}, "", "");
  ASSERT_TRUE(r.gate.has_value());
  EXPECT_TRUE(r.gate->failed);
  EXPECT_EQ(r.gate->failing, 3u);
  EXPECT_EQ(GateExitCode(r), 1);
  EXPECT_EQ(r.findings[0].verdict, Verdict::kFail);
  EXPECT_EQ(r.findings[0].verdict_reason, "severity error, count 3,200 >= 10, growth +1,600 >= +1");
  EXPECT_EQ(r.findings[0].secondary[0].verdict, Verdict::kFail);
  ASSERT_EQ(r.gate->reasons.size(), 3u);
  EXPECT_EQ(r.gate->reasons[1],
            "[1.1] listener-accumulation at presence.service.js:57:12: severity warning, count "
            "3,200 >= 10, growth +1,600 >= +1");
  EXPECT_FALSE(r.findings[0].fingerprint.empty());
}

TEST(Gate, CleanRunPasses) {
  Report r = CleanReport();
  ApplyGate(&r, Policy{}, Baseline{}, "", "");
  EXPECT_FALSE(r.gate->failed);
  EXPECT_EQ(GateExitCode(r), 0);
  Report analyze_only = CleanReport();
  EXPECT_EQ(GateExitCode(analyze_only), 0);
}

TEST(Gate, ThresholdsDecide) {
  Policy p = ParseOk(R"({"fail_on": ["error"], "thresholds": {"listeners_per_site": 3201}})");
  Report r = IncidentReport();
  ApplyGate(&r, p, Baseline{}, "policy.json", "");
  EXPECT_FALSE(r.gate->failed);
  EXPECT_EQ(r.gate->passing, 3u);
  EXPECT_EQ(r.findings[0].verdict_reason, "below thresholds: count 3,200 < 3,201");
  EXPECT_EQ(r.findings[1].verdict_reason,
            "below thresholds: severity warning does not fail, count 1,600 < 3,201");

  // Flat counts across snapshots: a fixed service keeps its listeners constant.
  Report flat = IncidentReport();
  flat.findings[0].counts = {40, 40, 40};
  flat.findings[0].growth = {0, 0};
  flat.findings[0].secondary.clear();
  flat.findings.resize(1);
  ApplyGate(&flat, Policy{}, Baseline{}, "", "");
  EXPECT_FALSE(flat.gate->failed);
  EXPECT_EQ(flat.findings[0].verdict_reason, "below thresholds: growth 0 < +1");

  Policy bytes = ParseOk(R"({"thresholds": {"retained_bytes": 5000000}})");
  Report big = IncidentReport();
  ApplyGate(&big, bytes, Baseline{}, "", "");
  EXPECT_EQ(big.gate->failing, 0u);
  EXPECT_EQ(big.findings[0].verdict_reason, "below thresholds: retained 4,915,200 < 5,000,000");
}

TEST(Gate, TimeToLimitFailsEvenBelowOtherThresholds) {
  Policy p = ParseOk(R"({"thresholds": {"listeners_per_site": 100000,
                                        "time_to_limit_seconds": 86400}})");
  Report r = IncidentReport();
  ApplyGate(&r, p, Baseline{}, "", "");
  EXPECT_TRUE(r.gate->failed);
  EXPECT_EQ(r.gate->failing, 1u);
  EXPECT_EQ(r.findings[0].verdict_reason,
            "process_resident_memory_bytes reaches its limit in 3h56m (<= 24h00m)");
  EXPECT_EQ(r.gate->reasons.back(),
            "metric process_resident_memory_bytes reaches its limit in 3h56m (<= 24h00m)");
  Policy later = ParseOk(R"({"thresholds": {"listeners_per_site": 100000,
                                            "time_to_limit_seconds": 3600}})");
  Report r2 = IncidentReport();
  ApplyGate(&r2, later, Baseline{}, "", "");
  EXPECT_FALSE(r2.gate->failed);
}

TEST(Gate, RulesOffAndIgnores) {
  Policy p = ParseOk(R"({
    "rules": {"closure-growth": "off"},
    "ignore": [{"site": "presence.service.js:57", "reason": "vendored socket lib, OPS-9"}]})");
  Report r = IncidentReport();
  ApplyGate(&r, p, Baseline{}, "", "");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.gate->rules_off, 1u);
  EXPECT_EQ(r.gate->ignored, 1u);
  EXPECT_EQ(r.gate->failing, 1u);
  EXPECT_EQ(r.findings[0].secondary[0].verdict, Verdict::kIgnored);
  EXPECT_EQ(r.findings[0].secondary[0].verdict_reason, "vendored socket lib, OPS-9");

  Policy glob = ParseOk(R"({"ignore": [{"site": "presence.*", "reason": "all of it"}]})");
  Report r2 = IncidentReport();
  ApplyGate(&r2, glob, Baseline{}, "", "");
  EXPECT_EQ(r2.gate->ignored, 3u);
  EXPECT_FALSE(r2.gate->failed);

  // A path matcher sees normalized steps: node ids and indices do not matter.
  Policy path = ParseOk(R"j({"ignore": [{"path": ".heartbeat (Array)", "reason": "r"}]})j");
  Report r3 = IncidentReport();
  ApplyGate(&r3, path, Baseline{}, "", "");
  EXPECT_EQ(r3.gate->ignored, 2u);
  EXPECT_EQ(r3.findings[1].verdict, Verdict::kFail);
}

TEST(Policy, ClassGrowthEntries) {
  Policy p = ParseOk(R"({"class_growth": [{"class": "Order", "max_instances": 100},
                                          {"class": "*", "max_bytes": 1048576, "max_instances": 0}]})");
  ASSERT_EQ(p.class_growth.size(), 2u);
  EXPECT_EQ(p.class_growth[0].pattern, "Order");
  EXPECT_EQ(p.class_growth[0].max_instances, 100);
  EXPECT_FALSE(p.class_growth[0].max_bytes.has_value());
  EXPECT_EQ(p.class_growth[1].max_bytes, 1048576);
  EXPECT_EQ(p.class_growth[1].max_instances, 0);
  EXPECT_EQ(ParseError(R"({"class_growth": [{"class": "Order", "max_objects": 5}]})"),
            "policy.json: field 'class_growth[0].max_objects': byte 37: unknown key (known: "
            "class, max_instances, max_bytes)");
  EXPECT_EQ(ParseError(R"({"class_growth": [{"class": "Order"}]})"),
            "policy.json: field 'class_growth[0]': byte 18: needs at least one of max_instances, "
            "max_bytes");
  EXPECT_EQ(ParseError(R"({"class_growth": [{"max_bytes": 5}]})"),
            "policy.json: field 'class_growth[0].class': byte 18: missing: a class name as "
            "summary shows it, a DevTools class key, or a glob such as \"*\"");
  EXPECT_EQ(ParseError(R"({"class_growth": [{"class": "A", "max_bytes": -5}]})"),
            "policy.json: field 'class_growth[0].max_bytes': byte 46: expected a non-negative "
            "integer");
  EXPECT_EQ(ParseError(R"({"class_growth": {"class": "A"}})"),
            "policy.json: field 'class_growth': byte 17: expected an array, found an object");
}

ClassGrowth Growth(std::string name, std::string key, int64_t count, int64_t size) {
  ClassGrowth g;
  g.name = std::move(name);
  g.key = std::move(key);
  g.count_delta = count;
  g.size_delta = size;
  g.new_count = static_cast<uint64_t>(std::max<int64_t>(count, 0));
  g.alloc_size = static_cast<uint64_t>(std::max<int64_t>(size, 0));
  return g;
}

TEST(Gate, ClassGrowthLimitsFailTheRunIndependentlyOfFindings) {
  Policy p = ParseOk(R"({"class_growth": [{"class": "Order", "max_instances": 100},
                                          {"class": "{id, *}", "max_bytes": 1000},
                                          {"class": "7,1,2,Widget", "max_instances": 5}]})");
  Report r = CleanReport();
  r.class_growth = {Growth("Order", "12,4,7,Order", 101, 4848),
                    Growth("{id, name}", ",{id, name}", 3, 1000),   // at the limit: passes
                    Growth("{id, tags}", ",{id, tags}", 2, 1001),
                    Growth("Widget", "7,1,2,Widget", 9, 90),
                    Growth("Widget", "8,0,0,Widget", 90, 900)};     // another Widget class
  ApplyGate(&r, p, Baseline{}, "policy.json", "");
  EXPECT_TRUE(r.gate->failed);
  EXPECT_EQ(GateExitCode(r), 1);
  EXPECT_EQ(r.gate->failing, 0u);
  EXPECT_EQ(r.gate->class_limits, 3u);
  EXPECT_EQ(r.gate->classes_compared, 5u);
  ASSERT_EQ(r.gate->class_breaches.size(), 3u);
  EXPECT_EQ(r.gate->class_breaches[0].growth.key, "12,4,7,Order");
  EXPECT_TRUE(r.gate->class_breaches[0].instances_exceeded);
  EXPECT_FALSE(r.gate->class_breaches[0].bytes_exceeded);
  EXPECT_EQ(r.gate->class_breaches[1].growth.name, "{id, tags}");
  EXPECT_EQ(r.gate->class_breaches[2].growth.key, "7,1,2,Widget");
  EXPECT_EQ(r.gate->reasons,
            (std::vector<std::string>{
                "class Order grew by +101 objects (limit +100) from snapshot 1 to 3 "
                "(class_growth 'Order')",
                "class {id, tags} grew by +1,001 bytes (limit +1,000) from snapshot 1 to 3 "
                "(class_growth '{id, *}')",
                "class Widget grew by +9 objects (limit +5) from snapshot 1 to 3 (class_growth "
                "'7,1,2,Widget')"}));

  // Within the limits: passes; with one snapshot: not checked, said in the notes.
  Report ok = CleanReport();
  ok.class_growth = {Growth("Order", "12,4,7,Order", 100, 4800)};
  ApplyGate(&ok, p, Baseline{}, "policy.json", "");
  EXPECT_FALSE(ok.gate->failed);
  Report one = CleanReport();
  one.snapshots.resize(1);
  ApplyGate(&one, p, Baseline{}, "policy.json", "");
  EXPECT_FALSE(one.gate->failed);
  EXPECT_EQ(one.notes.back(), "class-growth limits not checked: they need two or more snapshots");
}

TEST(Baseline, AcceptsByFingerprintAndReportsStaleEntries) {
  Report probe = IncidentReport();
  FillFingerprints(&probe);
  std::string json = std::string(R"({"schema": "heapscope.baseline/v1", "entries": [
    {"fingerprint": ")") +
                     probe.findings[1].fingerprint +
                     R"(", "rule": "closure-growth", "justification": "fix in OPS-31"},
    {"fingerprint": "v1:00000000000000000000000000000000", "rule": "listener-accumulation",
     "site": "old.js:1:1", "justification": "gone"}]})";
  Result<Baseline> b = ParseBaseline(json, "baseline.json");
  ASSERT_TRUE(b.ok()) << b.status().message();
  Report r = IncidentReport();
  ApplyGate(&r, Policy{}, *b, "", "baseline.json");
  EXPECT_EQ(r.findings[1].verdict, Verdict::kBaselined);
  EXPECT_EQ(r.findings[1].verdict_reason, "fix in OPS-31");
  EXPECT_EQ(r.gate->baselined, 1u);
  EXPECT_EQ(r.gate->failing, 2u);
  ASSERT_EQ(r.gate->stale_baseline.size(), 1u);
  EXPECT_EQ(r.gate->stale_baseline[0],
            "v1:00000000000000000000000000000000 (listener-accumulation at old.js:1:1): gone");

  // --update-baseline: keeps the justification, adds the rest, drops the stale entry.
  Baseline updated = UpdatedBaseline(r, *b);
  ASSERT_EQ(updated.entries.size(), 3u);
  std::string text = SerializeBaseline(updated);
  Result<Baseline> again = ParseBaseline(text, "baseline.json");
  ASSERT_TRUE(again.ok()) << again.status().message();
  Report r2 = IncidentReport();
  ApplyGate(&r2, Policy{}, *again, "", "baseline.json");
  EXPECT_FALSE(r2.gate->failed);
  EXPECT_EQ(r2.gate->baselined, 3u);
  EXPECT_TRUE(r2.gate->stale_baseline.empty());
  EXPECT_EQ(r2.findings[1].verdict_reason, "fix in OPS-31");
  EXPECT_EQ(r2.findings[0].verdict_reason,
            "TODO: accepted by heapscope check --update-baseline; say why");
  EXPECT_EQ(SerializeBaseline(*again), text);  // sorted: rewriting is stable
}

TEST(Baseline, Errors) {
  auto err = [](std::string_view json) {
    Result<Baseline> b = ParseBaseline(json, "b.json");
    EXPECT_FALSE(b.ok());
    return b.status().message();
  };
  EXPECT_EQ(err(R"({"entries": [{"fingerprint": "v1:a"}]})"),
            "b.json: field 'entries[0].justification': byte 13: missing: say why it is accepted");
  EXPECT_EQ(err(R"({"entries": [{"fingerprint": "a", "justification": "x"},
                                {"fingerprint": "a", "justification": "y"}]})"),
            "b.json: field 'entries[1].fingerprint': byte 105: duplicate fingerprint");
  EXPECT_EQ(err(R"({"entries": {}})"),
            "b.json: field 'entries': byte 12: expected an array, found an object");
  EXPECT_EQ(err(R"({})"), "b.json: field 'entries': byte 0: missing");
  EXPECT_EQ(err(std::string_view("{\"entries\": [\0]}", 16)),
            "b.json: byte 13: malformed JSON: a NUL byte");
  // A lone surrogate escape decodes to no character: RapidJSON 1.1.0 stored its surrogate bytes,
  // and --update-baseline wrote them back as a different string (found by fuzz_baseline;
  // tests/fuzz/corpus/baseline/crash-lone-surrogate-rewrite).
  EXPECT_EQ(err(R"({"entries": [{"fingerprint": "v1:\udc00", "justification": "x"}]})"),
            "b.json: byte 29: malformed JSON: a \\u escape in this string is a lone surrogate, "
            "not a character");
  EXPECT_EQ(err(R"({"entries": [{"\udfff": 1}]})"),
            "b.json: byte 14: malformed JSON: a \\u escape in this string is a lone surrogate, "
            "not a character");
  // A surrogate pair is one character and reads as its UTF-8.
  Result<Baseline> pair =
      ParseBaseline(R"({"entries": [{"fingerprint": "\ud83d\ude00", "justification": "x"}]})",
                    "b.json");
  ASSERT_TRUE(pair.ok()) << pair.status().message();
  EXPECT_EQ(pair->entries[0].fingerprint, "\xF0\x9F\x98\x80");
}

TEST(Baseline, MissingFileIsEmptyOnlyWhenAllowed) {
  EXPECT_TRUE(LoadBaseline("/nonexistent/heapscope-baseline.json", true).ok());
  Result<Baseline> b = LoadBaseline("/nonexistent/heapscope-baseline.json", false);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("/nonexistent/heapscope-baseline.json"), std::string::npos);
}

}  // namespace
}  // namespace heapscope::report
