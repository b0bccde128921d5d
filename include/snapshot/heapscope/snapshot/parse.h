// Loading .heapsnapshot files: streaming SAX parse into the Snapshot model.
//
// Accepts V8 snapshots from Node and Chrome, plain or gzip (detected by magic bytes), or "-" for
// standard input. Never builds a DOM and never holds the whole JSON text. Every field position
// comes from snapshot.meta by name. Errors name the file, the field and the byte offset.
#ifndef HEAPSCOPE_SNAPSHOT_PARSE_H_
#define HEAPSCOPE_SNAPSHOT_PARSE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "heapscope/snapshot/snapshot.h"
#include "heapscope/status.h"

namespace heapscope::snapshot {

// What the loader did, for tests and benchmarks (ParseOptions::stats).
struct ParseStats {
  uint32_t arrays_parallel = 0;  // big arrays read by the parallel parser
  uint32_t arrays_streamed = 0;  // big arrays read by the JSON parser
};

struct ParseOptions {
  // Refuse headers whose counts would need more than this many bytes of model memory before
  // any array is seen (absurd node_count/edge_count values), and files without counts whose
  // model grows past it. 0: the memory budget (io/memory.h: available memory, RLIMIT_AS,
  // cgroup limit, or --max-memory).
  uint64_t max_model_bytes = 0;
  // Called now and then with (bytes consumed, total bytes or 0 when unknown). May be empty.
  // For files, both are on-disk (compressed) bytes: ByteSource::file_offset()/file_size().
  std::function<void(uint64_t, uint64_t)> progress;
  // Size of the read buffer. The default suits large files; tests use tiny buffers to
  // exercise escapes and numbers split across reads. Values below 24 are raised to 24.
  size_t buffer_bytes = size_t{4} << 20;
  // The big flat arrays (`nodes`, `edges`, `locations`) of plain files and text in memory are
  // read by a parallel parser straight into the model (gzip and standard input stream through
  // the JSON parser). Off: every array goes through the JSON parser. Either way the model, the
  // counters and every error are the same.
  bool parallel_arrays = true;
  // Bytes per task of the parallel parser; tests use a few bytes to put task boundaries
  // everywhere.
  size_t parallel_chunk_bytes = size_t{1} << 20;
  ParseStats* stats = nullptr;  // filled when not null
};

// Parses JSON text already in memory. `name` is used in messages.
Result<Snapshot> ParseSnapshot(std::string_view json, std::string_view name,
                               const ParseOptions& options = {});

// Opens `path` ("-" = stdin; gzip or plain) and parses it, streaming.
Result<Snapshot> ParseSnapshotFile(const std::string& path, const ParseOptions& options = {});

}  // namespace heapscope::snapshot

#endif  // HEAPSCOPE_SNAPSHOT_PARSE_H_
