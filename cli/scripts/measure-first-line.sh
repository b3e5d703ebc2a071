#!/usr/bin/env bash
# Measures the hydrant CLI's start-to-first-line time against the test Traffic Controller:
# from launching `java -jar target/hydrant-cli.jar` to the first line on its stdout, for
# `logs --recent` (one HTTP request, then exit) and for streaming `logs` (websocket; the first line
# also waits out the 300 ms ordering window). Needs `../mvnw -B -q install` run in cli/ first (and
# test-support built: the fake Traffic Controller is its class).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/hydrant-cli.jar
RUNS=${RUNS:-5}
PORT=${PORT:-18081}
JAVA_OPTS=${JAVA_OPTS:-}
[ -f "$JAR" ] || { echo "build first: ../mvnw -B -q install" >&2; exit 1; }

java -cp "$JAR:target/test-classes:../test-support/target/classes" dev.hydrant.cli.wire.TestTrafficControllerMain "$PORT" >/dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break
  sleep 0.1
done

export HYDRANT_TARGET="http://127.0.0.1:$PORT" HYDRANT_TOKEN=dev-token HYDRANT_HOME="$(mktemp -d)"

first_line_ms() { # prints milliseconds from launch to the first stdout line
  local start end
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" "$@" | { read -r _; end=$(date +%s%N); echo $(( (end - start) / 1000000 )); cat >/dev/null & }
}

for mode in "--recent" ""; do
  times=()
  for _ in $(seq 1 "$RUNS"); do
    if [ -n "$mode" ]; then
      times+=("$(first_line_ms logs app-1 --recent)")
    else
      # streaming never ends by itself: stop it once the first line is there
      start=$(date +%s%N)
      coproc CLI { exec java $JAVA_OPTS -jar "$JAR" logs app-1; }
      read -r _ <&"${CLI[0]}"
      end=$(date +%s%N)
      kill "$CLI_PID" 2>/dev/null || true
      wait "$CLI_PID" 2>/dev/null || true
      times+=("$(( (end - start) / 1000000 ))")
    fi
  done
  echo "hydrant logs app-1 ${mode:-(stream)}: first line after ${times[*]} ms (JAVA_OPTS='${JAVA_OPTS}')"
done
