// Must not compile: leaks does not depend on metrics (docs/architecture.md).
#include "heapscope/metrics/metrics.h"
