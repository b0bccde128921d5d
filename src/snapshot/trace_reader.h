// Reads the allocation-trace sections (`trace_function_infos`, `trace_tree`, `samples`) into
// AllocationTraces, value by value, as the loader's SAX handler meets them. Kept apart from the
// node/edge arrays so that the hot loader path does not change: the handler hands every event
// inside these sections to TraceReader and asks it, at the end, for the cross-section checks.
//
// Layouts come from meta by name (trace_function_info_fields, trace_node_fields, sample_fields).
// A section whose layout meta does not give is read and dropped (counted). The header's
// trace_function_count is not trusted: in-process inspector snapshots write a count smaller
// than the records that follow (Node 20: 44 for 46), so the records decide, and a header that
// disagrees is counted.
#ifndef HEAPSCOPE_SRC_SNAPSHOT_TRACE_READER_H_
#define HEAPSCOPE_SRC_SNAPSHOT_TRACE_READER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "heapscope/diagnostics.h"
#include "heapscope/snapshot/snapshot.h"

namespace heapscope::snapshot::internal {

class TraceReader {
 public:
  enum class Section : uint8_t { kFunctions, kTree, kSamples };

  // Field positions from meta; false with error() when a layout is unusable (a field twice,
  // `children` missing or not last).
  bool Configure(const Meta& meta);

  // The section's `[` was read.
  void Begin(Section s);
  // A value inside the section at byte `offset`; false with error() to stop the parse.
  bool Number(uint64_t v, int64_t offset);
  // `[` inside the section (trace_tree children).
  bool StartArray();
  // `]` inside the section; `done` set when it closed the section itself.
  bool EndArray(bool* done);

  // After the whole file: string ids against the strings read, function indices against the
  // functions read (invalid ones counted and set to kNone), the header count, the id index.
  // False with error()/error_offset() when a string id is out of range.
  bool Finish(AllocationTraces& t, uint32_t header_function_count, uint64_t strings,
              Diagnostics& d);

  const std::string& error() const { return error_; }
  int64_t error_offset() const { return error_offset_; }
  const char* error_field() const { return error_field_; }

  AllocationTraces traces;

 private:
  bool Fail(std::string message, int64_t offset, const char* field = nullptr);
  bool CommitFunction(int64_t offset);
  void CommitTreeNode();

  static constexpr uint32_t kNoField = 0xFFFFFFFFu;
  Section section_ = Section::kFunctions;
  // Layouts: field count and positions (kNoField when absent).
  uint32_t fn_fields_ = 0, tree_fields_ = 0, sample_fields_ = 0;
  uint32_t fn_id_ = kNoField, fn_name_ = kNoField, fn_script_ = kNoField, fn_script_id_ = kNoField,
           fn_line_ = kNoField, fn_column_ = kNoField;
  uint32_t tn_id_ = kNoField, tn_function_ = kNoField, tn_count_ = kNoField, tn_size_ = kNoField,
           tn_children_ = kNoField;
  uint32_t s_time_ = kNoField, s_last_id_ = kNoField;
  bool layout_[3] = {false, false, false};  // per Section: meta gave a usable layout
  bool dropped_[3] = {false, false, false};  // per Section: values read without a layout

  std::vector<uint64_t> rec_;
  uint32_t field_ = 0;
  // trace_tree: the open children arrays (the parent node of each).
  std::vector<uint32_t> parents_;

  // The largest string id met in trace_function_infos, and where.
  uint64_t max_string_ = 0;
  uint64_t max_string_row_ = 0;
  int64_t max_string_offset_ = -1;

  std::string error_;
  int64_t error_offset_ = -1;
  const char* error_field_ = "";
};

}  // namespace heapscope::snapshot::internal

#endif  // HEAPSCOPE_SRC_SNAPSHOT_TRACE_READER_H_
