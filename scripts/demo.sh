#!/usr/bin/env bash
# Sets everything up, builds, and runs heapscope on the bundled leaky presence-server capture.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
C=samples/presence-server/captures/leaky
echo "\$ build/heapscope summary $C/final.heapsnapshot.gz --top 15"
build/heapscope summary "$C/final.heapsnapshot.gz" --top 15
