#!/usr/bin/env bash
# The connection floor: many agents connected to one hub node, each holding an inbox long-poll (or, with --sse, an
# event stream) open and heartbeating every 60 s (hub-bench connections), on SQLite and on a throwaway Redis. Beside
# the generator's numbers (heartbeat latency from its schedule, requests held open, TCP connections) it samples the
# hub process every 5 s: heap used (jcmd GC.heap_info), resident memory and threads; and once every connection is open
# it forces a collection (jcmd GC.run) to read the live heap with all of them held. The hub runs with -Xmx1g unless
# BENCH_HUB_JAVA_OPTS says otherwise, so a run that completes shows the floor's heap bound by construction.
#
#   scripts/bench-connections.sh                                 # 10,000 agents, long-polls, SQLite then Redis
#   scripts/bench-connections.sh --agents 2000 --seconds 60 sqlite
#   scripts/bench-connections.sh --sse redis
#
# Options: --agents N (10000), --ramp S (seconds over which the held requests open, 60), --seconds S (measured window,
# 120: every agent heartbeats twice), --sse, backends sqlite and/or redis (default both).
# Environment: BENCH_HUB_JAVA_OPTS (default -XX:+UseG1GC -Xmx1g), BENCH_JAVA_OPTS (generator, default -Xmx2g -XX:+UseZGC),
# BENCH_HUB_SET. Loopback only; each backend's run is bounded (agent creation + ramp + window + 2 timeouts).
# The open-file limit is raised to its hard limit for the hub and the generator (each needs one descriptor per agent).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/.ci/jdk.sh"
agents=10000 ramp=60 seconds=120 sse=() backends=()
while (($#)); do
  case "$1" in
    --agents) agents="$2"; shift 2 ;;
    --ramp) ramp="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --sse) sse=(--sse); shift ;;
    sqlite | redis) backends+=("$1"); shift ;;
    *) echo "Unknown argument $1; see the header of $0." >&2; exit 2 ;;
  esac
done
((${#backends[@]})) || backends=(sqlite redis)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if (($(ulimit -n) < agents + 1000)); then
  echo "The open-file limit ($(ulimit -n), hard $(ulimit -Hn)) is below $((agents + 1000)); raise the hard limit." >&2
  exit 1
fi
export BENCH_HUB_JAVA_OPTS="${BENCH_HUB_JAVA_OPTS:--XX:+UseG1GC -Xmx1g}"
out="$root/bench-results"
mkdir -p "$out"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
token="bench_$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
source "$root/scripts/lib/hubs.sh"
hubs_build
sampler=""
stop_everything() {
  [[ -z "$sampler" ]] || kill "$sampler" 2>/dev/null || true
  hubs_stop_all
}
trap stop_everything EXIT

# heap_mb PID: the heap in use, in MB, from jcmd GC.heap_info (ZGC and G1 both print "used <n>K|M").
heap_mb() {
  timeout 30 "$JAVA_HOME/bin/jcmd" "$1" GC.heap_info 2>/dev/null \
    | grep -o 'used [0-9]*[KMG]' | head -1 \
    | awk '{n = substr($2, 1, length($2) - 1); u = substr($2, length($2));
            printf "%.0f", u == "K" ? n / 1024 : u == "G" ? n * 1024 : n}'
}

# sample PID FILE BENCHLOG: every 5 s, "seconds heap_mb rss_mb threads" into FILE; once the agents exist and the ramp
# is over (10 s into the window), one forced collection and the live heap after it into FILE.live.
# jcmd is given 30 s: on a starved machine an attach can otherwise hang the sampler for the rest of the run.
sample() {
  local pid="$1" file="$2" benchlog="$3" t0 live_at=""
  t0="$(date +%s)"
  while kill -0 "$pid" 2>/dev/null; do
    local now rss threads
    now="$(date +%s)"
    rss="$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status" 2>/dev/null || echo 0)"
    threads="$(awk '/Threads/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
    echo "$((now - t0)) $(heap_mb "$pid") $rss $threads" >>"$file"
    if [[ -z "$live_at" ]] && grep -q "Created $agents simulated agents" "$benchlog" 2>/dev/null; then
      live_at=$((now + ramp + 10))
    fi
    if [[ -n "$live_at" && "$now" -ge "$live_at" && ! -f "$file.live" ]]; then
      timeout 60 "$JAVA_HOME/bin/jcmd" "$pid" GC.run >/dev/null 2>&1 || true
      echo "$(heap_mb "$pid") $(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")" >"$file.live"
    fi
    sleep 5
  done
}

