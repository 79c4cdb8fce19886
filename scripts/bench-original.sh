#!/usr/bin/env bash
# This hub against the original TypeScript hub's local server, with one load generator in one run. The original
# (src/http-server.ts of Piston-Labs/agent-coord-mcp at commit f575f94: Node's http module, state in process memory,
# no authentication, no durability) is set up OUTSIDE this repository, built, and started on a free loopback port;
# then a hub on SQLite and a hub on a throwaway Redis are started beside it, and hub-bench drives the three in turn,
# round after round (original, SQLite, Redis, original, ...), with the same transport and the same closed-loop clients:
# lease-new (acquire+release, a new name each cycle; on the original POST /api/locks and DELETE /api/locks/<path>),
# then mixed (1,000 paced agents: heartbeat, lease cycle on 20 shared files, chat post, chat read) once against each.
# Prints Markdown: every window, the hub/original ratios of each round, the load average beside each.
#
#   scripts/bench-original.sh                                   # the mirror or a clone of GitHub, 2 rounds of 15 s
#   scripts/bench-original.sh --original ~/src/agent-coord-mcp  # a checkout of f575f94 (built if dist/ is missing)
#   scripts/bench-original.sh --mirror /path/to/agent-coord-mcp.git --rounds 3 --seconds 20
#
# Options: --original DIR (where the original is, or goes; default ${TMPDIR:-/tmp}/agent-coord-mcp-f575f94; never inside
# this repository), --mirror GIT_DIR (a clone, bare or not, to take f575f94 from instead of GitHub; default
# $ORIGINAL_MIRROR), --rounds N (2), --seconds S (measured seconds per lease window, 15), --clients N (64),
# --prewarm S (unmeasured load on each server before its first window, 20), --mixed-agents N (1000; 0 skips mixed),
# --setup-only (prepare and build the original, print how to start it, and stop).
# Environment: BENCH_JAVA_OPTS (generator JVM, default -Xmx1g -XX:+UseZGC), BENCH_HUB_JAVA_OPTS, BENCH_HUB_SET.
# Needs node (18 or later), npm (to fetch TypeScript and Node's type definitions for the build), git, redis-server.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/.ci/jdk.sh"
commit=f575f94
original="${TMPDIR:-/tmp}/agent-coord-mcp-$commit"
mirror="${ORIGINAL_MIRROR:-}"
rounds=2 seconds=15 clients=64 prewarm=20 mixed_agents=1000 setup_only=0
while (($#)); do
  case "$1" in
    --original) original="$2"; shift 2 ;;
    --mirror) mirror="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --prewarm) prewarm="$2"; shift 2 ;;
    --mixed-agents) mixed_agents="$2"; shift 2 ;;
    --setup-only) setup_only=1; shift ;;
    *) echo "Unknown argument $1; see the header of $0." >&2; exit 2 ;;
  esac
done
command -v node >/dev/null || { echo "node is missing (the original needs Node 18 or later)." >&2; exit 1; }

