#!/usr/bin/env bash
# Sets everything up, builds, and runs heapscope on the bundled leaky presence-server capture:
# three snapshots (baseline, target, final) plus the Prometheus export of the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
C=samples/presence-server/captures/leaky
mkdir -p build/demo
echo "\$ build/heapscope analyze $C/{baseline,target,final}.heapsnapshot.gz --metrics $C/metrics.json --source-root samples/presence-server/leaky"
build/heapscope analyze "$C"/baseline.heapsnapshot.gz "$C"/target.heapsnapshot.gz \
  "$C"/final.heapsnapshot.gz --metrics "$C"/metrics.json \
  --source-root samples/presence-server/leaky
for f in markdown html json sarif; do
  build/heapscope analyze -q "$C"/baseline.heapsnapshot.gz "$C"/target.heapsnapshot.gz \
    "$C"/final.heapsnapshot.gz --metrics "$C"/metrics.json \
    --source-root samples/presence-server/leaky --format "$f" -o "build/demo/report.$f"
done
echo
echo "Reports for the incident ticket: build/demo/report.{markdown,html,json,sarif}"
