// Prometheus HTTP API JSON and Grafana DataFrame JSON.
//
// Parsed in situ with RapidJSON so that every string value still points into the file's text:
// an error about a value names its exact byte offset. Errors about non-string nodes name the
// JSON path and the offset of the closest string before them.
//
// Numbers reach us as their text (kParseNumbersAsStringsFlag) and are converted by
// ParseNumber (std::from_chars: exact, bounded, whole token or nothing): RapidJSON 1.1.0's own
// conversions crash, over-read or mis-read on forms such as 1e-330 (full precision), 0e40
// (clz(0)), NaNe-400 and NaNe3. A number is a string value whose text is not preceded by a
// quote. Nesting is checked before the DOM parse, which recurses once per level.
#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <cmath>
#include <limits>

#include "heapscope/text.h"
#include "metrics/parse_internal.h"

namespace heapscope::metrics::internal {
namespace {

using rapidjson::Value;

class JsonReader {
 public:
  JsonReader(const Decoded& d, std::string_view file, SeriesSink* sink, ParseStats* stats)
      : d_(d), file_(file), sink_(sink), stats_(stats), buf_(d.text) {}

  Status Run(Format* format) {
    HS_RETURN_IF_ERROR(CheckDepth());
    rapidjson::Document doc;
    doc.ParseInsitu<rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseNanAndInfFlag>(
        buf_.data());
    if (doc.HasParseError())
      return ErrorAt(
          file_, d_, doc.GetErrorOffset(),
          fmt::format("invalid JSON: {}", rapidjson::GetParseError_En(doc.GetParseError())));
    if (doc.IsObject() && doc.HasMember("status")) {
      *format = Format::kPrometheusApi;
      return Api(doc);
    }
    *format = Format::kGrafanaDataFrame;
    return DataFrames(doc);
  }

 private:
  // Refuses nesting deeper than kMaxDepth before RapidJSON's recursive DOM parse sees it.
  Status CheckDepth() {
    constexpr uint32_t kMaxDepth = 256;
    const size_t at = text::JsonNestingOverflow(d_.text, kMaxDepth);
    if (at == std::string_view::npos) return Status::Ok();
    return ErrorAt(file_, d_, at,
                   fmt::format("JSON nested deeper than {} levels is refused", kMaxDepth));
  }

  // A JSON string, as opposed to a number (both are string values: see the file comment).
  bool IsStr(const Value& v) const {
    if (!v.IsString()) return false;
    const size_t at = static_cast<size_t>(v.GetString() - buf_.data());
    return at > 0 && buf_[at - 1] == '"';
  }
  bool IsStr(const Value* v) const { return v != nullptr && IsStr(*v); }
  bool IsNum(const Value& v) const { return v.IsString() && !IsStr(v); }
  // The number's value; false for NaN/Infinity spellings RapidJSON lets through that are not
  // numbers (NaNe3, NaN.5) and for values out of a double's range.
  static bool Num(const Value& v, double* out) {
    return ParseNumber(std::string_view(v.GetString(), v.GetStringLength()), out);
  }
  static std::string_view Text(const Value& v) {
    return std::string_view(v.GetString(), v.GetStringLength());
  }

  size_t Off(const Value& v) {
    if (v.IsString()) last_ = static_cast<size_t>(v.GetString() - buf_.data());
    return last_;
  }
  Status Err(const Value* near, std::string_view path, std::string_view msg) {
    size_t at = near ? Off(*near) : last_;
    return ErrorAt(file_, d_, at,
                   path.empty() ? std::string(msg) : fmt::format("{}: {}", path, msg));
  }
  const Value* Member(const Value& obj, const char* name) {
    if (!obj.IsObject()) return nullptr;
    auto it = obj.FindMember(name);
    if (it == obj.MemberEnd()) return nullptr;
    Off(it->name);
    return &it->value;
  }

  // --- Prometheus API ------------------------------------------------------------------------

