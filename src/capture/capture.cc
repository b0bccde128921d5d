// RunCapture: the DevTools protocol session that takes the series (see capture.h).
//
//   /json/list ──► target ──► WebSocket ──► HeapProfiler.enable
//   for each snapshot:  [--between CMD | sleep --interval]
//                       collectGarbage ×2 ─► getHeapUsage ─► CheckFit
//                       takeHeapSnapshot: addHeapSnapshotChunk* ─► .NN-label….tmp-XXXXXX
//                       loader verifies the file ─► rename to NN-label.heapsnapshot[.gz]
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "capture/devtools_client.h"
#include "heapscope/capture/capture.h"
#include "heapscope/io/output.h"
#include "heapscope/snapshot/parse.h"
#include "heapscope/text.h"

namespace heapscope::capture {
namespace {

using internal::WebSocketClient;
using text::Bytes;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// One DevTools protocol session: numbered commands, events handed to a callback meanwhile.
class Session {
 public:
  using EventFn = std::function<Status(std::string_view method, const rapidjson::Value& params)>;

  explicit Session(std::unique_ptr<WebSocketClient> ws) : ws_(std::move(ws)) {}
  ~Session() { ws_->Close(); }

  // Sends METHOD with PARAMS (a JSON object text) and waits, at most `timeout` between two
  // messages, for its answer. Returns the answer's "result" in `*result` (when not null).
  Status Call(std::string_view method, std::string_view params, double timeout,
              rapidjson::Document* result = nullptr, const EventFn& on_event = {}) {
    const int id = ++last_id_;
    Status sent = ws_->Send(
        fmt::format(R"({{"id":{},"method":"{}","params":{}}})", id, method, params), timeout);
    if (!sent.ok()) {
      return Status::Io(fmt::format("{} failed: {} (did the process exit?)", method, sent.message()));
    }
    for (;;) {
      Result<std::string> text = ws_->Receive(timeout);
      if (!text.ok()) {
        return Status::Io(fmt::format("{} failed: {} (did the process exit?)", method,
                                      text.status().message()));
      }
      // Parsed by copy, not in place: the answer outlives `text` in `*result`. Iterative, so
      // that a deeply nested message cannot exhaust the stack.
      rapidjson::Document msg;
      msg.Parse<rapidjson::kParseIterativeFlag>(text->data(), text->size());
      if (msg.HasParseError() || !msg.IsObject()) {
        return Status::InvalidInput(fmt::format("{}: the inspector sent a message that is not a JSON object", method));
      }
      auto mid = msg.FindMember("id");
      if (mid != msg.MemberEnd() && mid->value.IsInt() && mid->value.GetInt() == id) {
        auto err = msg.FindMember("error");
        if (err != msg.MemberEnd() && err->value.IsObject()) {
          auto m = err->value.FindMember("message");
          return Status::Io(fmt::format("{}: the inspector answered: {}", method,
                                        m != err->value.MemberEnd() && m->value.IsString()
                                            ? m->value.GetString() : "an error"));
        }
        if (result != nullptr) {
          // `*result` takes the message's allocator, then its "result" member by move: no copy
          // (RapidJSON 1.1.0's CopyFrom keeps constant strings by reference and recurses).
          auto res = msg.FindMember("result");
          rapidjson::Value answer(rapidjson::kObjectType);
          if (res != msg.MemberEnd() && res->value.IsObject()) answer = res->value;
          result->Swap(msg);
          static_cast<rapidjson::Value&>(*result) = answer;
        }
        return Status::Ok();
      }
      auto ev = msg.FindMember("method");
      if (ev == msg.MemberEnd() || !ev->value.IsString()) continue;
      std::string_view name(ev->value.GetString(), ev->value.GetStringLength());
      if (name == "Inspector.detached" || name == "Inspector.targetCrashed") {
        return Status::Io(fmt::format("{} failed: the target went away ({})", method, name));
      }
      if (on_event) {
        static const rapidjson::Value kEmpty(rapidjson::kObjectType);
        auto p = msg.FindMember("params");
        HS_RETURN_IF_ERROR(on_event(name, p != msg.MemberEnd() ? p->value : kEmpty));
      }
    }
  }

 private:
  std::unique_ptr<WebSocketClient> ws_;
  int last_id_ = 0;
};

// A snapshot file being written: a temporary name in the output folder until Commit().
class SnapshotFile {
 public:
  ~SnapshotFile() { Abort(); }

