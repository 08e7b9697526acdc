#!/usr/bin/env bash
# Entry point for every build task: ./build.sh test | run | build | bench | infra
# Restores the local .NET tools (Cake) and hands over to build.cake.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
target=${1:-test}
[ $# -gt 0 ] && shift
dotnet tool restore >/dev/null
exec dotnet cake build.cake --target="$target" "$@"