  Status Api(const Value& doc) {
    const Value* status = Member(doc, "status");
    if (!IsStr(status)) return Err(status, "status", "expected a string");
    std::string_view st(status->GetString(), status->GetStringLength());
    if (st == "error") {
      const Value* type = Member(doc, "errorType");
      const Value* error = Member(doc, "error");
      std::string t = IsStr(type) ? type->GetString() : "?";
      std::string e = IsStr(error) ? error->GetString() : "(no message)";
      return Err(error ? error : status, "", fmt::format("Prometheus API error ({}): {}", t, e));
    }
    if (st != "success")
      return Err(status, "status",
                 fmt::format("expected \"success\" or \"error\", got \"{}\"", st));
    const Value* data = Member(doc, "data");
    if (!data || !data->IsObject()) return Err(nullptr, "data", "missing or not an object");
    const Value* rt = Member(*data, "resultType");
    if (!IsStr(rt)) return Err(nullptr, "data.resultType", "missing or not a string");
    std::string_view type(rt->GetString(), rt->GetStringLength());
    const Value* result = Member(*data, "result");
    if (!result) return Err(nullptr, "data.result", "missing");
    if (type == "scalar") {
      uint32_t idx = sink_->Find("scalar", {}, MetricType::kGauge, false);
      return Point(*result, "data.result", -1, idx);
    }
    if (type == "string")
      return Err(rt, "data.resultType", "a \"string\" result carries no samples");
    if (type != "matrix" && type != "vector")
      return Err(rt, "data.resultType", fmt::format("unknown result type \"{}\"", type));
    if (!result->IsArray()) return Err(nullptr, "data.result", "expected an array");
    for (rapidjson::SizeType i = 0; i < result->Size(); ++i) {
      const Value& item = (*result)[i];
      std::string path = fmt::format("data.result[{}]", i);
      const Value* metric = Member(item, "metric");
      if (!metric || !metric->IsObject())
        return Err(nullptr, path + ".metric", "missing or not an object");
      std::string name;
      Labels labels;
      for (auto m = metric->MemberBegin(); m != metric->MemberEnd(); ++m) {
        if (!IsStr(m->value))
          return Err(&m->name, path + ".metric", "label values must be strings");
        labels.emplace_back(m->name.GetString(), m->value.GetString());
        Off(m->value);
      }
      NormalizeLabels(&labels, &name);
      uint32_t idx = sink_->Find(name, labels, MetricType::kUnknown, IsCounterName(name));
      if (type == "vector") {
        const Value* value = Member(item, "value");
        if (!value) return Err(nullptr, path, "missing \"value\"");
        HS_RETURN_IF_ERROR(Point(*value, path + ".value", -1, idx));
        continue;
      }
      const Value* values = Member(item, "values");
      if (const Value* h = Member(item, "histograms"); h && h->IsArray())
        stats_->native_histograms_skipped += h->Size();
      if (!values) {
        if (Member(item, "histograms")) continue;
        return Err(nullptr, path, "missing \"values\"");
      }
      if (!values->IsArray()) return Err(nullptr, path + ".values", "expected an array");
      std::string values_path = path + ".values";
      for (rapidjson::SizeType k = 0; k < values->Size(); ++k)
        HS_RETURN_IF_ERROR(Point((*values)[k], values_path, static_cast<int64_t>(k), idx));
    }
    return Status::Ok();
  }

  // [<unix seconds>, "<value>"]; `path` + `[index]` (index ≥ 0) names it in errors.
  Status Point(const Value& p, const std::string& path, int64_t index, uint32_t idx) {
    auto where = [&] { return index < 0 ? path : fmt::format("{}[{}]", path, index); };
    if (!p.IsArray() || p.Size() != 2 || !IsNum(p[0]) || !IsStr(p[1]))
      return Err(p.IsArray() && p.Size() == 2 ? &p[1] : nullptr, where(),
                 "expected [<unix time>, \"<value>\"]");
    double v;
    std::string_view s = Text(p[1]);
    if (!ParseNumber(s, &v))
      return Err(&p[1], where(), fmt::format("invalid sample value \"{}\"", s));
    double ts = 0;
    if (!Num(p[0], &ts) || !std::isfinite(ts))
      return Err(&p[0], where(), fmt::format("invalid timestamp {}", Text(p[0])));
    // The API prints int64 milliseconds / 1000 with at most 3 decimals: rounding restores them.
    int64_t t_ms = 0;
    if (!TimeMs(ts * 1000.0, &t_ms)) return Err(&p[0], where(), kTimeRangeMessage);
    sink_->series()[idx].samples.push_back({t_ms, v});
    return Status::Ok();
  }

