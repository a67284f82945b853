#!/usr/bin/env bash
# `make run`: build in release mode, migrate the SQLite database under data/, load the
# demo roster, family and 医療費 and serve on 127.0.0.1:3000 with the local dev inbox.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
printf '\033[1;34m==> %s\033[0m\n' "Release build (scripts/build.sh)"
scripts/build.sh
printf '\033[1;34m==> %s\033[0m\n' "Database, demo roster, family and 医療費"
target/release/server migrate
target/release/server import-roster demo/roster.csv
# The 被扶養者 (the 資格情報のお知らせ are issued with it, without mails).
target/release/server import-family demo/family.csv
# A fictional 給付金 decision (shown at once, not mailed).
target/release/server import-benefits demo/benefits-2026.csv
# A fictional year of 医療費 (unpublished: a 管理者 publishes it in 医療費データ取込).
target/release/server import-medical demo/medical-2026.csv
printf '\033[1;34m==> %s\033[0m\n' "Serving (Ctrl-C stops)"
exec target/release/server serve
