#!/usr/bin/env bash
# Builds the systematic tests, rewrites Weft.dll and them with the Coyote CLI (a local tool, .config/dotnet-tools.json),
# and runs them. Usage: run.sh [iterations]. Prints "Coyote: Passed: N, Failed: N".
# COYOTE_ONLY=Queue runs only the tests whose name contains Queue; COYOTE_TRACE=/tmp/dir keeps the failing schedule.
# Coyote 1.7.11 targets .NET 8: on .NET 10 the rewriter and the rewritten tests run with DOTNET_ROLL_FORWARD=Major.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_ROLL_FORWARD=Major COYOTE_CLI_TELEMETRY_OPTOUT=1
dotnet tool restore >/dev/null
dotnet build -c Release --nologo -v quiet . >/dev/null
dotnet tool run coyote rewrite rewrite.coyote.json >/dev/null
cp bin/Release/net10.0/*.json bin/Release/net10.0/rewritten/ 2>/dev/null || true
dotnet bin/Release/net10.0/rewritten/Weft.Coyote.Tests.dll "${1:-1000}"
