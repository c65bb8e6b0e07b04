#!/usr/bin/env bash
# Fuzzing (not part of CI; deterministic smoke versions of the same readers run in `cargo test`):
# runs every cargo-fuzz target of fuzz/ for a fixed time with the nightly toolchain and prints, per
# target, the executions and whether it crashed. Crashing inputs stay in fuzz/artifacts/<target>/
# (turn each into a regression test named after what it found); the corpus grows in
# fuzz/corpus/<target>/ (both ignored by git).
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET…]   (default 60 s, all targets)
# Installs cargo-fuzz with `cargo install` if it is missing.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
seconds="${1:-60}"
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then targets=(package_reader workbook_reader system_reader); fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: cargo install cargo-fuzz --locked"
  cargo install cargo-fuzz --locked || exit 1
fi
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "the nightly toolchain is needed: rustup toolchain install nightly" >&2
  exit 1
fi

# Seeds: real inputs the readers accept, so the fuzzer starts from valid files.
seed() {
  local target=$1 dir=fuzz/corpus/$1
  mkdir -p "$dir"
  case $target in
    workbook_reader) cp -n assets/demo/示例县统计数据.xlsx "$dir/demo.xlsx" 2>/dev/null ;;
    system_reader) for f in crates/ziping-import/tests/fixtures/system/*.xlsx; do cp -n "$f" "$dir/" 2>/dev/null; done ;;
    package_reader) for f in tests/fixtures/fuzz-seeds/*.zpk; do [[ -e $f ]] && cp -n "$f" "$dir/"; done ;;
  esac
  return 0
}

declare -A result
status=0
for t in "${targets[@]}"; do
  seed "$t"
  log="fuzz/artifacts/$t.log"
  mkdir -p "fuzz/artifacts/$t"
  echo "━━━ $t: ${seconds} s ━━━"
  (cd fuzz && cargo +nightly fuzz build -O "$t") || { result[$t]="build failed"; status=1; continue; }
  (cd fuzz && cargo +nightly fuzz run -O "$t" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1) >"$log" 2>&1
  rc=$?
  execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
  crashes=$(find "fuzz/artifacts/$t" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' -o -name 'leak-*' \) | wc -l)
  if ((rc != 0)) || ((crashes > 0)); then
    result[$t]="executions ${execs:-?}, FOUND ${crashes} crashing input(s) in fuzz/artifacts/$t (exit $rc; log $log)"
    grep -E '^(==[0-9]+==ERROR|thread .* panicked|SUMMARY)' "$log" | head -5
    status=1
  else
    result[$t]="executions ${execs:-?}, no crash"
  fi
  echo "$t: ${result[$t]}"
done

echo
echo "================ fuzz summary (${seconds} s per target) ================"
for t in "${targets[@]}"; do echo "  $t: ${result[$t]:-not run}"; done
exit $status
