#!/usr/bin/env bash
# Load benchmark of the Redis backend: starts a throwaway redis-server (free loopback port, no persistence), measures
# that Redis with redis-benchmark (SET, and EVALSHA of the hub's own lease-acquire script), then starts two hub nodes
# on it, pre-warms both, and alternates hub-bench windows against one node (the other idle beside it) and against both
# (one generator dealing its clients round-robin), round after round, so that both setups meet the same moments of a
# shared machine. Prints Markdown (each window's table, the two-node/one-node ratio per round and its median, and the
# Redis work per HTTP request of each setup); JSON results and logs go to bench-results/ (git-ignored).
#
#   scripts/bench-redis.sh                          # lease, one node against two; then mixed on one node
#   scripts/bench-redis.sh --seconds 10 lease       # hub-bench options and workloads for every window
#
# Environment: BENCH_HUB_JAVA_OPTS (default -XX:+UseG1GC), BENCH_JAVA_OPTS (default -Xmx1g -XX:+UseZGC), BENCH_CLIENTS (64),
# BENCH_PREWARM (seconds of load on both nodes before the first window; default 120: on two shared cores the JIT
# compilers of a fresh hub keep working for a minute or more under load), BENCH_ROUNDS (3), BENCH_WINDOW (measured
# seconds per window, 20).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/.ci/jdk.sh"
hub_jar="$root/hub-server/target/hub.jar"
bench_jar="$root/hub-bench/target/bench.jar"
command -v redis-server >/dev/null || { echo "redis-server is missing; scripts/test-deps.sh installs it." >&2; exit 1; }
if [[ ! -f "$hub_jar" || ! -f "$bench_jar" ]] \
  || [[ -n "$(find "$root/pom.xml" "$root"/hub-*/pom.xml "$root"/hub-*/src/main -newer "$hub_jar" -print -quit)" ]]; then
  echo "Building the hub and the load bench..." >&2
  (cd "$root" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl hub-server,hub-bench -am >&2)
fi
out="$root/bench-results"
mkdir -p "$out"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
token="bench_$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
clients="${BENCH_CLIENTS:-64}"
prewarm="${BENCH_PREWARM:-120}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

pids=()
dirs=()
redis_port="$(free_port)"
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; done
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  for d in "${dirs[@]}"; do rm -rf "$d"; done
}
trap cleanup EXIT
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
  --logfile "$out/$stamp-redis.log"
for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

echo "## Redis backend, $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git -C "$root" rev-parse --short HEAD)"
echo
echo "- machine: $(nproc) CPUs, load average at start $(cut -d' ' -f1-3 /proc/loadavg); hub, generators and Redis share them"
echo "- Redis: $(redis-server --version | cut -d' ' -f3), loopback port $redis_port, no persistence"
echo
lua="$root/hub-store-redis/src/main/resources/io/agenthub/store/redis"
sha="$(redis-cli -p "$redis_port" SCRIPT LOAD "$(cat "$lua/lease-lib.lua"; echo; cat "$lua/lease-acquire.lua")")"
bench_redis() { redis-benchmark -p "$redis_port" -c "$clients" -n 300000 -q "$@" 2>&1 | tr '\r' '\n' | grep 'per second' | tail -1; }
echo "| redis-benchmark, $clients clients | result |"
echo "|---|---|"
echo "| SET | $(bench_redis -t set | sed 's/^SET: //') |"
evalsha="$(bench_redis -r 100000 EVALSHA "$sha" 3 'b:{lease}:names' 'b:{lease}:ends' 'b:{lease}:fence' 'b:{lease}:' \
  'res-__rand_int__' 'holder-__rand_int__' 99999999999999 '' 1 256 | sed 's/.*: \([0-9.]* requests\)/\1/')"
echo "| EVALSHA lease-acquire, 100k random resources | $evalsha |"
echo

# The generator's simulated agents are closed loops at full speed, far above any honest agent: raise the rate limits
# so that nothing is refused, while every request still passes the limiter (its cost stays in the numbers).
for kind in WRITES READS CHAT MEMORIES ERRORS MCP ANONYMOUS; do
  var="HUB_RATE_LIMIT_$kind"; export "$var=${!var:-1000000000,1000000000}"
done

