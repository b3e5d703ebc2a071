#!/usr/bin/env bash
# The demo's file-tailed app: a pretend batch worker that writes its log to a file, not to stdout, as
# a container runtime would. `./hydrant demo` runs it with FILE under $HYDRANT_HOME/demo-files/, where
# the stack's Metron tails every *.log file, so these lines travel file -> Metron (tailing) -> Doppler ->
# Traffic Controller -> `hydrant logs file-app` (the file's name without .log is the source id).
# usage: file-app.sh FILE; FILE_APP_LINES=N stops after N jobs (tests); FILE_APP_INTERVAL sets the pause in seconds.
set -u
file=${1:?usage: file-app.sh FILE}
lines=${FILE_APP_LINES:-0}
interval=${FILE_APP_INTERVAL:-2}
queues=(invoices emails thumbnails reports)
echo "file-app starting (pid $$), writing to $file"
echo "file-app worker starting (pid $$)" >>"$file"
n=0
while [ "$lines" -eq 0 ] || [ "$n" -lt "$lines" ]; do
  n=$((n + 1))
  queue=${queues[$((RANDOM % ${#queues[@]}))]}
  echo "file-app job $n: $queue batch of $((1 + RANDOM % 50)) done in $((20 + RANDOM % 400)) ms" >>"$file"
  sleep "$interval"
done
echo "file-app worker stopping after $n jobs" >>"$file"
