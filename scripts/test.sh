#!/usr/bin/env bash
# The whole test suite: formatting check, unit, contract and end-to-end tests of every module.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source .ci/jdk.sh
exec ./mvnw -B -ntp verify "$@"
