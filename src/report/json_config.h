// A small JSON reader for configuration files (policy, baseline): a tree of values that keeps
// each value's byte offset, so errors can name the file, the field and the byte (0-based, like
// RapidJSON's parse errors). Config files are small; the tree allocates per value on purpose.
#ifndef HEAPSCOPE_SRC_REPORT_JSON_CONFIG_H_
#define HEAPSCOPE_SRC_REPORT_JSON_CONFIG_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "heapscope/status.h"

namespace heapscope::report::internal {

struct JValue {
  enum class Type : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  double number = 0;
  bool integral = false;  // an integer literal that fits in int64/uint64
  bool negative = false;
  uint64_t magnitude = 0;  // |value| when integral
  std::string string;
  std::vector<std::string> keys;      // objects: keys[i] names items[i]
  std::vector<JValue> items;          // arrays and objects
  std::vector<uint64_t> key_offsets;  // objects: where each key starts
  uint64_t offset = 0;                // where the value starts

  const JValue* Find(std::string_view key) const;
};

const char* TypeName(JValue::Type t);

// Parses strict JSON (RFC 8259); malformed text is an InputError with RapidJSON's message and
// byte offset.
Result<JValue> ParseJsonConfig(std::string_view text, std::string_view file);

}  // namespace heapscope::report::internal

#endif  // HEAPSCOPE_SRC_REPORT_JSON_CONFIG_H_
