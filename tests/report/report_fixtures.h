// Reports built in code for the renderer and gate tests, modeled on the presence-service
// incident (docs/../shared/seed/incident-presence-leak.md): heartbeat listeners registered at
// presence.handler.js:32 accumulate on PresenceService, and a secondary listener at
// presence.service.js:57 accumulates on each Socket.
#ifndef HEAPSCOPE_TESTS_REPORT_REPORT_FIXTURES_H_
#define HEAPSCOPE_TESTS_REPORT_REPORT_FIXTURES_H_

#include <string>

#include "heapscope/report/report.h"

namespace heapscope::report::testing {

// The markup every hostile string carries; renderers must show it as text.
inline constexpr const char* kHostileScript = "<script>document.title='PWNED'</script>";
inline constexpr const char* kHostileImg = "\"><img src=x onerror=\"document.title='PWNED'\">";
inline constexpr const char* kHostileSvg = "</svg><script>document.title='PWNED'</script>";

// The incident: two primary findings (one with a secondary), three snapshots, metrics.
// The smallest interesting report (TinyReport): one finding, one snapshot; for golden outputs.
// HostileReport: strings an attacker controls (script names, event names, constructor names,
// metric labels) set to markup, quotes, control characters and invalid UTF-8.
// CleanReport: a clean run: three snapshots, no findings.

inline Report IncidentReport() {
  Report r;
  r.tool_version = "0.1.0";
  r.snapshots = {
      {"captures/leaky/baseline.heapsnapshot.gz", 182311, 731502, 9874512,
       "7 node fields (trace_node_id, detachedness), 4 location fields"},
      {"captures/leaky/target.heapsnapshot.gz", 251004, 1012877, 14233120,
       "7 node fields (trace_node_id, detachedness), 4 location fields"},
      {"captures/leaky/final.heapsnapshot.gz", 318950, 1290441, 18650344,
       "7 node fields (trace_node_id, detachedness), 4 location fields"},
  };
  r.metric_files = {"captures/leaky/metrics.json"};

  Finding secondary;
  secondary.rule = "listener-accumulation";
  secondary.severity = Severity::kWarning;
  secondary.title = "3,200 'heartbeat' listeners on Socket objects from presence.service.js:57";
  secondary.message =
      "Each tracked Socket holds a 'heartbeat' listener added by trackUser(); removeUser() never "
      "calls socket.off('heartbeat', …), so every departed socket stays reachable.";
  secondary.fix = "In removeUser(), call socket.off('heartbeat', heartbeatHandler).";
  secondary.site = {"presence.service.js", 57, 12, "trackUser"};
  secondary.event = "heartbeat";
  secondary.emitter = "Socket";
  secondary.emitter_id = 0;
  secondary.count = 3200;
  secondary.counts = {40, 1600, 3200};
  secondary.growth = {1560, 1600};
  secondary.retained_size = 1126400;
  secondary.self_size = 230400;
  secondary.captured = {"key", "this"};
  secondary.retainer_path = {"(GC roots)",
                             "PresenceService @40211",
                             "._events @40215",
                             ".heartbeat (Array @51234)",
                             "[847] (closure) @61234",
                             ".context (Context @61240)",
                             ".socket (Socket @70012)",
                             "._events.heartbeat (closure) @70020"};
  secondary.accumulation_point = "Socket._events.heartbeat";

  Finding heartbeat;
  heartbeat.rule = "listener-accumulation";
  heartbeat.severity = Severity::kError;
  heartbeat.title = "3,200 'heartbeat' listeners on PresenceService from presence.handler.js:32";
  heartbeat.message =
      "Listeners registered at presence.handler.js:32 grew from 40 to 3,200 across 3 snapshots "
      "(+1,560, +1,600) and are retained only through PresenceService._events.heartbeat; the "
      "sockets they serve disconnected.";
  heartbeat.fix =
      "Keep the handler and remove it on 'disconnect': "
      "presenceService.off('heartbeat', onHeartbeat).";
  heartbeat.site = {"presence.handler.js", 32, 5, "onJoinBoard"};
  heartbeat.event = "heartbeat";
  heartbeat.emitter = "PresenceService";
  heartbeat.emitter_id = 40211;
  heartbeat.count = 3200;
  heartbeat.counts = {40, 1600, 3200};
  heartbeat.growth = {1560, 1600};
  heartbeat.retained_size = 4915200;
  heartbeat.self_size = 230400;
  heartbeat.captured = {"socket", "presenceService", "currentBoard"};
  heartbeat.retainer_path = {
      "(GC roots)",      "(Global handles) @3",       "PresenceService @40211",
      "._events @40215", ".heartbeat (Array @51234)", "[847] (closure) @61234"};
  heartbeat.accumulation_point = "PresenceService._events.heartbeat";
  heartbeat.evidence = {
      {"presence_listeners{event=\"heartbeat\",emitter=\"presence_service\"}",
       "listener-gauge-growth",
       "presence_listeners{event=\"heartbeat\"} grew 0.889/s (r² 0.998) over 60 min", 0.889, 0.998,
       std::nullopt},
      {"process_resident_memory_bytes", "memory-growth",
       "process_resident_memory_bytes grows 44.4 kB/s (r² 0.991); reaches the 1.30 GB limit in "
       "3.9 h",
       44400, 0.991, 14149.0},
  };
  heartbeat.secondary = {secondary};

  Finding cursor;
  cursor.rule = "closure-growth";
  cursor.severity = Severity::kWarning;
  cursor.title = "'cursor-move' listeners capture currentBoard at presence.handler.js:41";
  cursor.message =
      "1,600 'cursor-move' listeners on Socket objects capture currentBoard; it is reassigned "
      "when the user switches boards, so old listeners keep sending cursors to the old board.";
  cursor.fix = "Read the current board inside the handler instead of capturing it.";
  cursor.site = {"presence.handler.js", 41, 27, ""};
  cursor.event = "cursor-move";
  cursor.emitter = "Socket";
  cursor.count = 1600;
  cursor.counts = {20, 800, 1600};
  cursor.growth = {780, 800};
  cursor.retained_size = 409600;
  cursor.self_size = 115200;
  cursor.captured = {"currentBoard", "presenceService"};
  cursor.retainer_path = {"(GC roots)", "Socket @70012", "._events @70015",
                          ".cursor-move (closure) @70044"};
  cursor.accumulation_point = "Socket._events.cursor-move";

  r.findings = {heartbeat, cursor};

  Cluster c;
  c.site = heartbeat.site;
  c.count = 3200;
  c.self_size = 230400;
  c.retained_size = 4915200;
  c.captured = heartbeat.captured;
  c.top_paths = {{"(GC roots) -> PresenceService -> ._events -> .heartbeat -> []", 3200}};
  c.counts = {40, 1600, 3200};
  r.clusters = {c};

  r.classes = {
      {"(closure)", 9431, 678032, 4915200, 3}, {"Socket", 3212, 1027840, 3481600, 4},
      {"PresenceService", 1, 88, 4915200, 2},  {"Array", 5120, 409600, 512000, 3},
      {"Map", 24891, 1991280, 2211040, 3},
  };

  MetricSeries mem;
  mem.name = "process_resident_memory_bytes";
  mem.samples = 61;
  mem.first_time = 1707955200;
  mem.last_time = 1707958800;
  mem.slope_per_second = 44400;
  mem.intercept = 512000000;
  mem.r2 = 0.991;
  mem.increase = 159840000;
  mem.time_to_limit_seconds = 14149;
  mem.limit_bytes = 1300000000;
  for (int i = 0; i <= 60; ++i) {
    double t = mem.first_time + 60.0 * i;
    mem.points.emplace_back(t, 512000000 + 44400 * 60.0 * i + (i % 3) * 900000.0);
  }
  MetricSeries gauge;
  gauge.name = "presence_listeners";
  gauge.labels = {{"event", "heartbeat"}, {"emitter", "presence_service"}};
  gauge.samples = 61;
  gauge.first_time = 1707955200;
  gauge.last_time = 1707958800;
  gauge.slope_per_second = 0.889;
  gauge.intercept = 40;
  gauge.r2 = 0.998;
  gauge.increase = 3160;
  for (int i = 0; i <= 60; ++i) {
    gauge.points.emplace_back(gauge.first_time + 60.0 * i, 40 + 53.3 * i);
  }
  r.metrics = {mem, gauge};
  r.relations = {
      "7,922 disconnects vs 298 listener removals (websocket_disconnect_total vs "
      "socket_listener_removed_total)"};
  r.diagnostics = {{"unknown_sections_skipped", 1}};
  r.notes = {"shallow-size reassignment on (DevTools default)"};
  return r;
}

inline Report TinyReport() {
  Report r;
  r.tool_version = "0.1.0";
  r.snapshots = {{"leak.heapsnapshot", 1200, 4800, 65536, "6 node fields, 4 location fields"}};
  Finding f;
  f.rule = "listener-accumulation";
  f.severity = Severity::kError;
  f.title = "12 'tick' listeners on Clock";
  f.message = "12 listeners from app.js:3 on one Clock.";
  f.fix = "Remove the listener in stop().";
  f.site = {"app.js", 3, 9, "start"};
  f.event = "tick";
  f.emitter = "Clock";
  f.emitter_id = 77;
  f.count = 12;
  f.retained_size = 1536;
  f.self_size = 768;
  f.captured = {"state"};
  f.retainer_path = {"(GC roots)", "Clock @77", "._events.tick (Array @90)", "[11] (closure) @131"};
  f.accumulation_point = "Clock._events.tick";
  r.findings = {f};
  return r;
}

inline Report HostileReport() {
  Report r = IncidentReport();
  std::string all = std::string(kHostileScript) + kHostileImg + kHostileSvg +
                    " ' \" & \x1b[31mred\x1b[0m \xff\xfe | `tick` **bold** [link](http://x) ";
  Finding& f = r.findings[0];
  f.title = "listeners " + all;
  f.message = all;
  f.fix = all;
  f.site.file = std::string("evil ") + kHostileScript + ".js";
  f.site.function = kHostileSvg;
  f.event = all;
  f.emitter = kHostileImg;
  f.captured = {kHostileScript, kHostileImg};
  f.retainer_path.push_back(all);
  f.retainer_path.push_back("```\n</pre><script>document.title='PWNED'</script>");
  f.accumulation_point = all;
  f.evidence[0].text = all;
  f.evidence[0].series = all;
  f.secondary[0].emitter = kHostileSvg;
  r.classes[0].name = kHostileSvg;
  r.classes[1].name = kHostileImg;
  r.metrics[1].labels = {{"event", kHostileScript}, {"emitter", kHostileSvg}};
  r.metrics[1].name = kHostileImg;
  r.relations.push_back(all);
  r.notes.push_back(all);
  r.snapshots[0].path = all;
  r.clusters[0].captured = {kHostileScript};
  return r;
}

inline Report CleanReport() {
  Report r = IncidentReport();
  r.snapshots[0].path = "captures/fixed/baseline.heapsnapshot.gz";
  r.snapshots[1].path = "captures/fixed/target.heapsnapshot.gz";
  r.snapshots[2].path = "captures/fixed/final.heapsnapshot.gz";
  r.metric_files = {"captures/fixed/metrics.json"};
  r.findings.clear();
  r.clusters.clear();
  r.metrics.clear();
  r.relations.clear();
  return r;
}

// TrackedReport: the incident from tracked snapshots of a bundled service, with sampling heap
// profiles beside them: the first finding's site (and its cluster's) mapped through a source map,
// two allocation stacks (one ending in a frame without a script), the profiles' top stacks.
inline Report TrackedReport() {
  Report r = IncidentReport();
  r.profile_files = {"captures/leaky/01-baseline.heapprofile", "captures/leaky/03-final.heapprofile"};
  Finding& f = r.findings[0];
  f.site = {"src/presence.handler.ts", 32, 5, "onJoinBoard", "dist/app.js", 1, 48213};
  r.clusters[0].site = f.site;
  AllocationStack top;
  top.frames = {{"src/presence.handler.ts", 13, 27, "", "dist/app.js", 1, 47990},
                {"node:events", 517, 28, "emit"},
                {"node_modules/socket.io/dist/socket.js", 688, 30, ""},
                {"", 0, 0, "(V8 API)"}};
  top.count = 3100;
  top.self_size = 223200;
  top.allocations = 4800;
  top.allocated_bytes = 345600;
  AllocationStack other;
  other.frames = {{"src/presence.handler.ts", 13, 27, ""}, {"src/rejoin.ts", 8, 3, "rejoin"}};
  other.count = 60;
  other.self_size = 4320;
  other.allocations = 60;
  other.allocated_bytes = 4320;
  f.allocated_at = {top, other};
  f.allocated_at_objects = 3160;
  ProfileStackRow row;
  row.frames = top.frames;
  row.self_size = 262144;
  row.total_size = 393216;
  row.self_sizes = {65536, 262144};
  r.profile_by_self = {row};
  r.profile_by_total = {row};
  r.notes.push_back("source map of dist/app.js: dist/app.js.map (sourceMappingURL in the snapshot), 4 sources");
  return r;
}

}  // namespace heapscope::report::testing

#endif  // HEAPSCOPE_TESTS_REPORT_REPORT_FIXTURES_H_
