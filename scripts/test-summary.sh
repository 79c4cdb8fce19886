#!/usr/bin/env bash
# Prints one closing line with the totals of every Surefire report of the last build, and where the chaos suite's
# report is (hub-server/target/chaos/chaos-report.md, written by the Chaos*Test classes) with its scenario verdicts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
shopt -s nullglob
chaos=hub-server/target/chaos/chaos-report.md
if [[ -f $chaos ]]; then
  echo "chaos: $(grep -c '^## .* — passed$' "$chaos") scenario(s) passed, $(grep -c '^## .* — FAILED$' "$chaos") failed; report: $chaos"
  grep '^FAIL ' "$chaos" || true
fi
files=(hub-*/target/surefire-reports/TEST-*.xml)
if (( ${#files[@]} == 0 )); then
  echo "junit: 0 passed, 0 failed"
  exit 0
fi
awk '
  /<testsuite / {
    match($0, / tests="[0-9]+"/); t += substr($0, RSTART + 8, RLENGTH - 9)
    match($0, / failures="[0-9]+"/); f += substr($0, RSTART + 11, RLENGTH - 12)
    match($0, / errors="[0-9]+"/); e += substr($0, RSTART + 9, RLENGTH - 10)
    match($0, / skipped="[0-9]+"/); s += substr($0, RSTART + 10, RLENGTH - 11)
  }
  END { printf "junit: %d passed, %d failed, %d skipped\n", t - f - e - s, f + e, s }
' "${files[@]}"
