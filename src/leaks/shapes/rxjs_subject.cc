// RxJS (7.8.2) Subject and BehaviorSubject subscribers. The Subject has no event names: the
// property that holds it names it (event "messages" for `room.messages = new Subject()`).
//   owner --property <event>--> [object] "Subject" --property observers--> Array
//     --element i--> [object] "SafeSubscriber" --property destination--> "ConsumerObserver"
//     --property partialObserver--> Object --property next--> the user's function
// subscribe(fn) wraps fn as {next: fn}; subscribe(observer) keeps the user's object. The
// SafeSubscriber is the per-registration record.
#include "heapscope/leaks/sites.h"
#include "leaks/shapes/shape_util.h"

namespace heapscope::leaks::internal {

using snapshot::EdgeType;
using snapshot::NodeType;
using snapshot::Snapshot;

namespace {

// The user's `next` behind one subscriber: destination (a ConsumerObserver, or another
// Subscriber for operator chains, followed a few hops) -> partialObserver -> next.
NodeIndex NextFunction(const Snapshot& snap, NodeIndex subscriber) {
  NodeIndex node = subscriber;
  for (int hops = 0; node.valid() && hops < 8; ++hops) {
    NodeIndex observer = NamedEdge(snap, node, EdgeType::kProperty, "partialObserver");
    if (observer.valid()) {
      NodeIndex next = NamedEdge(snap, observer, EdgeType::kProperty, "next");
      return next.valid() && snap.Type(next) == NodeType::kClosure ? next : kNoNode;
    }
    node = NamedEdge(snap, node, EdgeType::kProperty, "destination");
  }
  return kNoNode;
}

void ReadSubject(const Snapshot& snap, NodeIndex owner, NodeIndex subject, ListenerShape self,
                 ShapeScratch&, std::vector<Listener>& out) {
  NodeIndex observers = NamedEdge(snap, subject, EdgeType::kProperty, "observers");
  if (!observers.valid() || snap.NodeName(observers) != "Array") return;
  // The event: the first property of `owner` that holds this subject.
  std::string_view event;
  for (uint32_t e = snap.EdgeBegin(owner); e < snap.EdgeEnd(owner); ++e) {
    if (snap.edge_type[e] == EdgeType::kProperty && snap.edge_to[e] == subject) {
      event = snap.EdgeName(EdgeIndex(e));
      break;
    }
  }
  // RxJS's own objects also hold subjects: `subject.asObservable()` is an Observable with
  // `source` = the subject. The listeners belong to the program's property only.
  if (event.empty() || event == "source" || snap.NodeName(owner) == "Observable") return;
  size_t first = out.size();
  for (uint32_t e = snap.EdgeBegin(observers); e < snap.EdgeEnd(observers); ++e) {
    if (snap.edge_type[e] != EdgeType::kElement) continue;
    NodeIndex subscriber = snap.edge_to[e];
    NodeIndex next = NextFunction(snap, subscriber);
    if (!next.valid()) continue;
    bool wrapped = false;
    NodeIndex user = UserFunction(snap, next, &wrapped);
    if (!user.valid()) continue;
    Listener l{owner, observers, user, subscriber, event, self, false, false, 0, kNoNode, kNoNode};
    l.bound = BoundFunction(snap, next);
    out.push_back(l);
  }
  for (size_t i = first; i < out.size(); ++i)
    out[i].holder_listeners = static_cast<uint32_t>(out.size() - first);
}

}  // namespace

// Both kinds hold subscribers alike; only the class the entry recognises differs.
constexpr const char* kSubjectPoint = "{emitter}.{event}.observers";
constexpr const char* kUnsubscribe =
    "subscription.unsubscribe() (subscription = {emitter}.{event}.subscribe({handler}))";

extern const ListenerShapeDef kRxSubjectShape = {"RxJS Subject",
                                                 NodeType::kObject,
                                                 nullptr,
                                                 "Subject",
                                                 ReadSubject,
                                                 /*event_name=*/nullptr,
                                                 /*emitter_class=*/nullptr,
                                                 /*alive=*/nullptr,
                                                 kSubjectPoint,
                                                 kUnsubscribe,
                                                 ""};

extern const ListenerShapeDef kRxBehaviorSubjectShape = {"RxJS BehaviorSubject",
                                                         NodeType::kObject,
                                                         nullptr,
                                                         "BehaviorSubject",
                                                         ReadSubject,
                                                         /*event_name=*/nullptr,
                                                         /*emitter_class=*/nullptr,
                                                         /*alive=*/nullptr,
                                                         kSubjectPoint,
                                                         kUnsubscribe,
                                                         ""};

}  // namespace heapscope::leaks::internal