start_node() { # name data-dir; prints "url pid"
  local data=$2 log="$out/$stamp-hub-$1.log"
  # shellcheck disable=SC2086
  HUB_ADMIN_TOKEN="$token" HUB_PORT=0 HUB_DATA_DIR="$data" HUB_REDIS_URL="redis://127.0.0.1:$redis_port" \
    HUB_REDIS_PREFIX="bench-$stamp:" "$JAVA_HOME/bin/java" ${BENCH_HUB_JAVA_OPTS:--XX:+UseG1GC} -jar "$hub_jar" serve \
    >"$log" 2>&1 &
  local pid=$! url=""
  for _ in $(seq 1 300); do
    url="$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$log" | head -1 | sed 's/listening on //')" || true
    [[ -n "$url" ]] && break
    kill -0 "$pid" 2>/dev/null || { echo "A hub node exited during start-up; see $log" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n "$url" ]] || { echo "A hub node did not start; see $log" >&2; exit 1; }
  echo "$url $pid"
}
generate() { # urls pids label args... (urls and pids comma-separated, in the same order)
  local urls=$1 pids_csv=$2 label=$3
  shift 3
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:--Xmx1g -XX:+UseZGC} -jar "$bench_jar" --url "$urls" --token "$token" \
    --hub-pid "$pids_csv" --prefix "b$label" --transport socket --prewarm "$prewarm" --clients "$clients" \
    --json "$out/$stamp-$label.json" "$@" >"$out/$stamp-$label.md" 2>"$out/$stamp-$label.err" \
    || { echo "hub-bench failed ($label); see $out/$stamp-$label.err" >&2; tail -5 "$out/$stamp-$label.err" >&2; exit 1; }
}
redis_calls() { # commands Redis has run since it started, including those run inside scripts
  redis-cli -p "$redis_port" INFO commandstats | tr -d '\r' | awk -F'[=,]' '/^cmdstat_/ {s += $2} END {print s + 0}'
}
redis_scripts() { # script calls (EVALSHA and EVAL) since Redis started
  redis-cli -p "$redis_port" INFO commandstats | tr -d '\r' \
    | awk -F'[=,]' '/^cmdstat_(evalsha|eval):/ {s += $2} END {print s + 0}'
}
hub_requests() { # urls...: HTTP requests the nodes answered since they started, from their /metrics
  local total=0 n u
  for u in "$@"; do
    n="$(curl -s -H "Authorization: Bearer $token" "$u/metrics" \
      | awk '/^hub_http_requests_seconds_count/ {s += $NF} END {printf "%d", s}')"
    total=$((total + n))
  done
  echo "$total"
}
node() { # name: starts a node, adds it to pids, sets url and pid
  local data
  data="$(mktemp -d "${TMPDIR:-/tmp}/hub-bench-redis.XXXXXX")"
  dirs+=("$data")
  read -r url pid < <(start_node "$1" "$data")
  pids+=("$pid")
}

