#include "heapscope/io/parallel.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <vector>

#if HEAPSCOPE_HAVE_TBB
#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/task_arena.h>
#endif

namespace heapscope::par {
namespace {

std::atomic<unsigned> g_threads{0};  // 0: not decided yet

unsigned DefaultThreads() {
#if HEAPSCOPE_HAVE_TBB
  unsigned n = static_cast<unsigned>(tbb::info::default_concurrency());
  if (const char* env = std::getenv("HEAPSCOPE_THREADS")) {
    const long v = std::strtol(env, nullptr, 10);
    if (v > 0 && v < 1024) n = static_cast<unsigned>(v);
  }
  return n == 0 ? 1 : n;
#else
  return 1;
#endif
}

#if HEAPSCOPE_HAVE_TBB
// TBB's own limit, set once to the chosen thread count and kept for the process.
std::mutex g_control_mutex;
std::unique_ptr<tbb::global_control> g_control;
void ApplyLimit(unsigned n) {
  std::lock_guard<std::mutex> lock(g_control_mutex);
  g_control = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, n);
}
#endif

}  // namespace

bool Available() { return HEAPSCOPE_HAVE_TBB != 0; }

unsigned Threads() {
  unsigned n = g_threads.load(std::memory_order_relaxed);
  if (n == 0) {
    n = DefaultThreads();
    unsigned expected = 0;
    if (g_threads.compare_exchange_strong(expected, n)) {
#if HEAPSCOPE_HAVE_TBB
      ApplyLimit(n);
#endif
    } else {
      n = expected;
    }
  }
  return n;
}

void SetThreads(unsigned n) {
#if HEAPSCOPE_HAVE_TBB
  const unsigned v = n == 0 ? DefaultThreads() : n;
  g_threads.store(v);
  ApplyLimit(v);
#else
  (void)n;
  g_threads.store(1);
#endif
}

void For(uint64_t begin, uint64_t end, uint64_t grain,
         const std::function<void(uint64_t, uint64_t)>& body) {
  if (end <= begin) return;
  if (grain == 0) grain = 1;
#if HEAPSCOPE_HAVE_TBB
  if (Threads() > 1 && end - begin > grain) {
    tbb::parallel_for(tbb::blocked_range<uint64_t>(begin, end, grain),
                      [&](const tbb::blocked_range<uint64_t>& r) { body(r.begin(), r.end()); });
    return;
  }
#endif
  body(begin, end);
}

void Workers(unsigned n, const std::function<void(unsigned)>& worker) {
  if (n == 0) return;
#if HEAPSCOPE_HAVE_TBB
  if (n > 1 && Threads() > 1) {
    tbb::parallel_for(0u, n, 1u, [&](unsigned i) { worker(i); }, tbb::simple_partitioner());
    return;
  }
#endif
  for (unsigned i = 0; i < n; ++i) worker(i);
}

void Invoke(const std::function<void()>& a, const std::function<void()>& b) {
#if HEAPSCOPE_HAVE_TBB
  if (Threads() > 1) {
    tbb::parallel_invoke(a, b);
    return;
  }
#endif
  a();
  b();
}

uint64_t ExclusiveScan(uint32_t* v, uint64_t n) {
  // Two passes over blocks: block sums in parallel, a serial scan of the few sums, then each
  // block rewritten from its offset in parallel.
  constexpr uint64_t kBlock = uint64_t{1} << 20;
  const uint64_t blocks = (n + kBlock - 1) / kBlock;
  if (blocks <= 1 || Threads() == 1) {
    uint64_t sum = 0;
    for (uint64_t i = 0; i < n; ++i) {
      const uint32_t x = v[i];
      v[i] = static_cast<uint32_t>(sum);
      sum += x;
    }
    return sum;
  }
  std::vector<uint64_t> offset(blocks + 1, 0);
  For(0, blocks, 1, [&](uint64_t b0, uint64_t b1) {
    for (uint64_t b = b0; b < b1; ++b) {
      uint64_t s = 0;
      const uint64_t end = std::min(n, (b + 1) * kBlock);
      for (uint64_t i = b * kBlock; i < end; ++i) s += v[i];
      offset[b + 1] = s;
    }
  });
  for (uint64_t b = 0; b < blocks; ++b) offset[b + 1] += offset[b];
  For(0, blocks, 1, [&](uint64_t b0, uint64_t b1) {
    for (uint64_t b = b0; b < b1; ++b) {
      uint64_t sum = offset[b];
      const uint64_t end = std::min(n, (b + 1) * kBlock);
      for (uint64_t i = b * kBlock; i < end; ++i) {
        const uint32_t x = v[i];
        v[i] = static_cast<uint32_t>(sum);
        sum += x;
      }
    }
  });
  return offset[blocks];
}

}  // namespace heapscope::par
