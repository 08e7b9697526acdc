#!/usr/bin/env bash
# Entry point for every build task: ./build.sh test | run | build | migrate | infra
# Restores the local .NET tools (Cake) and hands over to build.cake.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
target=${1:-test}
[ $# -gt 0 ] && shift
dotnet tool restore >/dev/null
summary=artifacts/test-results/summary.txt
rm -f "$summary"
status=0

# Cake runs the host and the simulator as its children. For `run`, they get a process group of
# their own, stopped as a whole on any signal or exit of this script, so nothing is left
# listening on 5080/5090 however the script is ended (Ctrl-C, kill, a closed terminal).
stop_group() {
  local group=$1
  kill -TERM -- "-$group" 2>/dev/null || return 0
  for _ in $(seq 1 100); do
    kill -0 -- "-$group" 2>/dev/null || return 0
    sleep 0.2
  done
  echo "[build] still running after 20 s; killing" >&2
  kill -KILL -- "-$group" 2>/dev/null || true
}

if [ "$target" = run ]; then
  setsid dotnet cake build.cake --target="$target" "$@" &
  group=$!
  trap 'stop_group $group; exit 130' INT TERM HUP
  trap 'stop_group $group' EXIT
  wait $group || status=$?
  exit $status
fi

dotnet cake build.cake --target="$target" "$@" || status=$?
# The test count goes last, after Cake's task table, where people and CI look for it.
if [ "$target" = test ] && [ -f "$summary" ]; then
  echo
  cat "$summary"
fi
exit $status
