#!/usr/bin/env bash
# The whole loop on a live process: start the reference server with --inspect, warm it up, and
# let `heapscope capture` take baseline/target/final with the load driver run between the
# snapshots, then analyze the series.
#
#   samples/presence-server/live-demo.sh [--variant leaky|fixed] [--out DIR] [--cycles N] [--count N]
#                                        [--track-allocations] [--sampling] [--sampling-interval N]
#
# Runs from the repository root and uses build/heapscope (or $HEAPSCOPE). Loopback only; the
# server is stopped by its pid on exit. DIR defaults to a new temporary folder.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
HERE=samples/presence-server
HEAPSCOPE="${HEAPSCOPE:-build/heapscope}"
VARIANT=leaky OUT="" CYCLES=3 COUNT=3 CAPTURE_FLAGS=() NODE_FLAGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --variant) VARIANT="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --cycles) CYCLES="$2"; shift 2 ;;
    --count) COUNT="$2"; shift 2 ;;
    --sampling) CAPTURE_FLAGS+=("$1"); shift ;;
    # Tracking from the process start: tracking started over the inspector after the warm-up
    # gave a stack to 48 of the 120 leaked listeners on Node 20, --track-heap-objects to all of
    # them. capture sees the flag and does not restart tracking.
    --track-allocations) CAPTURE_FLAGS+=("$1"); NODE_FLAGS+=(--track-heap-objects); shift ;;
    --sampling-interval) CAPTURE_FLAGS+=("$1" "$2"); shift 2 ;;
    *) echo "usage: $0 [--variant leaky|fixed] [--out DIR] [--cycles N] [--track-allocations] [--sampling]" >&2; exit 2 ;;
  esac
done
[[ "$VARIANT" == leaky || "$VARIANT" == fixed ]] || { echo "live-demo: --variant must be leaky or fixed" >&2; exit 2; }
[[ -x "$HEAPSCOPE" ]] || { echo "live-demo: $HEAPSCOPE not built (bash scripts/setup.sh)" >&2; exit 2; }
[[ -d "$HERE/node_modules/socket.io" ]] || (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
OUT="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/heapscope-live-demo.XXXXXX")}"
mkdir -p "$OUT"
LOG="$OUT/server.log"

SERVER_PID=""
cleanup() {
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  return 0
}
trap cleanup EXIT

HOST=127.0.0.1 PORT=0 PRESENCE_LOG_LEVEL=silent \
  node --inspect=127.0.0.1:0 ${NODE_FLAGS[@]+"${NODE_FLAGS[@]}"} "$HERE/shared/server.js" --variant "$VARIANT" >"$LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
  grep -q '^LISTENING' "$LOG" && grep -q 'Debugger listening' "$LOG" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.1
done
APP_PORT=$(sed -n 's/^LISTENING port=\([0-9]*\).*/\1/p' "$LOG")
INSPECT=$(sed -n 's|.*Debugger listening on ws://\(127\.0\.0\.1:[0-9]*\)/.*|\1|p' "$LOG")
[[ -n "$APP_PORT" && -n "$INSPECT" ]] || { echo "live-demo: the server did not start:" >&2; cat "$LOG" >&2; exit 1; }

DRIVER="node $HERE/driver/driver.js --url http://127.0.0.1:$APP_PORT --users 5 --concurrency 5"
echo "live-demo: $VARIANT server pid $SERVER_PID on 127.0.0.1:$APP_PORT, inspector $INSPECT; warm-up" >&2
$DRIVER --cycles 2 >"$OUT/driver.log"

# The driver's own output goes to driver.log; capture's log goes to stderr, the report to stdout.
"$HEAPSCOPE" capture --inspect "$INSPECT" --count "$COUNT" --out "$OUT" ${CAPTURE_FLAGS[@]+"${CAPTURE_FLAGS[@]}"} \
  --between "$DRIVER --cycles $CYCLES >>$OUT/driver.log" \
  --analyze --source-root "$HERE"
