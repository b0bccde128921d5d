// SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).
//
// One result per finding, nested findings flattened (each is located at its own site and points
// back at the finding it is retained through with relatedLocations). Locations are the finding's
// site: a relative file becomes a URI against %SRCROOT% (the --source-root), an absolute path a
// file:// URI; lines and columns are 1-based, columns in UTF-16 code units as V8 counts them.
// partialFingerprints carry the finding fingerprint (fingerprint.h), never node ids, so a
// result keeps its identity between runs and snapshots. Baselined and ignored findings carry a
// SARIF suppression with their justification.
#include <fmt/format.h>

#include <map>

#include "report/json_writer.h"
#include "report/renderers.h"
#include "report/rules.h"

namespace heapscope::report::internal {
namespace {

constexpr std::string_view kSarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";

// RFC 3986: keeps unreserved characters and '/', percent-encodes every other byte.
std::string EncodePath(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

bool HasScheme(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon < 2) return false;  // "C:" is a drive, not a scheme
  for (size_t i = 0; i < colon; ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
    if (!ok) return false;
  }
  return true;
}

// A file: URI as V8 wrote it, with any byte RFC 3986 does not allow in a URI percent-encoded
// (existing %XX escapes are kept).
std::string SafeFileUri(std::string_view uri) {
  std::string out;
  for (unsigned char c : uri) {
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                std::string_view("-._~:/?#[]@!$&'()*+,;=%").find(static_cast<char>(c)) !=
                    std::string_view::npos;
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// Only file-like locations become URIs a viewer may open: file: URIs, absolute paths and
// relative paths. A script named with any other scheme (javascript:, data:, http:, node:, …)
// is not a file in the repository; its name is percent-encoded whole (':' included), so it
// stays a harmless relative reference and never an executable or remote link.
void WriteArtifactLocation(JsonOut& j, const std::string& file) {
  j.StartObject();
  if (HasScheme(file)) {
    const bool file_scheme = file.size() >= 5 && (file[0] | 0x20) == 'f' &&
                             (file[1] | 0x20) == 'i' && (file[2] | 0x20) == 'l' &&
                             (file[3] | 0x20) == 'e' && file[4] == ':';
    j.KStr("uri", file_scheme ? SafeFileUri(file) : EncodePath(file));
  } else if (!file.empty() && file.front() == '/') {
    j.KStr("uri", "file://" + EncodePath(file));
  } else {
    std::string rel = file;
    while (rel.rfind("./", 0) == 0) rel.erase(0, 2);
    j.KStr("uri", EncodePath(rel));
    j.KStr("uriBaseId", "%SRCROOT%");
  }
  j.EndObject();
}

void WriteLocation(JsonOut& j, const Site& site, std::string_view message) {
  j.StartObject();
  j.Key("physicalLocation");
  j.StartObject();
  j.Key("artifactLocation");
  WriteArtifactLocation(j, site.file);
  if (site.line > 0) {
    j.Key("region");
    j.StartObject();
    j.KU64("startLine", site.line);
    if (site.column > 0) j.KU64("startColumn", site.column);
    j.EndObject();
  }
  j.EndObject();
  if (!site.function.empty()) {
    j.Key("logicalLocations");
    j.StartArray();
    j.StartObject();
    j.KStr("name", site.function);
    j.KStr("kind", "function");
    j.EndObject();
    j.EndArray();
  }
  if (!message.empty()) {
    j.Key("message");
    j.StartObject();
    j.KStr("text", message);
    j.EndObject();
  }
  j.EndObject();
}

// Allocation stacks as code flows: one per stack, its frames in execution order (the outermost
// caller first, the allocating function last). A frame without a script (V8's "(V8 API)",
// "(program)") is a location with a message only.
void WriteCodeFlows(JsonOut& j, const std::vector<AllocationStack>& stacks) {
  j.Key("codeFlows");
  j.StartArray();
  for (const AllocationStack& st : stacks) {
    j.StartObject();
    j.Key("message");
    j.StartObject();
    j.KStr("text", "allocation stack: " + StackSummary(st));
    j.EndObject();
    j.Key("threadFlows");
    j.StartArray();
    j.StartObject();
    j.Key("locations");
    j.StartArray();
    for (size_t i = st.frames.size(); i-- > 0;) {
      const Site& fr = st.frames[i];
      j.StartObject();
      j.Key("location");
      if (fr.file.empty()) {
        j.StartObject();
        j.Key("message");
        j.StartObject();
        j.KStr("text", FrameString(fr));
        j.EndObject();
        j.EndObject();
      } else {
        WriteLocation(j, fr, FrameString(fr));
      }
      j.KU64("nestingLevel", st.frames.size() - 1 - i);
      j.EndObject();
    }
    j.EndArray();
    j.EndObject();
    j.EndArray();
    j.EndObject();
  }
  j.EndArray();
}

std::string ResultText(const Finding& f) {
  std::string text = f.title;
  if (!text.empty() && text.back() != '.') text += '.';
  if (!f.message.empty()) text += " " + f.message;
  if (!f.retainer_path.empty()) {
    text += "\nRetainer path:\n" + Join(f.retainer_path, "\n");
  }
  if (!f.fix.empty()) text += "\nFix: " + f.fix;
  return text;
}

}  // namespace

std::string RenderSarif(const Report& r, const RenderOptions& /*options*/) {
  std::vector<FlatFinding> flat = Flatten(r);
  // Rules in order of first appearance; ruleIndex points into this list.
  std::vector<std::string> rule_ids;
  std::map<std::string, size_t> rule_index;
  for (const FlatFinding& ff : flat) {
    if (rule_index.emplace(ff.finding->rule, rule_ids.size()).second) {
      rule_ids.push_back(ff.finding->rule);
    }
  }

  JsonOut j;
  j.StartObject();
  j.KStr("$schema", kSarifSchema);
  j.KStr("version", "2.1.0");
  j.Key("runs");
  j.StartArray();
  j.StartObject();

  j.Key("tool");
  j.StartObject();
  j.Key("driver");
  j.StartObject();
  j.KStr("name", "heapscope");
  if (!r.tool_version.empty()) {
    j.KStr("version", r.tool_version);
    j.KStr("semanticVersion", r.tool_version);
  }
  j.Key("rules");
  j.StartArray();
  for (const std::string& id : rule_ids) {
    RuleInfo info = LookupRule(id);
    j.StartObject();
    j.KStr("id", info.id);
    j.KStr("name", info.name);
    j.Key("shortDescription");
    j.StartObject();
    j.KStr("text", info.short_text);
    j.EndObject();
    j.Key("fullDescription");
    j.StartObject();
    j.KStr("text", info.full_text);
    j.EndObject();
    j.Key("help");
    j.StartObject();
    j.KStr("text", info.help);
    j.KStr("markdown", "**" + info.short_text + "**\n\n" + info.full_text + "\n\n" + info.help);
    j.EndObject();
    j.Key("defaultConfiguration");
    j.StartObject();
    j.KStr("level", SeverityName(info.default_severity));
    j.EndObject();
    j.Key("properties");
    j.StartObject();
    j.KStrings("tags", {"memory", "leak", "heapscope"});
    j.KStr("precision", "high");
    j.EndObject();
    j.EndObject();
  }
  if (r.gate && !r.gate->class_breaches.empty()) {
    // Not a leak rule of the registry: the policy's class-growth limit (docs/policy.md).
    j.StartObject();
    j.KStr("id", kClassGrowthRule);
    j.KStr("name", "ClassGrowthLimit");
    j.Key("shortDescription");
    j.StartObject();
    j.KStr("text", "A class grew by more than the policy allows between the first and last snapshot.");
    j.EndObject();
    j.Key("fullDescription");
    j.StartObject();
    j.KStr("text",
           "The policy's class_growth entries limit how many objects (# Delta) and bytes (Size "
           "Delta) a class may gain from the first to the last snapshot, counted as DevTools' "
           "Comparison view and `heapscope diff` count them.");
    j.EndObject();
    j.Key("defaultConfiguration");
    j.StartObject();
    j.KStr("level", "error");
    j.EndObject();
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();  // driver
  j.EndObject();  // tool

  j.Key("originalUriBaseIds");
  j.StartObject();
  j.Key("%SRCROOT%");
  j.StartObject();
  j.Key("description");
  j.StartObject();
  j.KStr("text", "The source root given to heapscope with --source-root.");
  j.EndObject();
  j.EndObject();
  j.EndObject();
  j.KStr("columnKind", "utf16CodeUnits");

  j.Key("results");
  j.StartArray();
  std::vector<const Finding*> parents;  // parents[d] = last finding seen at depth d
  for (const FlatFinding& ff : flat) {
    const Finding& f = *ff.finding;
    parents.resize(ff.depth);
    std::string fp = FingerprintOf(f);
    j.StartObject();
    j.KStr("ruleId", f.rule);
    j.KU64("ruleIndex", rule_index[f.rule]);
    j.KStr("level", SeverityName(f.severity));
    j.Key("message");
    j.StartObject();
    j.KStr("text", ResultText(f));
    j.EndObject();
    if (!f.site.file.empty()) {
      j.Key("locations");
      j.StartArray();
      WriteLocation(j, f.site, "");
      j.EndArray();
    }
    if (ff.depth > 0 && !parents.back()->site.file.empty()) {
      j.Key("relatedLocations");
      j.StartArray();
      j.StartObject();
      j.KU64("id", 1);
      j.Key("physicalLocation");
      j.StartObject();
      j.Key("artifactLocation");
      WriteArtifactLocation(j, parents.back()->site.file);
      if (parents.back()->site.line > 0) {
        j.Key("region");
        j.StartObject();
        j.KU64("startLine", parents.back()->site.line);
        if (parents.back()->site.column > 0) j.KU64("startColumn", parents.back()->site.column);
        j.EndObject();
      }
      j.EndObject();
      j.Key("message");
      j.StartObject();
      j.KStr("text", "retained through: " + parents.back()->title);
      j.EndObject();
      j.EndObject();
      j.EndArray();
    }
    if (!f.allocated_at.empty()) WriteCodeFlows(j, f.allocated_at);
    j.Key("partialFingerprints");
    j.StartObject();
    j.KStr("heapscopeFingerprint/v1", fp);
    // GitHub's key; "<hash>:<occurrence>" like the value GitHub computes itself.
    j.KStr("primaryLocationLineHash", fp.substr(3, 16) + ":1");
    j.EndObject();
    if (f.verdict == Verdict::kBaselined || f.verdict == Verdict::kIgnored) {
      j.Key("suppressions");
      j.StartArray();
      j.StartObject();
      j.KStr("kind", "external");
      j.KStr("status", "accepted");
      j.KStr("justification", std::string(VerdictName(f.verdict)) + ": " + f.verdict_reason);
      j.EndObject();
      j.EndArray();
    }
    j.Key("properties");
    j.StartObject();
    j.KStr("title", f.title);
    j.KStr("event", f.event);
    j.KStr("emitter", f.emitter);
    j.KU64("count", f.count);
    j.KU64s("counts", f.counts);
    j.KI64s("growth", f.growth);
    j.KU64("retainedSize", f.retained_size);
    j.KStrings("capturedVariables", f.captured);
    j.KStrings("retainerPath", f.retainer_path);
    j.KStr("accumulationPoint", f.accumulation_point);
    if (f.site.mapped()) j.KStr("generatedLocation", GeneratedString(f.site));
    if (f.verdict != Verdict::kNone) j.KStr("gateVerdict", VerdictName(f.verdict));
    j.EndObject();
    j.EndObject();
    parents.push_back(&f);
  }
  if (r.gate) {
    for (const ClassBreach& b : r.gate->class_breaches) {
      j.StartObject();
      j.KStr("ruleId", kClassGrowthRule);
      j.KU64("ruleIndex", rule_ids.size());
      j.KStr("level", "error");
      j.Key("message");
      j.StartObject();
      j.KStr("text", ClassBreachText(b, r.snapshots.size()));
      j.EndObject();
      j.Key("partialFingerprints");
      j.StartObject();
      j.KStr("heapscopeClassLimit/v1", b.pattern + "|" + b.growth.key);
      j.EndObject();
      j.Key("properties");
      j.StartObject();
      j.KStr("class", b.growth.name);
      j.KStr("classKey", b.growth.key);
      j.KStr("policyClass", b.pattern);
      j.Key("countDelta");
      j.I64(b.growth.count_delta);
      j.Key("sizeDelta");
      j.I64(b.growth.size_delta);
      j.EndObject();
      j.EndObject();
    }
  }
  j.EndArray();

  j.Key("invocations");
  j.StartArray();
  j.StartObject();
  j.Key("executionSuccessful");
  j.Bool(true);
  if (r.gate) {
    j.Key("exitCode");
    j.U64(r.gate->failed ? 1 : 0);
  }
  j.EndObject();
  j.EndArray();

  j.EndObject();  // run
  j.EndArray();
  j.EndObject();
  return j.Take();
}

}  // namespace heapscope::report::internal
