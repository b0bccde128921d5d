// Helpers shared by the renderers: number and size formatting, escaping for each output
// language, and the flattened list of findings (primary findings and their nested secondary
// ones, in report order). Internal to src/report.
#ifndef HEAPSCOPE_SRC_REPORT_RENDER_UTIL_H_
#define HEAPSCOPE_SRC_REPORT_RENDER_UTIL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "heapscope/report/report.h"
#include "heapscope/text.h"

namespace heapscope::report::internal {

// Numbers, sizes, durations and terminal-safe text: the one set in heapscope/text.h.
using text::Bytes;
using text::Columns;
using text::Duration;
using text::Ellipsize;
using text::Signed;
using text::TerminalSafe;
using text::Thousands;
using text::ValidUtf8;

// "file:line:col", "file:line", "file", or "(unknown site)".
std::string SiteString(const Site& site);
// A site's generated position (source maps): "dist/app.js:1:4821", "" when not mapped.
std::string GeneratedString(const Site& site);
// A stack frame: "name file:line:col", "anonymous file:line:col", "name" when it has no file.
std::string FrameString(const Site& frame);
// "120 objects, 6.7 kB (of 450 allocations, 25.2 kB, at this stack while tracking)".
std::string StackSummary(const AllocationStack& s);
// The last profile's top stacks, one line each: "12.3 kB  45.6 kB  fn file:l:c ← caller …".
std::vector<std::string> ProfileRowLines(const std::vector<ProfileStackRow>& rows, size_t frames);
// Counts joined with an arrow: "40 → 1,600 → 3,200" (arrow chosen by the caller).
std::string JoinCounts(const std::vector<uint64_t>& counts, std::string_view arrow);
std::string JoinGrowth(const std::vector<int64_t>& growth);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

// The finding's fingerprint: its own when set, else computed (fingerprint.h).
std::string FingerprintOf(const Finding& f);

// A finding with its position: depth 0 = primary, 1+ = secondary of the finding before.
struct FlatFinding {
  const Finding* finding;
  uint32_t depth;
  std::string number;  // "1", "1.1", "1.2", "2", …
};
// Pre-order walk with an explicit stack (no recursion).
std::vector<FlatFinding> Flatten(const Report& report);

// HTML text and attribute values: & < > " ' escaped; invalid UTF-8 replaced; C0 controls except
// \t \n dropped (they are not allowed in HTML).
std::string HtmlEscape(std::string_view s);
// XML 1.0 text/attribute: & < > " ' escaped; characters XML 1.0 forbids (C0 except \t \n \r,
// U+FFFE, U+FFFF) written as U+FFFD; \n \r \t in attributes as character references.
std::string XmlEscape(std::string_view s, bool attribute);
// Markdown inline text (outside code): backslash-escapes the punctuation CommonMark gives a
// meaning to, and writes < > & as entities so no raw HTML reaches GitHub/GitLab. With
// `block_start` (text that begins a paragraph or list item) a leading "#", "-", "+", "=", ">" or
// "1." is escaped too, so it cannot open a heading, list or quote.
std::string MarkdownText(std::string_view s, bool block_start = false);
// An inline code span that survives any content: chooses a backtick fence longer than any run
// inside; `|` is escaped as `\|` when `in_table` (GFM splits cells before inline parsing).
std::string MarkdownCode(std::string_view s, bool in_table);
// A fence (``` or longer) that does not occur in `body`.
std::string MarkdownFence(std::string_view body);

// The SARIF/JUnit id of the policy's class-growth limit (not a rule of the leak registry).
inline constexpr std::string_view kClassGrowthRule = "class-growth-limit";
// "class Order grew by +120 objects (limit +100) and +5,760 bytes (limit +4,096) from snapshot 1
// to 3 (class_growth 'Order')".
std::string ClassBreachText(const ClassBreach& b, size_t snapshots);

// Greedy word wrap of `text` to `width` columns; continuation lines start with `indent`
// spaces. The first line is assumed to start at column `first_column`.
std::string Wrap(std::string_view text, uint32_t width, uint32_t indent, uint32_t first_column);

}  // namespace heapscope::report::internal

#endif  // HEAPSCOPE_SRC_REPORT_RENDER_UTIL_H_
