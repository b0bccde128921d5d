// Source Map v3: the JSON (RapidJSON DOM, depth checked first: the DOM recurses per level), the
// Base64 VLQ `mappings`, index maps flattened, the lookup, sourceMappingURL comments and data:
// URLs. See sourcemap.h.
#include "heapscope/sourcemap/sourcemap.h"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <limits>

#include "heapscope/text.h"

namespace heapscope::sourcemap {
namespace {

constexpr uint32_t kNoIndex = std::numeric_limits<uint32_t>::max();
constexpr uint32_t kMaxDepth = 64;  // a map nests 3 levels; an index map 5

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Nesting deeper than kMaxDepth is refused before the DOM parse sees it.
Status CheckDepth(std::string_view t, std::string_view name) {
  const size_t at = text::JsonNestingOverflow(t, kMaxDepth);
  if (at == std::string_view::npos) return Status::Ok();
  return InputError(name, "", static_cast<int64_t>(at),
                    fmt::format("JSON nested deeper than {} levels is refused", kMaxDepth));
}

using Value = rapidjson::Value;

// Appends the decoded `mappings` of one (regular) map to `out`, shifted by the section offset
// and with source/name indices shifted by the sources/names already in `out`.
void DecodeMappings(std::string_view m, uint32_t line0, uint32_t column0, uint32_t source_base,
                    uint32_t sources, uint32_t name_base, uint32_t names, SourceMap& out) {
  uint32_t line = line0;
  int64_t column = 0, source = 0, source_line = 0, source_column = 0, name = 0;
  size_t pos = 0;
  while (pos < m.size()) {
    if (m[pos] == ';') {
      ++line;
      column = 0;
      ++pos;
      continue;
    }
    if (m[pos] == ',') {
      ++pos;
      continue;
    }
    // One segment: 1, 4 or 5 VLQ values up to the next ',' or ';'.
    int32_t v[5] = {};
    int n = 0;
    bool bad = false;
    while (pos < m.size() && m[pos] != ',' && m[pos] != ';') {
      int32_t x = 0;
      if (n == 5 || !DecodeVlq(m, &pos, &x)) {
        bad = true;
        while (pos < m.size() && m[pos] != ',' && m[pos] != ';') ++pos;  // skip the rest
        break;
      }
      v[n++] = x;
    }
    if (bad || (n != 1 && n != 4 && n != 5)) {
      ++out.damaged_segments;
      continue;
    }
    column += v[0];
    if (n >= 4) {
      source += v[1];
      source_line += v[2];
      source_column += v[3];
    }
    if (n == 5) name += v[4];
    const int64_t abs_column = column + (line == line0 ? column0 : 0);
    if (column < 0 || abs_column > std::numeric_limits<uint32_t>::max() ||
        (n >= 4 && (source < 0 || source >= sources || source_line < 0 || source_column < 0 ||
                    source_line > std::numeric_limits<uint32_t>::max() ||
                    source_column > std::numeric_limits<uint32_t>::max())) ||
        (n == 5 && (name < 0 || name >= names))) {
      ++out.damaged_segments;
      continue;
    }
    Segment s;
    s.line = line;
    s.column = static_cast<uint32_t>(abs_column);
    if (n >= 4) {
      s.source = source_base + static_cast<uint32_t>(source);
      s.source_line = static_cast<uint32_t>(source_line);
      s.source_column = static_cast<uint32_t>(source_column);
    }
    if (n == 5) s.name = name_base + static_cast<uint32_t>(name);
    out.segments.push_back(s);
  }
}

// A regular map's fields into `out` (its segments shifted by `line0`/`column0`).
Status ReadRegular(const Value& v, std::string_view name, std::string_view field_prefix,
                   uint32_t line0, uint32_t column0, SourceMap& out) {
  auto field = [&](const char* f) { return std::string(field_prefix) + f; };
  auto version = v.FindMember("version");
  if (version == v.MemberEnd() || !version->value.IsInt() || version->value.GetInt() != 3)
    return InputError(name, field("version"), -1, "not a version 3 source map");
  auto mappings = v.FindMember("mappings");
  if (mappings == v.MemberEnd() || !mappings->value.IsString())
    return InputError(name, field("mappings"), -1, "missing, or not a string");
  auto sources = v.FindMember("sources");
  if (sources == v.MemberEnd() || !sources->value.IsArray())
    return InputError(name, field("sources"), -1, "missing, or not an array");
  std::string root;
  if (auto r = v.FindMember("sourceRoot"); r != v.MemberEnd() && r->value.IsString()) {
    root.assign(r->value.GetString(), r->value.GetStringLength());
    if (!root.empty() && root.back() != '/') root += '/';
  }
  if (auto f = v.FindMember("file"); f != v.MemberEnd() && f->value.IsString() && out.file.empty())
    out.file.assign(f->value.GetString(), f->value.GetStringLength());
  const uint32_t source_base = static_cast<uint32_t>(out.sources.size());
  for (const Value& s : sources->value.GetArray()) {
    // null stands for a source with no name; its segments map to "".
    out.sources.push_back(s.IsString() ? root + std::string(s.GetString(), s.GetStringLength())
                                       : std::string());
  }
  const uint32_t name_base = static_cast<uint32_t>(out.names.size());
  if (auto n = v.FindMember("names"); n != v.MemberEnd() && n->value.IsArray()) {
    for (const Value& s : n->value.GetArray())
      out.names.push_back(s.IsString() ? std::string(s.GetString(), s.GetStringLength())
                                       : std::string());
  }
  DecodeMappings(std::string_view(mappings->value.GetString(), mappings->value.GetStringLength()),
                 line0, column0, source_base, static_cast<uint32_t>(out.sources.size()) - source_base,
                 name_base, static_cast<uint32_t>(out.names.size()) - name_base, out);
  return Status::Ok();
}

// An index map: each section's embedded map, shifted by its offset. Sections must be in order;
// a section's segments that reach into the next section are dropped (counted), as the
// specification gives the later section those positions.
Status ReadIndex(const Value& v, std::string_view name, SourceMap& out) {
  auto version = v.FindMember("version");
  if (version == v.MemberEnd() || !version->value.IsInt() || version->value.GetInt() != 3)
    return InputError(name, "version", -1, "not a version 3 source map");
  const Value& sections = v["sections"];
  if (!sections.IsArray()) return InputError(name, "sections", -1, "not an array");
  uint64_t prev_line = 0, prev_column = 0;
  struct Start {
    uint64_t line, column;
    size_t first_segment;
  };
  std::vector<Start> starts;  // per section, in order
  uint32_t i = 0;
  for (const Value& s : sections.GetArray()) {
    const std::string where = fmt::format("sections[{}]", i);
    if (!s.IsObject()) return InputError(name, where, -1, "not an object");
    auto off = s.FindMember("offset");
    if (off == s.MemberEnd() || !off->value.IsObject() || !off->value.HasMember("line") ||
        !off->value.HasMember("column") || !off->value["line"].IsUint() ||
        !off->value["column"].IsUint())
      return InputError(name, where + ".offset", -1,
                        "needs non-negative integer `line` and `column`");
    const uint64_t line = off->value["line"].GetUint(), column = off->value["column"].GetUint();
    if (i > 0 && (line < prev_line || (line == prev_line && column < prev_column)))
      return InputError(name, where + ".offset", -1,
                        fmt::format("{}:{} comes before the previous section's {}:{}", line,
                                    column, prev_line, prev_column));
    prev_line = line;
    prev_column = column;
    auto map = s.FindMember("map");
    if (map == s.MemberEnd()) {
      if (s.HasMember("url"))
        return InputError(name, where + ".url", -1,
                          "sections that point at another map by URL are not supported; embed "
                          "the map (`map`)");
      return InputError(name, where + ".map", -1, "missing");
    }
    if (!map->value.IsObject()) return InputError(name, where + ".map", -1, "not an object");
    if (map->value.HasMember("sections"))
      return InputError(name, where + ".map", -1, "an index map inside a section is not allowed");
    if (line > std::numeric_limits<uint32_t>::max() || column > std::numeric_limits<uint32_t>::max())
      return InputError(name, where + ".offset", -1, "exceeds 32 bits");
    starts.push_back({line, column, out.segments.size()});
    HS_RETURN_IF_ERROR(ReadRegular(map->value, name, where + ".map.",
                                   static_cast<uint32_t>(line), static_cast<uint32_t>(column),
                                   out));
    ++i;
  }
  out.sections = i;
  // Sections may not overlap: what a section maps at or past the next one's offset is damage.
  std::vector<Segment> kept;
  kept.reserve(out.segments.size());
  for (size_t k = 0; k < starts.size(); ++k) {
    const size_t end = k + 1 < starts.size() ? starts[k + 1].first_segment : out.segments.size();
    for (size_t j = starts[k].first_segment; j < end; ++j) {
      const Segment& seg = out.segments[j];
      if (k + 1 < starts.size() &&
          (seg.line > starts[k + 1].line ||
           (seg.line == starts[k + 1].line && seg.column >= starts[k + 1].column))) {
        ++out.damaged_segments;
        continue;
      }
      kept.push_back(seg);
    }
  }
  out.segments = std::move(kept);
  std::stable_sort(out.segments.begin(), out.segments.end(), [](const Segment& a, const Segment& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  return Status::Ok();
}

}  // namespace

bool DecodeVlq(std::string_view text, size_t* pos, int32_t* value) {
  uint64_t result = 0;
  uint32_t shift = 0;
  size_t p = *pos;
  while (true) {
    if (p >= text.size()) return false;  // unfinished: the continuation bit was set
    const int digit = Base64Value(text[p++]);
    if (digit < 0) return false;
    if (shift > 30) return false;  // more than 32 bits
    result |= static_cast<uint64_t>(digit & 31) << shift;
    shift += 5;
    if ((digit & 32) == 0) break;
  }
  const bool negative = (result & 1) != 0;
  const uint64_t magnitude = result >> 1;
  if (magnitude > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) return false;
  *value = negative ? -static_cast<int32_t>(magnitude) : static_cast<int32_t>(magnitude);
  *pos = p;
  return true;
}

Result<SourceMap> ParseSourceMap(std::string_view json, std::string_view name) {
  HS_RETURN_IF_ERROR(CheckDepth(json, name));
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag>(json.data(),
                                                                               json.size());
  if (doc.HasParseError()) {
    return InputError(name, "", static_cast<int64_t>(doc.GetErrorOffset()),
                      fmt::format("malformed JSON: {}", rapidjson::GetParseError_En(doc.GetParseError())));
  }
  if (!doc.IsObject()) return InputError(name, "", 0, "a source map is a JSON object");
  SourceMap out;
  if (doc.HasMember("sections")) {
    HS_RETURN_IF_ERROR(ReadIndex(doc, name, out));
  } else {
    HS_RETURN_IF_ERROR(ReadRegular(doc, name, "", 0, 0, out));
    std::stable_sort(out.segments.begin(), out.segments.end(),
                     [](const Segment& a, const Segment& b) {
                       return a.line != b.line ? a.line < b.line : a.column < b.column;
                     });
  }
  return out;
}

std::optional<Original> Lookup(const SourceMap& map, uint32_t line, uint32_t column) {
  // The first segment after (line, column); the one before it is the answer if on that line.
  auto it = std::upper_bound(map.segments.begin(), map.segments.end(), std::make_pair(line, column),
                             [](const std::pair<uint32_t, uint32_t>& p, const Segment& s) {
                               return p.first != s.line ? p.first < s.line : p.second < s.column;
                             });
  if (it == map.segments.begin()) return std::nullopt;
  const Segment& s = *(it - 1);
  if (s.line != line || s.source == kNoIndex) return std::nullopt;
  Original o;
  o.source = map.sources[s.source];
  o.line = s.source_line;
  o.column = s.source_column;
  if (s.name != kNoIndex) o.name = map.names[s.name];
  return o;
}

std::string_view FindSourceMappingUrl(std::string_view source) {
  // Scan lines from the end: the last such comment wins.
  size_t end = source.size();
  while (end > 0) {
    size_t start = source.rfind('\n', end - 1);
    start = start == std::string_view::npos ? 0 : start + 1;
    std::string_view line = source.substr(start, end - start);
    end = start == 0 ? 0 : start - 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.remove_suffix(1);
    size_t lead = 0;
    while (lead < line.size() && (line[lead] == ' ' || line[lead] == '\t')) ++lead;
    line.remove_prefix(lead);
    if (line.empty()) continue;
    for (std::string_view prefix : {"//# sourceMappingURL=", "//@ sourceMappingURL="}) {
      if (line.starts_with(prefix)) {
        std::string_view url = line.substr(prefix.size());
        if (url.find_first_of(" \t\"'") != std::string_view::npos) return {};
        return url;
      }
    }
    // Only comments and blank lines may follow the map comment.
    if (!line.starts_with("//") && !line.starts_with("/*") && !line.starts_with("*")) return {};
  }
  return {};
}

Result<std::string> DecodeDataUrl(std::string_view url) {
  if (!url.starts_with("data:")) return Status::InvalidInput("not a data: URL");
  const size_t comma = url.find(',');
  if (comma == std::string_view::npos) return Status::InvalidInput("a data: URL without ','");
  std::string_view params = url.substr(5, comma - 5);
  std::string_view payload = url.substr(comma + 1);
  bool base64 = false;
  if (params.ends_with(";base64")) {
    base64 = true;
    params.remove_suffix(7);
  }
  const std::string_view media = params.substr(0, params.find(';'));
  if (media != "application/json" && media != "text/plain" && !media.empty())
    return Status::InvalidInput(fmt::format("media type '{}' is not JSON", media));
  std::string out;
  if (!base64) {
    out.reserve(payload.size());
    for (size_t i = 0; i < payload.size(); ++i) {
      if (payload[i] == '%' && i + 2 < payload.size()) {
        auto hex = [](char c) {
          return c >= '0' && c <= '9' ? c - '0'
                 : c >= 'a' && c <= 'f' ? c - 'a' + 10
                 : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                        : -1;
        };
        const int hi = hex(payload[i + 1]), lo = hex(payload[i + 2]);
        if (hi < 0 || lo < 0)
          return Status::InvalidInput(fmt::format("bad percent escape at character {}", i));
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
      } else if (payload[i] == '%') {
        return Status::InvalidInput(fmt::format("bad percent escape at character {}", i));
      } else {
        out += payload[i];
      }
    }
    return out;
  }
  out.reserve(payload.size() / 4 * 3 + 3);
  uint32_t acc = 0;
  int bits = 0;
  size_t i = 0;
  for (; i < payload.size(); ++i) {
    const char c = payload[i];
    if (c == '=') break;
    const int v = Base64Value(c);
    if (v < 0) {
      return Status::InvalidInput(
          fmt::format("bad Base64 character at character {} of the payload", i));
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  for (; i < payload.size(); ++i) {
    if (payload[i] != '=')
      return Status::InvalidInput(fmt::format("data after Base64 padding at character {}", i));
  }
  return out;
}

}  // namespace heapscope::sourcemap
