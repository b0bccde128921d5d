// The streaming .heapsnapshot loader: RapidJSON's SAX Reader (iterative, no recursion) over a
// JsonSourceStream, driving SnapshotHandler, an explicit state machine that fills the Snapshot
// model as the numbers go by. No DOM is built and the JSON text is never held whole.
//
// Phase 1, header (`snapshot`): meta (field layouts and type names, by name), counts. When the
//   header closes, the layout is checked, the model's memory need is checked against
//   ParseOptions::max_model_bytes, and every node/edge vector is reserved from the counts.
// Phase 2, arrays (`nodes`, `edges`, `locations`, `strings`): each value is range-checked
//   against its field's limit (so errors point just after it) and stored in a small record;
//   a complete record is committed to the model columns (positions found by name in meta),
//   one push per column into vectors reserved in phase 1.
// Phase 3, Finish(): cross-array checks (edge-count sum, string ids, root, missing sections).
#include "heapscope/snapshot/parse.h"

#include <fmt/format.h>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <memory>
#include <set>
#include <new>
#include <string>
#include <utility>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "heapscope/io/input.h"
#include "heapscope/io/memory.h"
#include "snapshot/bulk_arrays.h"
#include "snapshot/json_stream.h"
#include "snapshot/trace_reader.h"

namespace heapscope::snapshot {
namespace {

using internal::JsonSourceStream;

constexpr uint64_t kU32Max = std::numeric_limits<uint32_t>::max();

// Model bytes per node and per edge when every optional column is present (see snapshot.h):
// type 1 + name 4 + id 4 + self_size 8 + first_edge 4 + trace_node_id 4 + detachedness 1;
// edge type 1 + name_or_index 4 + to 4.
constexpr uint64_t kBytesPerNode = 26;
constexpr uint64_t kBytesPerEdge = 9;

// Asks the kernel to back the reserved (still untouched) storage of a big model column with
// transparent huge pages, where the system allows it on request (THP "madvise" mode): the
// columns are filled front to back once, and one fault per 2 MiB instead of per 4 KiB page
// removes most of the first-touch cost. Only whole 2 MiB pages inside the allocation are
// advised, and pages are still faulted in only when written, so peak RSS grows by at most
// one partly filled huge page per column. A hint: failure is harmless and ignored.
template <typename V>
void AdviseHugePages(V& v) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const size_t bytes = v.capacity() * sizeof(typename V::value_type);
  if (bytes < 4 * kHuge) return;
  const auto begin = reinterpret_cast<uintptr_t>(v.data());
  const uintptr_t first = (begin + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t last = (begin + bytes) & ~(kHuge - 1);
  if (last > first) {
    (void)madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
  }
#else
  (void)v;
#endif
}

// An in-memory ByteSource, so that ParseSnapshot(text) and ParseSnapshotFile(path) share the
// stream, the handler and the parallel array path.
class StringSource final : public io::ByteSource, public io::RandomAccess {
 public:
  explicit StringSource(std::string_view text) : text_(text) {}
  size_t Read(char* buf, size_t n) override {
    size_t k = std::min(n, text_.size() - pos_);
    std::memcpy(buf, text_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  const Status& status() const override { return status_; }
  uint64_t file_size() const override { return text_.size(); }
  uint64_t file_offset() const override { return pos_; }
  bool compressed() const override { return false; }
  const io::RandomAccess* random_access() const override { return this; }
  bool Seek(uint64_t offset) override {
    if (offset > text_.size()) return false;
    pos_ = offset;
    return true;
  }
  uint64_t size() const override { return text_.size(); }
  int64_t ReadAt(uint64_t offset, char* buf, size_t n) const override {
    if (offset >= text_.size()) return 0;
    const size_t k = std::min<uint64_t>(n, text_.size() - offset);
    std::memcpy(buf, text_.data() + offset, k);
    return static_cast<int64_t>(k);
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  Status status_;
};

enum class LocRole : uint8_t { kObject, kScriptId, kScriptObject, kLine, kColumn, kIgnore };

// Header values the handler knows.
enum class HeaderKey : uint8_t {
  kNodeCount,
  kEdgeCount,
  kTraceFunctionCount,
  kExtraNativeBytes,
  kRootIndex
};

class SnapshotHandler {
 public:
  enum class State : uint8_t {
    kTop,           // expecting the top-level object
    kTopKey,        // a top-level key or the end
    kSnapshotObj,   // expecting `snapshot`'s object
    kSnapKey,       // a key of `snapshot` or its end
    kSnapValue,     // a numeric header value
    kMetaObj,       // expecting `meta`'s object
    kMetaKey,       // a key of `meta` or its end
    kStrListStart,  // expecting a list of strings (node_fields, edge_fields, …)
    kStrList,
    kTypesStart,  // expecting node_types / edge_types
    kTypesFirst,  // expecting the list of type names
    kTypesNames,
    kTypesRest,   // the per-field type descriptions after the names (ignored)
    kArrayStart,  // expecting the `[` of nodes/edges/locations/strings
    kNodes,
    kEdges,
    kLocations,
    kStrings,
    kTrace,  // trace_function_infos, trace_tree, samples: handed to TraceReader
    kSkip,  // inside a value being skipped; skip_depth_ nesting
    kDone,
  };

  SnapshotHandler(Snapshot* s, JsonSourceStream* is, const ParseOptions& options)
      : s_(*s), is_(*is), options_(options) {}

  // ---- RapidJSON SAX events ---------------------------------------------------------------
  bool Null() { return Scalar("null"); }
  bool Bool(bool) { return Scalar("a boolean"); }
  bool Int(int v) { return v >= 0 ? Number(static_cast<uint64_t>(v)) : Negative(); }
  bool Int64(int64_t v) { return v >= 0 ? Number(static_cast<uint64_t>(v)) : Negative(); }
  bool Uint(unsigned v) { return Number(v); }
  bool Uint64(uint64_t v) { return Number(v); }
  bool Double(double) { return NonInteger("a fractional or out-of-range number"); }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return Unexpected("a number"); }

  bool String(const char* str, rapidjson::SizeType len, bool) {
    switch (state_) {
      case State::kStrings:
        s_.string_data.append(str, len);
        s_.string_offset.push_back(s_.string_data.size());
        if (s_.string_data.size() > string_check_) [[unlikely]]
          return GrowthCheck();
        return true;
      case State::kStrList:
        str_list_->emplace_back(str, len);
        return true;
      case State::kTypesNames:
        str_list_->emplace_back(str, len);
        return true;
      case State::kTypesRest:
        return true;
      case State::kSkip:
        return SkipScalar();
      case State::kTypesFirst:
        return Fail("the first element must be the list of type names");
      default:
        return Unexpected("a string");
    }
  }

  bool StartObject() {
    switch (state_) {
      case State::kTop:
        state_ = State::kTopKey;
        return true;
      case State::kSnapshotObj:
        state_ = State::kSnapKey;
        return true;
      case State::kMetaObj:
        state_ = State::kMetaKey;
        return true;
      case State::kSkip:
        ++skip_depth_;
        return true;
      case State::kTypesRest:
        return EnterSkip(State::kTypesRest, 1);
      default:
        return Unexpected("an object");
    }
  }

  bool Key(const char* str, rapidjson::SizeType len, bool) {
    std::string_view k(str, len);
    switch (state_) {
      case State::kTopKey:
        return TopKey(k);
      case State::kSnapKey:
        return SnapKey(k);
      case State::kMetaKey:
        return MetaKey(k);
      case State::kSkip:
        return true;
      default:
        return Unexpected("a key");
    }
  }

  bool EndObject(rapidjson::SizeType) {
    switch (state_) {
      case State::kTopKey:
        state_ = State::kDone;
        return true;
      case State::kSnapKey:
        return EndHeader();
      case State::kMetaKey:
        state_ = State::kSnapKey;
        section_ = "snapshot";
        have_meta_ = true;
        return true;
      case State::kSkip:
        return SkipEnd();
      default:
        return Unexpected("the end of an object");
    }
  }

  bool StartArray() {
    switch (state_) {
      case State::kArrayStart:
        state_ = array_state_;
        return true;
      case State::kStrListStart:
        state_ = State::kStrList;
        return true;
      case State::kTypesStart:
        state_ = State::kTypesFirst;
        return true;
      case State::kTypesFirst:
        state_ = State::kTypesNames;
        return true;
      case State::kTypesRest:
        return EnterSkip(State::kTypesRest, 1);
      case State::kTrace:
        return trace_.StartArray() || TraceFail();
      case State::kSkip:
        ++skip_depth_;
        return true;
      default:
        return Unexpected("an array");
    }
  }

  bool EndArray(rapidjson::SizeType) {
    switch (state_) {
      case State::kNodes:
        return EndNodes();
      case State::kEdges:
        return EndEdges();
      case State::kLocations:
        return EndLocations();
      case State::kStrings:
        have_strings_ = true;
        return BackToTop();
      case State::kTrace: {
        bool done = false;
        if (!trace_.EndArray(&done)) return TraceFail();
        return done ? BackToTop() : true;
      }
      case State::kStrList:
      case State::kTypesRest:
        state_ = State::kMetaKey;
        section_ = "snapshot.meta";
        return true;
      case State::kTypesNames:
        state_ = State::kTypesRest;
        return true;
      case State::kTypesFirst:
        return Fail("the list of type names is missing");
      case State::kSkip:
        return SkipEnd();
      default:
        return Unexpected("the end of an array");
    }
  }

  // ---- After the parse --------------------------------------------------------------------
  // Cross-section checks; fills the meta flags. `end` is the byte offset of the end of input.
  Status Finish(uint64_t end);
  void CountDuplicateIds();
  void CountUnknownTraceNodes();

  // The failure recorded by the handler, if it stopped the parse.
  bool failed() const { return failed_; }
  Status failure() const { return InputError(s_.source, error_field_, error_offset_, error_); }
  const std::string& section() const { return section_; }
  const std::string& failure_message() const { return error_; }

 private:
  // ---- Numbers ----------------------------------------------------------------------------
  bool Number(uint64_t v) {
    switch (state_) {
      case State::kNodes:
        return NodeValue(v);
      case State::kEdges:
        return EdgeValue(v);
      case State::kLocations:
        return LocationValue(v);
      case State::kSnapValue:
        return HeaderValue(v);
      case State::kTrace:
        return trace_.Number(v, Offset()) || TraceFail();
      case State::kSkip:
        return SkipScalar();
      case State::kTypesRest:
        return true;
      default:
        return Unexpected("a number");
    }
  }

  bool Negative() { return NonInteger("a negative number"); }

  // A number that is not a non-negative integer: an error inside the integer arrays and the
  // header counts, skipped where values are ignored.
  bool NonInteger(const char* what) {
    switch (state_) {
      case State::kSkip:
        return SkipScalar();
      case State::kTypesRest:
        return true;
      case State::kNodes:
      case State::kEdges:
      case State::kLocations:
      case State::kSnapValue:
      case State::kTrace:
        return Fail(fmt::format("{} where a non-negative integer belongs", what));
      default:
        return Unexpected("a number");
    }
  }

  bool Scalar(const char* what) {
    if (state_ == State::kSkip) return SkipScalar();
    if (state_ == State::kTypesRest) return true;
    return Unexpected(what);
  }

  // One value of the `nodes` array: the hot path. A value is range-checked against its
  // field's limit (so the error offset is just after it) and stored in the record; the
  // record is committed to the model columns when its last field arrives.
  bool NodeValue(uint64_t v) {
    rec_[field_] = v;
    if (v > node_limits_[field_]) [[unlikely]] {
      if (!WidenNodeField(field_, v)) return NodeFieldError(field_, v);
    }
    if (++field_ != node_field_count_) return true;
    field_ = 0;
    return CommitNode();
  }

  // Values DevTools accepts past the usual limits: a type index `meta.node_types` does not
  // declare (named "(unknown type N)", counted), and ids above 32 bits (Julia writes
  // addresses): the id column is widened then, and only then. False: a real error.
  bool WidenNodeField(uint32_t field, uint64_t v) {
    if (field == node_pos_.type && v < kMaxTypeIndex) {
      ExtendTypes(&s_.meta.node_type_names, &node_type_map_, NodeType::kUnknown, v);
      s_.diagnostics.undeclared_node_types += 1;
      node_limits_[field] = node_type_map_.size() - 1;
      return true;
    }
    if (field == node_pos_.id && !wide_ids_) {
      wide_ids_ = true;
      s_.node_id_wide.assign(s_.node_id.begin(), s_.node_id.end());
      node_limits_[field] = std::numeric_limits<uint64_t>::max();
      return true;
    }
    return false;
  }

  template <typename T>
  static void ExtendTypes(std::vector<std::string>* names, std::vector<T>* map, T unknown,
                          uint64_t index) {
    while (map->size() <= index) {
      names->push_back(fmt::format("(unknown type {})", map->size()));
      map->push_back(unknown);
    }
  }

  bool CommitNode() {
    s_.node_type.push_back(node_type_map_[rec_[node_pos_.type]]);
    const uint64_t name = rec_[node_pos_.name];
    if (name > max_node_name_) [[unlikely]] {
      max_node_name_ = name;
      max_node_name_offset_ = Offset();
      max_node_name_ordinal_ = nodes_read_;
    }
    s_.node_name.push_back(StringId(static_cast<uint32_t>(name)));
    s_.node_id.push_back(static_cast<uint32_t>(rec_[node_pos_.id]));
    if (wide_ids_) [[unlikely]]
      s_.node_id_wide.push_back(rec_[node_pos_.id]);
    s_.self_size.push_back(rec_[node_pos_.self_size]);
    if (__builtin_add_overflow(total_self_size_, rec_[node_pos_.self_size], &total_self_size_))
        [[unlikely]] {
      return Fail(fmt::format("node {}: self_size {} makes the total of self sizes exceed "
                              "2^64 - 1 bytes",
                              nodes_read_, rec_[node_pos_.self_size]));
    }
    edge_sum_ += rec_[node_pos_.edge_count];
    if (edge_sum_ > kU32Max) [[unlikely]] {
      return Fail(fmt::format("node {}: edge_count {} makes the edge total exceed 32 bits",
                              nodes_read_, rec_[node_pos_.edge_count]));
    }
    s_.first_edge.push_back(static_cast<uint32_t>(edge_sum_));
    if (node_pos_.trace_node_id != kNoField) {
      s_.trace_node_id.push_back(static_cast<uint32_t>(rec_[node_pos_.trace_node_id]));
    }
    if (node_pos_.detachedness != kNoField) {
      s_.detachedness.push_back(static_cast<uint8_t>(rec_[node_pos_.detachedness]));
    }
    if (++nodes_read_ > node_limit_) [[unlikely]] {
      if (!have_node_count_) return GrowthCheck();
      return Fail(fmt::format("more nodes than the header's node_count {}", node_limit_));
    }
    return true;
  }

  // The model's bytes so far (columns, strings) against the budget; for files whose header
  // does not give counts, called every kGrowthStep nodes and every kStringStep string bytes.
  bool GrowthCheck() {
    const uint64_t used = nodes_read_ * kBytesPerNode + s_.string_data.size() +
                          s_.string_offset.size() * sizeof(uint64_t);
    if (used > budget_) {
      return Fail(fmt::format("the model needs more than the memory budget of {} after {} nodes "
                              "and {} of strings (the header gives no counts; raise the budget "
                              "with --max-memory)",
                              io::FormatBytes(budget_), nodes_read_,
                              io::FormatBytes(s_.string_data.size())));
    }
    if (!have_node_count_ && nodes_read_ > node_limit_) node_limit_ = nodes_read_ + kGrowthStep;
    if (s_.string_data.size() > string_check_) string_check_ = s_.string_data.size() + kStringStep;
    return true;
  }

  bool NodeFieldError(uint32_t field, uint64_t v) {
    const std::string& name = s_.meta.node_fields[field];
    if (field == node_pos_.type) {
      return Fail(fmt::format("node type index {} is not in meta.node_types[0] ({} types)", v,
                              node_type_map_.size()));
    }
    if (field == node_pos_.detachedness) {
      return Fail(fmt::format("detachedness {} is not 0, 1 or 2", v));
    }
    if (field == node_pos_.name) return Fail(fmt::format("string index {} exceeds 32 bits", v));
    return Fail(fmt::format("node {} {} exceeds 32 bits", name == "id" ? "id" : name, v));
  }

  // One value of the `edges` array; as for nodes, checked per value, committed per record.
  bool EdgeValue(uint64_t v) {
    rec_[field_] = v;
    if (v > edge_limits_[field_]) [[unlikely]] {
      if (field_ != edge_pos_.type || v >= kMaxTypeIndex) return EdgeFieldError(field_, v);
      ExtendTypes(&s_.meta.edge_type_names, &edge_type_map_, EdgeType::kUnknown, v);
      s_.diagnostics.undeclared_edge_types += 1;
      edge_limits_[field_] = edge_type_map_.size() - 1;
    }
    if (++field_ != edge_field_count_) return true;
    field_ = 0;
    return CommitEdge();
  }

  bool CommitEdge() {
    // Edges past the nodes' edge_count sum belong to no node: DevTools never walks them.
    if (edges_read_ >= edge_limit_) [[unlikely]] {
      ++s_.diagnostics.edges_beyond_last_node;
      return true;
    }
    const EdgeType type = edge_type_map_[rec_[edge_pos_.type]];
    s_.edge_type.push_back(type);
    const uint64_t name = rec_[edge_pos_.name_or_index];
    if (name > max_edge_name_ && type != EdgeType::kElement && type != EdgeType::kHidden)
        [[unlikely]] {
      max_edge_name_ = name;
      max_edge_name_offset_ = Offset();
      max_edge_name_ordinal_ = edges_read_;
    }
    s_.edge_name_or_index.push_back(static_cast<uint32_t>(name));
    const uint64_t to = rec_[edge_pos_.to_node];
    const uint64_t ordinal = to / node_field_count_;
    if (ordinal * node_field_count_ != to) [[unlikely]] {
      return Fail(fmt::format("to_node {} is not a multiple of the node field count {}", to,
                              node_field_count_));
    }
    if (ordinal >= to_limit_) [[unlikely]] {
      return Fail(fmt::format("to_node {} (node {}) is past the last node ({} nodes)", to, ordinal,
                              to_limit_));
    }
    s_.edge_to.push_back(NodeIndex(static_cast<uint32_t>(ordinal)));
    ++edges_read_;
    return true;
  }

  bool EdgeFieldError(uint32_t field, uint64_t v) {
    if (field == edge_pos_.type) {
      return Fail(fmt::format("edge type index {} is not in meta.edge_types[0] ({} types)", v,
                              edge_type_map_.size()));
    }
    return Fail(fmt::format("{} {} exceeds 32 bits", s_.meta.edge_fields[field], v));
  }

  // One value of the `locations` array; a record is kept when its object_index is a node.
  bool LocationValue(uint64_t v) {
    loc_rec_[field_] = v;
    if (++field_ < loc_field_count_) return true;
    field_ = 0;
    uint64_t object = 0, script_id = 0, line = 0, column = 0;
    uint64_t script_object = kNone;
    bool has_script_object = false;
    for (uint32_t i = 0; i < loc_field_count_; ++i) {
      switch (loc_roles_[i]) {
        case LocRole::kObject:
          object = loc_rec_[i];
          break;
        case LocRole::kScriptId:
          script_id = loc_rec_[i];
          break;
        case LocRole::kScriptObject:
          script_object = loc_rec_[i];
          has_script_object = true;
          break;
        case LocRole::kLine:
          line = loc_rec_[i];
          break;
        case LocRole::kColumn:
          column = loc_rec_[i];
          break;
        case LocRole::kIgnore:
          break;
      }
    }
    const uint64_t nodes = s_.node_id.size();
    if (object % node_field_count_ != 0 || object / node_field_count_ >= nodes ||
        script_id > kU32Max || line > kU32Max || column > kU32Max) {
      ++s_.diagnostics.locations_dropped;
      return true;
    }
    NodeIndex script_node = kNoNode;
    if (has_script_object) {
      if (script_object % node_field_count_ == 0 && script_object / node_field_count_ < nodes) {
        script_node = NodeIndex(static_cast<uint32_t>(script_object / node_field_count_));
      } else {
        ++s_.diagnostics.location_script_nodes_invalid;
      }
    }
    s_.loc_node.push_back(NodeIndex(static_cast<uint32_t>(object / node_field_count_)));
    s_.loc_script_id.push_back(static_cast<uint32_t>(script_id));
    s_.loc_script_node.push_back(script_node);
    s_.loc_line.push_back(static_cast<uint32_t>(line));
    s_.loc_column.push_back(static_cast<uint32_t>(column));
    return true;
  }

  bool HeaderValue(uint64_t v) {
    state_ = State::kSnapKey;
    const uint32_t bit = 1u << static_cast<uint32_t>(header_key_);
    if (header_seen_ & bit) ++s_.diagnostics.duplicate_header_keys;  // the last one counts
    header_seen_ |= bit;
    switch (header_key_) {
      case HeaderKey::kNodeCount:
        if (v > kU32Max) return Fail(fmt::format("node_count {} exceeds 32 bits", v));
        header_node_count_ = v;
        have_node_count_ = true;
        break;
      case HeaderKey::kEdgeCount:
        if (v > kU32Max) return Fail(fmt::format("edge_count {} exceeds 32 bits", v));
        header_edge_count_ = v;
        have_edge_count_ = true;
        break;
      case HeaderKey::kTraceFunctionCount:
        if (v > kU32Max) return Fail(fmt::format("trace_function_count {} exceeds 32 bits", v));
        s_.trace_function_count = static_cast<uint32_t>(v);
        break;
      case HeaderKey::kExtraNativeBytes:
        s_.extra_native_bytes = v;
        break;
      case HeaderKey::kRootIndex:
        root_index_ = v;
        have_root_index_ = true;
        break;
    }
    section_ = "snapshot";
    return true;
  }

  // ---- Keys -------------------------------------------------------------------------------
  bool TopKey(std::string_view k) {
    section_.assign(k);
    if (k == "trace_function_infos" || k == "trace_tree" || k == "samples") return BeginTrace(k);
    bool* seen = k == "snapshot"    ? &seen_snapshot_
                 : k == "nodes"     ? &seen_nodes_
                 : k == "edges"     ? &seen_edges_
                 : k == "locations" ? &seen_locations_
                 : k == "strings"   ? &seen_strings_
                                    : nullptr;
    if (seen == nullptr) {  // e.g. Chrome's scopes, scope_context_vars, scope_uses
      ++s_.diagnostics.unknown_sections_skipped;
      return EnterSkip(State::kTopKey, 0);
    }
    if (*seen) return Fail("appears twice");
    *seen = true;
    if (k == "snapshot") {
      state_ = State::kSnapshotObj;
      return true;
    }
    if (k == "strings") {
      BeginStrings();
      return true;
    }
    if (!header_done_) {
      return Fail("comes before the `snapshot` header that gives its layout (is it missing?)");
    }
    if (k == "nodes") {
      BeginNodes();
      TryBulk(k);
      return true;
    }
    if (!(k == "edges" ? BeginEdges() : BeginLocations())) return false;
    TryBulk(k);
    return true;
  }

  // ---- The parallel path for the big arrays (bulk_arrays.h) ---------------------------------
  // For input with positional access (plain files, text in memory), reads the whole array of
  // `k` with the parallel parser straight into the model, leaving the JSON parser an empty
  // array; when that path declines (any error or rare value), nothing changed and the JSON
  // parser reads the array as before.
  void TryBulk(std::string_view k) {
    if (state_ != State::kArrayStart) return;  // skipped (locations without location_fields)
    const bool parallel = TryParallel(k);
    if (options_.stats != nullptr) ++(parallel ? options_.stats->arrays_parallel : options_.stats->arrays_streamed);
  }
  bool TryParallel(std::string_view k) {
    uint64_t begin = 0;
    if (ra_ == nullptr || !is_.ArrayAhead(&begin)) return false;
    internal::ArrayScanOptions scan;
    scan.chunk_bytes = options_.parallel_chunk_bytes;
    scan.progress = options_.progress;
    if (k == "nodes") {
      if (!have_node_count_) return false;
      internal::BulkNodes b;
      b.fields = node_field_count_;
      b.type = node_pos_.type, b.name = node_pos_.name, b.id = node_pos_.id;
      b.self_size = node_pos_.self_size, b.edge_count = node_pos_.edge_count;
      b.trace_node_id = node_pos_.trace_node_id, b.detachedness = node_pos_.detachedness;
      b.limits = &node_limits_;
      b.type_map = &node_type_map_;
      b.count = header_node_count_;
      internal::ParseNodesBulk(*ra_, begin, scan, b, s_);
      if (!b.ok) return false;
      nodes_read_ = b.count;
      edge_sum_ = b.edge_sum;
      total_self_size_ = b.self_total;
      max_node_name_ = b.max_name;
      max_node_name_ordinal_ = b.max_name_node;
      max_node_name_offset_ = b.max_name_offset;
      is_.SkipTo(b.close_offset);
    } else if (k == "edges") {
      internal::BulkEdges b;
      b.fields = edge_field_count_;
      b.type = edge_pos_.type, b.name_or_index = edge_pos_.name_or_index;
      b.to_node = edge_pos_.to_node;
      b.node_fields = node_field_count_;
      b.node_count = to_limit_;
      b.type_limit = edge_limits_[edge_pos_.type];
      b.type_map = &edge_type_map_;
      b.count = edge_limit_;
      internal::ParseEdgesBulk(*ra_, begin, scan, b, s_);
      if (!b.ok) return false;
      edges_read_ = b.count;
      max_edge_name_ = b.max_name;
      max_edge_name_ordinal_ = b.max_name_edge;
      max_edge_name_offset_ = b.max_name_offset;
      is_.SkipTo(b.close_offset);
    } else {
      internal::BulkLocations b;
      for (LocRole r : loc_roles_) b.roles.push_back(static_cast<internal::BulkLocRole>(r));
      b.node_fields = node_field_count_;
      b.node_count = s_.node_id.size();
      internal::ParseLocationsBulk(*ra_, begin, scan, b, s_);
      if (!b.ok) return false;
      s_.diagnostics.locations_dropped += b.dropped;
      s_.diagnostics.location_script_nodes_invalid += b.script_nodes_invalid;
      is_.SkipTo(b.close_offset);
    }
    return true;
  }

  bool SnapKey(std::string_view k) {
    section_ = fmt::format("snapshot.{}", k);
    if (k == "meta") {
      if (have_meta_) return Fail("appears twice");
      state_ = State::kMetaObj;
      return true;
    }
    state_ = State::kSnapValue;
    if (k == "node_count") {
      header_key_ = HeaderKey::kNodeCount;
    } else if (k == "edge_count") {
      header_key_ = HeaderKey::kEdgeCount;
    } else if (k == "trace_function_count") {
      header_key_ = HeaderKey::kTraceFunctionCount;
    } else if (k == "extra_native_bytes") {
      header_key_ = HeaderKey::kExtraNativeBytes;
    } else if (k == "root_index") {
      header_key_ = HeaderKey::kRootIndex;
    } else {
      return EnterSkip(State::kSnapKey, 0);  // e.g. DevTools' optional `title`
    }
    return true;
  }

  bool MetaKey(std::string_view k) {
    section_ = fmt::format("snapshot.meta.{}", k);
    Meta& m = s_.meta;
    const bool known = k == "node_fields" || k == "edge_fields" || k == "location_fields" ||
                       k == "node_types" || k == "edge_types";
    if (known && !meta_keys_seen_.insert(std::string(k)).second) {
      ++s_.diagnostics.duplicate_header_keys;  // the last one counts
    }
    if (k == "node_fields") return ExpectStrList(&m.node_fields);
    if (k == "trace_function_info_fields") return ExpectStrList(&m.trace_function_info_fields);
    if (k == "trace_node_fields") return ExpectStrList(&m.trace_node_fields);
    if (k == "sample_fields") return ExpectStrList(&m.sample_fields);
    if (k == "edge_fields") return ExpectStrList(&m.edge_fields);
    if (k == "location_fields") return ExpectStrList(&m.location_fields);
    if (k == "node_types" || k == "edge_types") {
      str_list_ = k == "node_types" ? &m.node_type_names : &m.edge_type_names;
      str_list_->clear();
      state_ = State::kTypesStart;
      return true;
    }
    return EnterSkip(State::kMetaKey, 0);  // keys of newer or other producers
  }

  bool ExpectStrList(std::vector<std::string>* list) {
    list->clear();
    str_list_ = list;
    state_ = State::kStrListStart;
    return true;
  }

  // ---- Header end: layout, memory check, reservations ---------------------------------------
  bool EndHeader();
  bool CheckLayout();

  void BeginNodes() {
    state_ = State::kArrayStart;
    array_state_ = State::kNodes;
    field_ = 0;
    s_.first_edge.push_back(0);
  }
  bool BeginEdges() {
    state_ = State::kArrayStart;
    array_state_ = State::kEdges;
    field_ = 0;
    // V8 writes `nodes` first; edge targets are range-checked against it as they stream.
    if (!nodes_done_) return Fail("comes before `nodes` (is `nodes` missing?)");
    to_limit_ = nodes_read_;
    // The nodes' edge_count values, not the header, say how many edges there are (as in
    // DevTools); a header that disagrees is counted.
    edge_limit_ = edge_sum_;
    if (have_edge_count_ && header_edge_count_ != edge_sum_) {
      ++s_.diagnostics.header_edge_count_mismatch;
    }
    if (s_.edge_to.capacity() < edge_sum_) {
      const uint64_t need = nodes_read_ * kBytesPerNode + edge_sum_ * kBytesPerEdge +
                            s_.string_data.size();
      if (need > budget_) {
        return Fail(fmt::format("{} edges would need {} of memory, more than the budget of {} "
                                "(raise it with --max-memory)",
                                edge_sum_, io::FormatBytes(need), io::FormatBytes(budget_)));
      }
      s_.edge_type.reserve(edge_sum_);
      s_.edge_name_or_index.reserve(edge_sum_);
      s_.edge_to.reserve(edge_sum_);
    }
    return true;
  }
  // The allocation-trace sections (traces.h), read by TraceReader.
  bool BeginTrace(std::string_view k) {
    using Section = internal::TraceReader::Section;
    const Section section = k == "trace_function_infos" ? Section::kFunctions
                            : k == "trace_tree"         ? Section::kTree
                                                        : Section::kSamples;
    bool& seen = seen_trace_[static_cast<int>(section)];
    if (seen) return Fail("appears twice");
    seen = true;
    if (!header_done_) {
      return Fail("comes before the `snapshot` header that gives its layout (is it missing?)");
    }
    trace_.Begin(section);
    state_ = State::kArrayStart;
    array_state_ = State::kTrace;
    return true;
  }
  bool TraceFail() {
    if (trace_.error_field()[0] != '\0') section_ = trace_.error_field();
    return Fail(trace_.error());
  }

  bool BeginLocations() {
    state_ = State::kArrayStart;
    array_state_ = State::kLocations;
    field_ = 0;
    if (!nodes_done_) return Fail("comes before `nodes` (is `nodes` missing?)");
    if (loc_field_count_ == 0) return EnterSkip(State::kTopKey, 0);  // no location_fields
    return true;
  }
  void BeginStrings() {
    state_ = State::kArrayStart;
    array_state_ = State::kStrings;
    s_.string_offset.push_back(0);
    // Reserving address space costs no memory until it is touched. The rest of the input
    // bounds the string bytes, and every string takes at least 3 bytes ("",).
    uint64_t rest = is_.capacity();  // the unknown case (stdin, gzip): small, may grow
    if (remaining_hint_ > 0 && remaining_hint_ > is_.Tell()) rest = remaining_hint_ - is_.Tell();
    s_.string_data.reserve(rest);
    s_.string_offset.reserve(rest / 3 + 2);
    AdviseHugePages(s_.string_data);
    AdviseHugePages(s_.string_offset);
  }

  bool EndNodes() {
    if (field_ != 0) {
      return Fail(
          fmt::format("array length is not a multiple of the node field count {} ({} "
                      "values left over)",
                      node_field_count_, field_));
    }
    if (have_node_count_ && nodes_read_ != header_node_count_) {
      return Fail(
          fmt::format("truncated or inconsistent: the header says {} nodes, the array "
                      "holds {}",
                      header_node_count_, nodes_read_));
    }
    nodes_done_ = true;
    return BackToTop();
  }

  bool EndEdges() {
    if (field_ != 0) {
      return Fail(
          fmt::format("array length is not a multiple of the edge field count {} ({} "
                      "values left over)",
                      edge_field_count_, field_));
    }
    edges_end_offset_ = Offset();
    return BackToTop();
  }

  bool EndLocations() {
    if (field_ != 0) {
      return Fail(fmt::format("array length is not a multiple of the location field count {}",
                              loc_field_count_));
    }
    return BackToTop();
  }

  bool BackToTop() {
    state_ = State::kTopKey;
    return true;
  }

  // ---- Skipping ---------------------------------------------------------------------------
  // Skips the next value (depth 0) or the rest of a container just opened (depth 1).
  bool EnterSkip(State back, uint32_t depth) {
    skip_back_ = back;
    skip_depth_ = depth;
    state_ = State::kSkip;
    return true;
  }
  bool SkipScalar() {
    if (skip_depth_ == 0) state_ = skip_back_;
    return true;
  }
  bool SkipEnd() {
    if (--skip_depth_ == 0) state_ = skip_back_;
    return true;
  }

  // ---- Errors -----------------------------------------------------------------------------
  int64_t Offset() const { return static_cast<int64_t>(is_.Tell()); }
  bool Fail(std::string message) {
    failed_ = true;
    error_ = std::move(message);
    error_field_ = section_;
    error_offset_ = Offset();
    return false;
  }
  bool Unexpected(const char* what) { return Fail(fmt::format("{} is not expected here", what)); }

  Snapshot& s_;
  JsonSourceStream& is_;
  const ParseOptions& options_;

 public:
  uint64_t remaining_hint_ = 0;  // total input bytes when known, for the strings reservation
  const io::RandomAccess* ra_ = nullptr;  // positional access for the parallel array path

 private:
  State state_ = State::kTop;
  State array_state_ = State::kNodes;
  State skip_back_ = State::kTopKey;
  uint32_t skip_depth_ = 0;
  HeaderKey header_key_ = HeaderKey::kNodeCount;
  std::vector<std::string>* str_list_ = nullptr;
  std::string section_;  // the field being read, for messages ("nodes", "snapshot.meta", …)

  // Layout, from meta.
  uint32_t node_field_count_ = 0;
  uint32_t edge_field_count_ = 0;
  uint32_t loc_field_count_ = 0;
  static constexpr uint32_t kNoField = kNone;
  struct NodePositions {
    uint32_t type = kNoField, name = kNoField, id = kNoField, self_size = kNoField;
    uint32_t edge_count = kNoField, trace_node_id = kNoField, detachedness = kNoField;
  } node_pos_;
  struct EdgePositions {
    uint32_t type = kNoField, name_or_index = kNoField, to_node = kNoField;
  } edge_pos_;
  std::vector<uint64_t> node_limits_;  // per node field: the largest valid value
  std::vector<uint64_t> edge_limits_;
  std::vector<uint64_t> rec_;  // the record being read (nodes, edges)
  std::vector<LocRole> loc_roles_;
  std::vector<NodeType> node_type_map_;
  std::vector<EdgeType> edge_type_map_;

  // Header.
  bool seen_snapshot_ = false, seen_nodes_ = false, seen_edges_ = false;
  bool seen_locations_ = false, seen_strings_ = false;
  bool have_meta_ = false, header_done_ = false, have_strings_ = false;
  bool have_node_count_ = false, have_edge_count_ = false, have_root_index_ = false;
  uint64_t header_node_count_ = 0, header_edge_count_ = 0, root_index_ = 0;
  uint32_t header_seen_ = 0;               // HeaderKey bits seen
  bool seen_trace_[3] = {false, false, false};
  internal::TraceReader trace_;
  std::set<std::string> meta_keys_seen_;

  // Array progress.
  uint32_t field_ = 0;
  uint64_t nodes_read_ = 0, edges_read_ = 0;
  uint64_t node_limit_ = kU32Max, edge_limit_ = kU32Max, to_limit_ = kU32Max;
  bool nodes_done_ = false;
  bool wide_ids_ = false;
  uint64_t edge_sum_ = 0;
  uint64_t total_self_size_ = 0;

  // Memory: the budget, and when to check growth next (files without header counts).
  static constexpr uint64_t kGrowthStep = uint64_t{1} << 20;
  static constexpr uint64_t kStringStep = uint64_t{64} << 20;
  static constexpr uint64_t kMaxTypeIndex = 4096;  // larger type indices are damage
 public:
  uint64_t budget_ = 0;

 private:
  uint64_t string_check_ = kStringStep;
  int64_t edges_end_offset_ = -1;
  std::array<uint64_t, 16> loc_rec_{};

  // The largest string ids seen, and where (checked once `strings` is read).
  uint64_t max_node_name_ = 0, max_edge_name_ = 0;
  uint64_t max_node_name_ordinal_ = 0, max_edge_name_ordinal_ = 0;
  int64_t max_node_name_offset_ = -1, max_edge_name_offset_ = -1;

  bool failed_ = false;
  std::string error_, error_field_;
  int64_t error_offset_ = -1;
};

bool SnapshotHandler::CheckLayout() {
  Meta& m = s_.meta;
  section_ = "snapshot.meta";
  if (!have_meta_) return Fail("`meta` is missing from the header");
  // Nodes: every field's position by name; unknown fields are read and ignored.
  node_pos_ = {};
  for (uint32_t i = 0; i < m.node_fields.size(); ++i) {
    const std::string& f = m.node_fields[i];
    uint32_t* pos = f == "type"            ? &node_pos_.type
                    : f == "name"          ? &node_pos_.name
                    : f == "id"            ? &node_pos_.id
                    : f == "self_size"     ? &node_pos_.self_size
                    : f == "edge_count"    ? &node_pos_.edge_count
                    : f == "trace_node_id" ? &node_pos_.trace_node_id
                    : f == "detachedness"  ? &node_pos_.detachedness
                                           : nullptr;
    if (pos == nullptr) continue;
    if (*pos != kNoField) {
      section_ = "snapshot.meta.node_fields";
      return Fail(fmt::format("'{}' appears twice", f));
    }
    *pos = i;
  }
  const std::pair<uint32_t, const char*> required_node[] = {{node_pos_.type, "type"},
                                                            {node_pos_.name, "name"},
                                                            {node_pos_.id, "id"},
                                                            {node_pos_.self_size, "self_size"},
                                                            {node_pos_.edge_count, "edge_count"}};
  for (const auto& [pos, name] : required_node) {
    if (pos == kNoField) {
      section_ = "snapshot.meta.node_fields";
      return Fail(fmt::format("'{}' is missing", name));
    }
  }
  m.has_trace_node_id = node_pos_.trace_node_id != kNoField;
  m.has_detachedness = node_pos_.detachedness != kNoField;
  m.node_field_count = static_cast<uint32_t>(m.node_fields.size());
  node_field_count_ = m.node_field_count;

  // Edges.
  edge_pos_ = {};
  for (uint32_t i = 0; i < m.edge_fields.size(); ++i) {
    const std::string& f = m.edge_fields[i];
    uint32_t* pos = f == "type"            ? &edge_pos_.type
                    : f == "name_or_index" ? &edge_pos_.name_or_index
                    : f == "to_node"       ? &edge_pos_.to_node
                                           : nullptr;
    if (pos == nullptr) continue;
    if (*pos != kNoField) {
      section_ = "snapshot.meta.edge_fields";
      return Fail(fmt::format("'{}' appears twice", f));
    }
    *pos = i;
  }
  const std::pair<uint32_t, const char*> required_edge[] = {
      {edge_pos_.type, "type"},
      {edge_pos_.name_or_index, "name_or_index"},
      {edge_pos_.to_node, "to_node"}};
  for (const auto& [pos, name] : required_edge) {
    if (pos == kNoField) {
      section_ = "snapshot.meta.edge_fields";
      return Fail(fmt::format("'{}' is missing", name));
    }
  }
  m.edge_field_count = static_cast<uint32_t>(m.edge_fields.size());
  edge_field_count_ = m.edge_field_count;

  // Locations (optional).
  loc_roles_.clear();
  bool lhas[5] = {};
  for (const std::string& f : m.location_fields) {
    LocRole r = LocRole::kIgnore;
    if (f == "object_index")
      r = LocRole::kObject;
    else if (f == "script_id")
      r = LocRole::kScriptId;
    else if (f == "script_object_index")
      r = LocRole::kScriptObject;
    else if (f == "line")
      r = LocRole::kLine;
    else if (f == "column")
      r = LocRole::kColumn;
    if (r != LocRole::kIgnore) lhas[static_cast<int>(r)] = true;
    loc_roles_.push_back(r);
  }
  if (!m.location_fields.empty()) {
    if (!lhas[0] || !lhas[1] || !lhas[3] || !lhas[4] ||
        m.location_fields.size() > loc_rec_.size()) {
      section_ = "snapshot.meta.location_fields";
      return Fail("needs object_index, script_id, line and column (at most 16 fields)");
    }
  }
  m.has_script_object_index = lhas[static_cast<int>(LocRole::kScriptObject)];
  loc_field_count_ = static_cast<uint32_t>(m.location_fields.size());

  // Type names onto the canonical enums, by name.
  if (m.node_type_names.empty()) {
    section_ = "snapshot.meta.node_types";
    return Fail("the list of node type names is missing or empty");
  }
  if (m.edge_type_names.empty()) {
    section_ = "snapshot.meta.edge_types";
    return Fail("the list of edge type names is missing or empty");
  }
  node_type_map_.clear();
  for (const std::string& n : m.node_type_names) {
    NodeType t = NodeTypeFromName(n);
    if (t == NodeType::kUnknown) ++s_.diagnostics.unknown_node_type_names;
    node_type_map_.push_back(t);
  }
  edge_type_map_.clear();
  for (const std::string& n : m.edge_type_names) {
    EdgeType t = EdgeTypeFromName(n);
    if (t == EdgeType::kUnknown) ++s_.diagnostics.unknown_edge_type_names;
    edge_type_map_.push_back(t);
  }
  // Per-field limits for the per-value checks: 32 bits, or the type count, or 8 bits.
  node_limits_.assign(node_field_count_, kU32Max);
  node_limits_[node_pos_.type] = node_type_map_.size() - 1;
  node_limits_[node_pos_.self_size] = std::numeric_limits<uint64_t>::max();
  if (node_pos_.detachedness != kNoField) node_limits_[node_pos_.detachedness] = 255;
  edge_limits_.assign(edge_field_count_, kU32Max);
  edge_limits_[edge_pos_.type] = edge_type_map_.size() - 1;
  edge_limits_[edge_pos_.to_node] = std::numeric_limits<uint64_t>::max();  // checked per record
  rec_.assign(std::max(node_field_count_, edge_field_count_), 0);
  if (!trace_.Configure(m)) return TraceFail();
  return true;
}

bool SnapshotHandler::EndHeader() {
  state_ = State::kTopKey;
  if (!CheckLayout()) return false;
  section_ = "snapshot";
  if (!have_node_count_ || !have_edge_count_) ++s_.diagnostics.header_counts_missing;
  if (have_node_count_) {
    // Check the memory the counts would need before reserving anything.
    uint64_t need = header_node_count_ * kBytesPerNode + header_edge_count_ * kBytesPerEdge;
    if (need > budget_) {
      return Fail(fmt::format(
          "node_count {} and edge_count {} would need {} of memory, more than the budget of {} "
          "(available memory, ulimit -v, cgroup limit; raise it with --max-memory if the "
          "header is right)",
          header_node_count_, header_edge_count_, io::FormatBytes(need),
          io::FormatBytes(budget_)));
    }
  }
  s_.header_node_count = static_cast<uint32_t>(header_node_count_);
  s_.header_edge_count = static_cast<uint32_t>(header_edge_count_);
  if (!have_node_count_) node_limit_ = kGrowthStep;
  if (have_node_count_) {
    node_limit_ = header_node_count_;
    const size_t n = header_node_count_;
    s_.node_type.reserve(n);
    s_.node_name.reserve(n);
    s_.node_id.reserve(n);
    s_.self_size.reserve(n);
    s_.first_edge.reserve(n + 1);
    if (s_.meta.has_trace_node_id) s_.trace_node_id.reserve(n);
    if (s_.meta.has_detachedness) s_.detachedness.reserve(n);
    AdviseHugePages(s_.node_type);
    AdviseHugePages(s_.node_name);
    AdviseHugePages(s_.node_id);
    AdviseHugePages(s_.self_size);
    AdviseHugePages(s_.first_edge);
    AdviseHugePages(s_.trace_node_id);
    AdviseHugePages(s_.detachedness);
  }
  if (have_edge_count_) {
    const size_t e = header_edge_count_;
    s_.edge_type.reserve(e);
    s_.edge_name_or_index.reserve(e);
    s_.edge_to.reserve(e);
    AdviseHugePages(s_.edge_type);
    AdviseHugePages(s_.edge_name_or_index);
    AdviseHugePages(s_.edge_to);
  }
  header_done_ = true;
  return true;
}

Status SnapshotHandler::Finish(uint64_t end) {
  const int64_t at_end = static_cast<int64_t>(end);
  const struct {
    bool seen;
    const char* name;
  } required[] = {{seen_snapshot_, "snapshot"},
                  {seen_nodes_, "nodes"},
                  {seen_edges_, "edges"},
                  {seen_strings_, "strings"}};
  for (const auto& r : required) {
    if (!r.seen) return InputError(s_.source, r.name, at_end, "required section is missing");
  }
  const uint64_t nodes = nodes_read_;
  if (edge_sum_ != edges_read_) {
    return InputError(s_.source, "edges", edges_end_offset_,
                      fmt::format("the nodes' edge_count values sum to {}, the array holds {} "
                                  "edges",
                                  edge_sum_, edges_read_));
  }
  const uint64_t strings = s_.string_count();
  if (nodes > 0 && max_node_name_ >= strings) {
    return InputError(s_.source, "nodes", max_node_name_offset_,
                      fmt::format("node {}: name string index {} is out of range ({} strings)",
                                  max_node_name_ordinal_, max_node_name_, strings));
  }
  if (max_edge_name_offset_ >= 0 && max_edge_name_ >= strings) {
    return InputError(s_.source, "edges", max_edge_name_offset_,
                      fmt::format("edge {}: name string index {} is out of range ({} strings)",
                                  max_edge_name_ordinal_, max_edge_name_, strings));
  }
  if (have_root_index_) {
    if (root_index_ % node_field_count_ != 0 || root_index_ / node_field_count_ >= nodes) {
      return InputError(s_.source, "snapshot.root_index", -1,
                        fmt::format("root_index {} is not the field offset of a node ({} nodes, "
                                    "{} fields each)",
                                    root_index_, nodes, node_field_count_));
    }
    s_.root = NodeIndex(static_cast<uint32_t>(root_index_ / node_field_count_));
  } else if (nodes == 0) {
    return InputError(s_.source, "nodes", at_end, "the snapshot has no nodes (not even a root)");
  }
  if (!trace_.Finish(s_.traces, s_.trace_function_count, strings, s_.diagnostics)) {
    return InputError(s_.source, trace_.error_field(), trace_.error_offset(), trace_.error());
  }
  CountUnknownTraceNodes();
  CountDuplicateIds();
  if (!have_node_count_) s_.header_node_count = static_cast<uint32_t>(nodes);
  if (!have_edge_count_) s_.header_edge_count = static_cast<uint32_t>(edges_read_);
  return Status::Ok();
}

// Counts nodes whose trace_node_id names no node of the allocation tree (0 is V8's "unknown").
void SnapshotHandler::CountUnknownTraceNodes() {
  if (!s_.traces.tracked()) return;
  uint64_t unknown = 0;
  for (uint32_t t : s_.trace_node_id) unknown += t != 0 && s_.traces.FindNode(t) == kNone;
  s_.diagnostics.trace_node_ids_unknown = unknown;
}

// Counts nodes whose id an earlier node already has (V8 ids are unique; DevTools keys its
// diff on them). A bitmap over the id range when it is small next to the node count, else a
// sorted copy.
void SnapshotHandler::CountDuplicateIds() {
  const uint64_t n = s_.node_count();
  if (n < 2) return;
  uint64_t dups = 0;
  if (s_.node_id_wide.empty()) {
    const uint32_t max_id = *std::max_element(s_.node_id.begin(), s_.node_id.end());
    if (max_id / 64 <= n) {
      std::vector<uint64_t> seen(max_id / 64 + 1, 0);
      for (uint32_t id : s_.node_id) {
        const uint64_t bit = uint64_t{1} << (id % 64);
        if (seen[id / 64] & bit) ++dups;
        seen[id / 64] |= bit;
      }
      s_.diagnostics.duplicate_node_ids = dups;
      return;
    }
    std::vector<uint32_t> ids = s_.node_id;
    std::sort(ids.begin(), ids.end());
    for (size_t i = 1; i < ids.size(); ++i) dups += ids[i] == ids[i - 1];
  } else {
    std::vector<uint64_t> ids = s_.node_id_wide;
    std::sort(ids.begin(), ids.end());
    for (size_t i = 1; i < ids.size(); ++i) dups += ids[i] == ids[i - 1];
  }
  s_.diagnostics.duplicate_node_ids = dups;
}

Result<Snapshot> Parse(io::ByteSource* src, std::string_view name, const ParseOptions& options) {
  Snapshot s;
  s.source = std::string(name);
  // The read buffer: options.buffer_bytes, or less for a file known to be smaller (a gzip
  // file's text is larger than the file, so never below 64 KiB: more refills, same result).
  size_t buffer_bytes = options.buffer_bytes;
  if (const uint64_t size = src->file_size(); size > 0) {
    buffer_bytes = static_cast<size_t>(
        std::min<uint64_t>(buffer_bytes, std::max<uint64_t>(size + 1, uint64_t{64} << 10)));
  }
  JsonSourceStream stream(src, buffer_bytes, options.progress);
  SnapshotHandler handler(&s, &stream, options);
  if (!src->compressed()) handler.remaining_hint_ = src->file_size();
  if (options.parallel_arrays) handler.ra_ = src->random_access();
  handler.budget_ = options.max_model_bytes != 0 ? options.max_model_bytes : io::MemoryBudget();
  rapidjson::Reader reader;
  rapidjson::ParseResult ok;
  try {
    ok = reader.Parse<rapidjson::kParseIterativeFlag>(stream, handler);
  } catch (const std::bad_alloc&) {
    return InputError(s.source, handler.section(), static_cast<int64_t>(stream.Tell()),
                      fmt::format("out of memory while reading (after {} of JSON; the memory "
                                  "budget is {})",
                                  io::FormatBytes(stream.Tell()),
                                  io::FormatBytes(handler.budget_)));
  }
  const uint64_t end = stream.Tell();
  s.diagnostics.lone_surrogates_replaced = stream.lone_surrogates_replaced();
  if (!src->status().ok()) return src->status();  // I/O or gzip damage comes first
  if (!ok) {
    const rapidjson::ParseErrorCode code = ok.Code();
    const uint64_t offset = ok.Offset();
    std::string field = handler.section();
    if (handler.failed()) {
      // A value cut by the end of input (e.g. "…,14" cut to "…,1") can look invalid; the real
      // problem is the truncation, since a whole snapshot ends with `}`.
      if (!stream.eof()) return handler.failure();
      return InputError(s.source, field, static_cast<int64_t>(end),
                        "truncated file: the input ends inside the JSON (its last value was "
                        "rejected: " +
                            handler.failure_message() + ")");
    }
    if (code == rapidjson::kParseErrorDocumentEmpty) {
      return InputError(s.source, "", 0, "empty file: no JSON value");
    }
    if (stream.eof() && offset >= end) {
      return InputError(s.source, field, static_cast<int64_t>(offset),
                        fmt::format("truncated file: the input ends inside the JSON ({})",
                                    rapidjson::GetParseError_En(code)));
    }
    return InputError(s.source, field, static_cast<int64_t>(offset),
                      fmt::format("malformed JSON: {}", rapidjson::GetParseError_En(code)));
  }
  HS_RETURN_IF_ERROR(handler.Finish(end));
  s.source_bytes = end;
  if (options.progress) options.progress(src->file_offset(), src->file_size());
  return s;
}

}  // namespace

Result<Snapshot> ParseSnapshot(std::string_view json, std::string_view name,
                               const ParseOptions& options) {
  StringSource src(json);
  return Parse(&src, name, options);
}

Result<Snapshot> ParseSnapshotFile(const std::string& path, const ParseOptions& options) {
  HS_ASSIGN_OR_RETURN(std::unique_ptr<io::ByteSource> src, io::OpenInput(path));
  return Parse(src.get(), path, options);
}

}  // namespace heapscope::snapshot
