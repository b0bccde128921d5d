// Must not compile: snapshot is upstream of graph (docs/architecture.md).
#include "heapscope/graph/heap_graph.h"
