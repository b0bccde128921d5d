#!/usr/bin/env bash
# Reference scenario for heapscope: runs the presence server (leaky or fixed)
# under load with a real Prometheus scraping it, and captures three heap
# snapshots plus the metrics.
#
#   samples/presence-server/scenario.sh --variant leaky|fixed --cycles N --out DIR
#
# Produces in DIR: baseline.heapsnapshot (after warm-up), target.heapsnapshot
# (after N cycles), final.heapsnapshot (after N more), metrics.json (Prometheus
# /api/v1/query with a range selector: raw samples), metrics-range.json
# (/api/v1/query_range, step 1s), scenario.json (parameters, snapshot
# responses, driver statistics) and server.log.
#
# Optional tuning through the environment (defaults in brackets):
#   SCENARIO_USERS [5]  SCENARIO_CONCURRENCY [5]  SCENARIO_SWITCHES [2]
#   SCENARIO_BOARDS [4]  SCENARIO_WARMUP_CYCLES [10]  SCENARIO_CYCLE_DELAY_MS [200]
#   SCENARIO_HEARTBEAT_MS [1000]  SCENARIO_LOG_LEVEL [info]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JOB=presence

usage() {
  echo "usage: $0 --variant leaky|fixed --cycles N --out DIR" >&2
  exit 2
}