  Status Open(const std::string& final_path, bool gzip) {
    final_ = final_path;
    std::filesystem::path p(final_path);
    temp_ = (p.parent_path() / fmt::format(".{}.tmp-XXXXXX", p.filename().string())).string();
    int fd = ::mkstemp(temp_.data());
    if (fd < 0) {
      std::string e = std::strerror(errno);
      temp_.clear();
      return Status::Io(fmt::format("{}: cannot create a temporary file: {}", final_path, e));
    }
    ::fchmod(fd, 0644);
    if (gzip) {
      // Level 3: within a few percent of the default's size at about twice its speed.
      gz_ = ::gzdopen(fd, "wb3");
      if (gz_ == nullptr) {
        ::close(fd);
        return Status::Io(fmt::format("{}: cannot start gzip output", temp_));
      }
    } else {
      fd_ = fd;
    }
    return Status::Ok();
  }

  Status Write(std::string_view data) {
    json_bytes_ += data.size();
    if (gz_ != nullptr) {
      if (!data.empty() && ::gzwrite(gz_, data.data(), static_cast<unsigned>(data.size())) == 0) {
        return WriteError();
      }
      return Status::Ok();
    }
    while (!data.empty()) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return WriteError();
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::Ok();
  }

  // Flushes and closes the temporary file (it stays under its temporary name).
  Status Finish() {
    if (gz_ != nullptr) {
      int rc = ::gzclose(gz_);
      gz_ = nullptr;
      if (rc != Z_OK) return Status::Io(fmt::format("{}: cannot finish writing: {}", final_,
                                                    rc == Z_ERRNO ? std::strerror(errno) : "gzip error"));
    } else if (fd_ >= 0) {
      int rc = ::fsync(fd_);
      int e = errno;
      rc |= ::close(fd_);
      fd_ = -1;
      if (rc != 0) return Status::Io(fmt::format("{}: cannot finish writing: {}", final_, std::strerror(e)));
    }
    return Status::Ok();
  }

  Status Commit() {
    if (::rename(temp_.c_str(), final_.c_str()) != 0) {
      return Status::Io(fmt::format("{}: cannot rename the verified snapshot into place: {}", final_,
                                    std::strerror(errno)));
    }
    temp_.clear();
    return Status::Ok();
  }

  void Abort() {
    if (gz_ != nullptr) ::gzclose(gz_);
    if (fd_ >= 0) ::close(fd_);
    gz_ = nullptr;
    fd_ = -1;
    if (!temp_.empty()) ::unlink(temp_.c_str());
    temp_.clear();
  }

  const std::string& temp_path() const { return temp_; }
  uint64_t json_bytes() const { return json_bytes_; }

 private:
  Status WriteError() {
    int errnum = 0;
    const char* msg = gz_ != nullptr ? ::gzerror(gz_, &errnum) : nullptr;
    std::string why = gz_ == nullptr || errnum == Z_ERRNO ? std::strerror(errno) : std::string(msg);
    return Status::Io(fmt::format("{}: cannot write: {}", final_, why));
  }

  std::string final_;
  std::string temp_;
  gzFile gz_ = nullptr;
  int fd_ = -1;
  uint64_t json_bytes_ = 0;
};

// First number of a "Key:   123 kB" line of /proc/meminfo, in bytes.
std::optional<uint64_t> MemInfo(const char* key) {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(key) && line.size() > std::strlen(key) && line[std::strlen(key)] == ':') {
      return std::stoull(line.substr(std::strlen(key) + 1)) * 1024;
    }
  }
  return std::nullopt;
}

std::optional<uint64_t> ReadNumberFile(const std::string& path) {
  std::ifstream in(path);
  std::string s;
  if (!(in >> s) || s == "max") return std::nullopt;
  try {
    return std::stoull(s);
  } catch (...) {
    return std::nullopt;
  }
}

