#!/usr/bin/env bash
# Benchmark (not a test): the demo national report exported to PDF by `ziping export`, beside
# LibreOffice converting our own DOCX of the same report (`soffice --headless --convert-to pdf`).
# Prints both times, the ratio and both file sizes. Goal: ours ≥ 20× faster, PDF ≤ 1.5 MB.
#
#   scripts/bench-report.sh            # release build, 5 runs each, best time counts
#   RUNS=3 scripts/bench-report.sh
#
# Installs LibreOffice Writer (Debian package libreoffice-writer-nogui) when soffice is missing.
# ZIPING_REPORT_TIMING=1 makes `ziping export` print its phase times (data, fonts, layout, pdf) on stderr.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNS=${RUNS:-5}
say() { printf '[bench-report] %s\n' "$*"; }

if ! command -v soffice >/dev/null; then
  say "installing LibreOffice Writer (libreoffice-writer-nogui)"
  sudo=()
  ((EUID == 0)) || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq libreoffice-writer-nogui >/dev/null
fi

say "building ziping (release)"
cargo build --release -q -p ziping-cli
bin="${CARGO_TARGET_DIR:-target}/release/ziping"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" demo --db "$work/demo.sqlite" >/dev/null
"$bin" export --db "$work/demo.sqlite" --assessment 1 --docx "$work/report.docx" >/dev/null

# Best of RUNS wall-clock times, in milliseconds, of a command.
best_ms() {
  local best=
  for ((i = 0; i < RUNS; i++)); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    local ms=$(((t1 - t0) / 1000000))
    if [[ -z $best || $ms -lt $best ]]; then best=$ms; fi
  done
  echo "$best"
}

ours=$(best_ms "$bin" export --db "$work/demo.sqlite" --assessment 1 --pdf "$work/ours.pdf")
# A private LibreOffice profile, warmed up once, so the timing is the conversion, not first-run setup.
lo_profile="file://$work/lo-profile"
soffice -env:UserInstallation="$lo_profile" --headless --convert-to pdf --outdir "$work/lo" "$work/report.docx" >/dev/null 2>&1
theirs=$(best_ms soffice -env:UserInstallation="$lo_profile" --headless --convert-to pdf --outdir "$work/lo" "$work/report.docx")

ours_size=$(stat -c %s "$work/ours.pdf")
theirs_size=$(stat -c %s "$work/lo/report.pdf")
ours_pages=$(pdfinfo "$work/ours.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
theirs_pages=$(pdfinfo "$work/lo/report.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')

printf '\n%-44s %10s %12s %6s\n' "" "time (ms)" "size (bytes)" "pages"
printf '%-44s %10s %12s %6s\n' "ziping export --pdf (demo national report)" "$ours" "$ours_size" "${ours_pages:-?}"
printf '%-44s %10s %12s %6s\n' "soffice --convert-to pdf (our DOCX)" "$theirs" "$theirs_size" "${theirs_pages:-?}"
awk -v a="$ours" -v b="$theirs" 'BEGIN { if (a < 1) a = 1; printf "\nratio: %.1f× faster (goal ≥ 20×)\n", b / a }'
awk -v s="$ours_size" 'BEGIN { printf "our PDF: %.2f MB (goal ≤ 1.5 MB)\n", s / 1048576 }'
