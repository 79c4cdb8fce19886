#!/usr/bin/env bash
# Checks the MCP endpoint with the MCP Inspector's command-line mode (npm @modelcontextprotocol/inspector, pinned with a
# lockfile in clients/mcp-inspector-check/): starts a hub on a free loopback port with a temporary data directory,
# creates an agent, then runs `mcp-inspector --cli` for tools/list, a tools/call with good arguments, one with a bad
# argument (expects an isError result) and one of an unknown tool (expects a protocol error naming it), and checks the
# JSON it prints. Needs Node 20+ and npm (only the npm registry is reached); builds hub-server/target/hub.jar if it is
# missing or stale. Exits non-zero on failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/node-check.sh" mcp-inspector-check
run_check node clients/mcp-inspector-check/check.mjs
