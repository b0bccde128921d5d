#include "report/json_config.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <cmath>

namespace heapscope::report::internal {
namespace {

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
    JValue v;
    v.type = JValue::Type::kString;
    v.string.assign(s, n);
    return Value(std::move(v));
  }
  bool StartObject() { return Open(JValue::Type::kObject); }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    uint64_t start = TokenStart();
    stack_.back().keys.emplace_back(s, n);
    stack_.back().key_offsets.push_back(start);
    return true;
  }
  bool EndObject(rapidjson::SizeType) { return Close(); }
  bool StartArray() { return Open(JValue::Type::kArray); }
  bool EndArray(rapidjson::SizeType) { return Close(); }

  JValue TakeRoot() { return std::move(root_); }

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
  bool Open(JValue::Type t) {
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
  std::string copy(text);  // StringStream needs a terminating NUL
  rapidjson::StringStream stream(copy.c_str());
  TreeBuilder builder(&stream);
  rapidjson::Reader reader;
  rapidjson::ParseResult ok =
      reader.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(stream,
                                                                                           builder);
  if (!ok) {
    return InputError(file, "", static_cast<int64_t>(ok.Offset()),
                      std::string("malformed JSON: ") + rapidjson::GetParseError_En(ok.Code()));
  }
  return builder.TakeRoot();
}

}  // namespace heapscope::report::internal
