#include "heapscope/io/memory.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

namespace heapscope::io {
namespace {

constexpr uint64_t kUnlimited = std::numeric_limits<uint64_t>::max();

std::atomic<uint64_t> g_budget_override{0};

// The first whole number in `text`, or kUnlimited.
uint64_t FirstNumber(std::string_view text) {
  size_t i = text.find_first_of("0123456789");
  if (i == std::string_view::npos) return kUnlimited;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data() + i, text.data() + text.size(), v);
  return ec == std::errc() ? v : kUnlimited;
}

std::string ReadSmallFile(const char* path) {
  std::ifstream in(path);
  if (!in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

uint64_t MemAvailable() {
  std::string info = ReadSmallFile("/proc/meminfo");
  size_t at = info.find("MemAvailable:");
  if (at == std::string::npos) return kUnlimited;
  uint64_t kib = FirstNumber(std::string_view(info).substr(at, 64));
  return kib == kUnlimited ? kUnlimited : kib * 1024;
}

// RLIMIT_AS minus the address space already mapped (VmSize, the first field of statm).
uint64_t AddressSpaceLeft() {
  struct rlimit rl {};
  if (::getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return kUnlimited;
  const uint64_t limit = rl.rlim_cur;
  uint64_t pages = FirstNumber(ReadSmallFile("/proc/self/statm"));
  const uint64_t page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  const uint64_t used = pages == kUnlimited ? 0 : pages * page;
  return limit > used ? limit - used : 0;
}

// The cgroup's limit minus its usage (v2, then v1); "max" or absent is no limit.
uint64_t CgroupLeft() {
  std::string max = ReadSmallFile("/sys/fs/cgroup/memory.max");
  std::string cur = ReadSmallFile("/sys/fs/cgroup/memory.current");
  if (max.empty()) {
    max = ReadSmallFile("/sys/fs/cgroup/memory/memory.limit_in_bytes");
    cur = ReadSmallFile("/sys/fs/cgroup/memory/memory.usage_in_bytes");
  }
  if (max.empty() || max.starts_with("max")) return kUnlimited;
  const uint64_t limit = FirstNumber(max);
  if (limit == kUnlimited || limit >= (uint64_t{1} << 60)) return kUnlimited;  // v1 "no limit"
  const uint64_t used = cur.empty() ? 0 : FirstNumber(cur);
  return used != kUnlimited && limit > used ? limit - used : (used == kUnlimited ? limit : 0);
}

}  // namespace

uint64_t MachineMemoryBudget() {
  return std::min({MemAvailable(), AddressSpaceLeft(), CgroupLeft()});
}

uint64_t MemoryBudget() {
  const uint64_t o = g_budget_override.load(std::memory_order_relaxed);
  return o != 0 ? o : MachineMemoryBudget();
}

void SetMemoryBudget(uint64_t bytes) { g_budget_override.store(bytes, std::memory_order_relaxed); }

std::string FormatBytes(uint64_t bytes) {
  const double b = static_cast<double>(bytes);
  if (bytes >= (uint64_t{1} << 30)) return fmt::format("{:.1f} GiB", b / (1u << 30));
  if (bytes >= (uint64_t{1} << 20)) return fmt::format("{:.1f} MiB", b / (1u << 20));
  if (bytes >= (uint64_t{1} << 10)) return fmt::format("{:.1f} KiB", b / (1u << 10));
  return fmt::format("{} bytes", bytes);
}

}  // namespace heapscope::io
