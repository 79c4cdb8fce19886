#!/usr/bin/env bash
# Benchmarks tool calls through /mcp beside the same operations through /api, in one run against one hub on a
# loopback port (see hub-server/src/test/java/io/agenthub/server/mcp/McpBench.java). Prints a markdown table.
# Usage: scripts/mcp-bench.sh [seconds-per-case (default 5)] [workers... (default 1 8)]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source .ci/jdk.sh
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
# One reactor build: sibling modules resolve to their target/classes, nothing is installed. The last module written
# to the classpath file is hub-server, whose classpath is the one used.
./mvnw -q -B -Dspotless.check.skip=true -pl hub-server -am test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
exec "$JAVA_HOME/bin/java" -XX:+UseZGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "hub-server/target/test-classes:hub-server/target/classes:$(cat "$cp_file")" \
  io.agenthub.server.mcp.McpBench "$@"
