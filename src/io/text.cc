#include "heapscope/text.h"

#include <fmt/format.h>

#include <cmath>

namespace heapscope::text {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

std::string Thousands(uint64_t v) {
  std::string digits = std::to_string(v);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  size_t lead = digits.size() % 3;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && i >= lead && (i - lead) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string Thousands(int64_t v) {
  if (v >= 0) return Thousands(static_cast<uint64_t>(v));
  return "-" + Thousands(static_cast<uint64_t>(-(v + 1)) + 1);
}

std::string Thousands(double v) {
  if (!std::isfinite(v)) return fmt::format("{}", v);
  std::string digits = fmt::format("{:.0f}", std::fabs(v));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 && out != "0" ? "-" + out : out;
}

std::string Signed(int64_t v) {
  if (v == 0) return "0";
  return v < 0 ? Thousands(v) : "+" + Thousands(static_cast<uint64_t>(v));
}

std::string Bytes(double v) {
  double a = std::fabs(v);
  if (!std::isfinite(v)) return fmt::format("{} B", v);
  if (a >= 1e12) return fmt::format("{:.2f} TB", v / 1e12);
  if (a >= 1e9) return fmt::format("{:.2f} GB", v / 1e9);
  if (a >= 1e6) return fmt::format("{:.2f} MB", v / 1e6);
  if (a >= 1e3) return fmt::format("{:.1f} kB", v / 1e3);
  return fmt::format("{:.0f} B", v);
}

std::string Duration(double seconds) {
  if (!std::isfinite(seconds)) return "never";
  double s = std::fabs(seconds);
  std::string sign = seconds < 0 ? "-" : "";
  if (s < 120) return fmt::format("{}{:.0f} s", sign, s);
  if (s < 600) return fmt::format("{}{:.1f} min", sign, s / 60);
  if (s < 7200) return fmt::format("{}{:.0f} min", sign, s / 60);
  if (s < 48 * 3600) {
    int64_t total_min = std::llround(s / 60);
    return fmt::format("{}{}h{:02d}m", sign, total_min / 60, static_cast<int>(total_min % 60));
  }
  return fmt::format("{}{:.1f} days", sign, s / 86400);
}

std::string RatePerHour(double per_second, bool bytes) {
  double per_hour = per_second * 3600;
  std::string sign = per_hour >= 0 ? "+" : "-";
  double a = std::fabs(per_hour);
  if (bytes) return fmt::format("{}{}/h", sign, Bytes(a));
  if (a >= 100) return fmt::format("{}{}/h", sign, Thousands(a));
  return fmt::format("{}{:.3g}/h", sign, a);
}

double Percent(uint64_t part, uint64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

std::string Site(std::string_view file, uint32_t line, uint32_t column) {
  if (file.empty()) return "(unknown site)";
  if (line == 0) return std::string(file);
  if (column == 0) return fmt::format("{}:{}", file, line);
  return fmt::format("{}:{}:{}", file, line, column);
}

size_t DecodeUtf8(std::string_view s, size_t i, uint32_t* cp) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t n;
  uint32_t v;
  uint32_t min;
  if ((c & 0xE0) == 0xC0) {
    n = 2, v = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, v = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, v = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b(i + k) & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    uint32_t cp;
    size_t n = DecodeUtf8(s, i, &cp);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

namespace {

// Walks `s` as UTF-8: each invalid byte becomes U+FFFD; each valid sequence goes to
// emit(out, code_point, bytes).
template <typename Emit>
std::string Repaired(std::string_view s, Emit emit) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    uint32_t cp;
    size_t n = DecodeUtf8(s, i, &cp);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    emit(out, cp, s.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace

std::string ValidUtf8(std::string_view s) {
  return Repaired(s, [](std::string& out, uint32_t, std::string_view bytes) { out += bytes; });
}

std::string TerminalSafe(std::string_view s) {
  return Repaired(s, [](std::string& out, uint32_t cp, std::string_view bytes) {
    // C0, DEL and C1 controls (C1 includes the 8-bit CSI U+009B).
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      out += fmt::format("\\x{:02x}", cp);
    } else {
      out += bytes;
    }
  });
}

size_t Columns(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string Ellipsize(std::string_view s, size_t columns) {
  if (Columns(s) <= columns) return std::string(s);
  if (columns == 0) return "";
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    bool starts = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    if (starts && ++n > columns - 1) break;
    out += s[i];
  }
  return out + "…";
}

std::string PadRight(std::string s, size_t columns) {
  size_t c = Columns(s);
  if (c < columns) s.append(columns - c, ' ');
  return s;
}

size_t JsonNestingOverflow(std::string_view t, uint32_t max_depth) {
  uint32_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

}  // namespace heapscope::text
