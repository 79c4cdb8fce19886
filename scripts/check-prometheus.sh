#!/usr/bin/env bash
# Checks the shipped Prometheus rules: syntax (promtool check rules) and behaviour (promtool test rules), and that the
# Grafana dashboard is valid JSON. promtool comes with Debian's prometheus package (scripts/test-deps.sh installs it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v promtool >/dev/null 2>&1; then
  echo "promtool is missing; install Debian's prometheus package (scripts/test-deps.sh does)." >&2
  exit 1
fi
promtool check rules deploy/prometheus/alerts.yml
(cd deploy/prometheus && promtool test rules alerts.test.yml)
python3 -m json.tool deploy/grafana/agent-hub.json >/dev/null
echo "Prometheus rules and Grafana dashboard OK."
