#!/usr/bin/env bash
# Load benchmark: builds the hub and bench jars if needed, starts a throwaway hub (temporary data dir, free loopback
# port, generated admin token), runs the named workloads against it, prints the Markdown results and stops the hub.
#
#   scripts/bench.sh                                 # all workloads: lease chat-post chat-read heartbeat mixed connections
#   scripts/bench.sh --seconds 10 lease heartbeat    # any hub-bench options and workload names (see --help)
#
# Environment:
#   BENCH_HUB_JAVA_OPTS  JVM flags of the hub (default: -XX:+UseG1GC, as ./hub uses)
#   BENCH_JAVA_OPTS      JVM flags of the load generator (default: -Xmx2g -XX:+UseZGC)
#   BENCH_HUB_SET        extra hub settings, space-separated key=value (passed as --set); none are needed by default
#   BENCH_JFR=1          record the hub with Java Flight Recorder into bench-results/ (profile settings, plus CPU-time
#                        sampling on JDK 25+) and print where its CPU went once it has stopped
#   BENCH_KEEP=1         keep the hub's data directory
#   BENCH_HUB_JAR        run this hub jar instead of hub-server/target/hub.jar (not rebuilt), e.g. one built from an
#                        earlier commit, to compare two builds in the same sitting
# Results (JSON, hub log, JFR recording) go to bench-results/ (git-ignored).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/.ci/jdk.sh"
hub_jar="${BENCH_HUB_JAR:-$root/hub-server/target/hub.jar}"
bench_jar="$root/hub-bench/target/bench.jar"

stale() { [[ ! -f "$1" ]] || [[ -n "$(find "$root/pom.xml" "$root"/hub-*/pom.xml "$root"/hub-*/src/main -newer "$1" -print -quit 2>/dev/null)" ]]; }
if { [[ -z "${BENCH_HUB_JAR:-}" ]] && stale "$hub_jar"; } || stale "$bench_jar"; then
  echo "Building the hub and the load bench..." >&2
  (cd "$root" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl hub-server,hub-bench -am >&2)
fi

if [[ " $* " == *" -h "* || " $* " == *" --help "* ]]; then
  exec "$JAVA_HOME/bin/java" -jar "$bench_jar" --help
fi

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$root/bench-results"
mkdir -p "$out"
data="$(mktemp -d "${TMPDIR:-/tmp}/hub-bench.XXXXXX")"
log="$out/$stamp-hub.log"
token="bench_$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
hub_opts="${BENCH_HUB_JAVA_OPTS:--XX:+UseG1GC}"
jfr_file=""
if [[ "${BENCH_JFR:-0}" == 1 ]]; then
  jfr_file="$out/$stamp-hub.jfr"
  recording="filename=$jfr_file,settings=profile,dumponexit=true"
  major="$(jdk_major "$JAVA_HOME")"
  # JDK 25's CPU-time sampler also sees time spent in native code (SQLite) and syscalls.
  (( ${major%%.*} >= 25 )) && recording="$recording,jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=1ms"
  hub_opts="$hub_opts -XX:StartFlightRecording=$recording"
fi
sets=()
for kv in ${BENCH_HUB_SET:-}; do sets+=(--set "$kv"); done

hub_pid=""
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
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then echo "Hub data kept in $data" >&2; else rm -rf "$data"; fi
}
trap cleanup EXIT

# The generator's simulated agents are closed loops at full speed, far above any honest agent: raise the rate limits
# so that nothing is refused, while every request still passes the limiter (its cost stays in the numbers).
for kind in WRITES READS CHAT MEMORIES ERRORS MCP ANONYMOUS; do
  var="HUB_RATE_LIMIT_$kind"; export "$var=${!var:-1000000000,1000000000}"
done

# Port 0: the kernel picks a free port; the hub reports it when it listens.
# shellcheck disable=SC2086
HUB_ADMIN_TOKEN="$token" HUB_PORT=0 HUB_BIND=127.0.0.1 HUB_DATA_DIR="$data" \
  "$JAVA_HOME/bin/java" $hub_opts -jar "$hub_jar" serve "${sets[@]}" >"$log" 2>&1 &
hub_pid=$!
url=""
for _ in $(seq 1 300); do
  url="$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$log" | head -1 | sed 's/listening on //')" || true
  [[ -n "$url" ]] && break
  kill -0 "$hub_pid" 2>/dev/null || { echo "The hub exited during start-up; see $log" >&2; cat "$log" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$url" ]] || { echo "The hub did not start within 30 s; see $log" >&2; exit 1; }
for _ in $(seq 1 100); do
  curl -fsS "$url/api/health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "$url/api/health" >/dev/null || { echo "GET $url/api/health failed; see $log" >&2; exit 1; }
echo "Hub up at $url (pid $hub_pid, data $data, log $log)." >&2

commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ -z "$(git -C "$root" status --porcelain 2>/dev/null)" ]] || commit="$commit (with local changes)"
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//' || true)"
mem="$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo 2>/dev/null || true)"
status=0
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:--Xmx2g -XX:+UseZGC} -jar "$bench_jar" \
  --url "$url" --token "$token" --hub-pid "$hub_pid" --json "$out/$stamp.json" --prewarm 20 \
  --meta "commit=$commit" \
  --meta "machine=$(nproc) CPUs ($cpu), $mem RAM, load generator beside the hub" \
  --meta "hub JVM=$("$JAVA_HOME/bin/java" -version 2>&1 | head -1), ${BENCH_HUB_JAVA_OPTS:--XX:+UseG1GC}${jfr_file:+ + JFR}${BENCH_HUB_SET:+, --set $BENCH_HUB_SET}" \
  --meta "load average at start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)" \
  "$@" || status=$?

stop_hub
if [[ -n "$jfr_file" && -f "$jfr_file" ]]; then
  echo
  echo "### Hub profile ($jfr_file)"
  echo
  "$JAVA_HOME/bin/java" -cp "$bench_jar" io.agenthub.bench.JfrSummary "$jfr_file" 20 || true
fi
exit "$status"
