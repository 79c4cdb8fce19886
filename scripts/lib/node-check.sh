# Shared start of the Node.js client checks (sourced, not run): builds hub-server/target/hub.jar if it is missing or
# older than the sources, installs the check's npm packages from its lockfile (clients/$1), starts a hub on a free
# loopback port with a temporary data directory (removed on exit) and waits until it is healthy. Sets root, jar, url,
# admin and log. `run_check COMMAND...` then runs the check with HUB_URL and HUB_ADMIN_TOKEN set, shows the end of the
# hub's log if it fails, and exits with its status.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source .ci/jdk.sh
jar="$root/hub-server/target/hub.jar"
if [[ ! -f "$jar" ]] || [[ -n "$(find pom.xml hub-*/pom.xml hub-*/src/main -newer "$jar" -print -quit 2>/dev/null)" ]]; then
  echo "Building $jar (missing or older than the sources)..." >&2
  ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl hub-server -am >&2
fi
(cd "clients/$1" && npm ci --no-audit --no-fund --loglevel=error >&2)

data="$(mktemp -d)"
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
admin="$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
log="$data/hub.log"
HUB_ADMIN_TOKEN="$admin" "$JAVA_HOME/bin/java" -jar "$jar" serve --bind 127.0.0.1 --port "$port" --data-dir "$data/hub" \
  >"$log" 2>&1 &
hub_pid=$!
cleanup() {
  kill "$hub_pid" 2>/dev/null || true
  wait "$hub_pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

url="http://127.0.0.1:$port"
for _ in $(seq 1 60); do
  if node -e "fetch('$url/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
    break
  fi
  if ! kill -0 "$hub_pid" 2>/dev/null; then
    echo "The hub did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.5
done

run_check() {
  local status=0
  HUB_URL="$url" HUB_ADMIN_TOKEN="$admin" "$@" || status=$?
  if (( status != 0 )); then
    echo "--- hub log ---" >&2
    tail -n 50 "$log" >&2
  fi
  exit "$status"
}