// Memory the target can still get: MemAvailable, or less when the process's cgroup (v2, or v1
// memory controller) has a limit closer than that.
void MachineMemory(int pid, FitInput* in) {
  in->memory_available = MemInfo("MemAvailable").value_or(0);
  in->memory_source = "MemAvailable in /proc/meminfo";
  std::ifstream cg(pid > 0 ? fmt::format("/proc/{}/cgroup", pid) : std::string("/proc/self/cgroup"));
  std::string line;
  while (std::getline(cg, line)) {
    std::optional<uint64_t> limit, usage;
    if (line.starts_with("0::")) {
      std::string dir = "/sys/fs/cgroup" + line.substr(3);
      limit = ReadNumberFile(dir + "/memory.max");
      usage = ReadNumberFile(dir + "/memory.current");
    } else if (line.find(":memory:") != std::string::npos) {
      std::string dir = "/sys/fs/cgroup/memory" + line.substr(line.find(":memory:") + 8);
      limit = ReadNumberFile(dir + "/memory.limit_in_bytes");
      usage = ReadNumberFile(dir + "/memory.usage_in_bytes");
    }
    if (limit && usage && *limit < (uint64_t{1} << 60)) {
      uint64_t free = *limit > *usage ? *limit - *usage : 0;
      if (free < in->memory_available) {
        in->memory_available = free;
        in->memory_source = fmt::format("cgroup limit {} minus {} in use", Bytes(*limit), Bytes(*usage));
      }
    }
  }
}

Status RunBetween(const std::string& cmd, const std::string& context) {
  pid_t child = ::fork();
  if (child < 0) return Status::Io(fmt::format("--between: cannot fork: {}", std::strerror(errno)));
  if (child == 0) {
    // The command's output goes to stderr: stdout may carry the report.
    ::dup2(STDERR_FILENO, STDOUT_FILENO);
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int wstatus = 0;
  while (::waitpid(child, &wstatus, 0) < 0) {
    if (errno != EINTR) return Status::Io(fmt::format("--between: waitpid: {}", std::strerror(errno)));
  }
  if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) return Status::Ok();
  std::string how = WIFEXITED(wstatus) ? fmt::format("exited with status {}", WEXITSTATUS(wstatus))
                                       : fmt::format("was killed by signal {}", WTERMSIG(wstatus));
  return Status::Io(fmt::format("--between command {} {}; stopping the capture (command: {})",
                                how, context, cmd));
}

// Opens the inspector of a running Node process: SIGUSR1, then poll /json/list.
Result<std::string> OpenInspectorOfPid(const CaptureOptions& o, const Endpoint& at) {
  if (::kill(o.pid, 0) != 0) {
    return Status::Io(fmt::format("--pid {}: {}", o.pid,
                                  errno == ESRCH ? "no such process" : std::strerror(errno)));
  }
  if (::kill(o.pid, SIGUSR1) != 0) {
    return Status::Io(fmt::format("--pid {}: cannot send SIGUSR1: {}", o.pid, std::strerror(errno)));
  }
  auto start = Clock::now();
  Status last;
  while (Since(start) < o.timeout_seconds) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (::kill(o.pid, 0) != 0) {
      return Status::Io(fmt::format("--pid {}: the process exited after SIGUSR1 (a process that "
                                    "is not Node.js may die of it)", o.pid));
    }
    Result<std::string> body = internal::HttpGet(at, "/json/list", o.timeout_seconds, o.allow_remote);
    if (body.ok()) return body;
    last = body.status();
  }
  return Status::Io(fmt::format(
      "--pid {}: no inspector on {}:{} within {:g} s of SIGUSR1 ({}). Is it Node.js, started "
      "without --disable-sigusr1? If it uses another port (--inspect-port), pass --inspect "
      "127.0.0.1:PORT",
      o.pid, at.host, at.port, o.timeout_seconds, last.message()));
}

uint64_t NumberAt(const rapidjson::Value& v, const char* name) {
  auto it = v.FindMember(name);
  if (it == v.MemberEnd() || !it->value.IsNumber() || it->value.GetDouble() < 0) return 0;
  return static_cast<uint64_t>(it->value.GetDouble());
}

// Used heap after GC: Runtime.getHeapUsage, else process.memoryUsage() by evaluation.
Result<uint64_t> HeapUsed(Session& s, double timeout) {
  rapidjson::Document r;
  if (s.Call("Runtime.getHeapUsage", "{}", timeout, &r).ok()) return NumberAt(r, "usedSize");
  HS_RETURN_IF_ERROR(s.Call("Runtime.evaluate",
                            R"({"expression":"process.memoryUsage().heapUsed","returnByValue":true})",
                            timeout, &r));
  auto res = r.FindMember("result");
  if (res == r.MemberEnd() || !res->value.IsObject()) {
    return Status::Io("cannot read the target's heap size (Runtime.getHeapUsage and process.memoryUsage() failed)");
  }
  return NumberAt(res->value, "value");
}

