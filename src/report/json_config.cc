#include "report/json_config.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <fmt/format.h>

#include <cmath>

namespace heapscope::report::internal {
namespace {

// Nesting deeper than this is refused: config files nest a few levels, and the tree is
// destroyed recursively (one frame per level).
constexpr size_t kMaxDepth = 256;

// The offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF), or npos. Checked before RapidJSON
// sees the text: its validating decoder reads a truncated sequence's continuation bytes past
// the end of the buffer.
size_t FirstInvalidUtf8(std::string_view t) {
  const auto* p = reinterpret_cast<const unsigned char*>(t.data());
  const size_t n = t.size();
  size_t i = 0;
  while (i < n) {
    const unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (n - i < len) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

class TreeBuilder {
 public:
  explicit TreeBuilder(const rapidjson::StringStream* stream) : stream_(stream) {}

  bool Null() { return Value(JValue{}); }
  bool Bool(bool b) {
    JValue v;
    v.type = JValue::Type::kBool;
    v.boolean = b;
    return Value(std::move(v));
  }
  bool Int(int i) { return Int64(i); }
  bool Uint(unsigned u) { return Uint64(u); }
  bool Int64(int64_t i) {
    JValue v;
    v.type = JValue::Type::kNumber;
    v.number = static_cast<double>(i);
    v.integral = true;
    v.negative = i < 0;
    v.magnitude = i < 0 ? static_cast<uint64_t>(-(i + 1)) + 1 : static_cast<uint64_t>(i);
    return Value(std::move(v));
  }
  bool Uint64(uint64_t u) {
    JValue v;
    v.type = JValue::Type::kNumber;
    v.number = static_cast<double>(u);
    v.integral = true;
    v.magnitude = u;
    return Value(std::move(v));
  }
  bool Double(double d) {
    JValue v;
    v.type = JValue::Type::kNumber;
    v.number = d;
    return Value(std::move(v));
  }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return false; }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    if (!ValidText(s, n)) return false;
    JValue v;
    v.type = JValue::Type::kString;
    v.string.assign(s, n);
    return Value(std::move(v));
  }
  bool StartObject() { return Open(JValue::Type::kObject); }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    if (!ValidText(s, n)) return false;
    uint64_t start = TokenStart();
    stack_.back().keys.emplace_back(s, n);
    stack_.back().key_offsets.push_back(start);
    return true;
  }
  bool EndObject(rapidjson::SizeType) { return Close(); }
  bool StartArray() { return Open(JValue::Type::kArray); }
  bool EndArray(rapidjson::SizeType) { return Close(); }

  JValue TakeRoot() { return std::move(root_); }
  // Where nesting went past kMaxDepth, or -1.
  int64_t too_deep_at() const { return too_deep_at_; }
  // Where a string whose escapes decode to no character starts, or -1.
  int64_t bad_escape_at() const { return bad_escape_at_; }

 private:
  // With kParseIterativeFlag, RapidJSON calls the handler before it consumes the token (strings
  // and numbers are read through a local copy of the stream), so Tell() is the token's first
  // byte. tests/report/gate_test.cc pins this down with exact offsets.
  uint64_t TokenStart() const { return stream_->Tell(); }
  bool Value(JValue v) {
    v.offset = TokenStart();
    return Attach(std::move(v));
  }
  bool Attach(JValue v) {
    if (stack_.empty()) {
      root_ = std::move(v);
    } else {
      stack_.back().items.push_back(std::move(v));
    }
    return true;
  }
  // The text is valid UTF-8, but RapidJSON 1.1.0 decodes a lone low-surrogate escape
  // (`\udc00`) into the bytes of a surrogate, which no writer can write back as the same string.
  bool ValidText(const char* s, rapidjson::SizeType n) {
    if (FirstInvalidUtf8(std::string_view(s, n)) == std::string_view::npos) return true;
    bad_escape_at_ = TokenStart();
    return false;
  }
  bool Open(JValue::Type t) {
    if (stack_.size() >= kMaxDepth) {
      too_deep_at_ = TokenStart();
      return false;
    }
    JValue v;
    v.type = t;
    v.offset = TokenStart();
    stack_.push_back(std::move(v));
    return true;
  }
  bool Close() {
    JValue v = std::move(stack_.back());
    stack_.pop_back();
    return Attach(std::move(v));
  }

  const rapidjson::StringStream* stream_;
  std::vector<JValue> stack_;  // open arrays/objects; nesting depth of the file, not per value
  JValue root_;
  int64_t too_deep_at_ = -1;
  int64_t bad_escape_at_ = -1;
};

}  // namespace

const JValue* JValue::Find(std::string_view key) const {
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) return &items[i];
  }
  return nullptr;
}

const char* TypeName(JValue::Type t) {
  switch (t) {
    case JValue::Type::kNull:
      return "null";
    case JValue::Type::kBool:
      return "a boolean";
    case JValue::Type::kNumber:
      return "a number";
    case JValue::Type::kString:
      return "a string";
    case JValue::Type::kArray:
      return "an array";
    case JValue::Type::kObject:
      return "an object";
  }
  return "a value";
}

Result<JValue> ParseJsonConfig(std::string_view text, std::string_view file) {
  if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return InputError(file, "", static_cast<int64_t>(nul), "malformed JSON: a NUL byte");
  }
  if (size_t bad = FirstInvalidUtf8(text); bad != std::string_view::npos) {
    return InputError(file, "", static_cast<int64_t>(bad),
                      "malformed JSON: invalid or truncated UTF-8 sequence");
  }
  std::string copy(text);  // StringStream needs a terminating NUL
  rapidjson::StringStream stream(copy.c_str());
  TreeBuilder builder(&stream);
  rapidjson::Reader reader;
  rapidjson::ParseResult ok =
      reader.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(stream,
                                                                                           builder);
  if (builder.too_deep_at() >= 0) {
    return InputError(file, "", builder.too_deep_at(),
                      fmt::format("JSON nested deeper than {} levels is refused", kMaxDepth));
  }
  if (builder.bad_escape_at() >= 0) {
    return InputError(file, "", builder.bad_escape_at(),
                      "malformed JSON: a \\u escape in this string is a lone surrogate, not a "
                      "character");
  }
  if (!ok) {
    return InputError(file, "", static_cast<int64_t>(ok.Offset()),
                      std::string("malformed JSON: ") + rapidjson::GetParseError_En(ok.Code()));
  }
  return builder.TakeRoot();
}

}  // namespace heapscope::report::internal
