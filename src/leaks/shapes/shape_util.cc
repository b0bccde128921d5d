#include "leaks/shapes/shape_util.h"

#include "heapscope/leaks/sites.h"

namespace heapscope::leaks::internal {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

NodeIndex UserFunction(const Snapshot& snap, NodeIndex fn, bool* once) {
  *once = false;
  if (snap.Type(fn) != NodeType::kClosure) return kNoNode;
  if (snap.NodeName(fn) == "native_bind") {
    NodeIndex user = NamedEdge(snap, fn, EdgeType::kProperty, "listener");
    if (user.valid() && snap.Type(user) == NodeType::kClosure) {
      *once = true;
      return user;
    }
    // A bound function registered directly: report the target function's site.
    NodeIndex target = NamedEdge(snap, fn, EdgeType::kInternal, "bound_function");
    if (target.valid() && snap.Type(target) == NodeType::kClosure) return target;
  }
  // component-emitter's once(): function on() { … } with on.fn = the user's function.
  NodeIndex wrapped = NamedEdge(snap, fn, EdgeType::kProperty, "fn");
  if (snap.NodeName(fn) == "on" && wrapped.valid() && snap.Type(wrapped) == NodeType::kClosure) {
    *once = true;
    return wrapped;
  }
  return fn;
}

void AddEventValue(const Snapshot& snap, NodeIndex emitter, NodeIndex table,
                   std::string_view event, NodeIndex value, ListenerShape shape,
                   std::vector<Listener>& out) {
  auto push = [&](NodeIndex holder, NodeIndex fn, bool warned, uint32_t n) {
    bool once = false;
    NodeIndex user = UserFunction(snap, fn, &once);
    if (!user.valid()) return;
    // events.on()/events.once() registrations are their own shapes (events_on.cc, …).
    NodeIndex helper_record;
    if (shape == ListenerShape::kEventEmitter &&
        NodeHelperOf(snap, fn, &helper_record) != NodeHelper::kNone) {
      return;
    }
    // The per-registration object: the once wrapper or the bound function (none for a plain
    // function: the function is the registration).
    NodeIndex bound = BoundFunction(snap, fn);
    NodeIndex registration = once || bound.valid() ? fn : kNoNode;
    out.push_back(
        Listener{emitter, holder, user, registration, event, shape, once, warned, n, bound, kNoNode});
  };
  ForEachListenerValue(snap, table, value, push);
}

}  // namespace heapscope::leaks::internal
