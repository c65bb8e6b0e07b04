#!/usr/bin/env bash
# The desktop end-to-end test alone: builds the UI, the desktop app and the 200-leaf workspace
# generator if needed, then drives the real window under Xvfb (tauri-driver + WebKitWebDriver).
# It prints the measured start-up time, peak RSS and leaf switch time at the end.
#   bash scripts/e2e.sh                                  run it
#   E2E_SCREENSHOTS=docs/screenshots bash scripts/e2e.sh  also refresh the README's screenshots
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

bash scripts/setup.sh >/dev/null
(cd ui && npm run build --silent)
# Two commands: target flags like --example apply to every -p, so one command would skip the binary.
cargo build -p ziping-desktop
cargo build -p ziping-app --example big_workspace
target="${CARGO_TARGET_DIR:-$root/target}"
ZIPING_DESKTOP_BIN="$target/debug/ziping-desktop" ZIPING_BIG_WORKSPACE="$target/debug/examples/big_workspace" \
  timeout 900 xvfb-run -a -s '-screen 0 1280x1024x24' \
  node --test --test-timeout=300000 --test-concurrency=1 tests/e2e/desktop.test.mjs
