#!/usr/bin/env bash
# Benchmark (not a test): generate a 5,000-school × 40-column workbook, time the full
# `ziping import-data` (parse, validate, commit into a workspace) and pandas.read_excel reading the
# same file (reading alone), and print both times and the ratio. Goal: ziping ≥ 5× faster.
#
# Usage: scripts/bench-import.sh [SCHOOLS]   (installs pandas + openpyxl with pip if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-5000}"

cargo build --quiet --release -p ziping-cli
cargo build --quiet --release -p ziping-import --example make_bench_workbook
target="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
python3 -c 'import pandas, openpyxl' 2>/dev/null || python3 -m pip install --quiet pandas openpyxl

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
book="$tmp/bench.xlsx"
"$target/release/examples/make_bench_workbook" "$book" "$n"
ziping="$target/release/ziping"
id="$("$ziping" --db "$tmp/ws.sqlite" new --system sample-county-24 --region 示例县 --year 2024)"

start=$(date +%s.%N)
"$ziping" --db "$tmp/ws.sqlite" import-data --assessment "$id" "$book" > "$tmp/import.log"
end=$(date +%s.%N)
ours=$(python3 -c "print(f'{$end - $start:.3f}')")
tail -n 1 "$tmp/import.log"

theirs=$(python3 - "$book" <<'PY'
import sys, time
import pandas
t = time.perf_counter()
frames = pandas.read_excel(sys.argv[1], sheet_name=None)
print(f"{time.perf_counter() - t:.3f}")
PY
)
ratio=$(python3 -c "print(f'{$theirs / $ours:.1f}')")
echo "ziping import-data（解析、校验、写入）：${ours} 秒"
echo "pandas.read_excel（仅读取）：${theirs} 秒"
echo "倍数：${ratio}×"
