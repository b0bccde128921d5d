// Sampling heap profiles: the SAX reader and the series combination (profile.h).
#include "heapscope/profile/profile.h"

#include <fmt/format.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <limits>
#include <map>
#include <unordered_map>

#include "heapscope/io/input.h"

namespace heapscope::profile {
namespace {

constexpr uint32_t kNoParent = std::numeric_limits<uint32_t>::max();
constexpr uint64_t kMaxProfileBytes = uint64_t{2} << 30;

enum class Ctx : uint8_t { kTop, kNode, kCallFrame, kChildren, kSamples, kSample, kSkip };

class Handler {
 public:
  Handler(HeapProfile* p, rapidjson::MemoryStream* is) : p_(*p), is_(*is) {}

  bool Null() { return Scalar("null"); }
  bool Bool(bool) { return Scalar("a boolean"); }
  bool Int(int v) { return Integer(v); }
  bool Uint(unsigned v) { return Integer(v); }
  bool Int64(int64_t v) { return Integer(v); }
  bool Uint64(uint64_t v) {
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return Fail("a number too large");
    return Integer(static_cast<int64_t>(v));
  }
  bool Double(double d) {
    if (Top() == Ctx::kSkip || Top() == Ctx::kSample || Top() == Ctx::kTop) return Scalar("");
    return Fail(fmt::format("a fractional or out-of-range number ({}) where an integer belongs", d));
  }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return Fail("unexpected number"); }

  bool String(const char* s, rapidjson::SizeType n, bool) {
    std::string_view v(s, n);
    switch (Top()) {
      case Ctx::kCallFrame: {
        CallFrame& f = p_.frame.back();
        if (key_ == "functionName") f.function = v;
        else if (key_ == "url") f.url = v;
        else if (key_ == "scriptId") f.script_id = v;
        else if (key_ == "lineNumber" || key_ == "columnNumber") return Expected("an integer");
        return true;
      }
      case Ctx::kNode:
        if (key_ == "selfSize" || key_ == "id") return Expected("a non-negative integer");
        return true;
      default:
        return Scalar("a string");
    }
  }

  bool Key(const char* s, rapidjson::SizeType n, bool) {
    if (Top() != Ctx::kSkip) key_.assign(s, n);
    return true;
  }

  bool StartObject() {
    if (stack_.empty()) {
      stack_.push_back({Ctx::kTop, 0});
      return true;
    }
    switch (Top()) {
      case Ctx::kTop:
        if (key_ == "head") {
          if (have_head_) return Fail("appears twice");
          have_head_ = true;
          return BeginNode(kNoParent);
        }
        return Skip();
      case Ctx::kChildren:
        return BeginNode(stack_.back().node);
      case Ctx::kNode:
        if (key_ == "callFrame") {
          if (flags_.back() & kHasFrame) return Fail("appears twice");
          flags_.back() |= kHasFrame;
          stack_.push_back({Ctx::kCallFrame, stack_.back().node});
          return true;
        }
        return Skip();
      case Ctx::kSamples:
        stack_.push_back({Ctx::kSample, 0});
        return true;
      case Ctx::kSkip:
        ++stack_.back().node;
        return true;
      default:
        return Skip();
    }
  }

  bool EndObject(rapidjson::SizeType) {
    const Ctx c = Top();
    if (c == Ctx::kSkip) return SkipEnd();
    if (c == Ctx::kNode) {
      const uint8_t f = flags_.back();
      if (!(f & kHasFrame)) return Fail("a node without `callFrame`");
      if (!(f & kHasSelf)) return Fail("a node without `selfSize`");
      flags_.pop_back();
    }
    if (c == Ctx::kSample) {
      ++p_.samples;
      p_.sample_ordinal.push_back(ordinal_);
      p_.sample_node_id.push_back(sample_node_);
      ordinal_ = sample_node_ = 0;
    }
    if (c == Ctx::kTop && !have_head_) {
      key_ = "head";
      return Fail("missing: the file has no allocation tree (is it a sampling heap profile?)");
    }
    stack_.pop_back();
    key_.clear();
    return true;
  }

