// Finding the inspector and the target: HOST:PORT and ws:// URLs, the /json/list body, and the
// choice of one target among several (Chromium lists every tab, worker and extension).
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "capture/devtools_client.h"
#include "heapscope/capture/capture.h"

namespace heapscope::capture {
namespace {

Result<uint16_t> ParsePort(std::string_view text, std::string_view whole) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
    return Status::Usage(fmt::format("'{}': the port must be a number from 1 to 65535", whole));
  }
  return static_cast<uint16_t>(value);
}

std::string Member(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::string Describe(const Target& t) {
  return fmt::format("  {} \"{}\" {}{}", t.type, t.title, t.url,
                     t.ws_url.empty() ? " (a debugger is already attached)" : "");
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  // 127.0.0.0/8 in dotted-quad form.
  if (!host.starts_with("127.")) return false;
  int parts = 0;
  size_t i = 0;
  while (i <= host.size()) {
    size_t j = host.find('.', i);
    if (j == std::string_view::npos) j = host.size();
    std::string_view part = host.substr(i, j - i);
    unsigned v = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc() || end != part.data() + part.size() || v > 255) return false;
    ++parts;
    i = j + 1;
  }
  return parts == 4;
}

Result<Endpoint> ParseEndpoint(std::string_view text, bool allow_remote) {
  Endpoint ep;
  std::string_view port;
  if (text.starts_with("[")) {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Status::Usage(fmt::format("'{}': expected [IPV6]:PORT", text));
    }
    ep.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
      return Status::Usage(fmt::format("'{}': expected HOST:PORT, e.g. 127.0.0.1:9229", text));
    }
    ep.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  }
  HS_ASSIGN_OR_RETURN(ep.port, ParsePort(port, text));
  if (!allow_remote && !IsLoopbackHost(ep.host)) {
    return Status::Usage(fmt::format(
        "'{}' is not a loopback address; the inspector gives full control of the process (it "
        "runs any code), so capturing from another host needs --allow-remote (see docs/capture.md)",
        ep.host));
  }
  return ep;
}

namespace internal {

Result<WsUrl> ParseWsUrl(std::string_view url) {
  constexpr std::string_view kScheme = "ws://";
  if (!url.starts_with(kScheme)) {
    return Status::InvalidInput(fmt::format("'{}': not a ws:// URL", url));
  }
  std::string_view rest = url.substr(kScheme.size());
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  WsUrl out;
  out.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  HS_ASSIGN_OR_RETURN(Endpoint ep, ParseEndpoint(authority, /*allow_remote=*/true));
  out.host = ep.host;
  out.port = ep.port;
  return out;
}

}  // namespace internal

Result<std::vector<Target>> ParseTargetList(std::string_view json, std::string_view source) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());  // no recursion
  if (doc.HasParseError()) {
    return InputError(source, "", static_cast<int64_t>(doc.GetErrorOffset()),
                      rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsArray()) return InputError(source, "", 0, "expected a JSON array of targets");
  std::vector<Target> out;
  for (const rapidjson::Value& v : doc.GetArray()) {
    if (!v.IsObject()) continue;
    Target t;
    t.id = Member(v, "id");
    t.type = Member(v, "type");
    t.title = Member(v, "title");
    t.url = Member(v, "url");
    t.ws_url = Member(v, "webSocketDebuggerUrl");
    out.push_back(std::move(t));
  }
  return out;
}

Result<Target> SelectTarget(const std::vector<Target>& targets, std::string_view url_part,
                            std::string_view title_part) {
  const bool filtered = !url_part.empty() || !title_part.empty();
  std::vector<const Target*> matches;
  for (const Target& t : targets) {
    if (filtered) {
      if (t.url.find(url_part) == std::string::npos) continue;
      if (t.title.find(title_part) == std::string::npos) continue;
    } else if (t.type != "node" && t.type != "page") {
      continue;
    }
    matches.push_back(&t);
  }
  std::string listing;
  for (const Target& t : targets) listing += "\n" + Describe(t);
  if (targets.empty()) listing = " (none)";
  if (matches.empty()) {
    std::string what = filtered ? fmt::format("no target matches{}{}",
                                              url_part.empty() ? "" : fmt::format(" --target-url '{}'", url_part),
                                              title_part.empty() ? "" : fmt::format(" --target-title '{}'", title_part))
                                : std::string("no page or Node target");
    return Status::Usage(fmt::format("{}; the inspector lists:{}", what, listing));
  }
  if (matches.size() > 1) {
    return Status::Usage(fmt::format(
        "{} targets match; choose one with --target-url or --target-title:{}", matches.size(),
        listing));
  }
  if (matches[0]->ws_url.empty()) {
    return Status::Usage(fmt::format(
        "target \"{}\" ({}) has no WebSocket URL: another debugger (DevTools?) is attached; "
        "close it and retry",
        matches[0]->title, matches[0]->url));
  }
  return *matches[0];
}

}  // namespace heapscope::capture
