// heapscope: finds memory and event-listener leaks in V8 heap snapshots and metric exports.
#include "cli/command.h"

int main(int argc, char** argv) { return heapscope::cli::Main(argc, argv); }
