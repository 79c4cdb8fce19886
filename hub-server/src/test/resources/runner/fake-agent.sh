#!/usr/bin/env bash
# A stand-in for Claude Code in RunnerTest: reads its task, edits a file under a lease, reports usage, then does what
# the task's title says: "sleep N" (then exit 0), "fail" (exit 1 with a reason on stderr), "crash-once" (killed by a
# signal on its first start, exit 0 on the restart), anything else exits 0. Appends "agent task restart" to $RUNS.
set -u
echo "$HUB_AGENT_ID $HUB_TASK_ID $HUB_RESTART" >>"$RUNS"
auth=(-H "Authorization: Bearer $HUB_TOKEN" -H "Content-Type: application/json")
resource="web/$HUB_TASK_ID.txt"
lease="$(curl -fsS "${auth[@]}" -X POST "$HUB_URL/api/leases" -d "{\"resource\":\"$resource\"}")" || exit 3
token="$(sed -n 's/.*"token":\([0-9]*\).*/\1/p' <<<"$lease")"
cat "$HUB_TASK_BODY" >"$WORK/$HUB_TASK_ID.txt"
curl -fsS "${auth[@]}" -X POST "$HUB_URL/api/usage" \
  -d '{"model":"claude-sonnet-4-5","inputTokens":100,"outputTokens":20}' >/dev/null || exit 3
curl -fsS "${auth[@]}" -X POST "$HUB_URL/api/leases/release" -d "{\"resource\":\"$resource\",\"token\":$token}" \
  >/dev/null || exit 3
case "$HUB_TASK_TITLE" in
  sleep*) sleep "${HUB_TASK_TITLE#sleep }" ;;
  fail*)
    echo "could not do it: the build is broken" >&2
    exit 1
    ;;
  crash-once*) if [[ "$HUB_RESTART" == 0 ]]; then kill -9 $$; fi ;;
esac
echo "did $HUB_TASK_ID"
