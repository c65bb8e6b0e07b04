# Conveniences over the project's scripts (the README's two commands are scripts/run.sh and scripts/test.sh).
.PHONY: run test bench package fuzz crash

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

# Every speed and size figure beside its baseline (release build; not part of the tests).
bench:
	bash scripts/bench.sh

# .deb (and AppImage when its tools can be fetched) with the Tauri bundler.
package:
	bash scripts/package.sh

# cargo fuzz targets for a fixed time each (default 60 s; installs cargo-fuzz if missing).
fuzz:
	bash scripts/fuzz.sh

# SIGKILL harness, at least 100 kills over edits, statistics import and package import.
crash:
	bash scripts/crash-harness.sh
