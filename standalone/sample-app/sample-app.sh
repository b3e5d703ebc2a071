#!/usr/bin/env bash
# The demo's sample app: a pretend web app that logs one request a second on stdout and, now and
# then, a warning on stderr. `./hydrant demo` runs it under the log shipper, so these lines travel
# app -> Metron -> Doppler -> Traffic Controller -> `hydrant logs sample-app`.
# SAMPLE_APP_LINES=N stops after N requests (tests); SAMPLE_APP_INTERVAL sets the pause in seconds.
set -u
paths=(/ /orders /orders/42 /cart /checkout /health)
lines=${SAMPLE_APP_LINES:-0}
interval=${SAMPLE_APP_INTERVAL:-1}
echo "sample-app starting (pid $$), serving on :8080"
n=0
while [ "$lines" -eq 0 ] || [ "$n" -lt "$lines" ]; do
  n=$((n + 1))
  path=${paths[$((RANDOM % ${#paths[@]}))]}
  ms=$((5 + RANDOM % 60))
  echo "request $n: GET $path 200 in ${ms} ms"
  if [ $((n % 5)) -eq 2 ]; then
    echo "warning: request $n: upstream inventory slow (${ms}0 ms), retrying" >&2
  fi
  sleep "$interval"
done
echo "sample-app stopping after $n requests"
