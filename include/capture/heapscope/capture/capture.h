// Taking heap snapshots of a live process: `heapscope capture`.
//
// Connects to the V8 inspector of a Node process (`node --inspect`, or SIGUSR1 to a running one)
// or of a Chromium page (`--remote-debugging-port`) over the DevTools protocol, forces garbage
// collection, and streams HeapProfiler.takeHeapSnapshot chunks to DIR/NN-<label>.heapsnapshot.gz.
// Every file is written under a temporary name, loaded back with the snapshot loader, and renamed
// into place only when it is complete: a failed capture never leaves a file under its final name.
// Before each snapshot the target's heap size is checked against the machine's free memory and
// the free disk of DIR (see CheckFit). The WebSocket and JSON libraries stay inside src/capture/.
#ifndef HEAPSCOPE_CAPTURE_CAPTURE_H_
#define HEAPSCOPE_CAPTURE_CAPTURE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heapscope/status.h"

namespace heapscope::capture {

// The inspector's HTTP/WebSocket endpoint.
struct Endpoint {
  std::string host;
  uint16_t port = 0;
};

struct CaptureOptions {
  std::string inspect;          // HOST:PORT of the inspector; empty with pid = 127.0.0.1:9229
  int pid = 0;                  // > 0: send SIGUSR1 first, then wait for the inspector
  std::string target_url;       // choose the target whose URL contains this
  std::string target_title;     // … or whose title contains this
  bool allow_remote = false;    // permit a non-loopback inspector host
  uint32_t count = 3;           // snapshots to take
  double interval_seconds = 60; // wait between snapshots (when `between` is empty)
  std::string between;          // shell command run between snapshots instead of waiting
  std::string out_dir = ".";
  bool gzip = true;             // .heapsnapshot.gz (zlib) or plain .heapsnapshot
  bool track_allocations = false;  // HeapProfiler.startTrackingHeapObjects for the whole series
  uint32_t sampling_interval = 32768;  // --sampling-interval: mean bytes between samples
  bool sampling = false;        // HeapProfiler.startSampling … stopSampling → DIR/sampling.heapprofile
  std::optional<uint64_t> max_memory_bytes;  // replaces the machine's free memory in the fit check
  double timeout_seconds = 10;  // every connect, HTTP request and ordinary command
  double snapshot_timeout_seconds = 600;  // longest silence while V8 builds or streams a snapshot
  // Snapshot progress (bytes written so far, 0 = unknown total); may be empty.
  std::function<void(const char* phase, uint64_t done, uint64_t total)> progress;
  // One line per step ("connected to …", "wrote …"); may be empty.
  std::function<void(const std::string&)> log;
};

struct CapturedSnapshot {
  std::string path;
  std::string label;
  uint64_t file_bytes = 0;   // on disk (compressed when gzip)
  uint64_t json_bytes = 0;   // JSON text streamed by V8
  uint32_t nodes = 0;
  uint32_t edges = 0;
  uint64_t heap_used = 0;    // the target's used heap after the forced GC
  double seconds = 0;        // takeHeapSnapshot call to verified file
};

struct CaptureResult {
  std::string target;        // node "shared/server.js", or page "Title" http://…
  std::vector<CapturedSnapshot> snapshots;
  std::string sampling_profile;  // path, when sampling
  // When sampling: the sampled live heap at each snapshot (HeapProfiler.getSamplingProfile right
  // after it), NN-<label>.heapprofile beside the snapshot, for `heapscope profile`/`analyze`.
  std::vector<std::string> profiles;
};

Result<CaptureResult> RunCapture(const CaptureOptions& options);

// The pure parts, exposed for tests ////////////////////////////////////////////////////////

// A debuggable target from /json/list.
struct Target {
  std::string id;
  std::string type;   // "node", "page", "service_worker", …
  std::string title;
  std::string url;
  std::string ws_url; // webSocketDebuggerUrl; empty when another client is attached
};

// Parses a /json/list body. `source` names it in errors.
Result<std::vector<Target>> ParseTargetList(std::string_view json, std::string_view source);

// Picks the one target to capture: those with a WebSocket URL whose URL contains `url_part` and
// whose title contains `title_part` (empty = any); without a filter, pages and Node targets only.
// No match, or more than one, is an error listing the candidates.
Result<Target> SelectTarget(const std::vector<Target>& targets, std::string_view url_part,
                            std::string_view title_part);

// "HOST:PORT" (IPv6 as "[::1]:PORT"). Non-loopback hosts need allow_remote.
Result<Endpoint> ParseEndpoint(std::string_view text, bool allow_remote);
// localhost, 127.0.0.0/8, ::1 (the literal forms; addresses are checked again after resolving).
bool IsLoopbackHost(std::string_view host);

// "60s", "2m", "500ms", "1h" or plain seconds.
Result<double> ParseDuration(std::string_view text);
// "512M", "2G", "64KiB", "1.5GB" or plain bytes (K/M/G/T are powers of 1024).
Result<uint64_t> ParseByteSize(std::string_view text);

// baseline/target/final for 3; baseline/final for 2; "snapshot" for 1; baseline, target-1 …
// target-(n-2), final beyond.
std::vector<std::string> SnapshotLabels(uint32_t count);
// "01-baseline.heapsnapshot.gz": the 1-based index, zero-padded to at least 2 digits (to the
// width of `count`), so that the files sort in time order.
std::string SnapshotFileName(uint32_t index, uint32_t count, std::string_view label, bool gzip);

// What the fit check knows before a snapshot.
struct FitInput {
  uint64_t heap_used = 0;             // the target's used JS heap
  uint64_t memory_available = 0;      // bytes the machine (or cgroup, or --max-memory) can give
  std::string memory_source;          // "MemAvailable", "cgroup memory.max", "--max-memory"
  uint64_t disk_available = 0;        // free bytes of the output folder's file system
  bool gzip = true;
};
// Bytes of memory V8 needs while it builds and serializes a snapshot: about the heap size again.
uint64_t MemoryNeeded(uint64_t heap_used);
// Bytes the file is expected to take on disk (an upper estimate).
uint64_t DiskNeeded(uint64_t heap_used, bool gzip);
// Ok, or an error that says what is short, by how much, and what to do.
Status CheckFit(const FitInput& in);

}  // namespace heapscope::capture

#endif  // HEAPSCOPE_CAPTURE_CAPTURE_H_
