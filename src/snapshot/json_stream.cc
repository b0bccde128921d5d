#include "snapshot/json_stream.h"

#include <algorithm>
#include <cstring>

namespace heapscope::snapshot::internal {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The value of four hex digits at p, or -1.
int Hex4(const char* p) {
  int v = 0;
  for (int i = 0; i < 4; ++i) {
    int d = HexDigit(p[i]);
    if (d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}

bool IsLowSurrogateEscape(const char* p) {  // p points at "\uXXXX" (6 bytes available)
  if (p[0] != '\\' || p[1] != 'u') return false;
  int v = Hex4(p + 2);
  return v >= 0xDC00 && v <= 0xDFFF;
}

}  // namespace

JsonSourceStream::JsonSourceStream(io::ByteSource* src, size_t buffer_bytes,
                                   std::function<void(uint64_t, uint64_t)> progress,
                                   uint64_t progress_step)
    : src_(src),
      cap_(std::max(buffer_bytes, kMinBuffer)),
      progress_(std::move(progress)),
      progress_step_(progress_step == 0 ? 1 : progress_step),
      next_progress_(progress_step_) {
  storage_.reset(new char[cap_ + 1]);
  buf_ = storage_.get();
  cur_ = last_ = end_ = buf_;
  Refill();
}

bool JsonSourceStream::ArrayAhead(uint64_t* content_offset) {
  ahead_bracket_ = nullptr;
  if (eof_) return false;
  const char* p = cur_;
  auto ws = [&] {
    while (p < end_ && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
  };
  ws();
  if (p >= end_ || *p != ':') return false;
  ++p;
  ws();
  if (p >= end_ || *p != '[') return false;
  ahead_bracket_ = p;
  *content_offset = consumed_ + static_cast<uint64_t>(p - buf_) + 1;
  return true;
}

void JsonSourceStream::SkipTo(uint64_t close_offset) {
  // Take() of the '[' is the last one from this buffer; the refill after it jumps.
  last_ = const_cast<char*>(ahead_bracket_);
  jump_ = true;
  jump_to_ = close_offset;
  ahead_bracket_ = nullptr;
}

void JsonSourceStream::Refill() {
  size_t have = 0;
  if (jump_) {
    jump_ = false;
    consumed_ = jump_to_;
    held_ = 0;
    src_eof_ = !src_->Seek(jump_to_);
  } else {
    consumed_ += static_cast<uint64_t>(end_ - buf_);
    if (held_ > 0) std::memmove(buf_, end_, held_);
    have = held_;
  }
  held_ = 0;
  size_t ready = 0;
  for (;;) {
    if (!src_eof_ && have < cap_) {
      size_t got = src_->Read(buf_ + have, cap_ - have);
      if (got == 0) {
        src_eof_ = true;
      } else {
        have += got;
      }
    }
    ready = Filter(have, src_eof_);
    if (ready > 0 || src_eof_) break;
  }
  if (ready == 0) {
    eof_ = true;
    buf_[0] = '\0';
    cur_ = last_ = end_ = buf_;
    return;
  }
  held_ = have - ready;
  filtered_until_ = std::max(filtered_until_, consumed_ + ready);
  cur_ = buf_;
  end_ = buf_ + ready;
  last_ = end_ - 1;
  if (progress_ && consumed_ >= next_progress_) {
    progress_(src_->file_offset(), src_->file_size());
    while (next_progress_ <= consumed_) next_progress_ += progress_step_;
  }
}

size_t JsonSourceStream::Filter(size_t have, bool at_eof) {
  char* const begin = buf_;
  char* const end = buf_ + have;
  char* p = begin;
  auto replace = [&](char* esc) {
    std::memcpy(esc + 2, "FFFD", 4);
    // Bytes before a SkipTo() target may be read (and filtered) twice: count each escape once.
    if (consumed_ + static_cast<uint64_t>(esc - begin) >= filtered_until_) ++lone_surrogates_;
  };
  for (;;) {
    p = static_cast<char*>(std::memchr(p, '\\', static_cast<size_t>(end - p)));
    if (p == nullptr) return have;
    const size_t left = static_cast<size_t>(end - p);
    if (left < 2) return at_eof ? have : static_cast<size_t>(p - begin);
    if (p[1] != 'u') {  // a two-byte escape: \" \\ \/ \b \f \n \r \t (or invalid)
      p += 2;
      continue;
    }
    if (left < 6) return at_eof ? have : static_cast<size_t>(p - begin);
    const int u = Hex4(p + 2);
    if (u < 0xD800 || u > 0xDFFF) {  // not a surrogate (or not hex: RapidJSON reports it)
      p += (u < 0) ? 2 : 6;
      continue;
    }
    if (u >= 0xDC00) {  // a low surrogate with no high one before it
      replace(p);
      p += 6;
      continue;
    }
    // A high surrogate: paired only if "\uDC00"-"\uDFFF" follows at once.
    if (left >= 12) {
      if (IsLowSurrogateEscape(p + 6)) {
        p += 12;
      } else {
        replace(p);
        p += 6;
      }
      continue;
    }
    const bool cannot_pair = (left >= 7 && p[6] != '\\') || (left >= 8 && p[7] != 'u');
    if (at_eof || cannot_pair) {
      replace(p);
      p += 6;
      continue;
    }
    return static_cast<size_t>(p - begin);  // wait for the rest of a possible pair
  }
}

}  // namespace heapscope::snapshot::internal
