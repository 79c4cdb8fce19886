#!/usr/bin/env bash
# Benchmark of the work queue: builds the hub and bench jars if needed, then
#   1. on a throwaway SQLite hub: claim+complete throughput of 64 agents, then 1,000 agents long-polling with nothing
#      to get, alternating between the work queue (POST /api/tasks/claim?wait=25) and the inbox
#      (GET /api/inbox?wait=25), with a probe of heartbeats alongside;
#   2. on a throwaway hub on a throwaway redis-server (free loopback port, no persistence): the same throughput.
# Prints Markdown; JSON results and logs go to bench-results/ (git-ignored). Everything listens on loopback only and
# stops by itself (about 6 minutes with the defaults on two loaded shared cores).
#
#   scripts/bench-tasks.sh
#   scripts/bench-tasks.sh --seconds 10 --rounds 1      # any task-bench options (java -cp bench.jar ... --help)
#
# Environment: BENCH_HUB_JAVA_OPTS (default -XX:+UseG1GC), BENCH_JAVA_OPTS (default -Xmx1g -XX:+UseZGC),
# BENCH_SKIP_REDIS=1 (SQLite only), BENCH_SKIP_SQLITE=1 (Redis only), BENCH_PARTS (parts on SQLite, default
# "throughput idle"), BENCH_REDIS_PARTS (parts on Redis, default "throughput").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/.ci/jdk.sh"
hub_jar="$root/hub-server/target/hub.jar"
bench_jar="$root/hub-bench/target/bench.jar"
stale() { [[ ! -f "$1" ]] || [[ -n "$(find "$root/pom.xml" "$root"/hub-*/pom.xml "$root"/hub-*/src/main -newer "$1" -print -quit 2>/dev/null)" ]]; }
if stale "$hub_jar" || stale "$bench_jar"; then
  echo "Building the hub and the load bench..." >&2
  (cd "$root" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl hub-server,hub-bench -am >&2)
fi
if [[ " $* " == *" -h "* || " $* " == *" --help "* ]]; then
  exec "$JAVA_HOME/bin/java" -cp "$bench_jar" io.agenthub.bench.TaskBench --help
fi
skip_redis="${BENCH_SKIP_REDIS:-0}"
[[ $skip_redis == 1 ]] || command -v redis-server >/dev/null \
  || { echo "redis-server is missing; scripts/test-deps.sh installs it (or set BENCH_SKIP_REDIS=1)." >&2; exit 1; }

out="$root/bench-results"
mkdir -p "$out"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
token="bench_$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

hub_pid=""
redis_port=""
dirs=()
stop_hub() {
  if [[ -n "$hub_pid" ]] && kill -0 "$hub_pid" 2>/dev/null; then
    kill -TERM "$hub_pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$hub_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$hub_pid" 2>/dev/null || true
  fi
  hub_pid=""
}
cleanup() {
  stop_hub
  [[ -z "$redis_port" ]] || redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  for d in "${dirs[@]}"; do rm -rf "$d"; done
}
trap cleanup EXIT

# The simulated agents are closed loops at full speed, far above any honest agent: raise the rate limits so that
# nothing is refused (every request still passes the limiter), and the queue bound so that a round's tasks fit.
for kind in WRITES READS CHAT MEMORIES ERRORS MCP ANONYMOUS; do
  var="HUB_RATE_LIMIT_$kind"; export "$var=${!var:-1000000000,1000000000}"
done
export HUB_TASK_QUEUE_MAX="${HUB_TASK_QUEUE_MAX:-1000000}"

start_hub() { # name [env assignments...]; sets url and hub_pid
  local name=$1 data log
  shift
  data="$(mktemp -d "${TMPDIR:-/tmp}/hub-bench-tasks.XXXXXX")"
  dirs+=("$data")
  log="$out/$stamp-tasks-hub-$name.log"
  # shellcheck disable=SC2086
  env "$@" HUB_ADMIN_TOKEN="$token" HUB_PORT=0 HUB_BIND=127.0.0.1 HUB_DATA_DIR="$data" \
    "$JAVA_HOME/bin/java" ${BENCH_HUB_JAVA_OPTS:--XX:+UseG1GC} -jar "$hub_jar" serve >"$log" 2>&1 &
  hub_pid=$!
  url=""
  for _ in $(seq 1 300); do
    url="$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$log" | head -1 | sed 's/listening on //')" || true
    [[ -n "$url" ]] && break
    kill -0 "$hub_pid" 2>/dev/null || { echo "The hub exited during start-up; see $log" >&2; cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n "$url" ]] || { echo "The hub did not start within 30 s; see $log" >&2; exit 1; }
  echo "Hub ($name) up at $url (pid $hub_pid, log $log)." >&2
}
run_bench() { # label args...
  local label=$1
  shift
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:--Xmx1g -XX:+UseZGC} -cp "$bench_jar" io.agenthub.bench.TaskBench \
    --url "$url" --token "$token" --hub-pid "$hub_pid" --prefix "tb-$label" --json "$out/$stamp-tasks-$label.json" \
    --meta "load average at start=$(cut -d' ' -f1-3 /proc/loadavg)" "$@" 2>"$out/$stamp-tasks-$label.err" \
    || { echo "task-bench failed ($label); see $out/$stamp-tasks-$label.err" >&2; tail -5 "$out/$stamp-tasks-$label.err" >&2; exit 1; }
}

echo "## Work queue, $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git -C "$root" rev-parse --short HEAD)"
echo
echo "- machine: $(nproc) CPUs, load average at start $(cut -d' ' -f1-3 /proc/loadavg); hub, generator (and Redis) share them"
echo
if [[ ${BENCH_SKIP_SQLITE:-0} != 1 ]]; then
  echo "### SQLite"
  echo
  start_hub sqlite
  # shellcheck disable=SC2086
  run_bench sqlite "$@" ${BENCH_PARTS:-throughput idle}
  stop_hub
fi
if [[ $skip_redis != 1 ]]; then
  redis_port="$(free_port)"
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --logfile "$out/$stamp-tasks-redis.log"
  for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  echo
  echo "### Redis (one node; redis-server $(redis-server --version | cut -d' ' -f3), loopback, no persistence)"
  echo
  start_hub redis HUB_REDIS_URL="redis://127.0.0.1:$redis_port" HUB_REDIS_PREFIX="bench-$stamp:"
  # shellcheck disable=SC2086
  run_bench redis "$@" ${BENCH_REDIS_PARTS:-throughput}
  stop_hub
fi
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
