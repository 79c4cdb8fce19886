# Throwaway hubs for the benchmark scripts (sourced, not run): each on a free loopback port with a temporary data
# directory, on SQLite or on its own throwaway redis-server, all stopped by hubs_stop_all (set as the EXIT trap).
#
#   source "$root/scripts/lib/hubs.sh"
#   hubs_build                      # builds hub.jar and bench.jar when missing or older than the sources
#   hubs_start sqlite               # hub_url[sqlite], hub_pid[sqlite]
#   hubs_start redis redis          # the same on a new redis-server
#
# Needs: root (the repository), JAVA_HOME (from .ci/jdk.sh), out (the results directory), stamp, token.
# BENCH_HUB_JAVA_OPTS: the hubs' JVM flags (default -XX:+UseG1GC); BENCH_HUB_SET: extra settings, key=value separated by
# spaces. The rate limits are raised (HUB_RATE_LIMIT_* = 1000000000,1000000000 unless set), as scripts/bench.sh does:
# the generator's agents are far faster than honest ones, and every request still passes the limiter.

declare -A hub_url=() hub_pid=() hub_dir=()
hubs_redis_ports=()
hub_jar="$root/hub-server/target/hub.jar"
bench_jar="$root/hub-bench/target/bench.jar"

hubs_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

hubs_build() {
  local modules=() sources
  sources="$(ls -d "$root"/hub-*/src/main | grep -v '/hub-bench/')"
  # shellcheck disable=SC2086
  if [[ ! -f "$hub_jar" ]] \
    || [[ -n "$(find "$root/pom.xml" "$root"/hub-*/pom.xml $sources -newer "$hub_jar" -print -quit)" ]]; then
    modules+=(hub-server)
  fi
  if [[ ! -f "$bench_jar" ]] || [[ -n "$(find "$root/hub-bench/pom.xml" "$root/hub-bench/src/main" -newer "$bench_jar" -print -quit)" ]]; then
    modules+=(hub-bench)
  fi
  ((${#modules[@]})) || return 0
  echo "Building ${modules[*]}..." >&2
  (cd "$root" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl "$(IFS=,; echo "${modules[*]}")" -am >&2)
}

for kind in WRITES READS CHAT MEMORIES ERRORS MCP ANONYMOUS; do
  var="HUB_RATE_LIMIT_$kind"
  export "$var=${!var:-1000000000,1000000000}"
done

# hubs_start NAME [redis]: starts a hub and waits until GET /api/health answers.
hubs_start() {
  local name="$1" backend="${2:-sqlite}" log="$out/$stamp-$1-hub.log" data sets=()
  data="$(mktemp -d "${TMPDIR:-/tmp}/hub-bench.XXXXXX")"
  hub_dir[$name]="$data"
  local env=(HUB_ADMIN_TOKEN="$token" HUB_PORT=0 HUB_BIND=127.0.0.1 HUB_DATA_DIR="$data")
  if [[ "$backend" == redis ]]; then
    command -v redis-server >/dev/null || { echo "redis-server is missing; scripts/test-deps.sh installs it." >&2; return 1; }
    local port
    port="$(hubs_free_port)"
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --logfile "$out/$stamp-$name-redis.log"
    hubs_redis_ports+=("$port")
    for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    env+=(HUB_REDIS_URL="redis://127.0.0.1:$port")
  fi
  for kv in ${BENCH_HUB_SET:-}; do sets+=(--set "$kv"); done
  # shellcheck disable=SC2086
  env "${env[@]}" "$JAVA_HOME/bin/java" ${BENCH_HUB_JAVA_OPTS:--XX:+UseG1GC} -jar "$hub_jar" serve "${sets[@]}" \
    >"$log" 2>&1 &
  hub_pid[$name]=$!
  local url=""
  for _ in $(seq 1 600); do
    url="$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$log" | head -1 | sed 's/listening on //')" || true
    [[ -n "$url" ]] && break
    kill -0 "${hub_pid[$name]}" 2>/dev/null || { echo "The $name hub exited during start-up; see $log" >&2; return 1; }
    sleep 0.1
  done
  [[ -n "$url" ]] || { echo "The $name hub did not start within 60 s; see $log" >&2; return 1; }
  for _ in $(seq 1 300); do curl -fsS "$url/api/health" >/dev/null 2>&1 && break; sleep 0.1; done
  hub_url[$name]="$url"
  echo "The $name hub is up at $url (pid ${hub_pid[$name]}, log $log)." >&2
}

# hubs_stop NAME: stops one hub (TERM, then KILL after 15 s) and removes its data directory.
hubs_stop() {
  local pid="${hub_pid[$1]:-}"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  [[ -z "${hub_dir[$1]:-}" ]] || rm -rf "${hub_dir[$1]}"
  unset "hub_pid[$1]" "hub_dir[$1]"
}

hubs_stop_all() {
  local name port
  for name in "${!hub_pid[@]}"; do hubs_stop "$name"; done
  for port in "${hubs_redis_ports[@]}"; do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
  hubs_redis_ports=()
}
