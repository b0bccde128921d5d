#include "run/sourcemaps.h"

#include <filesystem>
#include <system_error>

#include "heapscope/io/input.h"
#include "heapscope/leaks/sites.h"

namespace heapscope::run_internal {
namespace {

namespace fs = std::filesystem;
using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

constexpr uint64_t kMaxMapBytes = uint64_t{512} << 20;     // a map larger than this is refused
constexpr uint64_t kMaxScriptBytes = uint64_t{512} << 20;  // scripts read for their comment

bool IsFile(const std::string& p) {
  std::error_code ec;
  return !p.empty() && fs::is_regular_file(p, ec);
}

std::string StripFileUrl(std::string_view s) {
  if (s.starts_with("file://")) s.remove_prefix(7);
  return std::string(s);
}

// "webpack://app/src/x.ts", "node:fs", "https://…": a name with a URL scheme.
bool HasScheme(std::string_view s) {
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon < 2) return false;  // "C:" is not a scheme
  for (size_t i = 0; i < colon; ++i) {
    const char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
          c == '-' || c == '.'))
      return false;
  }
  return true;
}

std::string Dir(const std::string& path) {
  return fs::path(path).parent_path().lexically_normal().string();
}

// The text of one of the Script node's string edges that looks like a sourceMappingURL: V8 11
// writes it as an unnamed (hidden) edge, V8 ≥ 12 names it `source_mapping_url`.
std::string ScriptMapUrl(const Snapshot& snap, NodeIndex script) {
  NodeIndex named = leaks::NamedEdge(snap, script, EdgeType::kInternal,
                                               "source_mapping_url");
  if (named.valid()) {
    std::string_view t = leaks::ResolvedName(snap, named);
    if (!t.empty()) return std::string(t);
  }
  for (uint32_t e = snap.EdgeBegin(script); e < snap.EdgeEnd(script); ++e) {
    if (snap.edge_type[e] != EdgeType::kHidden) continue;
    const NodeIndex to = snap.edge_to[e];
    const NodeType t = snap.Type(to);
    if (t != NodeType::kString && t != NodeType::kConsString) continue;
    std::string_view text = leaks::ResolvedName(snap, to);
    if (text.starts_with("data:application/json") ||
        (text.ends_with(".map") && text.find('\n') == std::string_view::npos))
      return std::string(text);
  }
  return {};
}

}  // namespace

void SourceMapper::AddScripts(const Snapshot& snap) {
  std::vector<uint8_t> seen(snap.node_count(), 0);
  for (uint32_t n = 0; n < snap.node_count(); ++n) {
    if (snap.node_type[n] != NodeType::kClosure) continue;
    NodeIndex shared = leaks::NamedEdge(snap, NodeIndex(n), EdgeType::kInternal,
                                                  "shared");
    if (!shared.valid()) continue;
    NodeIndex script = leaks::NamedEdge(snap, shared, EdgeType::kInternal, "script");
    if (!script.valid())
      script = leaks::NamedEdge(snap, shared, EdgeType::kInternal, "script_or_debug_info");
    if (!script.valid() || seen[script.v]) continue;
    seen[script.v] = 1;
    std::string_view name =
        leaks::ResolvedName(snap, leaks::NamedEdge(snap, script, EdgeType::kInternal, "name"));
    if (name.empty() || scripts_.count(std::string(name))) continue;
    Script s;
    s.url = ScriptMapUrl(snap, script);
    if (s.url.empty()) {
      // The comment ends the source, so it is there only when V8 did not cut the source.
      s.url = std::string(sourcemap::FindSourceMappingUrl(leaks::ResolvedName(
          snap, leaks::NamedEdge(snap, script, EdgeType::kInternal, "source"))));
    }
    scripts_.emplace(std::string(name), std::move(s));
  }
}

std::string SourceMapper::Shown(std::string_view path) const {
  return leaks::DisplayPath(path, source_root_);
}

// The script as a file on this machine: as named, or under --source-root by its path's tail.
std::string SourceMapper::LocalScript(std::string_view script) const {
  if (HasScheme(script) && !script.starts_with("file://")) return {};
  std::string path = StripFileUrl(script);
  if (IsFile(path)) return path;
  if (source_root_.empty()) return {};
  std::string rel = leaks::DisplayPath(script, source_root_);
  if (rel.empty() || rel.front() == '/') return {};
  std::string under = (fs::path(source_root_) / rel).lexically_normal().string();
  return IsFile(under) ? under : std::string();
}

bool SourceMapper::TryText(const std::string& script, const std::string& text,
                           const std::string& what, const std::string& base, Entry& out) {
  return Accept(script, sourcemap::ParseSourceMap(text, what), what, base, out);
}

bool SourceMapper::Accept(const std::string& script, Result<sourcemap::SourceMap> m,
                          const std::string& what, const std::string& base, Entry& out) {
  if (!m.ok()) {
    ++invalid_;
    notes_.push_back("source map of " + Shown(script) + " not used: " + m.status().message());
    return false;
  }
  damaged_ += m->damaged_segments;
  std::string note = "source map of " + Shown(script) + ": " + what + ", " +
                     std::to_string(m->sources.size()) +
                     (m->sources.size() == 1 ? " source" : " sources");
  if (m->sections > 0) note += " in " + std::to_string(m->sections) + " sections";
  if (m->damaged_segments > 0)
    note += "; " + std::to_string(m->damaged_segments) + " damaged mappings skipped";
  notes_.push_back(std::move(note));
  out.map = std::make_unique<sourcemap::SourceMap>(std::move(*m));
  out.base = base;
  return true;
}

