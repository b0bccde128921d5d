// Text and JSON for `strings` (report/commands.h; formats in docs/cmd-strings.md).
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "heapscope/report/commands.h"
#include "report/json_writer.h"
#include "report/render_util.h"

namespace heapscope::report {
namespace {

using internal::JsonOut;
using text::Ellipsize;
using text::TerminalSafe;
using text::Thousands;

// A value on one line: quoted, line breaks and tabs as \n \r \t, terminal-safe, cut.
std::string Quoted(std::string_view s, size_t columns) {
  std::string flat;
  for (char c : s) {
    if (c == '\n') {
      flat += "\\n";
    } else if (c == '\r') {
      flat += "\\r";
    } else if (c == '\t') {
      flat += "\\t";
    } else {
      flat += c;
    }
  }
  return "\"" + Ellipsize(TerminalSafe(flat), columns) + "\"";
}

std::string SizesNote(const StringsResult& r) {
  return r.loaded.analysis.shallow_sizes_reassigned ? "self sizes after DevTools' reassignment"
                                                    : "self sizes as in the file";
}

}  // namespace

std::string RenderStringsText(const StringsResult& r) {
  const snapshot::Snapshot& s = r.loaded.snapshot;
  std::string out = fmt::format("Snapshot  {}\n", TerminalSafe(s.source));
  out += fmt::format("Strings   {} copies of {} duplicated value{}: {} bytes, {} of them wasted\n",
                     Thousands(r.strings), Thousands(r.rows.size()),
                     r.rows.size() == 1 ? "" : "s", Thousands(r.self_size), Thousands(r.wasted));
  out += fmt::format("Sizes     {}; wasted = all copies but the largest\n", SizesNote(r));
  if (r.shown < r.rows.size()) {
    out += fmt::format("Showing   {} values, most wasted bytes first (--top 0 lists all)\n", r.shown);
  }
  if (r.shown == 0) return out;
  struct Cells {
    std::string wasted, copies, self, retained, value;
  };
  std::vector<Cells> cells = {{"Wasted", "Copies", "Self size", "Retained", "Value"}};
  for (size_t i = 0; i < r.shown; ++i) {
    const StringGroupRow& row = r.rows[i];
    std::string value = Quoted(row.group.value, 70);
    if (row.group.truncated) {
      value += fmt::format(" (truncated by V8; length {})",
                           row.group.length ? Thousands(*row.group.length) : std::string("?"));
    }
    cells.push_back({Thousands(row.group.wasted()), Thousands(row.group.nodes.size()),
                     Thousands(row.group.self_size), Thousands(row.retained_size), value});
  }
  size_t w[4] = {};
  for (const Cells& c : cells) {
    w[0] = std::max(w[0], c.wasted.size());
    w[1] = std::max(w[1], c.copies.size());
    w[2] = std::max(w[2], c.self.size());
    w[3] = std::max(w[3], c.retained.size());
  }
  out += "\n";
  const size_t indent = w[0] + w[1] + w[2] + w[3] + 10;
  for (size_t i = 0; i < cells.size(); ++i) {
    const Cells& c = cells[i];
    out += fmt::format("{:>{}}  {:>{}}  {:>{}}  {:>{}}  {}\n", c.wasted, w[0], c.copies, w[1],
                       c.self, w[2], c.retained, w[3], c.value);
    if (i == 0) continue;
    const StringGroupRow& row = r.rows[i - 1];
    if (row.holders.empty()) continue;
    std::vector<std::string> held;
    for (const StringHolder& h : row.holders) {
      held.push_back(fmt::format("{} ×{}", Ellipsize(TerminalSafe(h.holder), 60),
                                 Thousands(h.count)));
    }
    out += std::string(indent, ' ') + "held by " + internal::Join(held, ", ") + "\n";
  }
  return out;
}

std::string RenderStringsJson(const StringsResult& r) {
  const snapshot::Snapshot& s = r.loaded.snapshot;
  JsonOut w;
  w.StartObject();
  w.KStr("schema", "heapscope.strings/1");
  w.KStr("file", s.source);
  w.KStr("self_sizes", r.loaded.analysis.shallow_sizes_reassigned ? "devtools" : "file");
  w.KU64("group_count", r.rows.size());
  w.KU64("strings", r.strings);
  w.KU64("self_size", r.self_size);
  w.KU64("wasted", r.wasted);
  w.Key("groups");
  w.StartArray();
  for (size_t i = 0; i < r.shown; ++i) {
    const StringGroupRow& row = r.rows[i];
    const snapshot::StringGroup& g = row.group;
    w.StartObject();
    w.KStr("value", g.value);
    w.Key("truncated");
    w.Bool(g.truncated);
    if (g.truncated) {
      w.Key("length");
      if (g.length) w.I64(*g.length); else w.Null();
      w.Key("hash");
      if (g.hash) w.I64(*g.hash); else w.Null();
    }
    w.KU64("count", g.nodes.size());
    w.KU64("self_size", g.self_size);
    w.KU64("wasted", g.wasted());
    w.KU64("retained_size", row.retained_size);
    w.Key("ids");
    w.StartArray();
    for (NodeIndex n : g.nodes) w.U64(s.NodeId(n));
    w.EndArray();
    w.Key("holders");
    w.StartArray();
    for (const StringHolder& h : row.holders) {
      w.StartObject();
      w.KStr("holder", h.holder);
      w.KU64("count", h.count);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("diagnostics");
  w.StartObject();
  for (const auto& [name, value] : s.diagnostics.NonZero()) w.KU64(name, value);
  w.EndObject();
  w.EndObject();
  return w.Take();
}

}  // namespace heapscope::report
