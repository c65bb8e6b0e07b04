#!/usr/bin/env bash
# Benchmark (not a test): generate a 5,000-school × 40-column workbook, time the full
# `ziping import-data` (parse, validate, commit into a fresh workspace) and pandas.read_excel
# reading the same file (reading alone), and print both times and the ratio. Goal: ziping ≥ 5×.
#
# Each side runs RUNS times (default 3); every run is printed with its wall time and CPU time
# (user + system), and the summary uses the medians: on a busy machine the wall time of one run
# mostly measures the other processes. ZIPING_IMPORT_TIMING=1 makes ziping print its phase times
# (workbook read, recognition and checks, serialisation, the write transaction) to stderr; the
# example `import_phases` times calamine alone.
#
# Usage: scripts/bench-import.sh [SCHOOLS]   (RUNS=5 for more runs; installs pandas + openpyxl
# with pip if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-5000}"
runs="${RUNS:-3}"

cargo build --quiet --release -p ziping-cli
cargo build --quiet --release -p ziping-import --example make_bench_workbook
target="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
python3 -c 'import pandas, openpyxl' 2>/dev/null || python3 -m pip install --quiet pandas openpyxl

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
book="$tmp/bench.xlsx"
"$target/release/examples/make_bench_workbook" "$book" "$n"
ziping="$target/release/ziping"

ours=()
theirs=()
TIMEFORMAT='%R %U %S'
for i in $(seq 1 "$runs"); do
  db="$tmp/ws$i.sqlite"
  id="$("$ziping" --db "$db" new --system sample-county-24 --region 示例县 --year 2024)"
  t=$( { time "$ziping" --db "$db" import-data --assessment "$id" "$book" > "$tmp/import.log"; } 2>&1 )
  read -r wall user sys <<< "$t"
  [ "$i" = 1 ] && tail -n 1 "$tmp/import.log"
  p=$(python3 - "$book" <<'PY'
import sys, time
import pandas
t, c = time.perf_counter(), time.process_time()
frames = pandas.read_excel(sys.argv[1], sheet_name=None)
print(f"{time.perf_counter() - t:.3f} {time.process_time() - c:.3f}")
PY
)
  read -r pwall pcpu <<< "$p"
  ours+=("$wall")
  theirs+=("$pwall")
  python3 -c "print(f'第$i次：ziping {$wall:.3f} 秒（CPU {$user + $sys:.3f} 秒），pandas {$pwall:.3f} 秒（CPU {$pcpu:.3f} 秒），倍数 {$pwall / $wall:.1f}×')"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ours_m=$(median "${ours[@]}")
theirs_m=$(median "${theirs[@]}")
ratio=$(python3 -c "print(f'{$theirs_m / $ours_m:.1f}')")
echo "ziping import-data（解析、校验、写入），${runs}次的中位数：${ours_m} 秒"
echo "pandas.read_excel（仅读取），${runs}次的中位数：${theirs_m} 秒"
echo "倍数：${ratio}×"
