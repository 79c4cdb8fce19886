#!/usr/bin/env bash
# Reads the hub's feature flags with the OpenFeature server SDK and the community OFREP provider (npm
# @openfeature/server-sdk, @openfeature/ofrep-provider, versions pinned in clients/node-ofrep-check/package-lock.json):
# starts a hub on a free loopback port with a temporary data directory, creates an agent and flags, and evaluates them
# as the agent (its token as bearer, its id as targeting key). Exits non-zero on failure.
# Needs Node 20+ and npm; builds hub-server/target/hub.jar if it is missing or stale.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/node-check.sh" node-ofrep-check
run_check node clients/node-ofrep-check/check.mjs
