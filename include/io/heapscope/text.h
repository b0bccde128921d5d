// The one set of formatters and text-safety functions every output uses: numbers, sizes,
// durations, rates, sites, and strings from untrusted input made safe for a terminal or for
// JSON. Renderers in every stage call these; none keeps its own copy.
#ifndef HEAPSCOPE_TEXT_H_
#define HEAPSCOPE_TEXT_H_

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

namespace heapscope::text {

// 1234567 -> "1,234,567"; -1600 -> "-1,600".
std::string Thousands(uint64_t v);
std::string Thousands(int64_t v);
// Integers of any width go to the exact overloads above.
template <std::integral T>
std::string Thousands(T v) {
  if constexpr (std::is_signed_v<T>) {
    return Thousands(static_cast<int64_t>(v));
  } else {
    return Thousands(static_cast<uint64_t>(v));
  }
}
// Rounded to an integer first; "inf"/"nan" as fmt writes them.
std::string Thousands(double v);
// -1600 -> "-1,600", 1600 -> "+1,600", 0 -> "0".
std::string Signed(int64_t v);
// Decimal (SI) units like DevTools: "512 B", "98.3 kB", "280.65 MB", "1.30 GB", "2.10 TB".
std::string Bytes(double v);
// Seconds: "41 s", "5.7 min", "18 min", "2h48m", "3.2 days"; "never" when not finite.
std::string Duration(double seconds);
// A per-second rate as a signed per-hour figure: "+280.7 MB/h" (bytes), "+673/h", "-0.5/h".
std::string RatePerHour(double per_second, bool bytes);
// 100 * part / whole, 0 when whole is 0.
double Percent(uint64_t part, uint64_t whole);
// "file:line:col", "file:line", "file", or "(unknown site)" (1-based line/column; 0 = absent).
std::string Site(std::string_view file, uint32_t line, uint32_t column);

// Decodes one UTF-8 sequence at s[i]: its length, with *cp set, or 0 for an invalid byte
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t* cp);
// Whether `s` is valid UTF-8.
bool IsValidUtf8(std::string_view s);
// Valid UTF-8 out: every invalid byte becomes U+FFFD (JSON, XML and HTML require it).
std::string ValidUtf8(std::string_view s);
// Text shown on a terminal: invalid UTF-8 becomes U+FFFD; C0, DEL and C1 control characters
// (ESC, BEL, NUL, CR, BS, the 8-bit CSI, …, and tab and newline) become "\xNN", so a string
// from a snapshot cannot move the cursor, set the title or change colours. Every text output
// and every error message that quotes input goes through it.
std::string TerminalSafe(std::string_view s);

// Display width in columns (counts UTF-8 code points).
size_t Columns(std::string_view s);
// Cuts to at most `columns` code points, ending with "…" when cut.
std::string Ellipsize(std::string_view s, size_t columns);
// `s` followed by spaces up to `columns` display columns.
std::string PadRight(std::string s, size_t columns);

// The byte offset of the first '[' or '{' in JSON text that opens a level deeper than
// `max_depth` (brackets inside strings do not count), or npos: lets a reader refuse deep
// nesting before a recursive DOM parse sees it.
size_t JsonNestingOverflow(std::string_view json, uint32_t max_depth);

}  // namespace heapscope::text

#endif  // HEAPSCOPE_TEXT_H_
