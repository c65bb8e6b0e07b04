#!/usr/bin/env bash
# The one benchmark command of 履职自评 (`make bench` runs it). Not a test: it prints every figure
# beside its baseline, measured in the same run on the same machine, as ratios.
#
#   1. PDF export of the demo national report   vs  LibreOffice converting our DOCX   (scripts/bench-report.sh)
#   2. statistics import, 5,000 schools         vs  pandas.read_excel reading alone   (scripts/bench-import.sh)
#   3. save latency of one field edit p50/p99   vs  a bare SQLite UPDATE, same settings (examples/bench_app.rs)
#   4. listing / searching 10,000 evidence items vs  the bare SQL query                 (examples/bench_app.rs)
#   5. PDF export of a 200-leaf assessment      vs  LibreOffice converting our DOCX
#   6. cold start to first interactive form, peak RSS  vs  WebKitGTK's MiniBrowser on a one-form page
#      (tests/bench/startup.mjs, under Xvfb)
#
#   bash scripts/bench.sh            everything (release build; about 10 minutes on 2 cores)
#   RUNS=3 bash scripts/bench.sh     fewer repetitions
# The output is also written to target/bench/bench-<date>.txt; docs/performance.md records a run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export RUNS="${RUNS:-5}"
target="${CARGO_TARGET_DIR:-$root/target}"
mkdir -p "$target/bench"
out="$target/bench/bench-$(date +%Y%m%d-%H%M%S).txt"
exec > >(tee "$out") 2>&1

say() { printf '\n━━━ %s ━━━\n' "$*"; }

say "machine"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') × $(nproc)"
echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "os: $(. /etc/os-release && echo "$PRETTY_NAME"); kernel $(uname -r)"
echo "rustc: $(rustc --version)"

say "setup and release build"
bash scripts/setup.sh >/dev/null
(cd ui && npm run build --silent >/dev/null)
# Separate commands: target flags like --example apply to every -p.
cargo build --release -q -p ziping-cli
cargo build --release -q -p ziping-app --example bench_app --example big_workspace
cargo build --release -q -p ziping-desktop --features tauri/custom-protocol  # as `tauri build` builds it (bundled UI)
bin="$target/release"
echo "built: $bin/ziping, $bin/ziping-desktop, examples bench_app and big_workspace"

say "1. PDF export of the demo national report vs LibreOffice"
bash scripts/bench-report.sh

say "2. statistics import (5,000 schools × 40 columns) vs pandas"
bash scripts/bench-import.sh

say "3–4. save latency; 10,000 evidence items (façade vs bare SQLite)"
"$bin/examples/bench_app"

say "5. PDF export of a 200-leaf assessment vs LibreOffice"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin/examples/big_workspace" "$work/big.sqlite" >/dev/null
"$bin/ziping" export --db "$work/big.sqlite" --assessment 1 --docx "$work/big.docx" >/dev/null
best_ms() {
  local best=
  for ((i = 0; i < RUNS; i++)); do
    local t0 t1 ms
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    ms=$(((t1 - t0) / 1000000))
    if [[ -z $best || $ms -lt $best ]]; then best=$ms; fi
  done
  echo "$best"
}
ours=$(best_ms "$bin/ziping" export --db "$work/big.sqlite" --assessment 1 --pdf "$work/big.pdf")
profile="file://$work/lo-profile"
soffice -env:UserInstallation="$profile" --headless --convert-to pdf --outdir "$work/lo" "$work/big.docx" >/dev/null 2>&1
theirs=$(best_ms soffice -env:UserInstallation="$profile" --headless --convert-to pdf --outdir "$work/lo" "$work/big.docx")
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}'; }
printf '%-46s %8s ms  %9s bytes  %4s pages\n' "ziping export --pdf (200 leaves)" "$ours" "$(stat -c %s "$work/big.pdf")" "$(pages "$work/big.pdf")"
printf '%-46s %8s ms  %9s bytes  %4s pages\n' "soffice --convert-to pdf (our DOCX)" "$theirs" "$(stat -c %s "$work/lo/big.pdf")" "$(pages "$work/lo/big.pdf")"
awk -v a="$ours" -v b="$theirs" 'BEGIN { if (a < 1) a = 1; printf "ratio: %.1f× faster than LibreOffice (best of %d runs each)\n", b / a, ENVIRON["RUNS"] }'

say "6. cold start to first interactive form and peak RSS vs MiniBrowser"
"$bin/ziping" demo --db "$work/demo.sqlite" >/dev/null
timeout 900 xvfb-run -a -s '-screen 0 1280x1024x24' node tests/bench/startup.mjs "$bin/ziping-desktop" "$work/demo.sqlite" 3

echo
echo "written to $out"
