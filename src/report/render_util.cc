#include "report/render_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "heapscope/report/fingerprint.h"

namespace heapscope::report::internal {

std::string SiteString(const Site& site) { return text::Site(site.file, site.line, site.column); }

std::string GeneratedString(const Site& site) {
  if (!site.mapped()) return {};
  return text::Site(site.generated_file, site.generated_line, site.generated_column);
}

std::string FrameString(const Site& frame) {
  std::string name = frame.function.empty() ? "(anonymous)" : frame.function;
  if (frame.file.empty()) return name;
  return name + " " + SiteString(frame);
}

std::string StackSummary(const AllocationStack& s) {
  if (s.count == 0 && s.allocations == 0) return Bytes(s.self_size) + " sampled live";
  std::string out = Thousands(s.count) + (s.count == 1 ? " object, " : " objects, ") +
                    Bytes(s.self_size);
  if (s.allocations != 0) {
    out += " (of " + Thousands(s.allocations) +
           (s.allocations == 1 ? " allocation, " : " allocations, ") + Bytes(s.allocated_bytes) +
           ", at this stack while tracking)";
  }
  return out;
}

std::vector<std::string> ProfileRowLines(const std::vector<ProfileStackRow>& rows, size_t frames) {
  std::vector<std::string> out;
  for (const ProfileStackRow& r : rows) {
    std::string line = fmt::format("{:>10}  {:>10}  ", Bytes(r.self_size), Bytes(r.total_size));
    for (size_t i = 0; i < r.frames.size() && i < frames; ++i)
      line += (i ? " ← " : "") + FrameString(r.frames[i]);
    if (r.frames.size() > frames) line += " ← …";
    out.push_back(std::move(line));
  }
  return out;
}

std::string JoinCounts(const std::vector<uint64_t>& counts, std::string_view arrow) {
  std::string out;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (i) out += arrow;
    out += Thousands(counts[i]);
  }
  return out;
}

