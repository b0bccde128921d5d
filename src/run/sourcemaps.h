// Internal to run/: finding the source map of each script and mapping sites through it.
//
// For a script named in a snapshot, the map is looked for, first found wins:
//   1. the script's sourceMappingURL as the snapshot holds it: the Script's
//      `source_mapping_url` (named by V8 ≥ 12; an unnamed string edge before that), or the
//      `//# sourceMappingURL=` comment of the `source` string the snapshot holds. A `data:` URL
//      is decoded in place; a path or file: URL is read relative to the script;
//   2. the script file on disk (as named, or under --source-root by the same tail matching as
//      DisplayPath): its own `//# sourceMappingURL=` comment;
//   3. `<script>.map` beside it;
//   4. `--source-maps DIR`: the URL's file name, `<script file name>.map`, or the script's path
//      relative to --source-root + `.map`, under DIR.
// V8 cuts every string of a snapshot at --heap-snapshot-string-limit (1024 characters by
// default), so an inline map survives in the snapshot only when the process ran with a larger
// limit; a cut one is noted and the disk is tried next.
// A map that cannot be read is noted (its error names the map, the field, the byte) and counted;
// sites of its script stay generated. Nothing here is fatal.
#ifndef HEAPSCOPE_SRC_RUN_SOURCEMAPS_H_
#define HEAPSCOPE_SRC_RUN_SOURCEMAPS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "heapscope/snapshot/snapshot.h"
#include "heapscope/sourcemap/sourcemap.h"

namespace heapscope::run_internal {

struct MappedPosition {
  std::string file;  // the original source: a local path when it resolves to one, else as named
  uint32_t line = 0;    // 0-based
  uint32_t column = 0;  // 0-based
};

class SourceMapper {
 public:
  SourceMapper(std::string source_root, std::string maps_dir)
      : source_root_(std::move(source_root)), maps_dir_(std::move(maps_dir)) {}

  // What `snap` holds about each script's map (call with the last snapshot of the series).
  void AddScripts(const snapshot::Snapshot& snap);

  // The original position of generated (line, column) of `script`, 0-based; none when no map
  // covers it. Loads the script's map the first time it is asked for.
  std::optional<MappedPosition> Map(std::string_view script, uint32_t line, uint32_t column);

  // One line per script whose map was read ("dist/app.js: dist/app.js.map beside the script, 3
  // sources") or could not be ("…: inline map cut at 1024 characters by V8, …").
  const std::vector<std::string>& notes() const { return notes_; }
  // ("source_maps_invalid", n), ("source_map_segments_damaged", n),
  // ("source_maps_cut_in_snapshot", n) when non-zero.
  std::vector<std::pair<std::string, uint64_t>> Counters() const;

 private:
  struct Script {
    std::string url;  // sourceMappingURL from the snapshot ("" none)
  };
  struct Entry {
    std::unique_ptr<sourcemap::SourceMap> map;  // null: no map
    std::string base;                           // directory sources are relative to
  };
  Entry Load(const std::string& script);
  bool TryText(const std::string& script, const std::string& text, const std::string& what,
               const std::string& base, Entry& out);
  bool Accept(const std::string& script, Result<sourcemap::SourceMap> m, const std::string& what,
              const std::string& base, Entry& out);
  bool TryFile(const std::string& script, const std::string& path, const std::string& what,
               Entry& out);
  bool TryUrl(const std::string& script, std::string_view url, const std::string& script_dir,
              const std::string& where, Entry& out);
  std::string LocalScript(std::string_view script) const;
  std::string Shown(std::string_view path) const;

  std::string source_root_, maps_dir_;
  std::unordered_map<std::string, Script> scripts_;
  std::unordered_map<std::string, Entry> cache_;
  std::unordered_set<std::string> tried_;  // script + map path
  std::vector<std::string> notes_;
  uint64_t invalid_ = 0, damaged_ = 0, truncated_ = 0;
};

}  // namespace heapscope::run_internal

#endif  // HEAPSCOPE_SRC_RUN_SOURCEMAPS_H_
