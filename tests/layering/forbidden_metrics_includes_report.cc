// Must not compile: metrics is upstream of report (docs/architecture.md).
#include "heapscope/report/render.h"