  bool StartArray() {
    if (stack_.empty()) return Fail("a sampling heap profile is a JSON object, not an array");
    switch (Top()) {
      case Ctx::kNode:
        if (key_ == "children") {
          stack_.push_back({Ctx::kChildren, stack_.back().node});
          return true;
        }
        return Skip();
      case Ctx::kTop:
        if (key_ == "samples") {
          stack_.push_back({Ctx::kSamples, 0});
          return true;
        }
        return Skip();
      case Ctx::kSkip:
        ++stack_.back().node;
        return true;
      default:
        return Skip();
    }
  }

  bool EndArray(rapidjson::SizeType) {
    if (Top() == Ctx::kSkip) return SkipEnd();
    stack_.pop_back();
    key_.clear();
    return true;
  }

  bool failed() const { return failed_; }
  const std::string& error() const { return error_; }
  const std::string& field() const { return field_; }
  int64_t offset() const { return offset_; }
  bool have_head() const { return have_head_; }
  // The field being read, for an error RapidJSON itself found.
  std::string CurrentField() const { return FieldName(); }

 private:
  static constexpr uint8_t kHasFrame = 1, kHasSelf = 2;
  struct Entry {
    Ctx ctx;
    uint64_t node;  // kNode/kCallFrame/kChildren: the node index; kSkip: the open depth
  };

  Ctx Top() const { return stack_.empty() ? Ctx::kTop : stack_.back().ctx; }

  bool BeginNode(uint32_t parent) {
    const uint64_t index = p_.frame.size();
    if (index >= kNoParent) return Fail("too many nodes");
    p_.frame.emplace_back();
    p_.parent.push_back(parent);
    p_.self_size.push_back(0);
    p_.node_id.push_back(0);
    flags_.push_back(0);
    stack_.push_back({Ctx::kNode, index});
    key_.clear();
    return true;
  }

  bool Integer(int64_t v) {
    switch (Top()) {
      case Ctx::kCallFrame: {
        CallFrame& f = p_.frame.back();
        if (key_ == "lineNumber" || key_ == "columnNumber") {
          if (v < -1) return Fail(fmt::format("{} is below -1 (unknown)", v));
          (key_ == "lineNumber" ? f.line : f.column) = v;
        } else if (key_ == "scriptId") {
          f.script_id = std::to_string(v);
        } else if (key_ == "functionName" || key_ == "url") {
          return Expected("a string");
        }
        return true;
      }
      case Ctx::kNode: {
        const uint64_t n = stack_.back().node;
        if (key_ == "selfSize") {
          if (v < 0) return Expected("a non-negative integer");
          flags_.back() |= kHasSelf;
          p_.self_size[n] = static_cast<uint64_t>(v);
        } else if (key_ == "id") {
          if (v < 0) return Expected("a non-negative integer");
          p_.node_id[n] = static_cast<uint64_t>(v);
        }
        return true;
      }
      case Ctx::kSample:
        if (v < 0) return Expected("a non-negative integer");
        if (key_ == "ordinal") ordinal_ = static_cast<uint64_t>(v);
        if (key_ == "nodeId") sample_node_ = static_cast<uint64_t>(v);
        return true;
      default:
        return Scalar("a number");
    }
  }

  // A value of a key heapscope does not read, or one in the wrong place.
  bool Scalar(const char* what) {
    switch (Top()) {
      case Ctx::kSkip:
        return SkipScalar();
      case Ctx::kTop:
      case Ctx::kSample:
      case Ctx::kNode:
      case Ctx::kCallFrame:
        return true;  // keys of other producers (DevTools' "startTime", …)
      case Ctx::kChildren:
        return Fail(fmt::format("{} where a child node belongs", what));
      case Ctx::kSamples:
        return Fail(fmt::format("{} where a sample belongs", what));
    }
    return true;
  }
  bool Expected(const char* what) { return Fail(fmt::format("expected {}", what)); }

