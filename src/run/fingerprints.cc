// Finding fingerprints that are the same in every run of one program.
#include "heapscope/report/fingerprint.h"
#include "run/run_internal.h"

namespace heapscope::run_internal {
namespace {

// A retainer-path step with every digit run replaced by '#': node ids, element indices and
// the numeric internal edges of hash tables ("{9} Object") all vary between objects of one shape
// and between runs.
std::string Shape(std::string_view step) {
  std::string out;
  bool digits = false;
  for (char c : step) {
    bool d = c >= '0' && c <= '9';
    if (d && !digits) out += '#';
    if (!d) out += c;
    digits = d;
  }
  return out;
}

}  // namespace

// The finding's fingerprint (report::ComputeFingerprint) over what is the same in every run.
// The path from the GC roots is not: which of several equally short routes reaches an emitter
// differs between runs of one program (seen on two runs of the presence server: process →
// SIGINT handler vs setInterval → timer list). So listener findings use their accumulation
// point (the emitter class, `_events`, the event) and other findings the shape of the last
// four steps of their path (every digit run removed).
std::string StableFingerprint(const report::Finding& f) {
  report::Finding copy;
  copy.rule = f.rule;
  copy.site = f.site;
  copy.event = f.event;
  copy.emitter = f.emitter;
  copy.accumulation_point = f.accumulation_point;
  if (f.event.empty()) {
    size_t from = f.retainer_path.size() > 4 ? f.retainer_path.size() - 4 : 0;
    for (size_t i = from; i < f.retainer_path.size(); ++i) {
      copy.retainer_path.push_back(Shape(f.retainer_path[i]));
    }
  }
  return report::ComputeFingerprint(copy);
}

void SetFingerprints(std::vector<report::Finding>& v) {
  for (report::Finding& f : v) {
    f.fingerprint = StableFingerprint(f);
    SetFingerprints(f.secondary);
  }
}

}  // namespace heapscope::run_internal
