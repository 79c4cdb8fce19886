#!/usr/bin/env bash
# "No slowdown as history accumulates": runs the lease workload with a new resource name each cycle (hub-bench
# lease-new) minute after minute against one fresh hub, and after each minute records the throughput, the latency and
# the size of the store. A hub whose cost follows what is active keeps its last minute close to its best; one whose
# cost follows what has accumulated (every grant leaves a released row until the daily lease purge, every request a
# trail entry) slows down minute by minute. Runs on SQLite, then on Redis (a throwaway redis-server on loopback).
# On a shared machine the throughput follows the neighbours' load; the hub's CPU per request (measured from its
# process, as scripts/bench.sh does) and the other processes' share are printed beside it to tell the two apart.
#
#   scripts/bench-history.sh                       # 10 minutes on each backend, 64 clients
#   scripts/bench-history.sh --minutes 3 sqlite    # backends to run: sqlite, redis (default both)
#
# Options: --minutes N (default 10), --clients N (default 64), --window S (seconds per window, default 60).
# Environment: BENCH_HUB_JAVA_OPTS (default -XX:+UseG1GC), BENCH_JAVA_OPTS (default -Xmx1g -XX:+UseZGC),
# BENCH_HUB_SET (extra hub settings, space-separated key=value), BENCH_HUB_JAR (run this hub jar instead of
# hub-server/target/hub.jar, not rebuilt: compares two builds in the same sitting). Prints Markdown; JSON and logs go to bench-results/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/.ci/jdk.sh"
minutes=10 clients=64 window=60 backends=()
while (($#)); do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --window) window="$2"; shift 2 ;;
    sqlite | redis) backends+=("$1"); shift ;;
    *) echo "Unknown argument $1; see the header of $0." >&2; exit 2 ;;
  esac
done
((${#backends[@]})) || backends=(sqlite redis)
hub_jar="${BENCH_HUB_JAR:-$root/hub-server/target/hub.jar}"
bench_jar="$root/hub-bench/target/bench.jar"
if [[ ! -f "$hub_jar" || ! -f "$bench_jar" ]] || { [[ -z "${BENCH_HUB_JAR:-}" ]] \
  && [[ -n "$(find "$root/pom.xml" "$root"/hub-*/pom.xml "$root"/hub-*/src/main -newer "$hub_jar" -print -quit)" ]]; }; then
  echo "Building the hub and the load bench..." >&2
  (cd "$root" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl hub-server,hub-bench -am >&2)
fi
out="$root/bench-results"
mkdir -p "$out"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
token="bench_$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
for kind in WRITES READS CHAT MEMORIES ERRORS MCP ANONYMOUS; do
  var="HUB_RATE_LIMIT_$kind"; export "$var=${!var:-1000000000,1000000000}"
done
sets=()
for kv in ${BENCH_HUB_SET:-}; do sets+=(--set "$kv"); done

hub_pid="" redis_port="" data=""
stop_all() {
  if [[ -n "$hub_pid" ]]; then
    kill -TERM "$hub_pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$hub_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$hub_pid" 2>/dev/null || true
  fi
  [[ -z "$redis_port" ]] || redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  [[ -z "$data" ]] || rm -rf "$data"
  hub_pid="" redis_port="" data=""
}
trap stop_all EXIT

# The store's size: bytes on disk of the data directory (SQLite: database and WAL), or Redis's used memory and keys.
store_size() {
  if [[ -n "$redis_port" ]]; then
    local used keys
    used="$(redis-cli -p "$redis_port" info memory | tr -d '\r' | awk -F: '/^used_memory:/ {printf "%.0f MB", $2/1e6}')"
    keys="$(redis-cli -p "$redis_port" dbsize | tr -d '\r')"
    echo "$used, $keys keys"
  else
    local bytes rows=""
    bytes="$(du -sb "$data" | cut -f1)"
    if command -v sqlite3 >/dev/null; then
      rows="$(sqlite3 -readonly "file:$data/hub.db?mode=ro" \
        'SELECT (SELECT count(*) FROM lease) || " lease rows, " || (SELECT count(*) FROM trace) || " trace rows"' \
        2>/dev/null || true)"
    fi
    echo "$((bytes / 1000000)) MB${rows:+, $rows}"
  fi
}

run_backend() {
  local backend="$1"
  data="$(mktemp -d "${TMPDIR:-/tmp}/hub-history.XXXXXX")"
  local log="$out/$stamp-$backend-hub.log" env=(HUB_ADMIN_TOKEN="$token" HUB_PORT=0 HUB_BIND=127.0.0.1 HUB_DATA_DIR="$data")
  if [[ "$backend" == redis ]]; then
    command -v redis-server >/dev/null || { echo "redis-server is missing; scripts/test-deps.sh installs it." >&2; return 1; }
    redis_port="$(free_port)"
    redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --logfile "$out/$stamp-redis.log"
    for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    env+=(HUB_REDIS_URL="redis://127.0.0.1:$redis_port")
  fi
  # shellcheck disable=SC2086
  env "${env[@]}" "$JAVA_HOME/bin/java" ${BENCH_HUB_JAVA_OPTS:--XX:+UseG1GC} -jar "$hub_jar" serve "${sets[@]}" \
    >"$log" 2>&1 &
  hub_pid=$!
  local url=""
  for _ in $(seq 1 300); do
    url="$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$log" | head -1 | sed 's/listening on //')" || true
    [[ -n "$url" ]] && break
    kill -0 "$hub_pid" 2>/dev/null || { echo "The hub exited during start-up; see $log" >&2; return 1; }
    sleep 0.1
  done
  [[ -n "$url" ]] || { echo "The hub did not start within 30 s; see $log" >&2; return 1; }
  echo "### $backend: lease-new, $clients clients, $minutes windows of $window s on one hub"
  echo
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| window | pairs/s | p50 ms | p99 ms | errors | hub CPU per request, ms | other processes, cores | store after the window |"
  echo "|---|---|---|---|---|---|---|---|"
  local rates=() prewarm=20
  for i in $(seq 1 "$minutes"); do
    local json="$out/$stamp-$backend-$i.json"
    # shellcheck disable=SC2086
    "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:--Xmx1g -XX:+UseZGC} -jar "$bench_jar" --url "$url" --token "$token" \
      --hub-pid "$hub_pid" --clients "$clients" --seconds "$window" --warmup 0 --prewarm "$prewarm" \
      --json "$json" lease-new >/dev/null 2>>"$out/$stamp-$backend-bench.log"
    prewarm=0
    local row
    row="$(python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))["results"][0]
op, f = r["ops"][0], r["facts"]
print("%.0f %.2f %.1f %d %s %s" % (op["perSecond"], op["p50"] or 0, op["p99"] or 0, op["errors"],
    f.get("hub CPU per request, ms", "-"), f.get("other processes\x27 CPU, cores", "-")))' "$json")"
    read -r rate p50 p99 errors cpu others <<<"$row"
    rates+=("$rate")
    echo "| $i | $rate | $p50 | $p99 | $errors | $cpu | $others | $(store_size) |"
  done
  python3 - "${rates[@]}" <<'EOF'
import sys
r = [float(x) for x in sys.argv[1:]]
best = max(r)
print()
print("- best window %.0f pairs/s (window %d), last %.0f: last/best = %.2f" % (best, r.index(best) + 1, r[-1], r[-1] / best))
EOF
  echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  stop_all
}

echo "## History benchmark, $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git -C "$root" rev-parse --short HEAD)"
echo
echo "- machine: $(nproc) CPUs; the hub, the load generator (and Redis) share them"
echo
for b in "${backends[@]}"; do run_backend "$b"; done
