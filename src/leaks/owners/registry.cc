// The owner-signal registry: one line per signal, tried in this order (classes first, the
// generic stream bits last). To add a signal: a new file beside this one defining its
// OwnerSignalDef, an `extern` line and a table line here.
#include <array>

#include "leaks/owners/owner_util.h"

namespace heapscope::leaks {
namespace internal {

extern const OwnerSignalDef kSocketIoSignal;
extern const OwnerSignalDef kWebSocketSignal;
extern const OwnerSignalDef kNetSocketSignal;
extern const OwnerSignalDef kIncomingMessageSignal;
extern const OwnerSignalDef kServerResponseSignal;
extern const OwnerSignalDef kAbortSignalSignal;
extern const OwnerSignalDef kStreamSignal;

}  // namespace internal

std::span<const OwnerSignalDef> OwnerSignals() {
  static const std::array<OwnerSignalDef, 7> table = {
      internal::kSocketIoSignal,       internal::kWebSocketSignal,
      internal::kNetSocketSignal,      internal::kIncomingMessageSignal,
      internal::kServerResponseSignal, internal::kAbortSignalSignal,
      internal::kStreamSignal,
  };
  return table;
}

}  // namespace heapscope::leaks