  bool Skip() {
    stack_.push_back({Ctx::kSkip, 1});
    return true;
  }
  bool SkipScalar() { return true; }
  bool SkipEnd() {
    if (--stack_.back().node == 0) stack_.pop_back();
    return true;
  }

  std::string FieldName() const {
    for (size_t i = stack_.size(); i-- > 0;) {
      switch (stack_[i].ctx) {
        case Ctx::kCallFrame:
          return "callFrame" + (key_.empty() ? "" : "." + key_);
        case Ctx::kNode:
          return "node" + (key_.empty() ? "" : "." + key_);
        case Ctx::kChildren:
          return "children";
        case Ctx::kSamples:
        case Ctx::kSample:
          return "samples";
        case Ctx::kTop:
          return key_;
        case Ctx::kSkip:
          continue;
      }
    }
    return key_;
  }

  bool Fail(std::string m) {
    failed_ = true;
    error_ = std::move(m);
    field_ = FieldName();
    offset_ = static_cast<int64_t>(is_.Tell());
    return false;
  }

  HeapProfile& p_;
  rapidjson::MemoryStream& is_;
  std::vector<Entry> stack_;
  std::vector<uint8_t> flags_;  // per open node
  std::string key_;
  bool have_head_ = false;
  uint64_t ordinal_ = 0, sample_node_ = 0;
  bool failed_ = false;
  std::string error_, field_;
  int64_t offset_ = -1;
};

}  // namespace

uint64_t HeapProfile::total_size() const {
  uint64_t t = 0;
  for (uint64_t s : self_size) t += s;
  return t;
}

Result<HeapProfile> ParseHeapProfile(std::string_view json, std::string_view name) {
  HeapProfile p;
  p.source = std::string(name);
  rapidjson::MemoryStream is(json.data(), json.size());
  Handler h(&p, &is);
  rapidjson::Reader reader;
  rapidjson::ParseResult ok = reader.Parse<rapidjson::kParseIterativeFlag>(is, h);
  if (!ok) {
    if (h.failed()) return InputError(name, h.field(), h.offset(), h.error());
    const std::string field = h.CurrentField();
    if (ok.Code() == rapidjson::kParseErrorDocumentEmpty)
      return InputError(name, "", 0, "empty file: no JSON value");
    const uint64_t off = ok.Offset();
    if (off >= json.size())
      return InputError(name, field, static_cast<int64_t>(json.size()),
                        fmt::format("truncated file: the input ends inside the JSON ({})",
                                    rapidjson::GetParseError_En(ok.Code())));
    return InputError(name, field, static_cast<int64_t>(off),
                      fmt::format("malformed JSON: {}", rapidjson::GetParseError_En(ok.Code())));
  }
  if (!h.have_head())
    return InputError(name, "head", static_cast<int64_t>(json.size()),
                      "missing: the file has no allocation tree (is it a sampling heap profile?)");
  return p;
}

Result<HeapProfile> ReadHeapProfile(const std::string& path) {
  HS_ASSIGN_OR_RETURN(std::string text,
                      io::ReadWholeInput(path, kMaxProfileBytes, "sampling heap profile"));
  return ParseHeapProfile(text, path);
}

bool LooksLikeHeapProfile(const std::string& path) {
  if (path.ends_with(".heapprofile") || path.ends_with(".heapprofile.gz")) return true;
  if (path == "-") return false;
  Result<std::unique_ptr<io::ByteSource>> in = io::OpenInput(path);
  if (!in.ok()) return false;
  char buf[256];
  const size_t n = (*in)->Read(buf, sizeof buf);
  std::string_view head(buf, n);
  size_t i = head.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos || head[i] != '{') return false;
  i = head.find_first_not_of(" \t\r\n", i + 1);
  return i != std::string_view::npos && head.substr(i).starts_with("\"head\"");
}

