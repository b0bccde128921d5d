// Finding fingerprints: one stable identity per finding, shared by SARIF partialFingerprints,
// the CI baseline and `heapscope check`'s ignore lists.
//
// A fingerprint is built from what does not change between runs or between the snapshots of one
// run: the rule id, the site (file:line:column), the event and emitter class, and the retainer
// path with everything run-specific removed (NormalizeRetainerStep). V8 node ids, array indices
// and counts never enter it. Format: "v1:" + 32 lowercase hex digits (two FNV-1a 64 hashes).
#ifndef HEAPSCOPE_REPORT_FINGERPRINT_H_
#define HEAPSCOPE_REPORT_FINGERPRINT_H_

#include <string>
#include <string_view>

#include "heapscope/report/report.h"

namespace heapscope::report {

// One retainer-path step with run-specific parts removed:
//   "@12345" node ids are dropped, "[847]" element indices become "[]", a path component that is
//   only digits (".847") becomes ".[]", and runs of spaces collapse to one.
// "Array @4071 [847] -> closure @9912" -> "Array [] -> closure".
std::string NormalizeRetainerStep(std::string_view step);

// The finding's fingerprint computed from rule, site, event, emitter and the normalized retainer
// path (the accumulation point when the path is empty). Ignores Finding::fingerprint.
std::string ComputeFingerprint(const Finding& finding);

// Sets Finding::fingerprint wherever it is empty, nested findings included.
void FillFingerprints(Report* report);

}  // namespace heapscope::report

#endif  // HEAPSCOPE_REPORT_FINGERPRINT_H_
