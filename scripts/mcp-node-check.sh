#!/usr/bin/env bash
# Checks the MCP endpoint with the official TypeScript SDK client (npm @modelcontextprotocol/sdk) over Streamable HTTP
# and over stdio (hub mcp): starts a hub on a free loopback port with a temporary data directory, creates two agents,
# then lists tools, races for a lease, chats, and gets a checkpoint back through hub_start. Exits non-zero on failure.
# Needs Node 20+ and npm; builds hub-server/target/hub.jar if it is missing or stale.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/node-check.sh" node-mcp-check
run_check env HUB_MCP_COMMAND="$JAVA_HOME/bin/java -jar $jar mcp" node clients/node-mcp-check/check.mjs
