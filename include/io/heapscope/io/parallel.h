// Parallel loops for graph-sized work, over oneTBB when heapscope is built with it (the
// default where libtbb-dev is installed) and serial otherwise: the same calls, the same
// results, one core. TBB stays behind this header.
//
// Every body must be safe to run concurrently on disjoint ranges; results must not depend on
// how the range is split (callers combine per-range partial results in range order).
#ifndef HEAPSCOPE_IO_PARALLEL_H_
#define HEAPSCOPE_IO_PARALLEL_H_

#include <cstdint>
#include <functional>

namespace heapscope::par {

// True when built with oneTBB.
bool Available();

// Threads the loops below may use: the machine's cores, HEAPSCOPE_THREADS when set, or what
// SetThreads() chose; 1 without oneTBB.
unsigned Threads();

// Limits the threads (0: back to the default). Call before any parallel work, e.g. from the
// CLI's --threads.
void SetThreads(unsigned n);

// body(begin, end) over disjoint subranges covering [begin, end), each at least `grain` long
// (but the last), possibly concurrently.
void For(uint64_t begin, uint64_t end, uint64_t grain,
         const std::function<void(uint64_t, uint64_t)>& body);

// worker(i) for i in [0, n), all started together when there are threads for them (else one
// after the other, in order). For pipelines whose workers pull tasks from a shared counter.
void Workers(unsigned n, const std::function<void(unsigned)>& worker);

// a() and b(), possibly concurrently; returns when both are done.
void Invoke(const std::function<void()>& a, const std::function<void()>& b);

// Exclusive prefix sum in place over v[0, n): v[i] becomes the sum of the old v[0..i); returns
// the total. 64-bit accumulation.
uint64_t ExclusiveScan(uint32_t* v, uint64_t n);

}  // namespace heapscope::par

#endif  // HEAPSCOPE_IO_PARALLEL_H_
