// Per-series statistics, limits, time to limit, restarts and relations.
#include "heapscope/metrics/analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "heapscope/metrics/promql.h"
#include "metrics/analysis_internal.h"
#include "metrics/parse_internal.h"

namespace heapscope::metrics {

const char* SeriesRoleName(SeriesRole r) {
  switch (r) {
    case SeriesRole::kOther:
      return "other";
    case SeriesRole::kMemory:
      return "memory";
    case SeriesRole::kMemoryLimit:
      return "memory-limit";
    case SeriesRole::kListenerGauge:
      return "listener-gauge";
    case SeriesRole::kActiveConnections:
      return "active-connections";
    case SeriesRole::kDisconnects:
      return "disconnects";
    case SeriesRole::kListenerRemovals:
      return "listener-removals";
    case SeriesRole::kStartTime:
      return "start-time";
  }
  return "?";
}

namespace internal {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const std::string* Label(const Series& s, std::string_view key) {
  for (const auto& [k, v] : s.labels)
    if (k == key) return &v;
  return nullptr;
}

std::string UtcTime(int64_t t_ms) {
  // Readers keep sample times within ±kMaxTimeMs; projections (time to limit) may go beyond.
  if (t_ms > internal::kMaxTimeMs) return "after 9999-12-31 UTC";
  if (t_ms < -internal::kMaxTimeMs) return "long before 1970";
  int64_t secs = t_ms >= 0 ? t_ms / 1000 : (t_ms - 999) / 1000;
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  int64_t rem = secs - days * 86400;
  // civil_from_days (Howard Hinnant)
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  return fmt::format("{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d} UTC", y, m, d, rem / 3600,
                     (rem % 3600) / 60, rem % 60);
}

// A time computed in floating point (a sample value read as a time, a projection): checked
// against the printable range before it becomes an integer.
std::string UtcTimeOf(double t_ms) {
  if (std::isnan(t_ms)) return "an undefined time";
  if (t_ms > static_cast<double>(kMaxTimeMs)) return UtcTime(kMaxTimeMs + 1);
  if (t_ms < -static_cast<double>(kMaxTimeMs)) return UtcTime(-kMaxTimeMs - 1);
  return UtcTime(std::llround(t_ms));
}

bool IsBytes(const Series& s) {
  return s.name.ends_with("_bytes") || s.name.find("bytes") != std::string::npos;
}

std::string Rate(const Series& s, double per_second) {
  return text::RatePerHour(per_second, IsBytes(s));
}

std::string Value(const Series& s, double v) {
  if (IsBytes(s)) return Bytes(v);
  if (std::isfinite(v) && std::fabs(v) >= 1000 && v == std::floor(v)) return Thousands(v);
  return fmt::format("{:.6g}", v);
}

}  // namespace internal

namespace {

using internal::Label;
using internal::Lower;

bool Contains(const std::string& hay, std::string_view needle) {
  return hay.find(needle) != std::string::npos;
}

SeriesRole Classify(const Series& s) {
  std::string n = Lower(s.name);
  if (n.ends_with("process_start_time_seconds")) return SeriesRole::kStartTime;
  if (Contains(n, "container_spec_memory_limit_bytes") ||
      Contains(n, "kube_pod_container_resource_limits_memory_bytes"))
    return SeriesRole::kMemoryLimit;
  if (Contains(n, "kube_pod_container_resource_limits")) {
    const std::string* r = Label(s, "resource");
    return r && *r == "memory" ? SeriesRole::kMemoryLimit : SeriesRole::kOther;
  }
  // Churn counters: cumulative (typed, *_total, or an alias ending in "total"); never the
  // OpenMetrics *_created reset-time series.
  bool cumulative = (s.counter || n.ends_with("total")) && !n.ends_with("_created");
  if (cumulative && Contains(n, "listener") && Contains(n, "remov"))
    return SeriesRole::kListenerRemovals;
  if (cumulative && Contains(n, "disconnect")) return SeriesRole::kDisconnects;
  if (Contains(n, "listener") && Label(s, "event") && !s.counter) return SeriesRole::kListenerGauge;
  if (!s.counter && (Contains(n, "active_connections") || Contains(n, "connections_active") ||
                     Contains(n, "connection_active") || Contains(n, "connection.active") ||
                     Contains(n, "connections.active")))
    return SeriesRole::kActiveConnections;
  if (n.ends_with("process_resident_memory_bytes") || n.ends_with("nodejs_heap_size_used_bytes") ||
      n.ends_with("container_memory_working_set_bytes") ||
      n.ends_with("container_memory_usage_bytes") || n.ends_with("container_memory_rss"))
    return SeriesRole::kMemory;
  if (Contains(n, "memory") && (Contains(n, "bytes") || Contains(n, "usage")) && !s.counter &&
      !Contains(n, "limit") && !Contains(n, "request") && !Contains(n, "spec") &&
      !Contains(n, "virtual") && !Contains(n, "cache") && !Contains(n, "available"))
    return SeriesRole::kMemory;
  return SeriesRole::kOther;
}

// Preference among memory series for the relations: what the OOM killer sees first.
int MemoryRank(const Series& s) {
  std::string n = Lower(s.name);
  if (n.ends_with("container_memory_working_set_bytes")) return 0;
  if (n.ends_with("process_resident_memory_bytes")) return 1;
  if (n.ends_with("container_memory_usage_bytes")) return 2;
  if (n.ends_with("container_memory_rss")) return 3;
  if (n.ends_with("nodejs_heap_size_used_bytes")) return 5;
  return 4;
}

void ComputeStats(const Series& s, const MetricsOptions& o, SeriesStats* st) {
  std::span<const Sample> xs(s.samples);
  st->role = Classify(s);
  st->samples = xs.size();
  if (xs.empty()) return;
  st->first_ms = xs.front().t_ms;
  st->last_ms = xs.back().t_ms;
  st->first_value = xs.front().value;
  st->last_value = xs.back().value;
  st->min_value = st->max_value = xs.front().value;
  for (const Sample& x : xs) {
    st->min_value = std::min(st->min_value, x.value);
    st->max_value = std::max(st->max_value, x.value);
  }
  st->resets = s.counter ? Resets(xs) : 0;
  if (s.counter && xs.size() >= 2) st->increase = RawIncrease(xs);
  if (xs.size() >= 2 && xs.front().t_ms != kNoTimestamp) {
    std::optional<LinearFit> fit = LinearRegression(xs, xs.front().t_ms);
    st->slope = fit->slope;
    st->intercept = fit->intercept;
    // R² and the slope's standard error, two-pass around the means (not Prometheus' concern).
    double n = static_cast<double>(xs.size());
    double mx = 0, my = 0;
    for (const Sample& x : xs) {
      mx += static_cast<double>(x.t_ms - xs.front().t_ms) / 1e3;
      my += x.value;
    }
    mx /= n;
    my /= n;
    double sxx = 0, syy = 0, ssr = 0;
    for (const Sample& x : xs) {
      double dx = static_cast<double>(x.t_ms - xs.front().t_ms) / 1e3 - mx;
      double dy = x.value - my;
      double r = x.value - (fit->intercept + fit->slope * (dx + mx));
      sxx += dx * dx;
      syy += dy * dy;
      ssr += r * r;
    }
    if (syy > 0 && std::isfinite(syy)) st->r2 = std::max(0.0, 1.0 - ssr / syy);
    if (xs.size() >= 3 && sxx > 0 && std::isfinite(ssr))
      st->slope_stderr = std::sqrt(ssr / (n - 2) / sxx);
    double span_s = static_cast<double>(st->last_ms - st->first_ms) / 1e3;
    double change = std::fabs(fit->slope * span_s);
    double mean_abs = std::fabs(my);
    st->flat = std::isfinite(change) &&
               (change <= o.flat_fraction * mean_abs || change <= o.flat_absolute);
    st->grows = fit->slope > 0 && !st->flat && st->r2 && *st->r2 >= o.growth_r2;
  }
  if (o.eval_ms) {
    PromqlAt at;
    at.eval_ms = *o.eval_ms;
    std::span<const Sample> w = SelectWindow(xs, *o.eval_ms, o.range_ms, o.window);
    at.window_samples = w.size();
    at.deriv = Deriv(w);
    at.predict_linear = PredictLinear(w, *o.eval_ms, o.predict_seconds);
    int64_t start = *o.eval_ms - o.range_ms;
    if (s.counter) {
      at.rate = ExtrapolatedRate(w, start, *o.eval_ms, true, true);
      at.increase = ExtrapolatedRate(w, start, *o.eval_ms, true, false);
    } else {
      at.delta = ExtrapolatedRate(w, start, *o.eval_ms, false, false);
    }
    at.resets = w.empty() ? 0 : Resets(w);
    st->at = at;
  }
}

void FindLimit(const MetricSet& set, const std::vector<SeriesStats>& stats, const MetricsOptions& o,
               MetricsAnalysis* a) {
  if (o.memory_limit_bytes) {
    a->limit_bytes = *o.memory_limit_bytes;
    a->limit_source = "--memory-limit";
    return;
  }
  for (size_t i = 0; i < set.series.size(); ++i) {
    if (stats[i].role != SeriesRole::kMemoryLimit || stats[i].samples == 0) continue;
    double v = stats[i].last_value;
    // cAdvisor reports 0 (or the host's memory) for "no limit"; 2^62 and above is "unlimited".
    if (!(v > 0) || v >= 4.6e18) continue;
    if (!a->limit_bytes || v < *a->limit_bytes) {
      a->limit_bytes = v;
      a->limit_source = SeriesId(set.series[i]);
    }
  }
}

void TimeToLimitFor(const Series& s, SeriesStats* st, const MetricsAnalysis& a) {
  if (st->role != SeriesRole::kMemory || !a.limit_bytes || !st->slope || !(*st->slope > 0) ||
      st->flat)
    return;
  TimeToLimit t;
  t.limit_bytes = *a.limit_bytes;
  t.limit_source = a.limit_source;
  t.from_ms = st->last_ms;
  // predict_linear's line evaluated at the last sample, solved for the limit.
  double x_last = static_cast<double>(st->last_ms - st->first_ms) / 1e3;
  double fitted = *st->intercept + *st->slope * x_last;
  auto solve = [&](double slope) { return std::max(0.0, (t.limit_bytes - fitted) / slope); };
  t.seconds = solve(*st->slope);
  if (st->slope_stderr) {
    double hi = *st->slope + 1.96 * *st->slope_stderr;
    double lo = *st->slope - 1.96 * *st->slope_stderr;
    t.seconds_low = solve(hi);
    if (lo > 0) t.seconds_high = solve(lo);
  }
  (void)s;
  st->time_to_limit = t;
}

// Process restarts: process_start_time_seconds changing, and series whose only difference is
// the pod/instance label taking over from one another in time.
void FindRestarts(const MetricSet& set, const std::vector<SeriesStats>& stats, MetricsAnalysis* a) {
  for (size_t i = 0; i < set.series.size(); ++i) {
    if (stats[i].role != SeriesRole::kStartTime) continue;
    const auto& xs = set.series[i].samples;
    for (size_t k = 1; k < xs.size(); ++k) {
      if (xs[k].value != xs[k - 1].value) {
        a->restarts.push_back({SeriesId(set.series[i]), xs[k].t_ms,
                               fmt::format("process_start_time_seconds changed {} → {}",
                                           internal::UtcTimeOf(xs[k - 1].value * 1000),
                                           internal::UtcTimeOf(xs[k].value * 1000))});
      }
    }
  }
  // Group series by name and labels without the identity labels.
  static const char* kIdentity[] = {"pod", "instance", "pod_name", "container_id", "id", "uid"};
  std::map<std::string, std::vector<uint32_t>> groups;
  for (uint32_t i = 0; i < set.series.size(); ++i) {
    if (stats[i].samples == 0 || set.series[i].samples.front().t_ms == kNoTimestamp) continue;
    Labels rest;
    bool has_identity = false;
    for (const auto& kv : set.series[i].labels) {
      bool identity = std::any_of(std::begin(kIdentity), std::end(kIdentity),
                                  [&](const char* k) { return kv.first == k; });
      has_identity |= identity;
      if (!identity) rest.push_back(kv);
    }
    if (has_identity) groups[SeriesId(set.series[i].name, rest)].push_back(i);
  }
  std::map<std::string, int64_t> seen;  // "old → new" → time, reported once
  for (auto& [key, members] : groups) {
    if (members.size() < 2) continue;
    std::sort(members.begin(), members.end(),
              [&](uint32_t x, uint32_t y) { return stats[x].first_ms < stats[y].first_ms; });
    for (size_t k = 1; k < members.size(); ++k) {
      const SeriesStats& prev = stats[members[k - 1]];
      const SeriesStats& cur = stats[members[k]];
      if (cur.first_ms <= prev.last_ms) continue;  // overlapping: two replicas, not a restart
      std::string change;
      for (const char* id : kIdentity) {
        const std::string* x = Label(set.series[members[k - 1]], id);
        const std::string* y = Label(set.series[members[k]], id);
        if (x && y && *x != *y) change = fmt::format("{} \"{}\" → \"{}\"", id, *x, *y);
      }
      if (change.empty() || seen.count(change)) continue;
      seen.emplace(change, cur.first_ms);
      a->restarts.push_back({SeriesId(set.series[members[k]]), cur.first_ms,
                             fmt::format("new series identity: {}", change)});
    }
  }
  std::sort(a->restarts.begin(), a->restarts.end(),
            [](const Restart& x, const Restart& y) { return x.t_ms < y.t_ms; });
}

// Pearson correlation over samples with equal timestamps.
std::optional<double> Correlation(const Series& x, const Series& y) {
  double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  size_t j = 0;
  for (const Sample& a : x.samples) {
    while (j < y.samples.size() && y.samples[j].t_ms < a.t_ms) ++j;
    if (j == y.samples.size()) break;
    if (y.samples[j].t_ms != a.t_ms) continue;
    double b = y.samples[j].value;
    if (!std::isfinite(a.value) || !std::isfinite(b)) continue;
    n += 1;
    sx += a.value;
    sy += b;
    sxx += a.value * a.value;
    syy += b * b;
    sxy += a.value * b;
  }
  if (n < 3) return std::nullopt;
  double cov = sxy - sx * sy / n, vx = sxx - sx * sx / n, vy = syy - sy * sy / n;
  if (!(vx > 0) || !(vy > 0)) return std::nullopt;
  return cov / std::sqrt(vx * vy);
}

void FindRelations(const MetricSet& set, const std::vector<SeriesStats>& stats,
                   double growth_r2, MetricsAnalysis* a) {
  using internal::Duration;
  using internal::Rate;
  using internal::Thousands;
  using internal::Value;
  // 1. Listener gauges that grow.
  for (uint32_t i = 0; i < set.series.size(); ++i) {
    const SeriesStats& st = stats[i];
    if (st.role != SeriesRole::kListenerGauge || !st.slope) continue;
    const Series& s = set.series[i];
    const std::string* ev = Label(s, "event");
    double span = static_cast<double>(st.last_ms - st.first_ms) / 1e3;
    if (st.grows) {
      a->relations.push_back(
          {"listener-growth",
           fmt::format(
               "{} grew {} → {} over {} ({}, R² {:.3f}): listeners are added and not removed",
               SeriesId(s), Value(s, st.first_value), Value(s, st.last_value), Duration(span),
               Rate(s, *st.slope), st.r2.value_or(0)),
           {i},
           ev ? *ev : ""});
    }
  }
  // 2. Memory growth against load, and time to limit.
  int best = -1;
  for (uint32_t i = 0; i < set.series.size(); ++i) {
    if (stats[i].role != SeriesRole::kMemory || !stats[i].slope) continue;
    if (best < 0 || MemoryRank(set.series[i]) < MemoryRank(set.series[static_cast<uint32_t>(best)]))
      best = static_cast<int>(i);
  }
  if (best >= 0) {
    uint32_t m = static_cast<uint32_t>(best);
    const Series& ms = set.series[m];
    const SeriesStats& mst = stats[m];
    int conn = -1;
    for (uint32_t i = 0; i < set.series.size(); ++i)
      if (stats[i].role == SeriesRole::kActiveConnections && stats[i].slope &&
          (conn < 0 || stats[i].samples > stats[static_cast<uint32_t>(conn)].samples))
        conn = static_cast<int>(i);
    if (mst.grows && conn >= 0) {
      const Series& cs = set.series[static_cast<uint32_t>(conn)];
      const SeriesStats& cst = stats[static_cast<uint32_t>(conn)];
      std::optional<double> r = Correlation(ms, cs);
      std::string corr = r ? fmt::format(", correlation {:.2f}", *r) : "";
      bool load_flat = cst.flat || *cst.slope <= 0 || (r && *r < 0.5);
      if (load_flat) {
        a->relations.push_back({"growth-regardless-of-load",
                                fmt::format("{} grows {} (R² {:.3f}) while {} stays between {} and "
                                            "{} ({}{}): memory grows regardless of load",
                                            SeriesId(ms), Rate(ms, *mst.slope), mst.r2.value_or(0),
                                            SeriesId(cs), Value(cs, cst.min_value),
                                            Value(cs, cst.max_value), Rate(cs, *cst.slope), corr),
                                {m, static_cast<uint32_t>(conn)},
                                ""});
      } else {
        a->relations.push_back(
            {"growth-with-load",
             fmt::format(
                 "{} grows {} (R² {:.3f}) and {} grows too ({}{}): the growth may follow load",
                 SeriesId(ms), Rate(ms, *mst.slope), mst.r2.value_or(0), SeriesId(cs),
                 Rate(cs, *cst.slope), corr),
             {m, static_cast<uint32_t>(conn)},
             ""});
      }
    }
    if (mst.time_to_limit) {
      const TimeToLimit& t = *mst.time_to_limit;
      std::string range;
      if (t.seconds_low)
        range = fmt::format(" (95% slope range: {} to {})", Duration(*t.seconds_low),
                            t.seconds_high ? Duration(*t.seconds_high) : std::string("never"));
      // A rising series whose fit is weak (R² below the growth threshold: start-up warm-up,
      // GC sawtooth) still gets its projection, but says it is one, so nobody acts on a
      // projection from noise as on an established trend.
      std::string caveat;
      if (!mst.grows) {
        caveat = fmt::format(
            "weak trend (R² {:.3f} < {:.2f}; warm-up or noise may dominate, capture longer): ",
            mst.r2.value_or(0), growth_r2);
      }
      a->relations.push_back(
          {"time-to-limit",
           fmt::format("{}at {}, {} reaches the {} limit ({}) {} after its last sample, at {}{}",
                       caveat, Rate(ms, *mst.slope), SeriesId(ms), internal::Bytes(t.limit_bytes),
                       t.limit_source, Duration(t.seconds),
                       internal::UtcTimeOf(static_cast<double>(t.from_ms) + t.seconds * 1000),
                       range),
           {m},
           ""});
    }
  }
  // 3. Churn: disconnects against listener removals, per event when removals carry one.
  double disconnects = 0;
  std::vector<uint32_t> disc;
  for (uint32_t i = 0; i < set.series.size(); ++i) {
    if (stats[i].role != SeriesRole::kDisconnects || stats[i].samples == 0) continue;
    disconnects += stats[i].increase ? *stats[i].increase : stats[i].last_value;
    disc.push_back(i);
  }
  // (emitter, event) → removals summed over instances/pods.
  std::map<std::pair<std::string, std::string>, std::pair<double, std::vector<uint32_t>>> removals;
  for (uint32_t i = 0; i < set.series.size(); ++i) {
    if (stats[i].role != SeriesRole::kListenerRemovals || stats[i].samples == 0) continue;
    const std::string* ev = Label(set.series[i], "event");
    const std::string* em = Label(set.series[i], "emitter");
    auto& slot = removals[{em ? *em : "", ev ? *ev : ""}];
    slot.first += stats[i].increase ? *stats[i].increase : stats[i].last_value;
    slot.second.push_back(i);
  }
  if (!disc.empty() && disconnects >= 1) {
    for (auto& [key, slot] : removals) {
      const auto& [emitter, event] = key;
      std::vector<uint32_t> ids = disc;
      ids.insert(ids.end(), slot.second.begin(), slot.second.end());
      double ratio = slot.first / disconnects;
      std::string what =
          event.empty() ? "listener removals" : fmt::format("'{}' listener removals", event);
      if (!emitter.empty()) what += fmt::format(" on {}", emitter);
      if (ratio < 0.5) {
        a->relations.push_back(
            {"churn-mismatch",
             fmt::format("{} disconnects ({}) but only {} {} ({}, {:.1f}%): {} disconnects left "
                         "their listeners behind",
                         Thousands(disconnects), set.series[disc[0]].name, Thousands(slot.first),
                         what, set.series[slot.second[0]].name, 100 * ratio,
                         Thousands(disconnects - slot.first)),
             ids, event});
      } else {
        a->relations.push_back(
            {"churn-balanced",
             fmt::format(
                 "{} disconnects ({}) and {} {} ({}, {:.1f}%): listeners are removed on disconnect",
                 Thousands(disconnects), set.series[disc[0]].name, Thousands(slot.first), what,
                 set.series[slot.second[0]].name, 100 * ratio),
             ids, event});
      }
    }
  }
  // 4. Restarts.
  for (const Restart& r : a->restarts)
    a->relations.push_back(
        {"restart",
         fmt::format("restart at {}: {} ({})", internal::UtcTime(r.t_ms), r.reason, r.series),
         {},
         ""});
}

}  // namespace

MetricsAnalysis AnalyzeMetrics(MetricSet set, const MetricsOptions& options) {
  MetricsAnalysis a;
  a.set = std::move(set);
  a.stats.resize(a.set.series.size());
  for (size_t i = 0; i < a.set.series.size(); ++i)
    ComputeStats(a.set.series[i], options, &a.stats[i]);
  FindLimit(a.set, a.stats, options, &a);
  // Time to limit for the memory series the limit applies to: the best-ranked kind present
  // (container working set, then RSS, …; the V8 heap only when nothing else is there).
  int best_rank = 1 << 30;
  for (size_t i = 0; i < a.set.series.size(); ++i)
    if (a.stats[i].role == SeriesRole::kMemory)
      best_rank = std::min(best_rank, MemoryRank(a.set.series[i]));
  for (size_t i = 0; i < a.set.series.size(); ++i)
    if (a.stats[i].role == SeriesRole::kMemory && MemoryRank(a.set.series[i]) == best_rank)
      TimeToLimitFor(a.set.series[i], &a.stats[i], a);
  FindRestarts(a.set, a.stats, &a);
  FindRelations(a.set, a.stats, options.growth_r2, &a);
  return a;
}

Result<MetricsAnalysis> LoadMetrics(const std::vector<std::string>& files,
                                    const MetricsOptions& options) {
  MetricSet set;
  for (const std::string& f : files) HS_RETURN_IF_ERROR(ParseMetricsFile(f, &set));
  return AnalyzeMetrics(std::move(set), options);
}

}  // namespace heapscope::metrics
