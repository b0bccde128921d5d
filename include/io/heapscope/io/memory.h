// The memory budget: how many bytes heapscope lets one input take before it refuses it.
//
// Derived from the machine, the smallest of: the memory the kernel says is available
// (/proc/meminfo MemAvailable), the address-space limit (RLIMIT_AS, `ulimit -v`) minus what the
// process already maps, and the cgroup memory limit (v2 memory.max, v1 limit_in_bytes) minus
// what the cgroup already uses. SetMemoryBudget() overrides it (the CLI's --max-memory).
// Loaders check their need against it before reserving, and while growing when a file does not
// announce its size, so that a huge or hostile input ends in a clear error, never in bad_alloc.
#ifndef HEAPSCOPE_IO_MEMORY_H_
#define HEAPSCOPE_IO_MEMORY_H_

#include <cstdint>
#include <string>

namespace heapscope::io {

// The budget in bytes: the override when set, else MachineMemoryBudget().
uint64_t MemoryBudget();

// What the machine allows now (see above); UINT64_MAX when nothing says.
uint64_t MachineMemoryBudget();

// Overrides the budget for this process; 0 goes back to the machine's.
void SetMemoryBudget(uint64_t bytes);

// "1.5 GiB", "640.0 MiB", "12 bytes": for messages about sizes and budgets.
std::string FormatBytes(uint64_t bytes);

// Largest input text read whole into memory (metrics exports; policy and baseline files are
// held to kMaxConfigBytes): also bounded by the budget.
inline constexpr uint64_t kMaxMetricsBytes = uint64_t{256} << 20;
inline constexpr uint64_t kMaxConfigBytes = uint64_t{16} << 20;

}  // namespace heapscope::io

#endif  // HEAPSCOPE_IO_MEMORY_H_
