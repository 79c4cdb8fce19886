#!/usr/bin/env bash
# A stand-in for Claude Code in RunnerTest: reads its task, edits a file under a lease, reports usage, then does what
# the task's title says: "sleep N" (then exit 0), "fail" (exit 1 with a reason on stderr), "crash-once" (killed by a
# signal on its first start after saving a checkpoint; on the restart it keeps the hot-start briefing the runner
# gave it and exits 0), anything else exits 0. On SIGTERM it saves a checkpoint and exits, as Claude Code's SessionEnd
# hook does. Appends "agent task restart" to $RUNS.
set -u
echo "$HUB_AGENT_ID $HUB_TASK_ID $HUB_RESTART" >>"$RUNS"
auth=(-H "Authorization: Bearer $HUB_TOKEN" -H "Content-Type: application/json")
checkpoint() {
  curl -fsS "${auth[@]}" -X POST "$HUB_URL/api/checkpoints" \
    -d "{\"currentTask\":\"$HUB_TASK_ID\",\"progress\":\"$1\"}" >/dev/null
}
trap 'checkpoint "stopped by SIGTERM while on $HUB_TASK_ID"; exit 143' TERM
resource="web/$HUB_TASK_ID.txt"
lease="$(curl -fsS "${auth[@]}" -X POST "$HUB_URL/api/leases" -d "{\"resource\":\"$resource\"}")" || exit 3
token="$(sed -n 's/.*"token":\([0-9]*\).*/\1/p' <<<"$lease")"
cat "$HUB_TASK_BODY" >"$WORK/$HUB_TASK_ID.txt"
curl -fsS "${auth[@]}" -X POST "$HUB_URL/api/usage" \
  -d '{"model":"claude-sonnet-4-5","inputTokens":100,"outputTokens":20}' >/dev/null || exit 3
curl -fsS "${auth[@]}" -X POST "$HUB_URL/api/leases/release" -d "{\"resource\":\"$resource\",\"token\":$token}" \
  >/dev/null || exit 3
case "$HUB_TASK_TITLE" in
  sleep*)
    sleep "${HUB_TASK_TITLE#sleep }" &
    wait $!
    ;;
  fail*)
    echo "could not do it: the build is broken" >&2
    exit 1
    ;;
  crash-once*)
    if [[ "$HUB_RESTART" == 0 ]]; then
      checkpoint "half way through $HUB_TASK_ID"
      kill -9 $$
    fi
    cp "$HUB_HOT_START" "$WORK/$HUB_TASK_ID.hot-start.md"
    ;;
esac
echo "did $HUB_TASK_ID"
