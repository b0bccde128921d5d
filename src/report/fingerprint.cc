#include "heapscope/report/fingerprint.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdint>
#include <vector>

namespace heapscope::report {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// FNV-1a, 64 bit, from a chosen offset basis.
uint64_t Fnv1a(std::string_view s, uint64_t h) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace

std::string NormalizeRetainerStep(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '@' && i + 1 < s.size() && IsDigit(s[i + 1])) {
      // "@12345": a node id. Drop it and one space before it.
      i += 1;
      while (i < s.size() && IsDigit(s[i])) ++i;
      if (!out.empty() && out.back() == ' ') out.pop_back();
      continue;
    }
    if (c == '[') {
      size_t j = i + 1;
      while (j < s.size() && IsDigit(s[j])) ++j;
      if (j > i + 1 && j < s.size() && s[j] == ']') {
        out += "[]";
        i = j + 1;
        continue;
      }
    }
    if (c == '.' && i + 1 < s.size() && IsDigit(s[i + 1])) {
      size_t j = i + 1;
      while (j < s.size() && IsDigit(s[j])) ++j;
      if (j == s.size() || s[j] == '.' || s[j] == ' ' || s[j] == '[') {
        out += ".[]";
        i = j;
        continue;
      }
    }
    if (c == ' ' && (out.empty() || out.back() == ' ')) {
      ++i;
      continue;
    }
    out += c;
    ++i;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string ComputeFingerprint(const Finding& f) {
  std::string key = fmt::format("heapscope-fingerprint/v1\n{}\n{}:{}:{}\n{}\n{}\n", f.rule,
                                f.site.file, f.site.line, f.site.column, f.event, f.emitter);
  if (!f.retainer_path.empty()) {
    for (const std::string& step : f.retainer_path) {
      key += NormalizeRetainerStep(step);
      key += '\n';
    }
  } else {
    key += NormalizeRetainerStep(f.accumulation_point);
    key += '\n';
  }
  uint64_t a = Fnv1a(key, 0xcbf29ce484222325ULL);
  uint64_t b = Fnv1a(key, 0x84222325cbf29ce4ULL);
  return fmt::format("v1:{:016x}{:016x}", a, b);
}

void FillFingerprints(Report* report) {
  std::vector<Finding*> stack;
  for (Finding& f : report->findings) stack.push_back(&f);
  while (!stack.empty()) {
    Finding* f = stack.back();
    stack.pop_back();
    if (f->fingerprint.empty()) f->fingerprint = ComputeFingerprint(*f);
    for (Finding& s : f->secondary) stack.push_back(&s);
  }
}

}  // namespace heapscope::report
