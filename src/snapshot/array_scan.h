// ScanArray: the parallel parser of one flat JSON array of non-negative integers (the snapshot's
// `nodes`, `edges`, `locations`), read straight from a RandomAccess input. Private to
// src/snapshot/ (bulk_arrays.cc drives it).
//
// The bytes after the '[' are cut into tasks of `chunk_bytes`; workers take tasks in order from a
// shared counter. Each worker reads its task's bytes, counts the values that start in them (a
// value starts at a digit whose previous byte is not a digit: 64 bytes at a time with SSE2) and
// stops counting at the first ']', which ends the array. Value counts are chained from task to
// task (task j waits only for the count of task j-1, never for its parsing), so every task knows
// the index of its first value and parses the records that start in it straight into place,
// reading past its end for its last record. Numbers are read eight digits at a time (SWAR).
//
// This parser accepts only the plain form: whitespace, digits and commas as in
// `[1,22,333]`. Anything else (a sign, a fraction, an exponent, a leading zero, more than 20
// digits or a value past 2^64 - 1, a missing or doubled comma, a string, the end of the input)
// makes the scan fail without a word; the caller then lets the JSON parser read the same array,
// which reports the problem with its byte offset as it always has. The sink decides which values
// are valid: a false from it fails the scan the same way.
//
// Sink interface:
//   unsigned fields() const;                       values per record
//   struct Task;                                   per-task state, default-constructible
//   bool Record(uint64_t record, const uint64_t* v, uint64_t end_offset, Task& task);
//       one complete record, `end_offset` just after its last digit. Records of one task come
//       in order; different tasks' records concurrently.
#ifndef HEAPSCOPE_SRC_SNAPSHOT_ARRAY_SCAN_H_
#define HEAPSCOPE_SRC_SNAPSHOT_ARRAY_SCAN_H_

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <mutex>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "heapscope/io/input.h"
#include "heapscope/io/parallel.h"

namespace heapscope::snapshot::internal {

struct ArrayScanOptions {
  size_t chunk_bytes = size_t{1} << 20;  // one task; tests use a few bytes
  unsigned threads = 0;                  // workers; 0: par::Threads()
  // Called now and then from one worker with (offset reached, input size).
  std::function<void(uint64_t, uint64_t)> progress;
};

struct ArrayScanResult {
  bool ok = false;            // false: let the JSON parser read this array
  uint64_t values = 0;        // values in the array
  uint64_t close_offset = 0;  // offset of its ']'
  uint64_t tasks = 0;         // tasks the array spans (the sink's Task states [0, tasks))
};

namespace scan {

#define HS_SCAN_INLINE inline __attribute__((always_inline))

inline bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }
inline bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// Values starting in [p, p + n), where `prev_digit` says whether the byte before p is a digit;
// stops at the first ']' (its index in *close, else n).
inline uint64_t CountStarts(const char* p, size_t n, bool prev_digit, size_t* close) {
  uint64_t count = 0;
  uint64_t carry = prev_digit ? 1 : 0;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i lo = _mm_set1_epi8('0' - 1), hi = _mm_set1_epi8('9' + 1), br = _mm_set1_epi8(']');
  for (; i + 64 <= n; i += 64) {
    uint64_t digit = 0, bracket = 0;
    for (int k = 0; k < 4; ++k) {
      const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 16 * k));
      const __m128i d = _mm_and_si128(_mm_cmpgt_epi8(c, lo), _mm_cmplt_epi8(c, hi));
      digit |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(d))) << (16 * k);
      bracket |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(c, br))))
                 << (16 * k);
    }
    uint64_t starts = digit & ~((digit << 1) | carry);
    if (bracket != 0) {
      const unsigned at = static_cast<unsigned>(std::countr_zero(bracket));
      if (at > 0) count += static_cast<uint64_t>(std::popcount(starts & ((uint64_t{1} << at) - 1)));
      *close = i + at;
      return count;
    }
    count += static_cast<uint64_t>(std::popcount(starts));
    carry = digit >> 63;
  }
