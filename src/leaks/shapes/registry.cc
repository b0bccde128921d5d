// The listener-shape registry: one line per shape, in ListenerShape order. To add a shape: a
// new file beside this one defining its ListenerShapeDef, an `extern` line and a Shapes() line
// here.
#include <array>
#include <string>

#include "leaks/shapes/shape_util.h"

namespace heapscope::leaks {
namespace internal {

extern const ListenerShapeDef kEventEmitterShape;
extern const ListenerShapeDef kComponentEmitterShape;
extern const ListenerShapeDef kEventTargetShape;
extern const ListenerShapeDef kDomListenerShape;
extern const ListenerShapeDef kEventEmitter3Shape;
extern const ListenerShapeDef kRxSubjectShape;
extern const ListenerShapeDef kRxBehaviorSubjectShape;
extern const ListenerShapeDef kMittShape;
extern const ListenerShapeDef kNanoEventsShape;
extern const ListenerShapeDef kTinyEmitterShape;
extern const ListenerShapeDef kEventsOnShape;
extern const ListenerShapeDef kEventsOnceShape;
extern const ListenerShapeDef kWeakMapRegistryShape;
extern const ListenerShapeDef kEventEmitter2Shape;
extern const ListenerShapeDef kEventEmitter2TreeShape;
extern const ListenerShapeDef kEventEmitter2AnyShape;

namespace {
const std::array<ListenerShapeDef, 16>& Table() {
  static const std::array<ListenerShapeDef, 16> table = {
      kEventEmitterShape,
      kComponentEmitterShape,
      kEventTargetShape,
      kDomListenerShape,
      kEventEmitter3Shape,
      kRxSubjectShape,
      kRxBehaviorSubjectShape,
      kMittShape,
      kNanoEventsShape,
      kTinyEmitterShape,
      kEventsOnShape,
      kEventsOnceShape,
      kWeakMapRegistryShape,
      kEventEmitter2Shape,
      kEventEmitter2TreeShape,
      kEventEmitter2AnyShape,
  };
  return table;
}

// `tmpl` with {emitter}, {event} and {handler} replaced.
std::string Fill(std::string_view tmpl, std::string_view emitter, std::string_view event,
                 std::string_view handler) {
  std::string out;
  for (size_t i = 0; i < tmpl.size();) {
    std::string_view rest = tmpl.substr(i);
    if (rest.starts_with("{emitter}")) {
      out += emitter;
      i += 9;
    } else if (rest.starts_with("{event}")) {
      out += event;
      i += 7;
    } else if (rest.starts_with("{handler}")) {
      out += handler;
      i += 9;
    } else {
      out += tmpl[i++];
    }
  }
  return out;
}
}  // namespace

}  // namespace internal

std::span<const ListenerShapeDef> Shapes() { return internal::Table(); }

const ListenerShapeDef& GetShape(ListenerShape s) {
  return internal::Table()[static_cast<size_t>(s)];
}

const char* ListenerShapeName(ListenerShape s) {
  size_t i = static_cast<size_t>(s);
  return i < Shapes().size() ? Shapes()[i].name : "?";
}

std::string ShapeAccumulationPoint(ListenerShape s, std::string_view emitter,
                                   std::string_view event) {
  return internal::Fill(GetShape(s).accumulation_point, emitter, event, {});
}

std::string ShapeRemoveCall(ListenerShape s, std::string_view emitter, std::string_view event,
                            std::string_view handler, bool with_aka) {
  const ListenerShapeDef& def = GetShape(s);
  std::string out = internal::Fill(def.remove, emitter, event, handler);
  if (with_aka && def.remove_aka && *def.remove_aka) out += std::string(" (") + def.remove_aka + ")";
  return out;
}

}  // namespace heapscope::leaks
