#!/usr/bin/env bash
# Rebuilds tests/fixtures/upgrade/: a workspace written by the FIRST released schema (migration 0001
# only), made by the program of that time, and what that program printed for it.
#
# It exports commit bf87e06 (the last one whose store had only 0001_init.sql) with `git archive`,
# builds its `ziping` CLI in a temporary folder, and with it creates the demo workspace, edits it
# (note, deduction, bonus, rating), freezes one assessment and starts revision 2, reverts a change,
# then saves the file (single file, journal_mode=DELETE, vacuumed) and every assessment's
# `summary --json` and `history --json` as printed by the old program. The test
# crates/ziping-app/tests/app/upgrade.rs opens a copy with the current code and compares.
#
# Usage: scripts/make-upgrade-fixture.sh    (slow: builds the old program once, ~5 min)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
old=bf87e06a7dd52a020909f233f24d593b180b0b22
work="${TMPDIR:-/tmp}/ziping-schema1"
out=tests/fixtures/upgrade
mkdir -p "$work" "$out"
rm -rf "$work/src"
mkdir "$work/src"
git archive "$old" | tar -x -C "$work/src"
(cd "$work/src" && CARGO_TARGET_DIR="$work/target" cargo build --quiet -p ziping-cli)
z="$work/target/debug/ziping"

db="$work/schema1-demo.sqlite"
rm -f "$db" "$db-wal" "$db-shm"
"$z" --db "$db" demo >/dev/null
"$z" --db "$db" set --assessment 2 --point 1 --note "旧版本写入的说明（第一版数据库）" >/dev/null
"$z" --db "$db" set --assessment 2 --point 3 --deduct "0.5:旧版本写入的扣分" >/dev/null
"$z" --db "$db" set --assessment 1 --point 2 --rating 基本落实 --note "旧版本改为基本落实" >/dev/null
"$z" --db "$db" freeze --assessment 2 >/dev/null
"$z" --db "$db" revise --assessment 2 >/dev/null
"$z" --db "$db" set --assessment 2 --point 2 --note "修订版中的修改" >/dev/null
last=$("$z" --db "$db" history --assessment 2 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
"$z" --db "$db" revert --assessment 2 --change "$last" >/dev/null

python3 - "$db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.execute("PRAGMA journal_mode=DELETE")
c.execute("VACUUM")
c.close()
PY
cp "$db" "$out/schema1-demo.sqlite"
for id in $("$z" --db "$db" list --json | python3 -c 'import json,sys; print(" ".join(str(a["id"]) for a in json.load(sys.stdin)))'); do
  "$z" --db "$db" summary --assessment "$id" --json > "$out/summary-$id.json"
  "$z" --db "$db" history --assessment "$id" --json > "$out/history-$id.json"
done
"$z" --db "$db" list --json > "$out/list.json"
echo "old program: $old"
ls -l "$out"