echo "## Connections: $agents agents on one node, $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git -C "$root" rev-parse --short HEAD)"
echo
echo "- machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM; the hub, the generator (and Redis) share them"
echo "- hub JVM: $BENCH_HUB_JAVA_OPTS${BENCH_HUB_SET:+, --set $BENCH_HUB_SET}; open files $(ulimit -n)"
echo "- hub-bench connections --agents $agents --ramp $ramp --seconds $seconds --timeout 20 ${sse[*]:-} (heartbeat every 60 s, ${sse[*]:+event streams}${sse[*]:-inbox long-polls wait=30})"
echo
rows=()
for backend in "${backends[@]}"; do
  if [[ "$backend" == redis ]]; then hubs_start "$backend" redis; else hubs_start "$backend"; fi
  pid="${hub_pid[$backend]}"
  samples="$out/$stamp-$backend-samples.txt"
  benchlog="$out/$stamp-$backend-bench.log"
  : >"$samples"
  sample "$pid" "$samples" "$benchlog" &
  sampler=$!
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:--Xmx2g -XX:+UseZGC} -jar "$bench_jar" --url "${hub_url[$backend]}" \
    --token "$token" --hub-pid "$pid" --json "$out/$stamp-$backend.json" --agents "$agents" --ramp "$ramp" \
    --seconds "$seconds" --timeout 20 "${sse[@]}" connections >/dev/null 2>"$benchlog" || true
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  sampler=""
  rows+=("$backend|$load - $(cut -d' ' -f1-3 /proc/loadavg)|$out/$stamp-$backend.json|$samples")
  hubs_stop "$backend"
done
hubs_stop_all

python3 - "${rows[@]}" <<'EOF'
import json, os, sys
OTHERS = "other processes' CPU, cores"
def fmt(x, d=1):
    return "-" if x is None else f"{x:,.{d}f}"
print("| store | load avg (start - end) | heartbeats ok / sent | heartbeat p50 ms | heartbeat p99 ms | heartbeat max ms | errors | held open, peak / at end | TCP peak | heap used, max sampled MB | live heap with all held, MB | RSS max MB | threads max | hub CPU, cores | other processes, cores |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for row in sys.argv[1:]:
    backend, load, path, samples = row.split("|")
    if not os.path.exists(path):
        print(f"| {backend} | {load} | (no result: see the logs in bench-results/) |")
        continue
    r = json.load(open(path))["results"][0]
    hb, f = r["ops"][0], r["facts"]
    held = [v for k, v in f.items() if k.endswith(", peak") and not k.startswith("TCP")]
    at_end = [v for k, v in f.items() if k.endswith(", at end") and not k.startswith("TCP")]
    s = [l.split() for l in open(samples) if len(l.split()) == 4 and l.split()[1]]
    heap = max((int(x[1]) for x in s), default=None)
    rss = max((int(x[2]) for x in s), default=None)
    threads = max((int(x[3]) for x in s), default=None)
    live = open(samples + ".live").read().split()[0] if os.path.exists(samples + ".live") else "-"
    kinds = "; ".join(f"{k} x{v}" for k, v in hb["errorKinds"].items())
    print(f"| {backend} | {load} | {hb['ok']} / {hb['count']} | {fmt(hb['p50'], 2)} | {fmt(hb['p99'])} | {fmt(hb['max'])} "
          f"| {hb['errors']}{' (' + kinds + ')' if kinds else ''} | {held[0] if held else '-'} / {at_end[0] if at_end else '-'} "
          f"| {f.get('TCP connections to the hub, peak', '-')} | {heap} | {live} | {rss} | {threads} "
          f"| {f.get('hub CPU, cores', '-')} | {f.get(OTHERS, '-')} |")
EOF