// The pid's Node process must be the one behind the inspector (another one may own the port).
Status CheckPid(Session& s, int pid, double timeout) {
  rapidjson::Document r;
  HS_RETURN_IF_ERROR(s.Call("Runtime.evaluate", R"({"expression":"process.pid","returnByValue":true})",
                            timeout, &r));
  auto res = r.FindMember("result");
  uint64_t seen = res != r.MemberEnd() && res->value.IsObject() ? NumberAt(res->value, "value") : 0;
  if (seen != static_cast<uint64_t>(pid)) {
    return Status::Usage(fmt::format("--pid {}: the inspector on that port belongs to process {}, "
                                     "not to {}; pass its port with --inspect", pid, seen, pid));
  }
  return Status::Ok();
}

// Whether the target is a Node process started with --track-heap-objects: V8 has tracked its
// allocations since it started. HeapProfiler.startTrackingHeapObjects would replace that tracker:
// the stacks recorded so far are dropped, and on Node 20 the live objects' stacks came out wrong
// (6 of 120 listeners of the reference server with a stack, none of them the one that made
// them). Anything but a clear yes (a browser target, an error) is a no.
bool TracksSinceStart(Session& s, double timeout) {
  rapidjson::Document r;
  const Status st = s.Call(
      "Runtime.evaluate",
      R"js({"expression":"typeof process === 'object' && Array.isArray(process.execArgv) && )js"
      R"js(process.execArgv.some((a) => /^--track[-_]heap[-_]objects$/.test(a))","returnByValue":true})js",
      timeout, &r);
  if (!st.ok()) return false;
  auto res = r.FindMember("result");
  if (res == r.MemberEnd() || !res->value.IsObject()) return false;
  auto value = res->value.FindMember("value");
  return value != res->value.MemberEnd() && value->value.IsBool() && value->value.GetBool();
}

Result<CapturedSnapshot> TakeOne(Session& s, const CaptureOptions& o, uint32_t index,
                                 const std::string& label, int pid) {
  const std::string what = fmt::format("snapshot {} of {} ({})", index, o.count, label);
  auto fail = [&](const Status& st) {
    return Status(st.code(), fmt::format("{}: {}", what, st.message()));
  };
  CapturedSnapshot out;
  out.label = label;
  out.path = (std::filesystem::path(o.out_dir) /
              SnapshotFileName(index, o.count, label, o.gzip)).string();
  // Twice: objects freed by the first GC's finalizers and weak callbacks go in the second.
  for (int i = 0; i < 2; ++i) {
    Status st = s.Call("HeapProfiler.collectGarbage", "{}", o.snapshot_timeout_seconds);
    if (!st.ok()) return fail(st);
  }
  Result<uint64_t> heap = HeapUsed(s, o.timeout_seconds);
  if (!heap.ok()) return fail(heap.status());
  out.heap_used = *heap;

  FitInput fit;
  fit.heap_used = out.heap_used;
  fit.gzip = o.gzip;
  if (o.max_memory_bytes) {
    fit.memory_available = *o.max_memory_bytes;
    fit.memory_source = "--max-memory";
  } else {
    MachineMemory(pid, &fit);
  }
  struct statvfs vfs{};
  if (::statvfs(o.out_dir.c_str(), &vfs) == 0) {
    fit.disk_available = static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize;
  }
  Status fits = CheckFit(fit);
  if (!fits.ok()) return fail(fits);

  auto start = Clock::now();
  SnapshotFile file;
  Status st = file.Open(out.path, o.gzip);
  if (!st.ok()) return fail(st);
  auto on_event = [&](std::string_view method, const rapidjson::Value& params) -> Status {
    if (method == "HeapProfiler.addHeapSnapshotChunk") {
      auto c = params.FindMember("chunk");
      if (c == params.MemberEnd() || !c->value.IsString()) return Status::Ok();
      HS_RETURN_IF_ERROR(file.Write(std::string_view(c->value.GetString(), c->value.GetStringLength())));
      if (o.progress) o.progress("writing", file.json_bytes(), 0);
    } else if (method == "HeapProfiler.reportHeapSnapshotProgress" && o.progress) {
      o.progress("building", NumberAt(params, "done"), NumberAt(params, "total"));
    }
    return Status::Ok();
  };
  st = s.Call("HeapProfiler.takeHeapSnapshot", R"({"reportProgress":true})",
              o.snapshot_timeout_seconds, nullptr, on_event);
  if (o.progress) o.progress("", 0, 0);  // ends the progress line
  if (st.ok()) st = file.Finish();
  if (!st.ok()) {
    return fail(Status(st.code(), st.message() + "; no file was kept"));
  }
  out.json_bytes = file.json_bytes();
  if (out.json_bytes == 0) return fail(Status::Io("V8 sent an empty snapshot; no file was kept"));
  // Verification: the loader reads the whole file, which checks that the JSON is complete and
  // the node and edge arrays agree with the header's counts.
  Result<snapshot::Snapshot> snap = snapshot::ParseSnapshotFile(file.temp_path());
  if (!snap.ok()) {
    return fail(Status::InvalidInput("the snapshot V8 sent does not load (" + snap.status().message() +
                                     "); no file was kept"));
  }
  if (snap->node_count() == 0 || snap->node_count() != snap->header_node_count ||
      snap->edge_count() != snap->header_edge_count) {
    return fail(Status::InvalidInput(fmt::format(
        "the snapshot V8 sent is inconsistent ({} nodes and {} edges, header says {} and {}); "
        "no file was kept", snap->node_count(), snap->edge_count(), snap->header_node_count,
        snap->header_edge_count)));
  }
  out.nodes = snap->node_count();
  out.edges = snap->edge_count();
  st = file.Commit();
  if (!st.ok()) return fail(st);
  std::error_code ec;
  out.file_bytes = std::filesystem::file_size(out.path, ec);
  out.seconds = Since(start);
  return out;
}

}  // namespace