std::string JoinGrowth(const std::vector<int64_t>& growth) {
  std::string out;
  for (size_t i = 0; i < growth.size(); ++i) {
    if (i) out += ", ";
    out += Signed(growth[i]);
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string FingerprintOf(const Finding& f) {
  return f.fingerprint.empty() ? ComputeFingerprint(f) : f.fingerprint;
}

std::vector<FlatFinding> Flatten(const Report& report) {
  std::vector<FlatFinding> out;
  struct Item {
    const Finding* f;
    uint32_t depth;
    std::string number;
  };
  std::vector<Item> stack;
  for (size_t i = report.findings.size(); i-- > 0;) {
    stack.push_back({&report.findings[i], 0, std::to_string(i + 1)});
  }
  while (!stack.empty()) {
    Item it = std::move(stack.back());
    stack.pop_back();
    for (size_t i = it.f->secondary.size(); i-- > 0;) {
      stack.push_back({&it.f->secondary[i], it.depth + 1, fmt::format("{}.{}", it.number, i + 1)});
    }
    out.push_back({it.f, it.depth, std::move(it.number)});
  }
  return out;
}

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Valid UTF-8 with DEL and the C1 controls (U+0080-U+009F, among them the 8-bit CSI) written
// as spaces: Markdown is read on terminals too. C0 controls are left to the caller.
std::string ValidUtf8NoC1(std::string_view raw) {
  std::string s = ValidUtf8(raw);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0x7F) {
      out += ' ';
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
      out += ' ';
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::string HtmlEscape(std::string_view raw) {
  std::string s = ValidUtf8(raw);
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          out += kReplacement;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string XmlEscape(std::string_view raw, bool attribute) {
  std::string s = ValidUtf8(raw);
  std::string out;
  out.reserve(s.size() + 16);
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += attribute ? "&quot;" : "\"";
        break;
      case '\'':
        out += attribute ? "&apos;" : "'";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      default:
        if (u < 0x20) {
          out += kReplacement;
        } else if (u == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
                   (static_cast<unsigned char>(s[i + 2]) == 0xBE ||
                    static_cast<unsigned char>(s[i + 2]) == 0xBF)) {
          out += kReplacement;  // U+FFFE / U+FFFF are not XML characters
          i += 2;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string MarkdownText(std::string_view raw, bool block_start) {
  std::string s = ValidUtf8NoC1(raw);
  std::string out;
  out.reserve(s.size() + 16);
  // At the start of a line these would open a heading, list, quote or rule.
  size_t lead = 0;
  while (lead < s.size() && s[lead] >= '0' && s[lead] <= '9') ++lead;
  bool ordered = block_start && lead > 0 && lead < s.size() && (s[lead] == '.' || s[lead] == ')');
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 0 && block_start && (c == '#' || c == '+' || c == '-' || c == '=' || c == '>')) {
      out += '\\';
      out += c;
      continue;
    }
    if (ordered && i == lead) {
      out += '\\';
      out += c;
      continue;
    }
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      // Emphasis, code, links, tables, strikethrough, math, issue references.
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '|':
      case '~':
      case '$':
      case '#':
        out += '\\';
        out += c;
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string MarkdownCode(std::string_view raw, bool in_table) {
  std::string s = ValidUtf8NoC1(raw);
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  size_t longest = 0, run = 0;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(longest + 1, '`');
  std::string body;
  for (char c : s) {
    if (c == '|' && in_table) {
      body += "\\|";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      body += ' ';
    } else {
      body += c;
    }
  }
  bool pad = !body.empty() && (body.front() == '`' || body.back() == '`' ||
                               (body.front() == ' ' && body.back() == ' '));
  if (body.empty()) body = " ";
  return pad ? fence + " " + body + " " + fence : fence + body + fence;
}

std::string MarkdownFence(std::string_view body) {
  size_t longest = 0, run = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<size_t>(3, longest + 1), '`');
}

std::string Wrap(std::string_view text, uint32_t width, uint32_t indent, uint32_t first_column) {
  std::string out;
  size_t col = first_column;
  bool line_empty = true;
  auto newline = [&] {
    out += '\n';
    out.append(indent, ' ');
    col = indent;
    line_empty = true;
  };
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t j = i;
    while (j < text.size() && text[j] != ' ') ++j;
    if (j == i) break;
    std::string_view word = text.substr(i, j - i);
    i = j;
    size_t w = Columns(word);
    if (!line_empty && col + 1 + w > width) newline();
    if (!line_empty) {
      out += ' ';
      ++col;
    }
    if (col + w <= width || width <= indent + 1) {
      out += word;
      col += w;
      line_empty = false;
      continue;
    }
    // A word wider than the line (a long path or label set): break it after '/' or ',', and
    // cut what is still too wide.
    size_t k = 0;
    while (k < word.size()) {
      size_t e = word.find_first_of("/,", k);
      e = e == std::string_view::npos ? word.size() : e + 1;
      std::string_view piece = word.substr(k, e - k);
      k = e;
      while (!piece.empty()) {
        size_t room = width > col ? width - col : 0;
        size_t pw = Columns(piece);
        if (pw <= room) {
          out += piece;
          col += pw;
          line_empty = false;
          break;
        }
        if (!line_empty && pw <= width - indent) {
          newline();
          continue;
        }
        // Cut `room` code points (at least one, so the loop advances).
        size_t take = 0, cps = 0;
        while (take < piece.size() && (cps < std::max<size_t>(room, 1))) {
          ++take;
          while (take < piece.size() && (static_cast<unsigned char>(piece[take]) & 0xC0) == 0x80)
            ++take;
          ++cps;
        }
        out += piece.substr(0, take);
        col += cps;
        line_empty = false;
        piece.remove_prefix(take);
        if (!piece.empty()) newline();
      }
    }
  }
  return out;
}

std::string ClassBreachText(const ClassBreach& b, size_t snapshots) {
  std::vector<std::string> what;
  if (b.instances_exceeded) {
    what.push_back(fmt::format("{} objects (limit {})", Signed(b.growth.count_delta),
                               Signed(*b.max_instances)));
  }
  if (b.bytes_exceeded) {
    what.push_back(fmt::format("{} bytes (limit {})", Signed(b.growth.size_delta),
                               Signed(*b.max_bytes)));
  }
  return fmt::format("class {} grew by {} from snapshot 1 to {} (class_growth '{}')",
                     b.growth.name, Join(what, " and "), snapshots, b.pattern);
}

}  // namespace heapscope::report::internal
