#!/usr/bin/env bash
# The one test command of 履职自评 (CI runs it through .ci/run). Stops at the first failure.
#   1. setup            scripts/setup.sh (installs only what is missing)
#   2. cargo test       the default members: the domain crates, the façade, the CLI
#   3. ui build         npm run build in ui/ (vue-tsc type check, then vite build into ui/dist)
#   4. clippy           cargo clippy --workspace --all-targets -- -D warnings (needs ui/dist)
#   5. ui tests         tests/ui/*.test.mjs (workbench, 导出, 指标体系, 佐证材料/数据/建议, 备份与恢复): the UI with mocked IPC in headless Chromium (playwright-core)
#   6. desktop build    cargo build -p ziping-desktop (+ the 200-leaf workspace generator), its unit tests
#   7. desktop e2e      tests/e2e/desktop.test.mjs under xvfb-run: tauri-driver + WebKitWebDriver; prints
#                       start-up time, peak RSS and leaf switch time (alone: bash scripts/e2e.sh)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

summary=()
current=""
started=$SECONDS

print_summary() {
  local status=$1
  echo
  echo "================ scripts/test.sh summary ================"
  local line
  for line in "${summary[@]}"; do echo "  $line"; done
  if [[ -n $current ]]; then echo "  FAIL  $current"; fi
  echo "  total: $((SECONDS - started)) s"
  if ((status == 0)); then echo "  RESULT: all steps passed"; else echo "  RESULT: FAILED at: $current"; fi
  echo "========================================================="
}
trap 'status=$?; print_summary $status; exit $status' EXIT

step() {
  local name=$1
  shift
  current=$name
  echo
  echo "━━━ $name ━━━"
  local t0=$SECONDS
  "$@"
  summary+=("ok    $name ($((SECONDS - t0)) s)")
  current=""
}

ui_build() {
  (cd ui && npm run build)
}

ui_tests() {
  (cd ui && npm run build:mock)
  timeout 600 node --test --test-timeout=120000 tests/ui/ui.test.mjs tests/ui/export.test.mjs tests/ui/systems.test.mjs tests/ui/evidence-data.test.mjs tests/ui/backup.test.mjs
}

desktop_build() {
  # Two commands: target flags like --example apply to every -p, so one command would skip the binary.
  cargo build -p ziping-desktop
  cargo build -p ziping-app --example big_workspace
  cargo test -p ziping-desktop
}

desktop_e2e() {
  rm -rf tests/e2e/out
  ZIPING_DESKTOP_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/ziping-desktop" \
    ZIPING_BIG_WORKSPACE="${CARGO_TARGET_DIR:-$root/target}/debug/examples/big_workspace" \
    timeout 900 xvfb-run -a -s '-screen 0 1280x1024x24' \
    node --test --test-timeout=300000 --test-concurrency=1 tests/e2e/desktop.test.mjs
  echo "screenshots: $root/tests/e2e/out/"
}

step "setup" bash scripts/setup.sh
step "cargo test (default members)" cargo test
step "ui build (type check + vite)" ui_build
step "clippy (workspace, all targets, -D warnings)" cargo clippy --workspace --all-targets -- -D warnings
step "ui tests (headless Chromium, mocked IPC)" ui_tests
step "desktop build + unit tests" desktop_build
step "desktop e2e (xvfb + tauri-driver)" desktop_e2e