#endif
  bool prev = carry != 0;
  for (; i < n; ++i) {
    const char c = p[i];
    if (c == ']') {
      *close = i;
      return count;
    }
    const bool d = IsDigit(c);
    count += d && !prev;
    prev = d;
  }
  *close = n;
  return count;
}

// Eight digit values (byte i = the i-th digit, most significant first) as a number.
HS_SCAN_INLINE uint64_t EightDigits(uint64_t v) {
  v = (v * 10) + (v >> 8);
  return (((v & 0x000000FF000000FFull) * 0x000F424000000064ull) +
          (((v >> 16) & 0x000000FF000000FFull) * 0x0000271000000001ull)) >> 32;
}

// The leading digits of the 8 bytes at p (little-endian load): their count (0-8) and value.
HS_SCAN_INLINE unsigned DigitWord(const char* p, uint64_t* value) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  if constexpr (std::endian::native != std::endian::little) w = __builtin_bswap64(w);
  const uint64_t t = w - 0x3030303030303030ull;
  const uint64_t nondigit = ((t + 0x0606060606060606ull) | t) & 0xF0F0F0F0F0F0F0F0ull;
  const unsigned n = nondigit == 0 ? 8 : static_cast<unsigned>(std::countr_zero(nondigit)) >> 3;
  *value = n == 0 ? 0 : EightDigits(t << (8 * (8 - n)));
  return n;
}

inline constexpr uint64_t kPow10[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

// A JSON non-negative integer at p (a digit): its value; p moves past it. False for a leading
// zero, more than 20 digits or a value past 2^64 - 1. Needs 24 readable bytes at p.
HS_SCAN_INLINE bool ParseNumber(const char*& p, uint64_t* out) {
  const char* start = p;
  uint64_t v = 0;
  unsigned n = DigitWord(p, &v);
  p += n;
  unsigned total = n;
  if (n == 8) {
    uint64_t w = 0;
    n = DigitWord(p, &w);
    p += n;
    total += n;
    v = v * kPow10[n] + w;
    if (n == 8) {
      n = DigitWord(p, &w);
      if (n > 4) return false;  // more than 20 digits
      p += n;
      total += n;
      if (n > 0) {
        uint64_t r;
        if (__builtin_mul_overflow(v, kPow10[n], &r) || __builtin_add_overflow(r, w, &r)) return false;
        v = r;
      }
    }
  }
  if (*start == '0' && total > 1) return false;  // JSON has no leading zeros
  *out = v;
  return true;
}

// A worker's view of the input from some offset on: a buffer slid forward by positional reads.
class Cursor {
 public:
  static constexpr size_t kSlack = 64;  // bytes a step may look at: a number, a separator
  Cursor(const io::RandomAccess& in, std::vector<char>& buf, size_t block)
      : in_(in), size_(in.size()), buf_(buf), block_(block) {}
  // Reads [offset, offset + n) (less at the end of input); false on an I/O error.
  bool Load(uint64_t offset, size_t n) {
    base_ = offset;
    if (buf_.size() < n + 2 * kSlack) buf_.resize(n + 2 * kSlack);
    const int64_t got = n == 0 ? 0 : in_.ReadAt(offset, buf_.data(), n);
    if (got < 0) return false;
    valid_ = static_cast<size_t>(got);
    std::memset(buf_.data() + valid_, 0, 2 * kSlack);  // never digits, spaces or separators
    p = buf_.data();
    return true;
  }
  // Makes kSlack bytes readable at p (zeros past the end of input). False on an I/O error.
  HS_SCAN_INLINE bool Ensure() {
    if (p + kSlack <= end()) [[likely]] return true;
    return Slide();
  }
  uint64_t Offset() const { return base_ + static_cast<uint64_t>(p - buf_.data()); }
  const char* begin() const { return buf_.data(); }
  const char* end() const { return buf_.data() + valid_; }

  const char* p = nullptr;

 private:
  __attribute__((noinline)) bool Slide() {
    if (base_ + valid_ >= size_) return true;  // the padding stands for the end
    const size_t keep = static_cast<size_t>(end() - p);
    const uint64_t at = base_ + static_cast<uint64_t>(p - buf_.data());
    std::memmove(buf_.data(), p, keep);
    const size_t want = block_;
    if (buf_.size() < keep + want + 2 * kSlack) buf_.resize(keep + want + 2 * kSlack);
    const int64_t got = in_.ReadAt(at + keep, buf_.data() + keep, want);
    if (got < 0) return false;
    base_ = at;
    valid_ = keep + static_cast<size_t>(got);
    std::memset(buf_.data() + valid_, 0, 2 * kSlack);
    p = buf_.data();
    return true;
  }

  const io::RandomAccess& in_;
  uint64_t size_;
  std::vector<char>& buf_;
  size_t block_;
  uint64_t base_ = 0;
  size_t valid_ = 0;
};

// Skips whitespace, sliding the cursor as needed. False on an I/O error.
inline bool SkipSpace(Cursor& c) {
  for (;;) {
    if (!c.Ensure()) return false;
    const char* stop = c.p + Cursor::kSlack;
    while (c.p < stop && IsSpace(*c.p)) ++c.p;
    if (c.p < stop) return true;
  }
}

inline constexpr uint64_t kUnset = ~uint64_t{0};
inline constexpr uint64_t kStop = ~uint64_t{0} - 1;  // the array ended or the scan failed before

}  // namespace scan

