#!/usr/bin/env bash
# Installs the system packages the test suite uses when they are missing (Debian). Safe to run repeatedly: when all are
# present it only looks them up (a few milliseconds). ./scripts/test.sh runs it first.
set -euo pipefail
need=()
# The Redis store's tests start their own redis-server (and redis-cli joins the Redis Cluster).
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || need+=(redis-tools)
# The Redis tests stop and pause redis-server with the kill program (not the shell's built-in), from procps.
[[ -x /usr/bin/kill || -x /bin/kill ]] || need+=(procps)
# scripts/mcp-node-check.sh runs the official TypeScript MCP SDK client.
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
# openssl makes the certificates of the Redis TLS tests (TestCertificates).
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# promtool checks deploy/prometheus/alerts.yml (DeployFilesTest, scripts/check-prometheus.sh).
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
# ReadmeWalkthroughTest runs the README's curl walkthrough, which pipes answers through jq.
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v jq >/dev/null 2>&1 || need+=(jq)
# Debian's chromium and chromedriver run the dashboard's browser tests (DashboardBrowserTest).
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
if (( ${#need[@]} == 0 )); then
  exit 0
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "The tests need these Debian packages: ${need[*]}. Install them as root:" >&2
    echo "  apt-get update && apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi
echo "Installing the packages the tests need: ${need[*]}" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
