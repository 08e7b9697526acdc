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
dotnet cake build.cake --target="$target" "$@" || status=$?
# The test count goes last, after Cake's task table, where people and CI look for it.
if [ "$target" = test ] && [ -f "$summary" ]; then
  echo
  cat "$summary"
fi
exit $status
