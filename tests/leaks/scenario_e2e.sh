#!/usr/bin/env bash
# End to end on a fresh presence-server run: scenario.sh (real server, real Prometheus) for one
# variant, then `heapscope analyze --format json`, checked by scenario_check.js.
# Usage: tests/leaks/scenario_e2e.sh HEAPSCOPE_BINARY leaky|fixed SCRATCH_DIR [CYCLES]
# (CYCLES per load phase, 3 by default; at 100 the fixed server's Set of WeakRefs holds hundreds
# of entries whose sockets are already dead, which must not be reported.)
set -euo pipefail
BIN="$1" VARIANT="$2" CYCLES="${4:-3}" OUT="$3/$2-$CYCLES"
rm -rf "$OUT"
SCENARIO_WARMUP_CYCLES=2 samples/presence-server/scenario.sh --variant "$VARIANT" --cycles "$CYCLES" --out "$OUT"
"$BIN" analyze "$OUT/baseline.heapsnapshot" "$OUT/target.heapsnapshot" "$OUT/final.heapsnapshot" \
  --metrics "$OUT/metrics.json" --source-root "$PWD/samples/presence-server" --format json -o "$OUT/report.json"
# The bundled capture of the same variant: fingerprints must match across runs.
CAP=samples/presence-server/captures/$VARIANT
"$BIN" analyze "$CAP/baseline.heapsnapshot.gz" "$CAP/target.heapsnapshot.gz" "$CAP/final.heapsnapshot.gz" \
  --source-root "$PWD/samples/presence-server" --format json -o "$OUT/bundled.json"
node tests/leaks/scenario_check.js "$VARIANT" "$OUT/report.json" "$OUT/scenario.json" "$OUT/bundled.json"
