// Sampling heap profiles in the analysis (profile/profile.h): read, combined by the user's
// function each stack is attributed to, judged by allocation-growth (leaks/rules), worded, and
// joined to the snapshot findings at the same site.
#include <algorithm>

#include "heapscope/leaks/detect.h"
#include "heapscope/text.h"
#include "run/run_internal.h"

namespace heapscope::run_internal {
namespace {

// The code a stack is attributed to: the user's own scripts before the packages they use.
bool UsersOwnCode(const profile::CallFrame& f) {
  return leaks::IsUserScript(f.url) && f.url.find("/node_modules/") == std::string::npos &&
         !f.url.starts_with("node_modules/");
}

constexpr size_t kTopStacks = 3;
constexpr size_t kMaxFrames = 64;

}  // namespace

Status LoadProfiles(const std::vector<std::string>& paths, profile::ProfileSeries& out) {
  std::vector<profile::HeapProfile> profiles;
  for (const std::string& p : paths) {
    HS_ASSIGN_OR_RETURN(profile::HeapProfile hp, profile::ReadHeapProfile(p));
    profiles.push_back(std::move(hp));
  }
  out = profile::CombineProfiles(profiles, UsersOwnCode);
  return Status::Ok();
}

std::vector<leaks::ProfileFunctionFact> ProfileFacts(const profile::ProfileSeries& s,
                                                     leaks::SiteTable& table) {
  std::vector<leaks::ProfileFunctionFact> out;
  const uint64_t per_sample = s.bytes_per_sample.empty() ? 0 : s.bytes_per_sample.back();
  for (uint32_t i = 0; i < s.functions.size(); ++i) {
    const profile::Function& fn = s.functions[i];
    const profile::CallFrame& fr = s.frames[fn.frame];
    leaks::ProfileFunctionFact f;
    if (!profile::IsPseudoFrame(fr) && !fr.url.empty()) {
      f.site = table.Intern(fr.url, static_cast<uint32_t>(std::max<int64_t>(fr.line, 0)),
                            static_cast<uint32_t>(std::max<int64_t>(fr.column, 0)), fr.function);
    }
    f.bytes = fn.self_bytes;
    f.bytes_per_sample = per_sample;
    f.function = i;
    if (s.has_ordinals) f.survived = fn.survived_bytes;
    f.user_code = leaks::IsUserScript(fr.url);
    out.push_back(std::move(f));
  }
  return out;
}

report::Site ProfileFrameSite(const Context& c, const profile::CallFrame& f) {
  return FrameSite(c, f.url, f.line < 0 ? 0 : static_cast<uint32_t>(f.line) + 1,
                   f.column < 0 ? 0 : static_cast<uint32_t>(f.column) + 1, f.function);
}

void WordProfileFinding(const Context& c, const leaks::Detection& d, report::Finding& f) {
  const profile::ProfileSeries* s = c.profiles;
  f.count = d.counts.empty() ? 0 : d.counts.back();
  f.self_size = f.count;
  std::string bytes;
  for (size_t i = 0; i < d.counts.size(); ++i)
    bytes += (i ? " -> " : "") + text::Bytes(d.counts[i]);
  const std::string who = f.site.function.empty() ? "an anonymous function" : f.site.function + "()";
  f.message = "The sampled live memory allocated by " + who + " at " +
              text::Site(f.site.file, f.site.line, f.site.column) + " (and by the code it calls) "
              "rises in every interval of " + std::to_string(d.counts.size()) +
              " sampling heap profiles: " + bytes + ".";
  if (s == nullptr || d.profile_function >= s->functions.size()) return;
  const profile::Function& fn = s->functions[d.profile_function];
  std::string per;
  for (size_t k = 1; k + 1 < fn.survived_bytes.size(); ++k)
    per += (k > 1 ? ", " : "") + text::Bytes(fn.survived_bytes[k]);
  f.message += " Of what it allocated between the first and the last profile, " +
               text::Bytes(d.survivors) + " (" + per + " per interval) was still alive in the "
               "profile after" +
               (s->bytes_per_sample.empty() || s->bytes_per_sample.back() == 0
                    ? std::string(".")
                    : " (one sample stands for about " + text::Bytes(s->bytes_per_sample.back()) +
                          ").");
  if (d.level == leaks::Level::kNote)
    f.message += " That is below " + text::Bytes(leaks::LeakOptions{}.min_profile_warning_bytes) +
                 ": library state a healthy service keeps for a while (caches, histograms, "
                 "buffers replaced now and then) survives a few profiles in these amounts too, "
                 "so it is a note; more profiles over a longer run tell them apart.";
  for (uint32_t k : fn.stacks) {
    if (f.allocated_at.size() >= kTopStacks) break;
    const profile::Stack& st = s->stacks[k];
    report::AllocationStack as;
    as.self_size = st.self_bytes.back();
    if (as.self_size == 0) continue;
    for (uint32_t fr : st.frames) {
      if (as.frames.size() >= kMaxFrames) break;
      as.frames.push_back(ProfileFrameSite(c, s->frames[fr]));
    }
    f.allocated_at.push_back(std::move(as));
  }
}

// A growing profile function and the snapshot finding it explains: the finding's site lies in
// the function (same file, at or after the function's start, and no other growing function of
// that file starts in between), or the finding's own allocation stack starts in it.
void JoinProfileFindings(std::vector<report::Finding>& findings) {
  std::vector<report::Finding> growth;
  for (auto it = findings.begin(); it != findings.end();) {
    if (it->rule == "allocation-growth") {
      growth.push_back(std::move(*it));
      it = findings.erase(it);
    } else {
      ++it;
    }
  }
  if (growth.empty()) return;
  std::vector<uint8_t> joined(growth.size(), 0);
  auto before_or_at = [](const report::Site& a, const report::Site& b) {
    return a.line < b.line || (a.line == b.line && a.column <= b.column);
  };
  std::vector<report::Finding*> all;
  std::vector<report::Finding*> stack;
  for (report::Finding& f : findings) stack.push_back(&f);
  while (!stack.empty()) {
    report::Finding* f = stack.back();
    stack.pop_back();
    all.push_back(f);
    for (report::Finding& s : f->secondary) stack.push_back(&s);
  }
  for (report::Finding* f : all) {
    size_t best = growth.size();
    for (size_t g = 0; g < growth.size(); ++g) {
      const report::Site& gs = growth[g].site;
      bool match = false;
      if (!f->allocated_at.empty() && !f->allocated_at.front().frames.empty()) {
        const report::Site& top = f->allocated_at.front().frames.front();
        match = top.file == gs.file && top.line == gs.line && top.column == gs.column;
      }
      if (!match && gs.file == f->site.file && gs.line > 0 && before_or_at(gs, f->site) &&
          (best == growth.size() || before_or_at(growth[best].site, gs)))
        match = true;
      if (match) best = g;
    }
    if (best == growth.size()) continue;
    const report::Finding& g = growth[best];
    report::Evidence e;
    e.series = "sampling heap profiles";
    e.kind = "allocation-growth";
    e.text = g.title;
    if (!g.allocated_at.empty()) {
      std::string st;
      const auto& frames = g.allocated_at.front().frames;
      for (size_t i = 0; i < frames.size() && i < 4; ++i) {
        st += (i ? " ← " : "") + (frames[i].function.empty() ? std::string("(anonymous)")
                                                             : frames[i].function) +
              " " + text::Site(frames[i].file, frames[i].line, frames[i].column);
      }
      e.text += " (top stack: " + st + (frames.size() > 4 ? " ← …" : "") + ")";
    }
    e.slope_per_second = 0;
    e.r2 = 0;
    f->evidence.push_back(std::move(e));
    joined[best] = 1;
  }
  for (size_t g = 0; g < growth.size(); ++g)
    if (!joined[g]) findings.push_back(std::move(growth[g]));
}

}  // namespace heapscope::run_internal

namespace heapscope::run_internal {

void ProfileTables(const Context& c, size_t top, report::Report& rep) {
  const profile::ProfileSeries* s = c.profiles;
  if (s == nullptr || s->stacks.empty()) return;
  auto rows = [&](bool by_total) {
    std::vector<uint32_t> order(s->stacks.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    auto key = [&](uint32_t k) {
      return by_total ? s->stacks[k].total_bytes.back() : s->stacks[k].self_bytes.back();
    };
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return key(a) != key(b) ? key(a) > key(b) : a < b;
    });
    std::vector<report::ProfileStackRow> out;
    for (uint32_t k : order) {
      if (out.size() >= top || key(k) == 0) break;
      const profile::Stack& st = s->stacks[k];
      report::ProfileStackRow r;
      for (uint32_t fr : st.frames) {
        if (r.frames.size() >= 64) break;
        r.frames.push_back(ProfileFrameSite(c, s->frames[fr]));
      }
      r.self_size = st.self_bytes.back();
      r.total_size = st.total_bytes.back();
      r.self_sizes = st.self_bytes;
      out.push_back(std::move(r));
    }
    return out;
  };
  rep.profile_by_self = rows(false);
  rep.profile_by_total = rows(true);
}

}  // namespace heapscope::run_internal
