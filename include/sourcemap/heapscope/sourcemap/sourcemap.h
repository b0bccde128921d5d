// Source Map v3 (ECMA-426): reading a map and looking up a generated position.
//
// Debian ships no maintained C or C++ Source Map library (only JavaScript, Go and Ruby ones), so
// the format is read here: the JSON with RapidJSON (behind this wall), the `mappings` Base64 VLQ
// by hand. Regular maps and index maps (`sections`, each with an `offset` and an embedded `map`)
// are flattened into one table of segments sorted by generated position, so a lookup is a
// binary search whatever the map's kind.
//
// Positions are 0-based lines and UTF-16 columns, as in the format and in V8's locations.
// Damage inside `mappings` (a bad Base64 character, an unfinished or oversized VLQ, a segment
// of 2 or 3 fields, an index past `sources` or `names`) drops that segment and is counted in
// `damaged_segments`; the rest of the map stays usable. A map that is not JSON, not version 3,
// or lacks `mappings`/`sources` is an error naming the map, the field and, for JSON syntax, the
// byte offset.
#ifndef HEAPSCOPE_SOURCEMAP_SOURCEMAP_H_
#define HEAPSCOPE_SOURCEMAP_SOURCEMAP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heapscope/status.h"

namespace heapscope::sourcemap {

struct Segment {
  uint32_t line = 0;            // generated, 0-based
  uint32_t column = 0;          // generated, 0-based UTF-16
  uint32_t source = UINT32_MAX; // index into sources; UINT32_MAX for a 1-field segment
  uint32_t source_line = 0;     // original, 0-based
  uint32_t source_column = 0;
  uint32_t name = UINT32_MAX;   // index into names; UINT32_MAX when none
};

struct SourceMap {
  std::string file;                  // the map's `file` ("" when absent)
  std::vector<std::string> sources;  // `sourceRoot` + each source, as written (not resolved)
  std::vector<std::string> names;
  std::vector<Segment> segments;     // sorted by (line, column)
  uint32_t sections = 0;             // index map: sections read; 0 for a regular map
  uint64_t damaged_segments = 0;     // segments dropped for damage (see above)
};

struct Original {
  std::string_view source;  // SourceMap::sources entry
  uint32_t line = 0;        // 0-based
  uint32_t column = 0;      // 0-based
  std::string_view name;    // "" when the segment names nothing
};

// Parses a map. `name` is used in messages ("dist/app.js.map", "inline map of dist/app.js").
Result<SourceMap> ParseSourceMap(std::string_view json, std::string_view name);

// The original position of generated (line, column): the segment with the greatest column not
// after `column` on that line (what browsers and Node's own source-map support do). None when
// the line has no segment at or before the column, or that segment maps to no source.
std::optional<Original> Lookup(const SourceMap& map, uint32_t line, uint32_t column);

// The URL of the last `//# sourceMappingURL=` (or legacy `//@`) comment of a script's source,
// "" when there is none. Only a comment on a line of its own, outside strings, counts (as
// browsers read it): trailing whitespace is trimmed.
std::string_view FindSourceMappingUrl(std::string_view source);

// The payload of a `data:` URL (`data:application/json;base64,…` or percent-encoded
// `data:application/json,…`; a charset parameter is allowed). An error names what is wrong
// (not a data: URL, not JSON media type, bad Base64 at character N).
Result<std::string> DecodeDataUrl(std::string_view url);

// Decodes one Base64 VLQ value from `text` at `*pos`, advancing it; false (pos unchanged) on a
// bad character, an unfinished value or one that does not fit 32 bits signed. Exposed for tests.
bool DecodeVlq(std::string_view text, size_t* pos, int32_t* value);

}  // namespace heapscope::sourcemap

#endif  // HEAPSCOPE_SOURCEMAP_SOURCEMAP_H_
