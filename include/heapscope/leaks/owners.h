// Owners captured by listeners, and whether each owner is still alive by its library's own flag.
//
// An owner is state a listener keeps reachable that belongs to one registration: a bound
// function's `this` and bound arguments, the context object of a per-registration record
// (eventemitter3 `EE.context`, tiny-emitter `ctx`), and the objects in the listener closure's
// context chain. CapturedOwners() lists them for one listener.
//
// The owner-signal registry (one file per signal in src/leaks/owners/, listed in
// src/leaks/owners/registry.cc) reads an owner's flags: Socket.IO `connected`, ws `readyState`,
// net.Socket's handle, stream state bits, http.IncomingMessage `complete`/`aborted`,
// ServerResponse `finished`, AbortSignal `aborted`. Each flag's snapshot layout is documented in
// docs/listener-shapes.md, "Owner liveness signals".
#ifndef HEAPSCOPE_LEAKS_OWNERS_H_
#define HEAPSCOPE_LEAKS_OWNERS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "heapscope/ids.h"
#include "heapscope/snapshot/snapshot.h"

namespace heapscope::leaks {

enum class Liveness : int8_t { kUnknown = -1, kDead = 0, kLive = 1 };
const char* LivenessName(Liveness l);  // "unknown", "dead", "live"

struct LivenessVerdict {
  Liveness state = Liveness::kUnknown;
  const char* evidence = "";  // the flag read, as shown: "readyState 3", "connected: false"
};

struct OwnerSignalDef {
  const char* name;         // "ws WebSocket", shown in tests and docs
  const char* owner_class;  // the owner node's name ("WebSocket"); nullptr = any object
  // Reads `owner`'s flags. False when the owner is not this signal's kind (a "Socket" that is a
  // net.Socket, not Socket.IO's); true with *out set (possibly kUnknown) when it is.
  bool (*judge)(const snapshot::Snapshot& snap, NodeIndex owner, LivenessVerdict* out);
};

// Every owner signal, in the order JudgeOwner() tries them (specific before generic).
std::span<const OwnerSignalDef> OwnerSignals();

// The first signal that recognises `owner` and its verdict; nullopt when none does (the owner's
// liveness is then unknown).
struct OwnerJudgement {
  uint16_t signal = 0;  // index into OwnerSignals()
  LivenessVerdict verdict;
};
std::optional<OwnerJudgement> JudgeOwner(const snapshot::Snapshot& snap, NodeIndex owner);

enum class OwnerVia : uint8_t {
  kBoundThis,      // fn.bind(owner): the native_bind's bound_this
  kBoundArgument,  // fn.bind(x, owner): a bound argument
  kRegistration,   // the per-registration record's context (EE.context, tiny-emitter ctx)
  kContext,        // a variable of the listener closure's context chain
};
const char* OwnerViaName(OwnerVia v);  // "bound this", "bound argument", "registration", "context"

struct CapturedOwner {
  NodeIndex node;
  OwnerVia via = OwnerVia::kContext;
  std::string_view name;  // variable or edge name ("client", "this", "context"); may be ""
  uint8_t depth = 0;      // kContext: 0 = the closure's own context, 1 = its outer one, …
};

// Appends the owners one listener captures, in this order: bound `this`, bound arguments,
// the registration record's context, then its closure's context variables innermost first.
// `bound` is the per-registration native_bind (kNoNode when the listener was not bound),
// `registration` the per-registration record (kNoNode when none), `closure` the user's function.
// Objects only (no functions, strings or system objects), never the emitter itself, each node
// once; context variables only for closures of user scripts, at most 4 contexts deep, and not
// the module's own scope (the context just inside the NativeContext: the program's shared state).
void CapturedOwners(const snapshot::Snapshot& snap, NodeIndex emitter, NodeIndex closure,
                    NodeIndex bound, NodeIndex registration, std::vector<CapturedOwner>& out);

// The value of a property that V8 wrote as an Oddball: "true", "false", "null", "undefined", or
// "" when the property is absent or not an Oddball.
std::string_view OddballProperty(const snapshot::Snapshot& snap, NodeIndex object,
                                 std::string_view name);
// A small-integer property; only present in snapshots taken with numeric values exposed
// (number node --internal value--> decimal string). nullopt otherwise.
std::optional<int64_t> NumberProperty(const snapshot::Snapshot& snap, NodeIndex object,
                                      std::string_view name);

}  // namespace heapscope::leaks

#endif  // HEAPSCOPE_LEAKS_OWNERS_H_
