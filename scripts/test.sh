#!/usr/bin/env bash
# The whole test suite: formatting check, unit, contract and end-to-end tests of every module. Installs the system
# packages the tests use first, when they are missing (scripts/test-deps.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/test-deps.sh
source .ci/jdk.sh
exec ./mvnw -B -ntp verify "$@"