bool SourceMapper::TryFile(const std::string& script, const std::string& path,
                           const std::string& what, Entry& out) {
  if (!IsFile(path)) return false;
  // The same map file reached twice (its URL, then beside the script) is read once.
  const std::string key = script + '\n' + fs::path(path).lexically_normal().string();
  if (!tried_.insert(key).second) return false;
  Result<std::string> text = io::ReadWholeInput(path, kMaxMapBytes, "source map");
  if (!text.ok()) {
    ++invalid_;
    notes_.push_back("source map of " + Shown(script) + " not used: " + text.status().message());
    return false;
  }
  return TryText(script, *text, Shown(path) + " (" + what + ")", Dir(path), out);
}

bool SourceMapper::TryUrl(const std::string& script, std::string_view url,
                          const std::string& script_dir, const std::string& where, Entry& out) {
  if (url.empty()) return false;
  if (url.starts_with("data:")) {
    // V8 cuts snapshot strings at --heap-snapshot-string-limit: a URL of exactly that length
    // from the snapshot is a cut one when it does not read.
    const bool maybe_cut = url.size() == leaks::kSnapshotStringLimit && where == "in the snapshot";
    const std::string what = "inline data: URL " + where;
    Result<std::string> json = sourcemap::DecodeDataUrl(url);
    if (json.ok()) {
      Result<sourcemap::SourceMap> m = sourcemap::ParseSourceMap(*json, what);
      if (m.ok() || !maybe_cut) return Accept(script, std::move(m), what, script_dir, out);
    } else if (!maybe_cut) {
      ++invalid_;
      notes_.push_back("source map of " + Shown(script) + " not used: " + what + ": " +
                       json.status().message());
      return false;
    }
    ++truncated_;
    notes_.push_back("source map of " + Shown(script) + ": the inline map in the snapshot is cut at " +
                     std::to_string(leaks::kSnapshotStringLimit) +
                     " characters by V8 (run node with --heap-snapshot-string-limit=N to keep "
                     "it); looked on disk instead");
    return false;
  }
  if (HasScheme(url) && !url.starts_with("file://")) return false;  // http(s): not fetched
  std::string path = StripFileUrl(url);
  if (!path.empty() && path.front() != '/' && !script_dir.empty())
    path = (fs::path(script_dir) / path).lexically_normal().string();
  return TryFile(script, path, "sourceMappingURL " + where, out);
}

SourceMapper::Entry SourceMapper::Load(const std::string& script) {
  Entry e;
  const std::string local = LocalScript(script);
  // Sources of an inline map are relative to the script, even when it is gone from the disk.
  std::string local_dir = local.empty() ? std::string() : Dir(local);
  if (local_dir.empty() && !HasScheme(script)) {
    std::string named = StripFileUrl(script);
    if (!named.empty() && named.front() == '/') local_dir = Dir(named);
  }
  std::string url;
  if (auto it = scripts_.find(script); it != scripts_.end()) {
    url = it->second.url;
    if (TryUrl(script, url, local_dir, "in the snapshot", e)) return e;
  }
  if (!local.empty()) {
    Result<std::string> text = io::ReadWholeInput(local, kMaxScriptBytes, "script");
    if (text.ok()) {
      std::string_view disk_url = sourcemap::FindSourceMappingUrl(*text);
      if (!disk_url.empty()) url = std::string(disk_url);
      if (TryUrl(script, disk_url, local_dir, "in " + Shown(local), e)) return e;
    }
    if (TryFile(script, local + ".map", "beside the script", e)) return e;
  }
  if (!maps_dir_.empty()) {
    std::vector<std::string> names;
    if (!url.empty() && !url.starts_with("data:"))
      names.push_back(fs::path(StripFileUrl(url)).filename().string());
    const std::string file = fs::path(StripFileUrl(script)).filename().string();
    if (!file.empty()) names.push_back(file + ".map");
    std::string rel = leaks::DisplayPath(script, source_root_);
    if (!rel.empty() && rel.front() != '/' && !HasScheme(rel)) names.push_back(rel + ".map");
    for (const std::string& n : names) {
      if (n.empty() || n == ".map") continue;
      const std::string path = (fs::path(maps_dir_) / n).lexically_normal().string();
      if (TryFile(script, path, "--source-maps", e)) return e;
    }
  }
  return e;
}

std::optional<MappedPosition> SourceMapper::Map(std::string_view script, uint32_t line,
                                                uint32_t column) {
  if (script.empty()) return std::nullopt;
  std::string key(script);
  auto it = cache_.find(key);
  if (it == cache_.end()) it = cache_.emplace(key, Load(key)).first;
  const Entry& e = it->second;
  if (!e.map) return std::nullopt;
  std::optional<sourcemap::Original> o = sourcemap::Lookup(*e.map, line, column);
  if (!o || o->source.empty()) return std::nullopt;
  MappedPosition p;
  p.line = o->line;
  p.column = o->column;
  std::string_view src = o->source;
  if (src.starts_with("file://")) {
    p.file = StripFileUrl(src);
  } else if (HasScheme(src) || src.front() == '/' || e.base.empty()) {
    p.file = std::string(src);
  } else {
    p.file = (fs::path(e.base) / std::string(src)).lexically_normal().string();
  }
  return p;
}

std::vector<std::pair<std::string, uint64_t>> SourceMapper::Counters() const {
  std::vector<std::pair<std::string, uint64_t>> out;
  if (invalid_) out.emplace_back("source_maps_invalid", invalid_);
  if (damaged_) out.emplace_back("source_map_segments_damaged", damaged_);
  if (truncated_) out.emplace_back("source_maps_cut_in_snapshot", truncated_);
  return out;
}

}  // namespace heapscope::run_internal
