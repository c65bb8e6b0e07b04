# Conveniences over the project's scripts (the README's two commands are scripts/run.sh and scripts/test.sh).
.PHONY: run test bench package fuzz

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