  // --- Grafana DataFrame JSON ----------------------------------------------------------------

  Status DataFrames(const Value& doc) {
    if (doc.IsArray()) {
      for (rapidjson::SizeType i = 0; i < doc.Size(); ++i)
        HS_RETURN_IF_ERROR(Frame(doc[i], fmt::format("[{}]", i)));
      return Status::Ok();
    }
    if (!doc.IsObject())
      return Err(nullptr, "", "expected a DataFrame object or an array of frames");
    if (Member(doc, "schema")) return Frame(doc, "");
    if (const Value* frames = Member(doc, "frames")) {
      if (!frames->IsArray()) return Err(nullptr, "frames", "expected an array");
      for (rapidjson::SizeType i = 0; i < frames->Size(); ++i)
        HS_RETURN_IF_ERROR(Frame((*frames)[i], fmt::format("frames[{}]", i)));
      return Status::Ok();
    }
    if (const Value* results = Member(doc, "results"); results && results->IsObject()) {
      for (auto r = results->MemberBegin(); r != results->MemberEnd(); ++r) {
        std::string path = fmt::format("results.{}", r->name.GetString());
        const Value* frames = Member(r->value, "frames");
        if (!frames || !frames->IsArray())
          return Err(&r->name, path + ".frames", "missing or not an array");
        for (rapidjson::SizeType i = 0; i < frames->Size(); ++i)
          HS_RETURN_IF_ERROR(Frame((*frames)[i], fmt::format("{}.frames[{}]", path, i)));
      }
      return Status::Ok();
    }
    return Err(
        nullptr, "",
        "neither a Prometheus API response (\"status\") nor a Grafana DataFrame (\"schema\")");
  }

  std::string Str(const Value* v) const {
    return IsStr(v) ? std::string(v->GetString(), v->GetStringLength()) : std::string();
  }

