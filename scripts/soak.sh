#!/usr/bin/env bash
# Soak test: keeps simulated agents working (heartbeats, leases, chat, tasks) against a throwaway hub for a long time,
# once on SQLite and once on Redis, and shows whether memory (heap and RSS), open files, store size and p99 latency
# stay flat. The driver (io.agenthub.bench.Soak in hub-bench) samples the hub every --sample-seconds and writes, per
# store, a CSV and an SVG chart it draws itself, then prints each series' verdict (flat or growing, with the slope).
#
#   scripts/soak.sh                                  # 1,000 agents, 60 min per store; charts into docs/
#   scripts/soak.sh --minutes 5 --sample-seconds 30  # the CI version (.ci/run): 5 min per store
#   SOAK_STORES=sqlite scripts/soak.sh --minutes 10  # one store only
#   SOAK_RETENTION=3m scripts/soak.sh --minutes 8    # every retention window 3 min: the store size must level off
#
# Options are the driver's (java -cp hub-bench/target/bench.jar io.agenthub.bench.Soak --help): --agents, --minutes,
# --sample-seconds, --think-seconds, --fail-on-growth. Environment: SOAK_STORES (default "sqlite redis"), SOAK_OUT
# (where the CSV and SVG go; default docs/), SOAK_HUB_JAVA_OPTS (default -XX:+UseG1GC -Xmx1g), SOAK_JAVA_OPTS (the
# driver's, default -Xmx1g), SOAK_RETENTION (a duration such as 10m: the hub starts with every retention window set
# to it, so that a soak longer than the window shows the store size leveling off instead of growing with the work
# done; unset, the defaults of days apply). Loopback only; everything it starts is stopped on exit, and every run ends at its deadline.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/.ci/jdk.sh"
hub_jar="$root/hub-server/target/hub.jar"
bench_jar="$root/hub-bench/target/bench.jar"
stale() { [[ ! -f "$1" ]] || [[ -n "$(find "$root/pom.xml" "$root"/hub-*/pom.xml "$root"/hub-*/src/main -newer "$1" -print -quit 2>/dev/null)" ]]; }
if stale "$hub_jar" || stale "$bench_jar"; then
  echo "Building the hub and the bench..." >&2
  (cd "$root" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl hub-server,hub-bench -am >&2)
fi
if [[ " $* " == *" -h "* || " $* " == *" --help "* ]]; then
  exec "$JAVA_HOME/bin/java" -cp "$bench_jar" io.agenthub.bench.Soak --help
fi
out="${SOAK_OUT:-$root/docs}"
mkdir -p "$out"
work="$(mktemp -d "${TMPDIR:-/tmp}/hub-soak.XXXXXX")"
token="soak_$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# The simulated agents call far more often than the default per-agent limits expect of one agent over an hour of
# chat: raise them, so that the soak measures the hub, not the limiter's refusals.
for kind in WRITES READS CHAT MEMORIES ERRORS MCP ANONYMOUS; do
  var="HUB_RATE_LIMIT_$kind"; export "$var=${!var:-1000000000,1000000000}"
done

# Every history that a retention setting bounds (the README's configuration table), set to one window.
env_retention=()
if [[ -n "${SOAK_RETENTION:-}" ]]; then
  for name in TASK TRACE MESSAGE LEASE_HISTORY COUNTER ERROR ALERT_HISTORY SECURITY_EVENT; do
    env_retention+=("HUB_${name}_RETENTION=$SOAK_RETENTION")
  done
fi

hub_pid=""
redis_port=""
stop() {
  if [[ -n "$hub_pid" ]] && kill -0 "$hub_pid" 2>/dev/null; then
    kill -TERM "$hub_pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$hub_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$hub_pid" 2>/dev/null || true
  fi
  hub_pid=""
  if [[ -n "$redis_port" ]]; then redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true; fi
  redis_port=""
}
trap 'stop; rm -rf "$work"' EXIT

status=0
for store in ${SOAK_STORES:-sqlite redis}; do
  data="$work/$store"
  mkdir -p "$data"
  log="$work/$store-hub.log"
  probe=(--store-dir "$data")
  env_redis=()
  if [[ "$store" == redis ]]; then
    command -v redis-server >/dev/null || { echo "redis-server is missing; scripts/test-deps.sh installs it." >&2; exit 1; }
    redis_port="$(free_port)"
    redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --logfile "$work/redis.log"
    for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    probe=(--redis-port "$redis_port")
    # A soak shares the machine with its own load generator: give Redis calls more room than the 2 s default.
    env_redis=("HUB_REDIS_URL=redis://127.0.0.1:$redis_port" "HUB_REDIS_TIMEOUT=${SOAK_REDIS_TIMEOUT:-10s}")
  fi
  port="$(free_port)"
  # shellcheck disable=SC2086
  env "${env_redis[@]}" "${env_retention[@]}" HUB_ADMIN_TOKEN="$token" HUB_SELF_TEST_ON_START=false \
    "$JAVA_HOME/bin/java" ${SOAK_HUB_JAVA_OPTS:--XX:+UseG1GC -Xmx1g} -jar "$hub_jar" serve \
    --bind 127.0.0.1 --port "$port" --data-dir "$data" >"$log" 2>&1 &
  hub_pid=$!
  url="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do curl -fsS "$url/api/health" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fsS "$url/api/health" >/dev/null || { echo "The $store hub did not start; see its log:" >&2; tail -50 "$log" >&2; exit 1; }
  echo "== Soak on $store: hub pid $hub_pid at $url, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)${SOAK_RETENTION:+, every retention $SOAK_RETENTION}" >&2
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" ${SOAK_JAVA_OPTS:--Xmx1g} -cp "$bench_jar" io.agenthub.bench.Soak \
    --url "$url" --token "$token" --hub-pid "$hub_pid" "${probe[@]}" --label "$store" \
    --csv "$out/soak-$store.csv" --svg "$out/soak-$store.svg" "$@" || status=$?
  kill -0 "$hub_pid" 2>/dev/null || { echo "The $store hub died during the soak; its log:" >&2; tail -50 "$log" >&2; status=1; }
  stop
done
exit "$status"