template <class Sink>
ArrayScanResult ScanArray(const io::RandomAccess& in, uint64_t begin, Sink& sink,
                          std::vector<typename Sink::Task>& tasks, const ArrayScanOptions& o) {
  using namespace scan;
  ArrayScanResult result;
  const uint64_t size = in.size();
  const unsigned fields = sink.fields();
  if (begin > size || fields == 0 || fields > 32) return result;
  const size_t chunk = o.chunk_bytes < 1 ? 1 : o.chunk_bytes;
  const uint64_t ntasks = (size - begin) / chunk + 1;
  tasks.assign(ntasks, typename Sink::Task{});
  std::vector<std::atomic<uint64_t>> prefix(ntasks + 1);
  for (auto& x : prefix) x.store(kUnset, std::memory_order_relaxed);
  prefix[0].store(0, std::memory_order_relaxed);
  std::atomic<uint64_t> next{0};
  std::atomic<bool> fail{false};
  std::atomic<uint64_t> end_task{kUnset};
  std::atomic<uint64_t> seen_close{kUnset};  // the ']' as the last value's terminator
  uint64_t total = 0, close = 0;             // written by the end task before it publishes
  std::mutex progress_mu;

  auto publish = [&](uint64_t j, uint64_t v) {
    prefix[j + 1].store(v, std::memory_order_release);
    prefix[j + 1].notify_all();
  };
  auto wait_prefix = [&](uint64_t j) {
    uint64_t v = prefix[j].load(std::memory_order_acquire);
    while (v == kUnset) {
      prefix[j].wait(kUnset, std::memory_order_acquire);
      v = prefix[j].load(std::memory_order_acquire);
    }
    return v;
  };

  // Parses the records that start among the `count` values from index `base` on; the task's
  // bytes start at `a` and the cursor holds them. False: the scan fails.
  auto parse = [&](uint64_t j, uint64_t a, uint64_t base, uint64_t count, Cursor& c) -> bool {
    typename Sink::Task& task = tasks[j];
    const uint64_t first_record = (base + fields - 1) / fields;
    const uint64_t skip = first_record * fields - base;
    if (j == 0) {
      if (!SkipSpace(c)) return false;
      if (*c.p == ']') {  // an empty array
        seen_close.store(c.Offset(), std::memory_order_relaxed);
        return true;
      }
      if (!IsDigit(*c.p)) return false;
    } else {
      if (skip >= count) return true;  // no record starts here
      // A value running on from the previous task is that task's; then `skip` values of its
      // last record; the bytes between are checked by their owner.
      if (a > 0 && IsDigit(c.p[-1]) && IsDigit(*c.p)) {
        while (true) {
          if (!c.Ensure()) return false;
          if (!IsDigit(*c.p)) break;
          ++c.p;
        }
      }
      for (uint64_t k = 0; k <= skip; ++k) {
        while (true) {
          if (!c.Ensure()) return false;
          if (IsDigit(*c.p) || *c.p == 0) break;
          ++c.p;
        }
        if (!IsDigit(*c.p)) return false;
        if (k == skip) break;
        while (true) {
          if (!c.Ensure()) return false;
          if (!IsDigit(*c.p)) break;
          ++c.p;
        }
      }
    }
    uint64_t v[32];
    for (uint64_t r = first_record; r * fields < base + count; ++r) {
      if ((r & 4095) == 0 && fail.load(std::memory_order_relaxed)) return false;
      uint64_t end_offset = 0;
      for (unsigned f = 0; f < fields; ++f) {
        // At a digit.
        if (!c.Ensure()) return false;
        if (!ParseNumber(c.p, &v[f])) return false;
        if (f + 1 == fields) end_offset = c.Offset();
        char t = *c.p;
        if (t != ',') {
          if (!SkipSpace(c)) return false;
          t = *c.p;
          if (t == ']') {
            if (f + 1 != fields) return false;  // a record cut short
            seen_close.store(c.Offset(), std::memory_order_relaxed);
            return sink.Record(r, v, end_offset, task);
          }
          if (t != ',') return false;
        }
        ++c.p;
        if (!c.Ensure()) return false;
        if (!IsDigit(*c.p)) {
          if (!SkipSpace(c)) return false;
          if (!IsDigit(*c.p)) return false;  // e.g. a comma before the ']'
        }
      }
      if (!sink.Record(r, v, end_offset, task)) return false;
    }
    return true;
  };

  const unsigned threads = o.threads != 0 ? o.threads : par::Threads();
  const unsigned workers = static_cast<unsigned>(std::min<uint64_t>(threads, ntasks));
  par::Workers(workers, [&](unsigned) {
    std::vector<char> buf;
    Cursor c(in, buf, size_t{4} << 10);  // reads past a task's end come 4 KiB at a time
    for (;;) {
      const uint64_t j = next.fetch_add(1, std::memory_order_relaxed);
      if (j >= ntasks) break;
      if (fail.load(std::memory_order_relaxed)) {
        publish(j, kStop);
        break;
      }
      const uint64_t a = begin + j * chunk;
      const uint64_t b = std::min<uint64_t>(a + chunk, size);
      // Read the task's bytes (and the one before, to tell a value's start from its middle).
      const uint64_t from = j == 0 ? a : a - 1;
      bool ok = a < size && c.Load(from, static_cast<size_t>(b - from));
      if (ok && j > 0) ++c.p;
      size_t close_at = 0;
      uint64_t count = 0;
      if (ok) {
        const bool prev_digit = j > 0 && IsDigit(c.p[-1]);
        count = CountStarts(c.p, static_cast<size_t>(b - a), prev_digit, &close_at);
      }
      const uint64_t base = wait_prefix(j);
      if (base == kStop) {
        publish(j, kStop);
        break;
      }
      if (!ok) {  // the input ended before the array did, or could not be read
        fail.store(true);
        publish(j, kStop);
        break;
      }
      const bool ends_here = close_at < b - a;
      if (ends_here) {
        total = base + count;
        close = a + close_at;
        end_task.store(j, std::memory_order_release);
        publish(j, kStop);
      } else {
        publish(j, base + count);
      }
      if (o.progress && (j & 15) == 0 && progress_mu.try_lock()) {
        o.progress(a, size);
        progress_mu.unlock();
      }
      if (!parse(j, a, base, count, c)) {
        fail.store(true);
        break;
      }
      if (ends_here) break;
    }
  });
  if (fail.load() || end_task.load() == kUnset) return result;
  if (total % fields != 0 || seen_close.load() != close) return result;
  result.ok = true;
  result.values = total;
  result.close_offset = close;
  result.tasks = end_task.load() + 1;
  return result;
}

}  // namespace heapscope::snapshot::internal

#endif  // HEAPSCOPE_SRC_SNAPSHOT_ARRAY_SCAN_H_
