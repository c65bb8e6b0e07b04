#!/usr/bin/env bash
# Crash-safety harness (not part of CI; a 30-kill run is inside `cargo test`): kills `ziping` with
# SIGKILL at random moments while it saves edits, imports statistics and imports a .zpk package, and
# checks after every kill that each acknowledged edit is there, PRAGMA integrity_check = ok and no
# import is half-applied. Prints the seed and the counts per mode. See crates/ziping-cli/tests/crash.rs.
#
# Usage: scripts/crash-harness.sh [KILLS] [SEED]   (default 120 kills, 40 per mode; seed from the clock)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export ZIPING_CRASH_KILLS="${1:-120}"
if [[ -n ${2:-} ]]; then export ZIPING_CRASH_SEED="$2"; fi
cargo test -p ziping-cli --test crash -- --nocapture --test-threads=1 sigkill_at_random_moments