# The original's source at f575f94, outside this repository.
original="$(realpath -m "$original")"
case "$original/" in
  "$root"/*) echo "--original must be outside this repository ($root)." >&2; exit 2 ;;
esac
mkdir -p "$original"
if [[ ! -f "$original/src/http-server.ts" && ! -f "$original/dist/http-server.js" ]]; then
  if [[ -n "$mirror" ]]; then
    echo "Extracting $commit from $mirror into $original..." >&2
    git --git-dir="$(git -C "$mirror" rev-parse --absolute-git-dir 2>/dev/null || echo "$mirror")" archive "$commit" \
      | tar -x -C "$original"
  else
    echo "Cloning Piston-Labs/agent-coord-mcp and extracting $commit into $original..." >&2
    git clone -q --bare --filter=blob:none https://github.com/Piston-Labs/agent-coord-mcp "$original/.git-src"
    git --git-dir="$original/.git-src" archive "$commit" | tar -x -C "$original"
  fi
fi
# The local server imports only Node's own modules (its store, TOON encoder and context optimiser are local files), so
# building it needs TypeScript and @types/node (the versions its package.json asks for), not the other dependencies
# (AWS SDK, Playwright, ...) that "npm ci && npm run build" would fetch for the MCP server and the Vercel functions.
if [[ ! -f "$original/dist/http-server.js" ]]; then
  tools="$original/.build-tools"
  if [[ ! -x "$tools/node_modules/.bin/tsc" ]]; then
    echo "Installing TypeScript into $tools..." >&2
    mkdir -p "$tools"
    [[ -f "$tools/package.json" ]] || echo '{"name":"build-tools","private":true}' >"$tools/package.json"
    (cd "$tools" && npm install -s --no-audit --no-fund --ignore-scripts typescript@^5.9.3 @types/node@^22.19.1 >&2)
  fi
  echo "Building the original's local server (src/http-server.ts and what it imports)..." >&2
  (cd "$original" && "$tools/node_modules/.bin/tsc" --outDir dist --rootDir src --module NodeNext \
    --moduleResolution NodeNext --target ES2022 --esModuleInterop --skipLibCheck \
    --typeRoots "$tools/node_modules/@types" --types node src/http-server.ts)
fi
if ((setup_only)); then
  echo "The original is built in $original. Start it (in memory; do not set PERSIST or DO_URL) with:"
  echo "  cd $original && PORT=3001 node bin/agent-coord-http.js"
  echo "(it listens on every interface: keep the port closed to the network, or run it on a machine without one)"
  exit 0
fi

out="$root/bench-results"
mkdir -p "$out"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
token="bench_$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
source "$root/scripts/lib/hubs.sh"
hubs_build
original_pid=""
stop_everything() {
  [[ -z "$original_pid" ]] || kill -TERM "$original_pid" 2>/dev/null || true
  hubs_stop_all
}
trap stop_everything EXIT

# The original listens on every interface (it takes no host setting); the port is a free one, and nothing but this
# script's generator talks to it. It logs one line per request; that cost is its own, so it stays, into /dev/null.
port="$(hubs_free_port)"
(cd "$original" && PORT="$port" exec node bin/agent-coord-http.js >/dev/null 2>"$out/$stamp-original.err") &
original_pid=$!
hub_url[original]="http://127.0.0.1:$port"
for _ in $(seq 1 300); do curl -fsS "${hub_url[original]}/api/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "${hub_url[original]}/api/health" >/dev/null || { echo "The original did not start; see $out/$stamp-original.err" >&2; exit 1; }
echo "The original is up at ${hub_url[original]} (pid $original_pid, node $(node --version))." >&2
hubs_start sqlite
hubs_start redis redis
targets=(original sqlite redis)

# bench TARGET JSON ARGS...: one hub-bench run against a target.
bench() {
  local target="$1" json="$2" pid api=()
  shift 2
  pid="${hub_pid[$target]:-$original_pid}"
  [[ "$target" == original ]] && api=(--api original) || api=(--token "$token")
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:--Xmx1g -XX:+UseZGC} -jar "$bench_jar" --url "${hub_url[$target]}" "${api[@]}" \
    --hub-pid "$pid" --json "$json" "$@" >/dev/null 2>>"$out/$stamp-bench.log"
}

echo "## This hub against the original's local server, $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git -C "$root" rev-parse --short HEAD)"
echo
echo "- machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM; the three servers, Redis and the generator share them"
echo "- original: Piston-Labs/agent-coord-mcp $commit, src/http-server.ts, node $(node --version), in memory"
echo "- hub: JVM flags ${BENCH_HUB_JAVA_OPTS:--XX:+UseG1GC}${BENCH_HUB_SET:+, --set $BENCH_HUB_SET}; Redis $(redis-server --version | cut -d' ' -f3), no persistence"
echo "- lease-new: $clients clients, $rounds rounds of $seconds s per server, alternating; ${prewarm} s unmeasured pre-warm of each server first"
echo
rows=()
for round in $(seq 1 "$rounds"); do
  for t in "${targets[@]}"; do
    load="$(cut -d' ' -f1 /proc/loadavg)"
    extra=(--prewarm 0)
    ((round == 1)) && extra=(--prewarm "$prewarm")
    bench "$t" "$out/$stamp-lease-$round-$t.json" --clients "$clients" --seconds "$seconds" --warmup 2 \
      "${extra[@]}" lease-new
    rows+=("lease $round $t $load $out/$stamp-lease-$round-$t.json")
  done
done
if ((mixed_agents > 0)); then
  for t in "${targets[@]}"; do
    load="$(cut -d' ' -f1 /proc/loadavg)"
    bench "$t" "$out/$stamp-mixed-$t.json" --agents "$mixed_agents" --seconds 20 --warmup 3 mixed
    rows+=("mixed 1 $t $load $out/$stamp-mixed-$t.json")
  done
fi
echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
python3 - "${rows[@]}" <<'EOF'
import json, sys
rows = [r.split(" ", 4) for r in sys.argv[1:]]
OTHERS = "other processes' CPU, cores"
def load(path):
    r = json.load(open(path))["results"][0]
    return r["ops"], r["facts"]
def fmt(x, d=1):
    return "-" if x is None else f"{x:,.{d}f}"
lease = [r for r in rows if r[0] == "lease"]
print("| round | server | load avg (1 min) | pairs/s | pair p50 ms | pair p99 ms | errors | server CPU, cores | server CPU per request, ms | other processes, cores |")
print("|---|---|---|---|---|---|---|---|---|---|")
rate = {}
p99 = {}
for kind, rnd, target, la, path in lease:
    ops, facts = load(path)
    op = ops[0]
    rate[(rnd, target)] = op["perSecond"]
    p99[(rnd, target)] = op["p99"]
    print(f"| {rnd} | {target} | {la} | {op['perSecond']:,.0f} | {fmt(op['p50'], 2)} | {fmt(op['p99'])} | {op['errors']} "
          f"| {facts.get('hub CPU, cores', '-')} | {facts.get('hub CPU per request, ms', '-')} | {facts.get(OTHERS, '-')} |")
print()
print("| round | SQLite / original, pairs/s | Redis / original, pairs/s | p99 original / SQLite / Redis, ms |")
print("|---|---|---|---|")
for rnd in sorted({r[1] for r in lease}, key=int):
    o = rate.get((rnd, "original")) or float("nan")
    print(f"| {rnd} | {rate.get((rnd, 'sqlite'), 0) / o:.2f} | {rate.get((rnd, 'redis'), 0) / o:.2f} "
          f"| {fmt(p99.get((rnd, 'original')))} / {fmt(p99.get((rnd, 'sqlite')))} / {fmt(p99.get((rnd, 'redis')))} |")
mixed = [r for r in rows if r[0] == "mixed"]
if mixed:
    print()
    print("| mixed | load avg (1 min) | offered ops/s | done ops/s | p50 ms | p99 ms | heartbeat p99 | lease cycle p99 | chat post p99 | chat read p99 | errors | conflict ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for kind, rnd, target, la, path in mixed:
        ops, facts = load(path)
        by = {o["op"]: o for o in ops}
        a = by["all operations"]
        done = sum(o["ok"] + o["conflicts"] for o in ops if o["op"] != "all operations")
        secs = json.load(open(path))["results"][0]["seconds"]
        print(f"| {target} | {la} | {facts.get('offered operations/s', '-')} | {done / secs:,.0f} | {fmt(a['p50'], 2)} | {fmt(a['p99'])} "
              f"| {fmt(by['heartbeat']['p99'])} | {fmt(by['lease cycle']['p99'])} | {fmt(by['chat post']['p99'])} "
              f"| {fmt(by['chat read']['p99'])} | {a['errors']} | {facts.get('conflict ratio', 0):.0%} |")
EOF