VARIANT="" CYCLES="" OUT=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --variant) [[ $# -ge 2 ]] || usage; VARIANT="$2"; shift 2 ;;
    --cycles)  [[ $# -ge 2 ]] || usage; CYCLES="$2"; shift 2 ;;
    --out)     [[ $# -ge 2 ]] || usage; OUT="$2"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "scenario: unknown argument: $1" >&2; usage ;;
  esac
done
[[ "$VARIANT" == leaky || "$VARIANT" == fixed ]] || { echo "scenario: --variant must be leaky or fixed" >&2; usage; }
[[ "$CYCLES" =~ ^[0-9]+$ && "$CYCLES" -ge 1 ]] || { echo "scenario: --cycles must be a positive integer" >&2; usage; }
[[ -n "$OUT" ]] || { echo "scenario: --out DIR is required" >&2; usage; }

USERS="${SCENARIO_USERS:-5}"
CONCURRENCY="${SCENARIO_CONCURRENCY:-5}"
SWITCHES="${SCENARIO_SWITCHES:-2}"
BOARDS="${SCENARIO_BOARDS:-4}"
WARMUP="${SCENARIO_WARMUP_CYCLES:-10}"
DELAY_MS="${SCENARIO_CYCLE_DELAY_MS:-200}"
HEARTBEAT_MS="${SCENARIO_HEARTBEAT_MS:-1000}"
LOG_LEVEL="${SCENARIO_LOG_LEVEL:-info}"

STEP="setup"
SERVER_PID="" PROM_PID="" TMP=""

log() { echo "scenario: $*" >&2; }
REPORTED=""
fail() { echo "scenario: FAILED at step '$STEP': $*" >&2; REPORTED=1; exit 1; }

stop_pid() { # stop_pid PID NAME: TERM, wait up to 5 s, then KILL
  local pid="$1" name="$2" i
  [[ -n "$pid" ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) did not stop on SIGTERM, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  if [[ $rc -ne 0 ]]; then
    [[ -n "$REPORTED" ]] || echo "scenario: FAILED at step '$STEP' (exit $rc)" >&2
    if [[ -n "$TMP" && -s "$TMP/prometheus.log" ]]; then
      echo "scenario: last lines of the Prometheus log:" >&2
      tail -n 5 "$TMP/prometheus.log" >&2
    fi
    if [[ -n "$OUT" && -s "$OUT/server.log" ]]; then
      echo "scenario: last lines of the server log:" >&2
      tail -n 5 "$OUT/server.log" >&2
    fi
  fi
  stop_pid "$SERVER_PID" server
  stop_pid "$PROM_PID" prometheus
  [[ -n "$TMP" && -d "$TMP" ]] && rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

STEP="check prerequisites"
command -v node >/dev/null || fail "node is not installed"
command -v npm >/dev/null || fail "npm is not installed"
PROMETHEUS="$(command -v prometheus || true)"
[[ -n "$PROMETHEUS" ]] || fail "prometheus is not installed (Debian: apt-get install prometheus)"

STEP="npm ci"
if [[ ! -d "$HERE/node_modules/socket.io" || ! -d "$HERE/node_modules/socket.io-client" || ! -d "$HERE/node_modules/prom-client" ]]; then
  log "installing npm dependencies (npm ci)"
  (cd "$HERE" && npm ci --no-audit --no-fund >&2) || fail "npm ci failed in $HERE"
fi

STEP="prepare output"
mkdir -p "$OUT" || fail "cannot create $OUT"
OUT="$(cd "$OUT" && pwd)"
rm -f "$OUT"/{baseline,target,final}.heapsnapshot "$OUT"/metrics.json "$OUT"/metrics-range.json "$OUT"/scenario.json "$OUT"/server.log
TMP="$(mktemp -d "${TMPDIR:-/tmp}/presence-scenario.XXXXXX")"
CTL=(node "$HERE/driver/ctl.js")

STEP="start server"
PRESENCE_SNAPSHOT_DIR="$OUT" PRESENCE_LOG_LEVEL="$LOG_LEVEL" PRESENCE_HEARTBEAT_MS="$HEARTBEAT_MS" \
  HOST=127.0.0.1 PORT=0 \
  node --expose-gc --heapsnapshot-signal=SIGUSR2 --diagnostic-dir="$OUT" \
  "$HERE/shared/server.js" --variant "$VARIANT" >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 100); do
  PORT="$(sed -n 's/^LISTENING port=\([0-9]*\).*/\1/p' "$OUT/server.log" | head -n 1)"
  [[ -n "$PORT" ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited early: $(tail -n 3 "$OUT/server.log")"
  sleep 0.1
done
[[ -n "$PORT" ]] || fail "server did not print 'LISTENING port=' within 10 s"
SERVER_URL="http://127.0.0.1:$PORT"
"${CTL[@]}" wait-http "$SERVER_URL/metrics" 10 "$SERVER_PID" || fail "server /metrics not reachable"
log "server ($VARIANT) pid $SERVER_PID on $SERVER_URL"

STEP="start prometheus"
PROM_PORT="$("${CTL[@]}" free-port)" || fail "no free loopback port"
mkdir -p "$TMP/data"
cat >"$TMP/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: $JOB
    metrics_path: /metrics
    static_configs:
      - targets: ['127.0.0.1:$PORT']
        labels:
          variant: $VARIANT
YAML
"$PROMETHEUS" --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" \
  >"$TMP/prometheus.log" 2>&1 &
PROM_PID=$!
PROM_URL="http://127.0.0.1:$PROM_PORT"
"${CTL[@]}" wait-http "$PROM_URL/-/ready" 30 "$PROM_PID" || fail "Prometheus not ready on $PROM_URL"
START_S="$(date +%s)"
"${CTL[@]}" wait-scrapes "$PROM_URL" "$JOB" "$START_S" 1 20 || fail "Prometheus does not scrape $SERVER_URL"
log "prometheus pid $PROM_PID on $PROM_URL scraping every 1s"

run_driver() { # run_driver CYCLES OFFSET OUTFILE
  node "$HERE/driver/driver.js" --url "$SERVER_URL" --users "$USERS" --cycles "$1" \
    --concurrency "$CONCURRENCY" --switches "$SWITCHES" --boards "$BOARDS" \
    --cycle-delay-ms "$DELAY_MS" --cycle-offset "$2" --max-seconds 300 --json >"$3"
}

STEP="warm-up ($WARMUP cycles)"
run_driver "$WARMUP" 0 "$TMP/driver-warmup.json" || fail "driver failed"

STEP="baseline snapshot"
"${CTL[@]}" snapshot "$SERVER_URL" baseline >"$TMP/snap-baseline.json" || fail "cannot capture baseline"

STEP="load phase 1 ($CYCLES cycles)"
run_driver "$CYCLES" "$WARMUP" "$TMP/driver-phase1.json" || fail "driver failed"

STEP="target snapshot"
"${CTL[@]}" snapshot "$SERVER_URL" target >"$TMP/snap-target.json" || fail "cannot capture target"

STEP="load phase 2 ($CYCLES cycles)"
run_driver "$CYCLES" "$((WARMUP + CYCLES))" "$TMP/driver-phase2.json" || fail "driver failed"

STEP="final snapshot"
"${CTL[@]}" snapshot "$SERVER_URL" final >"$TMP/snap-final.json" || fail "cannot capture final"

STEP="wait for scrapes"
END_S="$(date +%s)"
"${CTL[@]}" wait-scrapes "$PROM_URL" "$JOB" "$END_S" 3 20 || fail "Prometheus missed the final scrapes"
END_S="$(date +%s)"

STEP="export metrics"
"${CTL[@]}" prom-export "$PROM_URL" "$JOB" "$START_S" "$END_S" "$OUT" >&2 || fail "Prometheus export failed"

STEP="write summary"
cat >"$TMP/params.json" <<JSON
{"variant":"$VARIANT","cycles":$CYCLES,"warmupCycles":$WARMUP,"users":$USERS,"concurrency":$CONCURRENCY,
 "switches":$SWITCHES,"boards":$BOARDS,"cycleDelayMs":$DELAY_MS,"heartbeatMs":$HEARTBEAT_MS,
 "node":"$(node --version)","prometheus":"$("$PROMETHEUS" --version 2>&1 | head -n 1)",
 "startEpochS":$START_S,"endEpochS":$END_S}
JSON
"${CTL[@]}" summary "$OUT/scenario.json" params="$TMP/params.json" \
  baseline="$TMP/snap-baseline.json" target="$TMP/snap-target.json" final="$TMP/snap-final.json" \
  warmup="$TMP/driver-warmup.json" phase1="$TMP/driver-phase1.json" phase2="$TMP/driver-phase2.json" \
  || fail "cannot write scenario.json"

STEP="stop"
stop_pid "$SERVER_PID" server; SERVER_PID=""
stop_pid "$PROM_PID" prometheus; PROM_PID=""
STEP="done"
for f in baseline.heapsnapshot target.heapsnapshot final.heapsnapshot metrics.json metrics-range.json; do
  [[ -s "$OUT/$f" ]] || fail "missing output $OUT/$f"
done
node -e '
const s = require(process.argv[1]);
for (const k of ["baseline", "target", "final"]) {
  const l = s[k].listeners;
  console.error(`scenario: ${k}: heapUsed=${s[k].memory.heapUsed} service.heartbeat=${l.presence_service.heartbeat} ` +
    `sockets.heartbeat=${l.sockets.heartbeat} sockets.cursor-move=${l.sockets["cursor-move"]} ` +
    `sockets.selection-change=${l.sockets["selection-change"]} snapshot=${s[k].bytes} bytes`);
}' "$OUT/scenario.json"
log "done: $OUT"
