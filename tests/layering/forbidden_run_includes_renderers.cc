// Must not compile: run returns values; rendering them is report's job (docs/architecture.md).
#include "heapscope/report/commands.h"
