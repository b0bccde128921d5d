// Evidence sentences for the join of metric analysis to heap findings (done in run/).
#include <fmt/format.h>

#include "heapscope/metrics/analysis.h"
#include "metrics/analysis_internal.h"

namespace heapscope::metrics {

std::string GrowthSentence(const Series& s, const SeriesStats& st) {
  if (!st.slope) return {};
  double span = static_cast<double>(st.last_ms - st.first_ms) / 1e3;
  return fmt::format("{} grew {} → {} over {} ({}, R² {:.3f})", SeriesId(s),
                     internal::Value(s, st.first_value), internal::Value(s, st.last_value),
                     internal::Duration(span), internal::Rate(s, *st.slope), st.r2.value_or(0));
}

std::string LimitSentence(const SeriesStats& st) {
  if (!st.time_to_limit) return {};
  return fmt::format("; reaches the {} limit in {}", internal::Bytes(st.time_to_limit->limit_bytes),
                     internal::Duration(st.time_to_limit->seconds));
}

const std::string* SeriesLabel(const Series& s, std::string_view key) {
  return internal::Label(s, key);
}

}  // namespace heapscope::metrics