  Status Frame(const Value& frame, const std::string& path) {
    const Value* schema = Member(frame, "schema");
    const Value* data = Member(frame, "data");
    if (!schema || !schema->IsObject())
      return Err(nullptr, path + ".schema", "missing or not an object");
    const Value* fields = Member(*schema, "fields");
    if (!fields || !fields->IsArray())
      return Err(nullptr, path + ".schema.fields", "missing or not an array");
    if (!data || !data->IsObject()) return Err(nullptr, path + ".data", "missing or not an object");
    const Value* values = Member(*data, "values");
    if (!values || !values->IsArray() || values->Size() != fields->Size())
      return Err(nullptr, path + ".data.values", "expected one array per schema field");
    const Value* entities = Member(*data, "entities");
    std::string frame_name = Str(Member(*schema, "name"));
    int time_field = -1;
    for (rapidjson::SizeType f = 0; f < fields->Size(); ++f) {
      std::string type = Str(Member((*fields)[f], "type"));
      std::string name = Str(Member((*fields)[f], "name"));
      if (type == "time" || (type.empty() && (name == "Time" || name == "time"))) {
        time_field = static_cast<int>(f);
        break;
      }
    }
    if (time_field < 0) return Err(nullptr, path + ".schema.fields", "no field of type \"time\"");
    const Value& times = (*values)[static_cast<rapidjson::SizeType>(time_field)];
    if (!times.IsArray()) return Err(nullptr, path + ".data.values", "time column is not an array");
    for (rapidjson::SizeType f = 0; f < fields->Size(); ++f) {
      if (static_cast<int>(f) == time_field) continue;
      const Value& field = (*fields)[f];
      std::string type = Str(Member(field, "type"));
      if (!type.empty() && type != "number") continue;  // string/boolean/other columns
      std::string fpath = fmt::format("{}.schema.fields[{}]", path, f);
      Labels labels;
      std::string name;
      if (const Value* l = Member(field, "labels"); l && l->IsObject()) {
        for (auto m = l->MemberBegin(); m != l->MemberEnd(); ++m)
          if (IsStr(m->value)) labels.emplace_back(m->name.GetString(), m->value.GetString());
      }
      NormalizeLabels(&labels, &name);
      if (name.empty()) {
        std::string display;
        if (const Value* cfg = Member(field, "config")) {
          display = Str(Member(*cfg, "displayNameFromDS"));
          if (display.empty()) display = Str(Member(*cfg, "displayName"));
        }
        std::string sel_name;
        Labels sel_labels;
        if (!display.empty() && ParseSelector(display, &sel_name, &sel_labels)) {
          name = sel_name;
          if (labels.empty()) labels = sel_labels;
          NormalizeLabels(&labels, nullptr);
        } else if (!display.empty()) {
          name = display;
        } else {
          std::string fname = Str(Member(field, "name"));
          name = (fname == "Value" || fname.empty()) && !frame_name.empty() ? frame_name : fname;
        }
      }
      const Value& col = (*values)[f];
      if (!col.IsArray()) return Err(nullptr, fpath, "values column is not an array");
      // Entities: NaN/Inf/NegInf/Undef restored at the listed indices (JSON cannot encode them).
      std::vector<uint8_t> special(col.Size(), 0);  // 1 NaN, 2 +Inf, 3 -Inf, 4 undefined
      if (entities && entities->IsArray() && f < entities->Size() && (*entities)[f].IsObject()) {
        const Value& ent = (*entities)[f];
        const std::pair<const char*, uint8_t> kinds[] = {
            {"NaN", 1}, {"Inf", 2}, {"NegInf", 3}, {"Undef", 4}};
        for (const auto& [key, code] : kinds) {
          const Value* idx = Member(ent, key);
          if (!idx || !idx->IsArray()) continue;
          for (const Value& k : idx->GetArray()) {
            double at = -1;
            if (IsNum(k) && Num(k, &at) && at >= 0 && at < static_cast<double>(special.size()) &&
                at == std::floor(at))
              special[static_cast<size_t>(at)] = code;
          }
        }
      }
      uint32_t sidx = sink_->Find(name, labels, MetricType::kUnknown, IsCounterName(name));
      for (rapidjson::SizeType k = 0; k < col.Size() && k < times.Size(); ++k) {
        const std::string time_path = fmt::format("{}.data.values[{}][{}]", path, time_field, k);
        double time = 0;
        if (!IsNum(times[k]) || !Num(times[k], &time))
          return Err(IsNum(times[k]) ? &times[k] : nullptr, time_path, "time is not a number");
        int64_t t = 0;
        if (!TimeMs(time, &t)) return Err(&times[k], time_path, kTimeRangeMessage);
        double v;
        switch (special[k]) {
          case 1:
            v = std::numeric_limits<double>::quiet_NaN();
            break;
          case 2:
            v = std::numeric_limits<double>::infinity();
            break;
          case 3:
            v = -std::numeric_limits<double>::infinity();
            break;
          case 4:
            ++stats_->empty_cells;
            continue;
          default:
            if (col[k].IsNull()) {
              ++stats_->empty_cells;
              continue;
            }
            if (!IsNum(col[k]) || !Num(col[k], &v))
              return Err(IsNum(col[k]) ? &col[k] : nullptr,
                         fmt::format("{}.data.values[{}][{}]", path, f, k),
                         "expected a number or null");
        }
        sink_->series()[sidx].samples.push_back({t, v});
      }
    }
    return Status::Ok();
  }

  const Decoded& d_;
  std::string_view file_;
  SeriesSink* sink_;
  ParseStats* stats_;
  std::string buf_;
  size_t last_ = 0;
};

}  // namespace

Status ParseJson(const Decoded& d, std::string_view file, Format* format, SeriesSink* sink,
                 ParseStats* stats) {
  JsonReader reader(d, file, sink, stats);
  return reader.Run(format);
}

}  // namespace heapscope::metrics::internal
