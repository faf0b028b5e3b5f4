#!/usr/bin/env bash
# Times `weft get -j 16` against the tutorial's Python pool, curl --parallel, wget2 and aria2c (each
# skipped when not installed) on the built-in image server, without faults and with faults (5% 500
# once, 5% reset once), and checks every file byte for byte. Also prints weft's start-up alone
# (`get --dry-run` of the same list: process start, JIT, parsing; no request).
#   bench/download/compare.sh [RUNS]     (default 3 runs per tool; median reported)
# Env: FILES=200 SIZE=100000 LATENCY_MS=50 JOBS=16. weft is the Native AOT build users install (published to
# artifacts/bench/); WEFT=path times that binary instead, JIT=1 the framework-dependent build.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${1:-3}
files=${FILES:-200}; size=${SIZE:-100000}; latency=${LATENCY_MS:-50}; jobs=${JOBS:-16}
work=$(mktemp -d /tmp/weft-bench-XXXXXX)
trap '[ "${server_pid:-0}" -gt 0 ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT

if [ -n "${WEFT:-}" ]; then
  weft=$WEFT
elif [ "${JIT:-0}" = 1 ]; then
  dotnet build -c Release "$root/src/Weft.Cli" -v q -nologo >/dev/null || { echo "build failed" >&2; exit 1; }
  weft="$root/src/Weft.Cli/bin/Release/net10.0/Weft.Cli"
else
  # What users install (`dotnet tool install -g weft`) is the Native AOT build: time that one.
  rid=$(dotnet --info 2>/dev/null | awk '/^ *RID:/ {print $2; exit}')
  aot="$root/artifacts/bench/weft-aot-$rid"
  if dotnet publish "$root/src/Weft.Cli" -c Release -r "$rid" -o "$aot" -v q -nologo >"$work/publish.log" 2>&1; then
    weft="$aot/Weft.Cli"
  else
    echo "Native AOT publish failed (see clang/zlib in README); timing the JIT build instead" >&2
    dotnet build -c Release "$root/src/Weft.Cli" -v q -nologo >/dev/null || { echo "build failed" >&2; exit 1; }
    weft="$root/src/Weft.Cli/bin/Release/net10.0/Weft.Cli"
  fi
fi
echo "weft: $weft"

start_server() { # $@: extra serve options; sets server_pid and base
  "$weft" serve --port 0 --files "$files" --size "$size" --latency "$latency" "$@" >"$work/serve.out" 2>&1 &
  server_pid=$!
  for _ in $(seq 600); do grep -q "URL list" "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
  list=$(grep "URL list" "$work/serve.out" | awk '{print $3}')
  curl -s "$list" >"$work/urls.txt"
  sed 's/.*/url = "&"/' "$work/urls.txt" >"$work/urls.curl"
}
stop_server() { [ "$server_pid" -gt 0 ] && kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; server_pid=0; }

# Reference copies from a fault-free server (the images depend only on their number and size).
start_server
mkdir -p "$work/ref"; (cd "$work/ref" && curl -sS --remote-name-all -K "$work/urls.curl")
stop_server

check() { # $1 dir -> "ok/bad/missing"
  local ok=0 bad=0 missing=0 f
  for f in "$work"/ref/*; do
    local g="$1/$(basename "$f")"
    if [ ! -e "$g" ]; then missing=$((missing+1)); elif cmp -s "$f" "$g"; then ok=$((ok+1)); else bad=$((bad+1)); fi
  done
  echo "$ok/$bad/$missing"
}

declare -A tools
tools[weft]="\"$weft\" get -i URLS -o OUT -j $jobs --quiet"
tools[python-pool]="python3 \"$here/tutorial_pool.py\" URLS OUT $jobs"
tools[curl]="curl -sS --parallel --parallel-max $jobs --parallel-immediate --remote-name-all --output-dir OUT -K CURLS"
tools[curl-retry]="curl -sS -f --retry 3 --retry-all-errors --parallel --parallel-max $jobs --parallel-immediate --remote-name-all --output-dir OUT -K CURLS"
command -v wget2 >/dev/null && tools[wget2]="wget2 -q --max-threads=$jobs --tries=4 -i URLS -P OUT"
command -v aria2c >/dev/null && tools[aria2c]="aria2c -i URLS -d OUT -j $jobs -x 1 --console-log-level=warn --summary-interval=0 --max-tries=5 --retry-wait=1"
command -v curl >/dev/null || { unset 'tools[curl]'; unset 'tools[curl-retry]'; }
command -v python3 >/dev/null || unset 'tools[python-pool]'
order=(weft python-pool curl curl-retry wget2 aria2c)

echo "load average: $(cut -d" " -f1-3 /proc/loadavg) on $(nproc) cores (other work on the machine slows every tool)"
floor=$(python3 -c "import math; print(math.ceil($files/$jobs)*$latency/1000 + $files*$size/2.5e9)")

scenario() { # $1 title, rest: serve options
  local title=$1; shift
  echo
  echo "## $title: $files files x $size B, ${latency} ms latency, -j $jobs; floor ${floor} s (ceil(N/j) x latency + bytes / 2.5 GB/s); median of $runs"
  printf '%-12s %9s %7s %14s %5s\n' tool seconds x-floor ok/bad/missing exit
  for name in "${order[@]}"; do
    [ -n "${tools[$name]:-}" ] || continue
    local times=() result="" code=0
    for r in $(seq "$runs"); do
      start_server "$@"
      local out="$work/out-$name-$r"; mkdir -p "$out"
      local cmd=${tools[$name]//CURLS/$work/urls.curl}; cmd=${cmd//URLS/$work/urls.txt}; cmd=${cmd//OUT/$out}
      local t0 t1
      t0=$(date +%s.%N); (cd "$out" && eval "$cmd" >/dev/null 2>&1); code=$?; t1=$(date +%s.%N)
      stop_server
      times+=("$(python3 -c "print($t1-$t0)")")
      result=$(check "$out"); rm -rf "$out"
    done
    local median
    median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf '%-12s %9.3f %7.2f %14s %5s\n' "$name" "$median" "$(python3 -c "print($median/$floor)")" "$result" "$code"
  done
}

startup() { # median wall time of `weft get --dry-run` over the list: what a run pays before its first request
  local times=() r t0 t1
  start_server
  for r in $(seq "$runs"); do
    t0=$(date +%s.%N); "$weft" get -i "$work/urls.txt" -o "$work/dry" --dry-run >/dev/null 2>&1; t1=$(date +%s.%N)
    times+=("$(python3 -c "print($t1-$t0)")")
  done
  stop_server
  echo
  echo "weft start-up (get --dry-run, no request): $(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') s median of $runs"
}

startup
scenario "A. no faults"
scenario "B. faults (5% 500 once, 5% reset once)" --fail-rate 0.05 --reset-rate 0.05
