#!/usr/bin/env bash
# Installs the system packages the test suite uses when they are missing (Debian). Safe to run repeatedly.
set -euo pipefail
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
# openssl makes the certificates of the Redis TLS tests (TestCertificates).
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# promtool checks deploy/prometheus/alerts.yml (DeployFilesTest, scripts/check-prometheus.sh).
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
# Debian's chromium and chromedriver run the dashboard's browser tests (DashboardBrowserTest).
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
if (( ${#need[@]} > 0 )); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "Missing packages: ${need[*]}; install them with apt-get (needs root)." >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
