#!/usr/bin/env bash
# Load benchmark of the Redis backend: starts a throwaway redis-server (free loopback port, no persistence), measures
# that Redis with redis-benchmark (SET, and EVALSHA of the hub's own lease-acquire script), then runs hub-bench
# workloads against one hub node on it and against two nodes sharing it. Both phases use one generator JVM with the
# same clients and pre-warm; in the two-node phase it gets both URLs and both pids and deals its clients round-robin
# across the nodes. Prints Markdown (the two tables and the two-node/one-node throughput ratio); JSON results and logs
# go to bench-results/ (git-ignored).
#
#   scripts/bench-redis.sh                          # lease on one node and on two nodes, then mixed on one node
#   scripts/bench-redis.sh --seconds 20 lease       # hub-bench options and workloads, run on one node and on two
#
# Environment: BENCH_HUB_JAVA_OPTS (default -XX:+UseZGC), BENCH_JAVA_OPTS (default -Xmx1g -XX:+UseZGC), BENCH_CLIENTS (64),
# BENCH_PREWARM (seconds of unmeasured load before measuring, per phase; default 120: on two shared cores the JIT
# compilers of a fresh hub keep working for a minute or more under load, and two fresh nodes take longer than one).
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
echo "| EVALSHA lease-acquire, 100k random resources | $(bench_redis -r 100000 EVALSHA "$sha" 3 'b:{lease}:names' \
  'b:{lease}:ends' 'b:{lease}:fence' 'b:{lease}:' 'res-__rand_int__' 'holder-__rand_int__' 99999999999999 '' 1 256 | sed 's/.*: \([0-9.]* requests\)/\1/') |"
echo

start_node() { # name data-dir; prints "url pid"
  local data=$2 log="$out/$stamp-hub-$1.log"
  # shellcheck disable=SC2086
  HUB_ADMIN_TOKEN="$token" HUB_PORT=0 HUB_DATA_DIR="$data" HUB_REDIS_URL="redis://127.0.0.1:$redis_port" \
    HUB_REDIS_PREFIX="bench-$stamp:" "$JAVA_HOME/bin/java" ${BENCH_HUB_JAVA_OPTS:--XX:+UseZGC} -jar "$hub_jar" serve \
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
stop_nodes() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; done
  pids=()
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
ratios() { # one-node.json two-node.json: headline throughput of each workload, and two nodes / one node
  python3 - "$1" "$2" <<'PY'
import json, sys
one, two = ({r["workload"]: r for r in json.load(open(f))["results"]} for f in sys.argv[1:3])
print("| workload | operation | one node ok/s | two nodes ok/s | two / one |")
print("|---|---|--:|--:|--:|")
for name, r2 in two.items():
    r1 = one.get(name)
    if r1 is None or not r1["ops"] or not r2["ops"]:
        continue
    a, b = r1["ops"][0]["perSecond"], r2["ops"][0]["perSecond"]
    ratio = f"{b / a:.2f}" if a > 0 else "-"
    print(f"| {name} | {r2['ops'][0]['op']} | {a:,.0f} | {b:,.0f} | {ratio} |")
PY
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
per_request() { # label commands scripts urls...: Redis work per HTTP request over a whole phase
  local label=$1 commands=$2 scripts=$3
  shift 3
  local requests
  requests="$(hub_requests "$@")"
  python3 -c "import sys; c, s, r = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]); print(f'- {sys.argv[4]}: {r:,} HTTP requests; {s / r:.2f} scripts and {c / r:.2f} Redis commands (counting those inside scripts) per request' if r else '')" \
    "$commands" "$scripts" "$requests" "$label"
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
node 1
calls0="$(redis_calls)" scripts0="$(redis_scripts)"
generate "$url" "$pid" one-node "${workloads[@]}"
calls1="$(redis_calls)" scripts1="$(redis_scripts)"
echo "### One node, $clients clients, ${prewarm} s pre-warm"
echo
sed -n '/^| workload/,$p' "$out/$stamp-one-node.md"
one_node_cost="$(per_request "one node" "$((calls1 - calls0))" "$((scripts1 - scripts0))" "$url")"
stop_nodes

# One generator drives both nodes: its clients alternate between them, so the hubs get the same generator CPU budget
# as in the one-node phase, and a second generator JVM does not take CPU from them.
node 1
url1=$url pid1=$pid
node 2
url2=$url pid2=$pid
calls2="$(redis_calls)" scripts2="$(redis_scripts)"
generate "$url1,$url2" "$pid1,$pid2" two-nodes "${workloads[@]}"
calls3="$(redis_calls)" scripts3="$(redis_scripts)"
echo
echo "### Two nodes on one Redis, $clients clients dealt round-robin by one generator, ${prewarm} s pre-warm"
echo
sed -n '/^| workload/,$p' "$out/$stamp-two-nodes.md"
echo
echo "### Two nodes against one node (headline throughput)"
echo
ratios "$out/$stamp-one-node.json" "$out/$stamp-two-nodes.json"
echo
echo "Redis work per HTTP request over each whole phase (pre-warm, warm-up and window, and each node's background"
echo "tasks); the same figures in both phases mean that a second node adds no cross-node work:"
echo
echo "$one_node_cost"
per_request "two nodes" "$((calls3 - calls2))" "$((scripts3 - scripts2))" "$url1" "$url2"
stop_nodes

if [[ $# -eq 0 ]]; then
  node 1
  generate "$url" "$pid" mixed --seconds 20 --agents 1000 mixed
  echo
  echo "### Mixed workload, 1000 agents, one node"
  echo
  sed -n '/^| workload/,$p' "$out/$stamp-mixed.md"
fi
