#include "snapshot/trace_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace heapscope::snapshot {

uint32_t AllocationTraces::FindNode(uint32_t id) const {
  auto it = std::lower_bound(by_id.begin(), by_id.end(), std::pair<uint32_t, uint32_t>(id, 0));
  if (it == by_id.end() || it->first != id) return kNone;
  return it->second;
}

void AllocationTraces::IndexNodes() {
  by_id.clear();
  by_id.reserve(tree_id.size());
  for (uint32_t i = 0; i < tree_id.size(); ++i) by_id.emplace_back(tree_id[i], i);
  std::sort(by_id.begin(), by_id.end());
}

namespace internal {
namespace {

constexpr uint64_t kU32Max = std::numeric_limits<uint32_t>::max();

const char* SectionName(TraceReader::Section s) {
  switch (s) {
    case TraceReader::Section::kFunctions:
      return "trace_function_infos";
    case TraceReader::Section::kTree:
      return "trace_tree";
    case TraceReader::Section::kSamples:
      return "samples";
  }
  return "";
}

// Positions of `names` in `fields`; false when one appears twice.
bool Positions(const std::vector<std::string>& fields,
               std::initializer_list<std::pair<const char*, uint32_t*>> names, std::string* dup) {
  for (const auto& [name, pos] : names) *pos = 0xFFFFFFFFu;
  for (uint32_t i = 0; i < fields.size(); ++i) {
    for (const auto& [name, pos] : names) {
      if (fields[i] != name) continue;
      if (*pos != 0xFFFFFFFFu) {
        *dup = name;
        return false;
      }
      *pos = i;
    }
  }
  return true;
}

}  // namespace

bool TraceReader::Configure(const Meta& m) {
  std::string dup;
  const char* field = "snapshot.meta.trace_function_info_fields";
  if (!Positions(m.trace_function_info_fields,
                 {{"function_id", &fn_id_},
                  {"name", &fn_name_},
                  {"script_name", &fn_script_},
                  {"script_id", &fn_script_id_},
                  {"line", &fn_line_},
                  {"column", &fn_column_}},
                 &dup)) {
    return Fail(fmt::format("'{}' appears twice", dup), -1, field);
  }
  fn_fields_ = static_cast<uint32_t>(m.trace_function_info_fields.size());
  layout_[0] = fn_fields_ > 0 && fn_name_ != kNoField && fn_script_ != kNoField;

  field = "snapshot.meta.trace_node_fields";
  if (!Positions(m.trace_node_fields,
                 {{"id", &tn_id_},
                  {"function_info_index", &tn_function_},
                  {"count", &tn_count_},
                  {"size", &tn_size_},
                  {"children", &tn_children_}},
                 &dup)) {
    return Fail(fmt::format("'{}' appears twice", dup), -1, field);
  }
  tree_fields_ = static_cast<uint32_t>(m.trace_node_fields.size());
  if (tree_fields_ > 0) {
    // Children nest inside their parent's record; a field after them would belong to a record
    // already closed.
    if (tn_children_ == kNoField || tn_children_ + 1 != tree_fields_)
      return Fail("'children' must be the last field", -1, field);
    if (tn_id_ == kNoField || tn_function_ == kNoField)
      return Fail("needs 'id' and 'function_info_index'", -1, field);
  }
  layout_[1] = tree_fields_ > 0;

  field = "snapshot.meta.sample_fields";
  if (!Positions(m.sample_fields, {{"timestamp_us", &s_time_}, {"last_assigned_id", &s_last_id_}},
                 &dup)) {
    return Fail(fmt::format("'{}' appears twice", dup), -1, field);
  }
  sample_fields_ = static_cast<uint32_t>(m.sample_fields.size());
  layout_[2] = sample_fields_ > 0 && s_time_ != kNoField && s_last_id_ != kNoField;
  rec_.assign(std::max({fn_fields_, tree_fields_, sample_fields_, 1u}), 0);
  return true;
}

void TraceReader::Begin(Section s) {
  section_ = s;
  field_ = 0;
  parents_.clear();
}

bool TraceReader::Fail(std::string message, int64_t offset, const char* field) {
  error_field_ = field != nullptr ? field : SectionName(section_);
  error_ = std::move(message);
  error_offset_ = offset;
  return false;
}

bool TraceReader::Number(uint64_t v, int64_t offset) {
  const int s = static_cast<int>(section_);
  if (!layout_[s]) {
    dropped_[s] = true;
    return true;
  }
  switch (section_) {
    case Section::kFunctions:
      if (v > kU32Max) return Fail(fmt::format("{} exceeds 32 bits", v), offset);
      rec_[field_] = v;
      if (++field_ < fn_fields_) return true;
      field_ = 0;
      return CommitFunction(offset);
    case Section::kTree:
      if (field_ == tn_children_)
        return Fail("a number where the node's list of children belongs", offset);
      if ((field_ == tn_id_ || field_ == tn_function_) && v > kU32Max)
        return Fail(fmt::format("{} exceeds 32 bits", v), offset);
      rec_[field_++] = v;
      return true;
    case Section::kSamples:
      rec_[field_] = v;
      if (++field_ < sample_fields_) return true;
      field_ = 0;
      traces.sample_timestamp_us.push_back(rec_[s_time_]);
      traces.sample_last_assigned_id.push_back(rec_[s_last_id_]);
      return true;
  }
  return true;
}

bool TraceReader::CommitFunction(int64_t offset) {
  auto at = [&](uint32_t pos) -> uint32_t {
    return pos == kNoField ? 0 : static_cast<uint32_t>(rec_[pos]);
  };
  const uint64_t row = traces.function_id.size();
  for (uint32_t pos : {fn_name_, fn_script_}) {
    if (max_string_offset_ < 0 || rec_[pos] > max_string_) {
      max_string_ = rec_[pos];
      max_string_row_ = row;
      max_string_offset_ = offset;
    }
  }
  traces.function_id.push_back(at(fn_id_));
  traces.function_name.push_back(StringId(at(fn_name_)));
  traces.function_script.push_back(StringId(at(fn_script_)));
  traces.function_script_id.push_back(at(fn_script_id_));
  traces.function_line.push_back(at(fn_line_));
  traces.function_column.push_back(at(fn_column_));
  return true;
}

void TraceReader::CommitTreeNode() {
  const uint32_t parent = parents_.empty() ? kNone : parents_.back();
  traces.tree_id.push_back(static_cast<uint32_t>(rec_[tn_id_]));
  traces.tree_function.push_back(static_cast<uint32_t>(rec_[tn_function_]));
  traces.tree_parent.push_back(parent);
  traces.tree_count.push_back(tn_count_ == kNoField ? 0 : rec_[tn_count_]);
  traces.tree_size.push_back(tn_size_ == kNoField ? 0 : rec_[tn_size_]);
}

bool TraceReader::StartArray() {
  const int s = static_cast<int>(section_);
  if (section_ != Section::kTree || !layout_[s]) {
    if (!layout_[s]) {
      dropped_[s] = true;
      parents_.push_back(kNone);  // depth only
      return true;
    }
    return Fail("an array is not expected here", -1);
  }
  if (field_ != tn_children_) {
    return Fail(fmt::format("a list of children after {} of the node's {} fields", field_,
                            tree_fields_),
                -1);
  }
  CommitTreeNode();
  parents_.push_back(traces.tree_nodes() - 1);
  field_ = 0;
  return true;
}

bool TraceReader::EndArray(bool* done) {
  *done = false;
  const int s = static_cast<int>(section_);
  if (field_ != 0) {
    const uint32_t n = section_ == Section::kFunctions ? fn_fields_
                       : section_ == Section::kTree    ? tree_fields_
                                                       : sample_fields_;
    return Fail(fmt::format("array length is not a multiple of the field count {} ({} values "
                            "left over)",
                            n, field_),
                -1);
  }
  if (parents_.empty()) {
    *done = true;
    return true;
  }
  parents_.pop_back();
  // Children are the record's last field: the parent's record is complete.
  if (layout_[s]) field_ = 0;
  return true;
}

bool TraceReader::Finish(AllocationTraces& t, uint32_t header_function_count, uint64_t strings,
                         Diagnostics& d) {
  t = std::move(traces);
  for (int s = 0; s < 3; ++s) d.trace_sections_skipped += dropped_[s] ? 1 : 0;
  if (!t.function_id.empty() && max_string_ >= strings) {
    section_ = Section::kFunctions;
    error_field_ = "trace_function_infos";
    error_ = fmt::format("function {}: string index {} is out of range ({} strings)",
                         max_string_row_, max_string_, strings);
    error_offset_ = max_string_offset_;
    return false;
  }
  // V8 writes the header count before it serializes the functions, and an in-process inspector
  // session can add functions in between: the records decide.
  if (header_function_count != t.function_count() && (t.function_count() || header_function_count))
    d.trace_function_count_mismatch += 1;
  const uint32_t functions = t.function_count();
  for (uint32_t& f : t.tree_function) {
    if (f >= functions) {
      f = kNone;
      d.trace_nodes_function_invalid += 1;
    }
  }
  t.IndexNodes();
  return true;
}

}  // namespace internal
}  // namespace heapscope::snapshot