workloads=("$@")
[[ ${#workloads[@]} -gt 0 ]] || workloads=(lease)
rounds="${BENCH_ROUNDS:-3}"
window="${BENCH_WINDOW:-20}"

# Both nodes start together and are pre-warmed together; then the generator alternates between one node (the second
# idle beside it, its CPU counted with the hub's) and both nodes, round after round. Alternating in short windows puts
# both setups through the same moments of this shared machine, whose speed drifts by a factor of two over minutes.
node 1
url1=$url pid1=$pid
node 2
url2=$url pid2=$pid
generate "$url1,$url2" "$pid1,$pid2" prewarm --prewarm "$prewarm" --seconds 5 "${workloads[@]}"
one_calls=0 one_scripts=0 one_requests=0 two_calls=0 two_scripts=0 two_requests=0
one_jsons=() two_jsons=()
for r in $(seq 1 "$rounds"); do
  for phase in one two; do
    if [[ $phase == one ]]; then urls=$url1; else urls="$url1,$url2"; fi
    c0="$(redis_calls)" s0="$(redis_scripts)" q0="$(hub_requests "$url1" "$url2")"
    # shellcheck disable=SC2086
    generate "$urls" "$pid1,$pid2" "$phase-node-$r" --prewarm 5 --seconds "$window" "${workloads[@]}"
    c1="$(redis_calls)" s1="$(redis_scripts)" q1="$(hub_requests "$url1" "$url2")"
    if [[ $phase == one ]]; then
      one_calls=$((one_calls + c1 - c0)) one_scripts=$((one_scripts + s1 - s0)) one_requests=$((one_requests + q1 - q0))
      one_jsons+=("$out/$stamp-$phase-node-$r.json")
    else
      two_calls=$((two_calls + c1 - c0)) two_scripts=$((two_scripts + s1 - s0)) two_requests=$((two_requests + q1 - q0))
      two_jsons+=("$out/$stamp-$phase-node-$r.json")
    fi
  done
done
echo "### One node against two on one Redis: $rounds rounds of ${window} s each, alternating, $clients clients, ${prewarm} s pre-warm"
echo
echo "In the one-node windows the second node idles beside the first and its CPU is counted in \"hub CPU\"."
echo
for r in $(seq 1 "$rounds"); do
  echo "Round $r, one node:"
  echo
  sed -n '/^| workload/,$p' "$out/$stamp-one-node-$r.md"
  echo
  echo "Round $r, two nodes:"
  echo
  sed -n '/^| workload/,$p' "$out/$stamp-two-node-$r.md"
  echo
done
echo "### Two nodes against one node (headline throughput per round)"
echo
python3 - "$rounds" "${one_jsons[@]}" "${two_jsons[@]}" "$evalsha" <<'PY'
import json, statistics, sys
rounds = int(sys.argv[1])
files = sys.argv[2:-1]
one, two = files[:rounds], files[rounds:]
def heads(f):
    return {r["workload"]: r["ops"][0] for r in json.load(open(f))["results"] if r["ops"]}
print("| workload | round | one node ok/s | two nodes ok/s | two / one |")
print("|---|--:|--:|--:|--:|")
ratios = {}
for i, (f1, f2) in enumerate(zip(one, two), 1):
    h1, h2 = heads(f1), heads(f2)
    for name, o2 in h2.items():
        o1 = h1.get(name)
        if not o1 or o1["perSecond"] <= 0:
            continue
        ratio = o2["perSecond"] / o1["perSecond"]
        ratios.setdefault(name, []).append(ratio)
        print(f"| {name} | {i} | {o1['perSecond']:,.0f} | {o2['perSecond']:,.0f} | {ratio:.2f} |")
for name, rs in ratios.items():
    print(f"| {name} | median | | | **{statistics.median(rs):.2f}** |")
evalsha = float(sys.argv[-1].split()[0]) if sys.argv[-1] else 0
lease = [heads(f).get("lease") for f in one]
pairs = [o["perSecond"] for o in lease if o]
if pairs and evalsha > 0:
    best = max(pairs)
    print()
    print(f"One node's best lease window against redis-benchmark's EVALSHA rate on the same Redis ({evalsha:,.0f}/s):"
          f" {best:,.0f} pairs/s is {best / evalsha:.1%} of it in pairs, {2 * best / evalsha:.1%} in scripts"
          " (a pair runs two: lease-acquire and lease-release).")
PY
echo
echo "Redis work per HTTP request over the windows of each setup (each node's background tasks included); the same"
echo "figures for both mean that a second node adds no cross-node work:"
echo
ratio_line() { # label commands scripts requests
  python3 -c "import sys; c, s, r = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]); print(f'- {sys.argv[4]}: {r:,} HTTP requests; {s / r:.2f} scripts and {c / r:.2f} Redis commands (counting those inside scripts) per request' if r else '')" "$2" "$3" "$4" "$1"
}
ratio_line "one node" "$one_calls" "$one_scripts" "$one_requests"
ratio_line "two nodes" "$two_calls" "$two_scripts" "$two_requests"

if [[ $# -eq 0 ]]; then
  # The mixed workload on the first node, already warm; the second one stops first.
  kill -TERM "$pid2" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid2" 2>/dev/null || break; sleep 0.1; done
  generate "$url1" "$pid1" mixed --prewarm 5 --warmup 20 --seconds 20 --agents 1000 mixed
  echo
  echo "### Mixed workload, 1000 agents, one node"
  echo
  sed -n '/^| workload/,$p' "$out/$stamp-mixed.md"
fi