bool IsPseudoFrame(const CallFrame& f) {
  return f.url.empty() && f.function.size() >= 2 && f.function.front() == '(' &&
         f.function.back() == ')';
}

ProfileSeries CombineProfiles(const std::vector<HeapProfile>& profiles,
                              const std::function<bool(const CallFrame&)>& attribute) {
  ProfileSeries s;
  const size_t n = profiles.size();
  std::map<std::tuple<std::string, std::string, int64_t, int64_t>, uint32_t> frame_index;
  std::map<std::vector<uint32_t>, uint32_t> stack_index;
  std::unordered_map<uint32_t, uint32_t> function_index;  // frame -> Function
  auto frame_id = [&](const CallFrame& f) {
    auto key = std::make_tuple(f.function, f.url, f.line, f.column);
    auto [it, added] = frame_index.try_emplace(key, static_cast<uint32_t>(s.frames.size()));
    if (added) s.frames.push_back(f);
    return it->second;
  };
  std::vector<std::vector<uint32_t>> stack_by_node(n);  // per profile, per node: its Stack
  std::unordered_map<uint32_t, uint32_t> function_of_stack;
  for (size_t p = 0; p < n; ++p) {
    const HeapProfile& hp = profiles[p];
    s.sources.push_back(hp.source);
    const uint32_t nodes = static_cast<uint32_t>(hp.frame.size());
    // Each node's stack (allocating frame first), built from its parent's, head excluded.
    std::vector<uint32_t> frame_of(nodes);
    std::vector<uint32_t> stack_of(nodes, kNoParent);
    std::vector<std::vector<uint32_t>> frames_of(nodes);
    for (uint32_t i = 0; i < nodes; ++i) {
      frame_of[i] = frame_id(hp.frame[i]);
      const uint32_t parent = hp.parent[i];
      if (parent == kNoParent) continue;  // the head, "(root)"
      std::vector<uint32_t> st;
      st.push_back(frame_of[i]);
      if (parent < i) st.insert(st.end(), frames_of[parent].begin(), frames_of[parent].end());
      frames_of[i] = st;
      auto [it, added] = stack_index.try_emplace(st, static_cast<uint32_t>(s.stacks.size()));
      if (added) {
        Stack row;
        row.frames = st;
        row.self_bytes.assign(n, 0);
        row.total_bytes.assign(n, 0);
        s.stacks.push_back(std::move(row));
      }
      stack_of[i] = it->second;
    }
    // Totals: children follow their parent in pre-order, so a reverse pass sums subtrees.
    std::vector<uint64_t> total(hp.self_size.begin(), hp.self_size.end());
    for (uint32_t i = nodes; i-- > 0;) {
      const uint32_t parent = hp.parent[i];
      if (parent != kNoParent && parent < i) total[parent] += total[i];
    }
    uint64_t sum = 0;
    for (uint32_t i = 0; i < nodes; ++i) {
      sum += hp.self_size[i];
      if (stack_of[i] == kNoParent) continue;
      Stack& st = s.stacks[stack_of[i]];
      st.self_bytes[p] += hp.self_size[i];
      st.total_bytes[p] += total[i];
    }
    s.total_bytes.push_back(sum);
    stack_by_node[p] = std::move(stack_of);
    s.bytes_per_sample.push_back(hp.samples ? sum / hp.samples : 0);
  }
  // By attributed function: its stacks' self bytes; its total counts each stack it is on once
  // (recursion is not counted twice).
  std::vector<uint8_t> user(s.frames.size(), 0);
  for (size_t i = 0; i < s.frames.size(); ++i)
    user[i] = attribute && !IsPseudoFrame(s.frames[i]) && attribute(s.frames[i]);
  for (uint32_t k = 0; k < s.stacks.size(); ++k) {
    const Stack& st = s.stacks[k];
    uint32_t owner = st.frames.front();
    for (uint32_t fr : st.frames) {
      if (user[fr]) {
        owner = fr;
        break;
      }
    }
    auto [it, added] = function_index.try_emplace(owner, static_cast<uint32_t>(s.functions.size()));
    if (added) {
      Function f;
      f.frame = owner;
      f.self_bytes.assign(n, 0);
      f.total_bytes.assign(n, 0);
      s.functions.push_back(std::move(f));
    }
    Function& f = s.functions[it->second];
    function_of_stack[k] = it->second;
    for (size_t p = 0; p < n; ++p) f.self_bytes[p] += st.self_bytes[p];
    f.stacks.push_back(k);
  }
  for (uint32_t k = 0; k < s.stacks.size(); ++k) {
    const Stack& st = s.stacks[k];
    // A stack adds its self bytes to the total of every distinct function on it.
    std::vector<uint32_t> on = st.frames;
    std::sort(on.begin(), on.end());
    on.erase(std::unique(on.begin(), on.end()), on.end());
    for (uint32_t fr : on) {
      auto it = function_index.find(fr);
      if (it == function_index.end()) continue;  // never allocates itself
      Function& f = s.functions[it->second];
      for (size_t p = 0; p < n; ++p) f.total_bytes[p] += st.self_bytes[p];
    }
  }
  // Survivors: samples new in profile k (ordinal above every ordinal of profile k-1) that
  // profile k+1 still lists, each worth its node's self size over its node's samples.
  s.has_ordinals = n >= 3;
  for (const HeapProfile& hp : profiles) s.has_ordinals = s.has_ordinals && hp.samples > 0;
  for (Function& f : s.functions) f.survived_bytes.assign(n, 0);
  if (s.has_ordinals) {
    std::vector<std::unordered_map<uint64_t, uint32_t>> node_at(n);  // node id -> index
    for (size_t p = 0; p < n; ++p)
      for (uint32_t i = 0; i < profiles[p].node_id.size(); ++i)
        node_at[p].emplace(profiles[p].node_id[i], i);
    // Which function each node of profile p is attributed to (via its stack).
    for (size_t k = 1; k + 1 < n; ++k) {
      const HeapProfile& prev = profiles[k - 1];
      const HeapProfile& cur = profiles[k];
      const HeapProfile& next = profiles[k + 1];
      uint64_t prev_max = 0;
      for (uint64_t o : prev.sample_ordinal) prev_max = std::max(prev_max, o);
      std::vector<uint64_t> later(next.sample_ordinal);
      std::sort(later.begin(), later.end());
      std::unordered_map<uint64_t, uint32_t> samples_on;  // node id -> samples
      for (uint64_t id : cur.sample_node_id) ++samples_on[id];
      for (size_t j = 0; j < cur.sample_ordinal.size(); ++j) {
        const uint64_t o = cur.sample_ordinal[j];
        if ((!prev.sample_ordinal.empty() && o <= prev_max) ||
            !std::binary_search(later.begin(), later.end(), o))
          continue;
        auto at = node_at[k].find(cur.sample_node_id[j]);
        if (at == node_at[k].end()) continue;
        const uint32_t node = at->second;
        if (stack_by_node[k][node] == kNoParent) continue;
        auto fn = function_of_stack.find(stack_by_node[k][node]);
        if (fn == function_of_stack.end()) continue;
        s.functions[fn->second].survived_bytes[k] +=
            cur.self_size[node] / std::max<uint32_t>(samples_on[cur.sample_node_id[j]], 1);
      }
    }
  }
  for (Function& f : s.functions) {
    std::sort(f.stacks.begin(), f.stacks.end(), [&](uint32_t a, uint32_t b) {
      const uint64_t x = s.stacks[a].self_bytes.back(), y = s.stacks[b].self_bytes.back();
      return x != y ? x > y : a < b;
    });
  }
  return s;
}

}  // namespace heapscope::profile