Result<CaptureResult> RunCapture(const CaptureOptions& o) {
  auto log = [&](const std::string& line) {
    if (o.log) o.log(line);
  };
  if (o.count == 0) return Status::Usage("--count must be at least 1");
  if (o.interval_seconds < 0) return Status::Usage("--interval must not be negative");
  if (o.inspect.empty() && o.pid <= 0) {
    return Status::Usage("capture: give the inspector with --inspect HOST:PORT, or a Node process with --pid PID");
  }
  HS_ASSIGN_OR_RETURN(Endpoint at, ParseEndpoint(o.inspect.empty() ? "127.0.0.1:9229" : o.inspect,
                                                 o.allow_remote));
  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  if (ec) return Status::Io(fmt::format("{}: cannot create the output folder: {}", o.out_dir, ec.message()));

  std::string list;
  if (o.pid > 0) {
    HS_ASSIGN_OR_RETURN(list, OpenInspectorOfPid(o, at));
  } else {
    Result<std::string> body = internal::HttpGet(at, "/json/list", o.timeout_seconds, o.allow_remote);
    if (!body.ok()) {
      return Status::Io(fmt::format("no DevTools inspector answers at {}:{}: {}. Start Node with "
                                    "--inspect=127.0.0.1:PORT, or use --pid for a running one",
                                    at.host, at.port, body.status().message()));
    }
    list = std::move(*body);
  }
  HS_ASSIGN_OR_RETURN(std::vector<Target> targets,
                      ParseTargetList(list, fmt::format("http://{}:{}/json/list", at.host, at.port)));
  HS_ASSIGN_OR_RETURN(Target target, SelectTarget(targets, o.target_url, o.target_title));
  HS_ASSIGN_OR_RETURN(internal::WsUrl ws_url, internal::ParseWsUrl(target.ws_url));
  if (!o.allow_remote && !IsLoopbackHost(ws_url.host)) {
    return Status::Usage(fmt::format("the target's WebSocket URL {} is not on a loopback address; "
                                     "pass --allow-remote to use it", target.ws_url));
  }
  HS_ASSIGN_OR_RETURN(std::unique_ptr<WebSocketClient> ws,
                      WebSocketClient::Connect(target.ws_url, o.timeout_seconds, o.allow_remote));
  Session session(std::move(ws));
  CaptureResult result;
  // A Node target's title is its script and its URL the same script as file://.
  result.target = target.type == "node" ? fmt::format("node \"{}\"", target.title)
                                        : fmt::format("{} \"{}\" {}", target.type, target.title, target.url);
  log(fmt::format("capture: connected to {} ({})", result.target, target.ws_url));
  if (o.pid > 0) HS_RETURN_IF_ERROR(CheckPid(session, o.pid, o.timeout_seconds));

  HS_RETURN_IF_ERROR(session.Call("HeapProfiler.enable", "{}", o.timeout_seconds));
  if (o.track_allocations) {
    if (TracksSinceStart(session, o.timeout_seconds)) {
      log("capture: the target runs with --track-heap-objects: its allocations are tracked since it "
          "started; tracking is not restarted");
    } else {
      HS_RETURN_IF_ERROR(session.Call("HeapProfiler.startTrackingHeapObjects",
                                      R"({"trackAllocations":true})", o.timeout_seconds));
    }
  }
  if (o.sampling) {
    HS_RETURN_IF_ERROR(session.Call("HeapProfiler.startSampling",
                                    fmt::format(R"({{"samplingInterval":{}}})",
                                                std::max<uint32_t>(o.sampling_interval, 1)),
                                    o.timeout_seconds));
  }
  std::vector<std::string> labels = SnapshotLabels(o.count);
  for (uint32_t i = 1; i <= o.count; ++i) {
    if (i > 1) {
      if (!o.between.empty()) {
        log(fmt::format("capture: running --between: {}", o.between));
        HS_RETURN_IF_ERROR(RunBetween(o.between, fmt::format("after snapshot {} of {}", i - 1, o.count)));
      } else if (o.interval_seconds > 0) {
        log(fmt::format("capture: waiting {:g} s", o.interval_seconds));
        std::this_thread::sleep_for(std::chrono::duration<double>(o.interval_seconds));
      }
    }
    HS_ASSIGN_OR_RETURN(CapturedSnapshot snap, TakeOne(session, o, i, labels[i - 1], o.pid));
    log(fmt::format("capture: wrote {} ({}, {} nodes, heap {} after GC, {:.1f} s)", snap.path,
                    Bytes(snap.file_bytes), snap.nodes, Bytes(snap.heap_used), snap.seconds));
    if (o.sampling) {
      // The sampled live heap right after the snapshot's GC: one profile per snapshot, so a
      // series of profiles shows which stacks grow.
      rapidjson::Document r;
      HS_RETURN_IF_ERROR(session.Call("HeapProfiler.getSamplingProfile", "{}",
                                      o.snapshot_timeout_seconds, &r));
      auto profile = r.FindMember("profile");
      if (profile == r.MemberEnd())
        return Status::Io("HeapProfiler.getSamplingProfile: the answer has no profile");
      rapidjson::StringBuffer buf;
      rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
      profile->value.Accept(writer);
      std::string path = snap.path;
      for (std::string_view ext : {".gz", ".heapsnapshot"})
        if (path.ends_with(ext)) path.resize(path.size() - ext.size());
      path += ".heapprofile";
      HS_RETURN_IF_ERROR(io::WriteOutput(path, std::string_view(buf.GetString(), buf.GetSize())));
      log(fmt::format("capture: wrote {} ({})", path, Bytes(buf.GetSize())));
      result.profiles.push_back(std::move(path));
    }
    result.snapshots.push_back(std::move(snap));
  }
  if (o.sampling) {
    rapidjson::Document r;
    HS_RETURN_IF_ERROR(session.Call("HeapProfiler.stopSampling", "{}", o.snapshot_timeout_seconds, &r));
    auto profile = r.FindMember("profile");
    if (profile == r.MemberEnd()) return Status::Io("HeapProfiler.stopSampling: the answer has no profile");
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
    profile->value.Accept(writer);
    result.sampling_profile = (std::filesystem::path(o.out_dir) / "sampling.heapprofile").string();
    HS_RETURN_IF_ERROR(io::WriteOutput(result.sampling_profile,
                                       std::string_view(buf.GetString(), buf.GetSize())));
    log(fmt::format("capture: wrote {} ({})", result.sampling_profile, Bytes(buf.GetSize())));
  }
  // Stops allocation tracking and sampling; the target keeps its inspector open.
  HS_RETURN_IF_ERROR(session.Call("HeapProfiler.disable", "{}", o.timeout_seconds));
  return result;
}

}  // namespace heapscope::capture
