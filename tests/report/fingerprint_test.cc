#include "heapscope/report/fingerprint.h"

#include <gtest/gtest.h>

#include "report/report_fixtures.h"

namespace heapscope::report {
namespace {

TEST(NormalizeRetainerStep, DropsRunSpecificParts) {
  EXPECT_EQ(NormalizeRetainerStep("Array @4071 [847] -> closure @9912"), "Array [] -> closure");
  EXPECT_EQ(NormalizeRetainerStep("[847] (closure) @61234"), "[] (closure)");
  EXPECT_EQ(NormalizeRetainerStep("._events.heartbeat.12"), "._events.heartbeat.[]");
  EXPECT_EQ(NormalizeRetainerStep("PresenceService._events.heartbeat"),
            "PresenceService._events.heartbeat");
  EXPECT_EQ(NormalizeRetainerStep("v8.x2 [a1] foo@bar"), "v8.x2 [a1] foo@bar");
  EXPECT_EQ(NormalizeRetainerStep("  a   b  "), "a b");
}

TEST(ComputeFingerprint, FormatAndStability) {
  Finding f = testing::TinyReport().findings[0];
  std::string fp = ComputeFingerprint(f);
  EXPECT_EQ(fp, "v1:b480b61c3f48ede0168618b782ecfaef");
  Finding moved_ids = f;
  moved_ids.retainer_path = {"(GC roots)", "Clock @5", "._events.tick (Array @6)",
                             "[3] (closure) @7"};
  moved_ids.count = 9999;
  moved_ids.counts = {1, 2};
  moved_ids.emitter_id = 5;
  moved_ids.retained_size = 1;
  moved_ids.title = "other words";
  EXPECT_EQ(ComputeFingerprint(moved_ids), fp);
  Finding other_line = f;
  other_line.site.line = 4;
  EXPECT_NE(ComputeFingerprint(other_line), fp);
  Finding other_rule = f;
  other_rule.rule = "closure-growth";
  EXPECT_NE(ComputeFingerprint(other_rule), fp);
  Finding other_path = f;
  other_path.retainer_path[1] = "Timer @77";
  EXPECT_NE(ComputeFingerprint(other_path), fp);
}

TEST(FillFingerprints, FillsOnlyEmptyOnesNestedIncluded) {
  Report r = testing::IncidentReport();
  r.findings[1].fingerprint = "custom";
  FillFingerprints(&r);
  EXPECT_EQ(r.findings[0].fingerprint, ComputeFingerprint(r.findings[0]));
  EXPECT_EQ(r.findings[0].secondary[0].fingerprint, ComputeFingerprint(r.findings[0].secondary[0]));
  EXPECT_EQ(r.findings[1].fingerprint, "custom");
  EXPECT_NE(r.findings[0].fingerprint, r.findings[0].secondary[0].fingerprint);
}

}  // namespace
}  // namespace heapscope::report
