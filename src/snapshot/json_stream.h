// JsonSourceStream: a RapidJSON input stream over an io::ByteSource, with a large buffer and a
// lone-surrogate filter. Private to src/snapshot/.
//
// RapidJSON 1.1.0 rejects a high-surrogate escape that is not followed by a low one
// (kParseErrorStringUnicodeSurrogateInvalid) and passes a lone low-surrogate escape through as
// invalid UTF-8. V8 writes JS strings as they are, lone surrogates included. So, as each buffer
// is filled, the stream rewrites every lone `\uD800`-`\uDFFF` escape in place to `\uFFFD` (the
// same six bytes long, so byte offsets stay exact) and counts it. A surrogate pair is left for
// RapidJSON to combine into one 4-byte UTF-8 character. Escapes are found with memchr on '\\'
// and decoded two bytes at a time, so `\\uD800` (an escaped backslash, then "uD800") is text.
// An escape that could straddle the end of the buffer is held back and rescanned with the next
// read, so the filter keeps no state across buffers.
//
// Peek() reads a sentinel '\0' at the end of input, as RapidJSON's FileReadStream does.
#ifndef HEAPSCOPE_SRC_SNAPSHOT_JSON_STREAM_H_
#define HEAPSCOPE_SRC_SNAPSHOT_JSON_STREAM_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "heapscope/io/input.h"

namespace heapscope::snapshot::internal {

class JsonSourceStream {
 public:
  using Ch = char;
  // The longest text the filter must see at once: a high and a low surrogate escape.
  static constexpr size_t kMaxHeldBack = 12;
  static constexpr size_t kMinBuffer = 2 * kMaxHeldBack;

  // `src` must outlive the stream. `buffer_bytes` is clamped to at least kMinBuffer.
  // `progress` (may be empty) is called every `progress_step` bytes with
  // (src->file_offset(), src->file_size()).
  JsonSourceStream(io::ByteSource* src, size_t buffer_bytes,
                   std::function<void(uint64_t, uint64_t)> progress = {},
                   uint64_t progress_step = uint64_t{8} << 20);

  Ch Peek() const { return *cur_; }
  Ch Take() {
    Ch c = *cur_;
    if (cur_ < last_) {
      ++cur_;
    } else if (!eof_) {
      Refill();
    }
    return c;
  }
  // Bytes of (decompressed) JSON consumed so far: the offset of Peek()'s byte.
  size_t Tell() const {
    return static_cast<size_t>(consumed_ + static_cast<uint64_t>(cur_ - buf_));
  }

  // Write interface RapidJSON requires to exist (never called: no in-situ parsing).
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  size_t PutEnd(Ch*) { return 0; }

  bool eof() const { return eof_; }

  // For the parallel array parser (bulk_arrays.h). After a key, looks ahead in the bytes already
  // read for `ws* ':' ws* '['`; true with the offset of the byte after the '[' when it is all
  // there. The stream does not move.
  bool ArrayAhead(uint64_t* content_offset);
  // After ArrayAhead(): the parser read the array's values itself and its ']' is at
  // `close_offset`. The stream still yields the ':' and the '[' as they are, then continues at
  // the ']' (the source is moved there), so the JSON parser sees an empty array and every
  // offset stays the file's own. Needs a source with Seek().
  void SkipTo(uint64_t close_offset);
  size_t capacity() const { return cap_; }
  uint64_t lone_surrogates_replaced() const { return lone_surrogates_; }

 private:
  void Refill();
  // Rewrites lone surrogate escapes in buf_[0, have) and returns how many leading bytes are
  // final (the rest, at most kMaxHeldBack bytes starting at a backslash, waits for more input).
  size_t Filter(size_t have, bool at_eof);

  io::ByteSource* src_;
  std::unique_ptr<char[]> storage_;
  size_t cap_;
  char* buf_;
  char* cur_;
  char* last_;       // last ready byte (cur_ == last_ means: next Take() refills)
  char* end_;        // one past the last ready byte; held-back bytes follow
  size_t held_ = 0;  // held-back bytes at end_
  uint64_t consumed_ = 0;
  bool src_eof_ = false;
  bool eof_ = false;
  uint64_t lone_surrogates_ = 0;
  const char* ahead_bracket_ = nullptr;  // the '[' ArrayAhead() found
  bool jump_ = false;                    // SkipTo(): the next refill starts at jump_to_
  uint64_t jump_to_ = 0;
  uint64_t filtered_until_ = 0;  // input offsets below this were filtered (and counted) once
  std::function<void(uint64_t, uint64_t)> progress_;
  uint64_t progress_step_;
  uint64_t next_progress_;
};

}  // namespace heapscope::snapshot::internal

#endif  // HEAPSCOPE_SRC_SNAPSHOT_JSON_STREAM_H_
