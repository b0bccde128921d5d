// Shared pieces of the metric readers: decoded text with a map back to file offsets, error
// positions, number parsing, and the per-file series accumulator.
#ifndef HEAPSCOPE_SRC_METRICS_PARSE_INTERNAL_H_
#define HEAPSCOPE_SRC_METRICS_PARSE_INTERNAL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "heapscope/metrics/metrics.h"
#include "heapscope/status.h"

namespace heapscope::metrics::internal {

// A file's text as UTF-8, BOM removed. `src_offset[i]` is the file byte offset of text[i] when
// the file was UTF-16 (empty otherwise: offset = i + `base`).
struct Decoded {
  std::string text;
  std::vector<uint32_t> src_offset;
  size_t base = 0;  // bytes of a UTF-8 BOM skipped
  bool utf16 = false;

  int64_t FileOffset(size_t i) const {
    if (src_offset.empty()) return static_cast<int64_t>(i + base);
    if (i < src_offset.size()) return src_offset[i];
    return src_offset.empty() ? 0 : static_cast<int64_t>(src_offset.back()) + 2;
  }
};

// Removes a BOM and converts UTF-16 (LE/BE, with BOM) to UTF-8.
Status Decode(std::string_view bytes, std::string_view file, Decoded* out);

// "FILE: byte N: line L, column C: msg" for text position `i` of `d`.
Status ErrorAt(std::string_view file, const Decoded& d, size_t i, std::string_view msg);

// A float as Go's ParseFloat reads it plus the spellings the formats use: NaN, [+-]Inf,
// [+-]Infinity (any case). The whole token must be consumed.
bool ParseNumber(std::string_view token, double* out);

// Sample times: Unix milliseconds within ±kMaxTimeMs (9999-12-31T23:59:59.999Z), so that every
// difference and sum of two times fits int64 and every time prints as a date. Converts `ms`
// (rounded) or returns false when it is not finite or out of that range; no cast is ever UB.
inline constexpr int64_t kMaxTimeMs = 253402300799999;
bool TimeMs(double ms, int64_t* out);
inline constexpr std::string_view kTimeRangeMessage =
    "timestamp out of range (heapscope reads Unix times up to the year 9999)";

// Accumulates one file's series. Samples keep a raw timestamp; the caller converts.
class SeriesSink {
 public:
  // Returns the index of the series (name, labels), creating it. `labels` must be sorted.
  uint32_t Find(const std::string& name, const Labels& labels, MetricType type, bool counter);
  std::vector<Series>& series() { return series_; }

 private:
  std::vector<Series> series_;
  std::unordered_map<std::string, uint32_t> index_;
};

// Sorts label pairs by name and drops __name__ (returned in *name when non-null and present).
void NormalizeLabels(Labels* labels, std::string* name);

// Sorts each series by time, folds duplicate timestamps (counted in stats), merges into `set`.
Status MergeInto(std::vector<Series>&& series, std::string_view file, Format format,
                 MetricSet* set);

// Readers. Each fills `sink`.
Status ParseText(const Decoded& d, std::string_view file, Format* format, SeriesSink* sink,
                 ParseStats* stats);
Status ParseJson(const Decoded& d, std::string_view file, Format* format, SeriesSink* sink,
                 ParseStats* stats);
Status ParseCsv(const Decoded& d, std::string_view file, SeriesSink* sink, ParseStats* stats);

// Parses `name{a="b", c="d"}` (spaces allowed after commas), `{a="b"}` or a bare name, as
// Grafana prints series names. False when `text` is not in that shape.
bool ParseSelector(std::string_view text, std::string* name, Labels* labels);

}  // namespace heapscope::metrics::internal

#endif  // HEAPSCOPE_SRC_METRICS_PARSE_INTERNAL_H_
