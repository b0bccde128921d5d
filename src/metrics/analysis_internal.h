// Formatting helpers shared by the analysis, its renderers and the evidence join.
#ifndef HEAPSCOPE_SRC_METRICS_ANALYSIS_INTERNAL_H_
#define HEAPSCOPE_SRC_METRICS_ANALYSIS_INTERNAL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "heapscope/metrics/metrics.h"
#include "heapscope/text.h"

namespace heapscope::metrics::internal {

std::string Lower(std::string_view s);
const std::string* Label(const Series& s, std::string_view key);
using text::Bytes;      // SI units, as "MB"/"GB" in the incident: "1.30 GB"
using text::Duration;   // "45 s", "5.7 min", "18 min", "2h48m", "3.2 days"
using text::Thousands;  // 7922 -> "7,922"
std::string UtcTime(int64_t t_ms);     // "2024-02-15 02:48:00 UTC"
std::string UtcTimeOf(double t_ms);    // the same for a computed time, range-checked first
bool IsBytes(const Series& s);         // name mentions bytes
std::string Rate(const Series& s, double per_second);  // "+280.6 MB/h", "+659/h"
std::string Value(const Series& s, double v);          // "1.28 GB", "1,892"

}  // namespace heapscope::metrics::internal

#endif  // HEAPSCOPE_SRC_METRICS_ANALYSIS_INTERNAL_H_
