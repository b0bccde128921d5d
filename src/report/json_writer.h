// A thin layer over RapidJSON's PrettyWriter for the JSON and SARIF renderers: strings are made
// valid UTF-8 first, and non-finite doubles are written as null (JSON has no NaN/Infinity).
// RapidJSON stays inside src/report.
#ifndef HEAPSCOPE_SRC_REPORT_JSON_WRITER_H_
#define HEAPSCOPE_SRC_REPORT_JSON_WRITER_H_

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "report/render_util.h"

namespace heapscope::report::internal {

// `Writer` is RapidJSON's PrettyWriter (JsonOut: two-space indent) or its compact Writer
// (JsonLine: one line, as `retained` writes one node per line).
template <typename Writer>
class BasicJsonOut {
 public:
  BasicJsonOut() : writer_(buffer_) {
    if constexpr (std::is_same_v<Writer, rapidjson::PrettyWriter<rapidjson::StringBuffer>>) {
      writer_.SetIndent(' ', 2);
    }
  }

  void Key(std::string_view k) {
    writer_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
  }
  void Str(std::string_view s) {
    std::string v = ValidUtf8(s);
    writer_.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  }
  void U64(uint64_t v) { writer_.Uint64(v); }
  void I64(int64_t v) { writer_.Int64(v); }
  void Bool(bool b) { writer_.Bool(b); }
  void Null() { writer_.Null(); }
  void Double(double d) {
    if (std::isfinite(d)) {
      writer_.Double(d);
    } else {
      writer_.Null();
    }
  }
  void OptDouble(const std::optional<double>& d) {
    if (d) {
      Double(*d);
    } else {
      Null();
    }
  }
  void StartObject() { writer_.StartObject(); }
  void EndObject() { writer_.EndObject(); }
  void StartArray() { writer_.StartArray(); }
  void EndArray() { writer_.EndArray(); }

  // Key + value shorthands.
  void KStr(std::string_view k, std::string_view v) {
    Key(k);
    Str(v);
  }
  void KU64(std::string_view k, uint64_t v) {
    Key(k);
    U64(v);
  }
  void KDouble(std::string_view k, double v) {
    Key(k);
    Double(v);
  }
  void KStrings(std::string_view k, const std::vector<std::string>& v) {
    Key(k);
    StartArray();
    for (const std::string& s : v) Str(s);
    EndArray();
  }
  void KU64s(std::string_view k, const std::vector<uint64_t>& v) {
    Key(k);
    StartArray();
    for (uint64_t x : v) U64(x);
    EndArray();
  }
  void KI64s(std::string_view k, const std::vector<int64_t>& v) {
    Key(k);
    StartArray();
    for (int64_t x : v) I64(x);
    EndArray();
  }

  // The document followed by a newline.
  std::string Take() {
    std::string s(buffer_.GetString(), buffer_.GetSize());
    s += '\n';
    return s;
  }

 private:
  rapidjson::StringBuffer buffer_;
  Writer writer_;
};

using JsonOut = BasicJsonOut<rapidjson::PrettyWriter<rapidjson::StringBuffer>>;
using JsonLine = BasicJsonOut<rapidjson::Writer<rapidjson::StringBuffer>>;

}  // namespace heapscope::report::internal

#endif  // HEAPSCOPE_SRC_REPORT_JSON_WRITER_H_
