// Status and Result<T>: the one kind of error that crosses heapscope's library boundary.
//
// No exception leaves heapscope_core. Errors that concern user input carry the file, the field
// and the byte offset in their message (see InputError()); the CLI maps every error to exit code 2.
#ifndef HEAPSCOPE_STATUS_H_
#define HEAPSCOPE_STATUS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace heapscope {

class Status {
 public:
  enum class Code : uint8_t {
    kOk = 0,
    kInvalidInput,  // malformed, truncated or inconsistent input file
    kIo,            // cannot open, read or write a file
    kUsage,         // bad option values or combinations
    kInternal,      // a broken invariant inside heapscope
  };

  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidInput(std::string m) { return Status(Code::kInvalidInput, std::move(m)); }
  static Status Io(std::string m) { return Status(Code::kIo, std::move(m)); }
  static Status Usage(std::string m) { return Status(Code::kUsage, std::move(m)); }
  static Status Internal(std::string m) { return Status(Code::kInternal, std::move(m)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// "FILE: field 'nodes': byte 1234: MESSAGE" — the shape of every input error.
// `field` may be empty when no field applies; `offset` < 0 means "no byte offset".
Status InputError(std::string_view file, std::string_view field, int64_t offset,
                  std::string_view message);

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}                  // NOLINT(runtime/explicit)
  Result(Status status) : v_(std::move(status)) {}           // NOLINT(runtime/explicit)

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace heapscope

#define HS_CONCAT_INNER_(a, b) a##b
#define HS_CONCAT_(a, b) HS_CONCAT_INNER_(a, b)

#define HS_RETURN_IF_ERROR(expr)                  \
  do {                                            \
    ::heapscope::Status hs_status_ = (expr);      \
    if (!hs_status_.ok()) return hs_status_;      \
  } while (0)

#define HS_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()

#define HS_ASSIGN_OR_RETURN(lhs, expr) \
  HS_ASSIGN_OR_RETURN_IMPL_(HS_CONCAT_(hs_result_, __LINE__), lhs, expr)

#endif  // HEAPSCOPE_STATUS_H_
