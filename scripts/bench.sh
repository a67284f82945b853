#!/usr/bin/env bash
# `make bench`: builds release, runs a local portal on the demo data and prints one table of
# what members and operators feel (issue #8). Every load goes to 127.0.0.1 only, bounded in
# requests and time. Writes the table to bench/RESULTS.md (the dated latest run on top).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh bench
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
step() { printf '\033[1;34m==> %s\033[0m\n' "$*" >&2; }

step "Release build"
scripts/build.sh >&2

WORK=$(mktemp -d /tmp/portal-bench.XXXXXX)
PORT=${BENCH_PORT:-3190}
BASE="http://127.0.0.1:$PORT"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# Every load comes from 127.0.0.1: the per-client CAPTCHA (one office address) stays out of it.
export DATABASE_URL="sqlite://$WORK/portal.db?mode=rwc" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" PUBLIC_URL="$BASE" \
  LEPTOS_SITE_ROOT="$PWD/target/site" RUST_LOG=warn LOGIN_CLIENT_CAPTCHA_AFTER=100000
BIN=target/release/server
$BIN import-roster demo/roster.csv >&2
# 200 members with a login each: a login is counted per ID before its hash (README.md "Security notes"), so
# many logins of *one* ID at once are throttled like a guessing attack; a storm is many members.
python3 -c "
print('kigo,bango,birth_date,name,name_kana,email,status')
for i in range(200): print(f'90,{i + 1},1980-01-01,被保険者 {i},,,在職')" > "$WORK/members.csv"
$BIN import-roster "$WORK/members.csv" >&2
$BIN issue-temp-credentials --all-without-email --out "$WORK/login.csv" >&2
# login ID <TAB> URL-encoded password, one member a line
python3 -c "
import csv, sys, urllib.parse
for r in list(csv.reader(open(sys.argv[1], encoding='utf-8-sig')))[1:]:
    print(r[3] + '\t' + urllib.parse.quote(r[4], safe=''))" "$WORK/login.csv" > "$WORK/logins.tsv"
$BIN serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done

rss_mb() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$SERVER_PID/status"; }
# wrk's summary → "rps p50 p99" (latencies in ms)
wrk_summary() {
  awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    /Non-2xx/ { bad = $NF }
    END { printf "%.1f %.1f %.1f %d\n", rps, p50, p99, bad }'
}

# ---------------------------------------------------------------- 1. bytes to an interactive login page
step "Bytes to first interactive login page"
size() { curl -s -o /dev/null -w '%{size_download}' ${2:+-H "Accept-Encoding: $2"} "$BASE$1"; }
# What a phone loads for the login page: the page, what it links (icon, stylesheet, module,
# wasm) and what that module imports (the loader of the lazy islands' wasm chunks). The
# lazy islands themselves are not on this page.
LINKED=$(curl -s "$BASE/" | grep -o '<link [^>]*href="/[^"]*"' | sed 's/.*href="\([^"]*\)"/\1/' | sort -u)
IMPORTED=$(curl -s "$BASE/pkg/portal.js" | grep -o 'from *"\./[^"]*"' | sed 's|.*"\./\([^"]*\)"|/pkg/\1|' | sort -u)
# Plain scripts the page loads itself (public/passkey.js: 「パスキーでログイン」).
SCRIPTS=$(curl -s "$BASE/" | grep -o '<script [^>]*src="/[^"]*"' | sed 's/.*src="\([^"]*\)"/\1/' | sort -u)
PAGE_ASSETS=$(echo / $LINKED $IMPORTED $SCRIPTS)
echo "    $PAGE_ASSETS"
declare -A RAW BR GZ
for a in $PAGE_ASSETS; do RAW[$a]=$(size "$a"); BR[$a]=$(size "$a" br); GZ[$a]=$(size "$a" gzip); done
sum() { local -n m=$1; local t=0; for a in $PAGE_ASSETS; do t=$((t + m[$a])); done; echo $t; }
TOTAL_RAW=$(sum RAW); TOTAL_BR=$(sum BR); TOTAL_GZ=$(sum GZ)
JS_BR=0; for a in $PAGE_ASSETS; do [[ $a == *.js ]] && JS_BR=$((JS_BR + BR[$a])); done
RSS_IDLE=$(rss_mb)

# ---------------------------------------------------------------- 3. SSR vs a static file of the same size
step "SSR throughput (login page vs the same bytes as a static file)"
mkdir -p target/site/bench
curl -s "$BASE/" > target/site/bench/login.html
read -r SSR_RPS SSR_P50 SSR_P99 _ < <(wrk -t2 -c16 -d10s --latency "$BASE/" | wrk_summary)
read -r STATIC_RPS STATIC_P50 STATIC_P99 _ < <(wrk -t2 -c16 -d10s --latency "$BASE/bench/login.html" | wrk_summary)
rm -rf target/site/bench

# ---------------------------------------------------------------- 2 + 5. login storm
step "Login storm (and a static page fetched during it)"
# One hash on one core (seconds), and hashes/s with every core hashing at once.
read -r HASH_S HASH_PARALLEL < <($BIN bench-hash)
CORES=$(nproc)
LOGIN_URL=$(curl -s "$BASE/" | grep -o 'action="/api/login[^"]*"' | head -1 | cut -d'"' -f2)
# Each request logs in the next of the 200 members (end2end/bench/login.lua).
export LOGINS="$WORK/logins.tsv" ORIGIN="$BASE"
# A member opening a page during the storm: one static request every 100 ms (not a second
# load generator: that would take the CPU the logins need).
( end=$((SECONDS + 18)); sleep 1
  while [ $SECONDS -lt $end ]; do curl -s -o /dev/null -w '%{time_total}\n' "$BASE/pkg/portal.css"; sleep 0.1; done
) > "$WORK/static-during.txt" &
STATIC_PROBE=$!
LOGIN_OUT=$(wrk -t2 -c32 -d20s --latency -s end2end/bench/login.lua "$BASE$LOGIN_URL")
# The same storm from 16 clients (fewer waiting in the queue for a turn). First the logins wrk
# left in flight finish (a login runs to its end when its client hangs up): meanwhile they hold
# the queue's places and the new run would be answered 503 busy at once.
sleep 3
read -r LOGIN16_RPS LOGIN16_P50 LOGIN16_P99 LOGIN16_BAD < <(wrk -t2 -c16 -d20s --latency -s end2end/bench/login.lua "$BASE$LOGIN_URL" | wrk_summary)
wait $STATIC_PROBE
read -r LOGIN_RPS LOGIN_P50 LOGIN_P99 LOGIN_BAD < <(echo "$LOGIN_OUT" | wrk_summary)
read -r DURING_N DURING_P50 DURING_P99 < <(python3 -c "
import sys
t = sorted(float(x) * 1000 for x in open('$WORK/static-during.txt') if x.strip())
print(len(t), f'{t[len(t) // 2]:.1f}', f'{t[min(len(t) - 1, int(len(t) * 0.99))]:.1f}')")
RSS_LOAD=$(rss_mb)
BOUND=$(python3 -c "print(f'{$CORES / $HASH_S:.1f}')")

# ---------------------------------------------------------------- 2b. members' logins during a flood of unknown IDs
step "Members' logins during a flood of logins with unknown IDs"
cat > "$WORK/flood.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Origin"] = "$BASE"
local k = 0
request = function()
  k = k + 1
  return wrk.format(nil, nil, nil, "login_id=nobody" .. math.random(1000000000) .. "x" .. k .. "&password=Wrong%23Pass12&next=%2Fhome")
end
EOF
# Members log in one after another (one every 200 ms, each a different member from an address
# of its own: curl binds 127.0.0.2…) while 128 connections from 127.0.0.1 send unknown IDs as
# fast as the server answers: the answer and time of each member's login.
( sleep 2; end=$((SECONDS + 15)); n=0
  while [ $SECONDS -lt $end ] && IFS=$'\t' read -r id pw; do
    n=$((n + 1))
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --interface "127.0.0.$((2 + n % 200))" -H 'Accept: application/json' -H "Origin: $BASE" \
      -H 'Content-Type: application/x-www-form-urlencoded' --data "login_id=$id&password=$pw&next=%2Fhome" "$BASE$LOGIN_URL"
    sleep 0.2
  done < <(tail -n 100 "$WORK/logins.tsv")
) > "$WORK/member-during-flood.txt" &
MEMBER_PROBE=$!
FLOOD_OUT=$(wrk -t2 -c128 -d20s --latency -s "$WORK/flood.lua" "$BASE$LOGIN_URL")
wait $MEMBER_PROBE
read -r FLOOD_RPS _ < <(echo "$FLOOD_OUT" | wrk_summary)
read -r MEMBER_N MEMBER_P50 MEMBER_P99 MEMBER_BUSY MEMBER_OTHER < <(python3 -c "
rows = [l.split() for l in open('$WORK/member-during-flood.txt') if l.strip()]
t = sorted(float(r[1]) * 1000 for r in rows)
ok = sum(1 for r in rows if r[0] in ('200', '302', '303'))
busy = sum(1 for r in rows if r[0] == '503')
print(len(rows), f'{t[len(t) // 2]:.0f}', f'{t[min(len(t) - 1, int(len(t) * 0.99))]:.0f}', busy, len(rows) - ok - busy)")

# ---------------------------------------------------------------- 4. roster import
step "Roster import: 100,000 generated rows"
python3 - "$WORK/roster.csv" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("kigo,bango,birth_date,name,name_kana,email,status\n")
    for i in range(100_000):
        f.write(f"{10 + i // 100000:02d},{i + 1},19{50 + i % 50}-{1 + i % 12:02d}-{1 + i % 28:02d},被保険者 {i},ヒホケンシャ,member{i}@bench-corp.example,在職\n")
EOF
import_time() {  # DATABASE_URL → seconds
  local start end
  start=$(date +%s.%N)
  DATABASE_URL="$1" $BIN import-roster "$WORK/roster.csv" >&2
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.2f}')"
}
IMPORT_SQLITE=$(import_time "sqlite://$WORK/import.db?mode=rwc")
PG_ADMIN=$(scripts/pg.sh)
PSQL="/usr/lib/postgresql/15/bin/psql -q -h 127.0.0.1 -p 54329 -U postgres"
$PSQL -c "DROP DATABASE IF EXISTS portal_bench" -c "CREATE DATABASE portal_bench" >&2
IMPORT_PG=$(import_time "${PG_ADMIN%/*}/portal_bench")
$PSQL -c "DROP DATABASE IF EXISTS portal_bench" >&2

# ---------------------------------------------------------------- 8. 医療費: 1,000,000 claims lines, the page, the PDF
step "医療費: import of 1,000,000 lines (SQLite, PostgreSQL); the page and the PDF at 16 clients"
MEDICAL_SQLITE="sqlite://$WORK/medical.db?mode=rwc"
DATABASE_URL="$MEDICAL_SQLITE" $BIN migrate >&2
read -r MED_SQLITE_S MED_SQLITE_MB MED_FILE_MB MED_TOKEN < <(DATABASE_URL="$MEDICAL_SQLITE" $BIN bench-medical 1000000 | tail -1)
$PSQL -c "DROP DATABASE IF EXISTS portal_bench_medical" -c "CREATE DATABASE portal_bench_medical" >&2
DATABASE_URL="${PG_ADMIN%/*}/portal_bench_medical" $BIN migrate >&2
read -r MED_PG_S MED_PG_MB _ _ < <(DATABASE_URL="${PG_ADMIN%/*}/portal_bench_medical" $BIN bench-medical 1000000 | tail -1)
$PSQL -c "DROP DATABASE IF EXISTS portal_bench_medical" >&2
# A second portal on the SQLite database with the 1,000,000 lines and the 5-year household.
MED_PORT=$((PORT + 1))
MED_BASE="http://127.0.0.1:$MED_PORT"
DATABASE_URL="$MEDICAL_SQLITE" LEPTOS_SITE_ADDR="127.0.0.1:$MED_PORT" PUBLIC_URL="$MED_BASE" $BIN serve >"$WORK/medical-server.log" 2>&1 &
MED_PID=$!
for _ in $(seq 100); do curl -sf "$MED_BASE/healthz" >/dev/null && break; sleep 0.1; done
MED_YEAR=$(date +%Y)
COOKIE="Cookie: portal_session=$MED_TOKEN"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "$COOKIE" "$MED_BASE/medical?year=$MED_YEAR")" = 200 ] || { echo "the bench member cannot open /medical" >&2; exit 1; }
read -r MED_PAGE_RPS MED_PAGE_P50 MED_PAGE_P99 MED_PAGE_BAD < <(wrk -t2 -c16 -d10s --latency -H "$COOKIE" "$MED_BASE/medical?year=$MED_YEAR" | wrk_summary)
read -r MED_PDF_RPS MED_PDF_P50 MED_PDF_P99 MED_PDF_BAD < <(wrk -t2 -c16 -d10s --latency -H "$COOKIE" "$MED_BASE/medical/pdf?year=$MED_YEAR" | wrk_summary)
MED_PDF_KB=$(curl -s -H "$COOKIE" "$MED_BASE/medical/pdf?year=$MED_YEAR" | wc -c | awk '{printf "%.1f", $1/1024}')
kill $MED_PID 2>/dev/null; wait $MED_PID 2>/dev/null || true

# ---------------------------------------------------------------- 9. 被扶養者 and 給付金: 100,000 rows each, the household PDF
step "被扶養者名簿 and 給付金: import of 100,000 rows each (SQLite, PostgreSQL); the household's 資格情報 PDF at 16 clients"
FAMILY_SQLITE="sqlite://$WORK/family.db?mode=rwc"
DATABASE_URL="$FAMILY_SQLITE" $BIN migrate >&2
read -r FAM_SQLITE_S BEN_SQLITE_S FAM_SQLITE_MB FAM_TOKEN < <(DATABASE_URL="$FAMILY_SQLITE" $BIN bench-family 100000 | tail -1)
$PSQL -c "DROP DATABASE IF EXISTS portal_bench_family" -c "CREATE DATABASE portal_bench_family" >&2
DATABASE_URL="${PG_ADMIN%/*}/portal_bench_family" $BIN migrate >&2
read -r FAM_PG_S BEN_PG_S FAM_PG_MB _ < <(DATABASE_URL="${PG_ADMIN%/*}/portal_bench_family" $BIN bench-family 100000 | tail -1)
$PSQL -c "DROP DATABASE IF EXISTS portal_bench_family" >&2
FAM_PORT=$((PORT + 2))
FAM_BASE="http://127.0.0.1:$FAM_PORT"
DATABASE_URL="$FAMILY_SQLITE" LEPTOS_SITE_ADDR="127.0.0.1:$FAM_PORT" PUBLIC_URL="$FAM_BASE" $BIN serve >"$WORK/family-server.log" 2>&1 &
FAM_PID=$!
for _ in $(seq 100); do curl -sf "$FAM_BASE/healthz" >/dev/null && break; sleep 0.1; done
FAM_COOKIE="Cookie: portal_session=$FAM_TOKEN"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "$FAM_COOKIE" "$FAM_BASE/qualification/pdf")" = 200 ] || { echo "the bench member cannot download /qualification/pdf" >&2; exit 1; }
read -r QUAL_PDF_RPS QUAL_PDF_P50 QUAL_PDF_P99 QUAL_PDF_BAD < <(wrk -t2 -c16 -d10s --latency -H "$FAM_COOKIE" "$FAM_BASE/qualification/pdf" | wrk_summary)
QUAL_PDF_KB=$(curl -s -H "$FAM_COOKIE" "$FAM_BASE/qualification/pdf" | wc -c | awk '{printf "%.1f", $1/1024}')
kill $FAM_PID 2>/dev/null; wait $FAM_PID 2>/dev/null || true

# ---------------------------------------------------------------- 6. the registration wizard and 4a. the roster upload, in Chromium
step "Registration wizard and 名簿アップロード (100,000 rows) in headless Chromium"
(cd end2end && BENCH_OUT="$WORK/registration.json" BENCH_OUT_ROSTER="$WORK/roster-upload.json" BENCH_OUT_TOPOLOGY="$WORK/topology.json" \
  TEST_PG_URL="$PG_ADMIN" npx playwright test --config bench.config.ts >&2)
read -r GET_DIRECT GET_NGINX LOGIN_DIRECT LOGIN_NGINX TOPO_BAD < <(python3 -c "
import json; d = json.load(open('$WORK/topology.json'))
print(d['get_direct']['rps'], d['get_nginx']['rps'], d['login_direct']['rps'], d['login_nginx']['rps'],
      sum(d[k]['non2xx'] for k in d))")
read -r UPLOAD_PREVIEW UPLOAD_APPLY < <(python3 -c "import json;d=json.load(open('$WORK/roster-upload.json'));print(f\"{d['preview_ms']/1000:.2f} {d['apply_ms']/1000:.2f}\")")
read -r REG_SEQ REG_PAR REG_ROUND < <(python3 -c "import json;d=json.load(open('$WORK/registration.json'));print(d['sequential_ms'],d['parallel4_each_ms'],d['parallel4_round_ms'])")

# ---------------------------------------------------------------- the table
kb() { python3 -c "print(f'{$1/1024:.1f}')"; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
TABLE=$(cat <<EOF
| # | measure | figure | target |
|---|---|---|---|
| 1 | login page + css + js + wasm, as served (brotli / gzip / raw) | **$(kb $TOTAL_BR) KB** / $(kb $TOTAL_GZ) KB / $(kb $TOTAL_RAW) KB | ≤ 150 KB compressed |
| 1a | — of which wasm (brotli / gzip / raw) | $(kb "${BR[/pkg/portal.wasm]}") KB / $(kb "${GZ[/pkg/portal.wasm]}") KB / $(kb "${RAW[/pkg/portal.wasm]}") KB | |
| 1b | — HTML / CSS / JS (brotli) | $(kb "${BR[/]}") KB / $(kb "${BR[/pkg/portal.css]}") KB / $(kb "$JS_BR") KB | |
| 1c | — of which the passkey button's script /passkey.js (as served / raw) | $(kb "${BR[/passkey.js]:-0}") KB / $(kb "${RAW[/passkey.js]:-0}") KB | |
| 2 | login throughput / bound (${CORES} cores ÷ argon2id $(python3 -c "print(f'{$HASH_S*1000:.0f}')") ms = $BOUND/s) | **$(ratio "$LOGIN_RPS" "$BOUND")** ($LOGIN_RPS logins/s, p50 $LOGIN_P50 ms, p99 $LOGIN_P99 ms, 32 clients, non-2xx: $LOGIN_BAD) | ≥ 0.9 |
| 2c | — the same from 16 clients | **$(ratio "$LOGIN16_RPS" "$BOUND")** ($LOGIN16_RPS logins/s, p50 $LOGIN16_P50 ms, p99 $LOGIN16_P99 ms, non-2xx: $LOGIN16_BAD) | ≥ 0.9 |
| 2d | — 32 / 16 clients against the hashes/s of ${CORES} hashes at once ($HASH_PARALLEL/s: they share caches and memory bus) | $(ratio "$LOGIN_RPS" "$HASH_PARALLEL") / $(ratio "$LOGIN16_RPS" "$HASH_PARALLEL") | |
| 2a | a static file fetched every 100 ms during the storm | p50 $DURING_P50 ms, p99 $DURING_P99 ms ($DURING_N requests) | stays responsive |
| 2b | a member's login during a flood of unknown-ID logins (128 connections from one address, $FLOOD_RPS answers/s) | **p99 $MEMBER_P99 ms** (p50 $MEMBER_P50 ms; $MEMBER_N logins: $MEMBER_BUSY answered 503 busy, $MEMBER_OTHER other failures) | p99 ≤ 4 s (the wait bound); no failure but 503 |
| 3 | SSR login page / same bytes as a static file (req/s) | **$(ratio "$SSR_RPS" "$STATIC_RPS")** (SSR $SSR_RPS req/s p50 $SSR_P50 ms p99 $SSR_P99 ms; static $STATIC_RPS req/s p50 $STATIC_P50 ms p99 $STATIC_P99 ms) | ≥ 0.5 |
| 4 | roster import, 100,000 rows: SQLite / PostgreSQL | **$IMPORT_SQLITE s / $IMPORT_PG s** ($(python3 -c "print(f'{100000/$IMPORT_SQLITE:,.0f} / {100000/$IMPORT_PG:,.0f}')") rows/s) | < 5 s |
| 4a | 名簿アップロード in the browser, 100,000 rows (SQLite): upload → preview / apply → applied page | **$UPLOAD_PREVIEW s / $UPLOAD_APPLY s** | each within the CLI's time (row 4) + page overhead |
| 5 | resident memory: idle / after the login storm | **$RSS_IDLE MB / $RSS_LOAD MB** | < 50 / < 200 MB |
| 6 | registration steps 1–5 in Chromium: one at a time / each of 4 at once (round) | **$(python3 -c "print(f'{$REG_SEQ/1000:.2f}')") s / $(python3 -c "print(f'{$REG_PAR/1000:.2f}')") s** ($(python3 -c "print(f'{$REG_ROUND/1000:.2f}')") s for 4) | |
| 8 | 医療費 import, 1,000,000 lines ($MED_FILE_MB MiB, streamed): SQLite / PostgreSQL — seconds (peak memory of the process) | **$MED_SQLITE_S s / $MED_PG_S s** ($MED_SQLITE_MB MiB / $MED_PG_MB MiB) | ≤ 20 s each, memory bounded |
| 8a | 医療費のお知らせ page of a household with 5 years (4 persons, 96 lines a year), 16 clients, among 1,000,000 lines | **p99 $MED_PAGE_P99 ms** (p50 $MED_PAGE_P50 ms, $MED_PAGE_RPS req/s, non-2xx: $MED_PAGE_BAD) | p99 ≤ 30 ms |
| 8b | 医療費控除用（PDF） of that household's year, 16 clients | **p99 $MED_PDF_P99 ms**, $MED_PDF_KB KB (p50 $MED_PDF_P50 ms, $MED_PDF_RPS PDFs/s, non-2xx: $MED_PDF_BAD) | p99 ≤ 150 ms, ≤ 200 KB |
| 9 | 被扶養者名簿 import, 100,000 rows, with the 資格情報のお知らせ it issues (200,000 on a first import): SQLite / PostgreSQL (peak memory) | **$FAM_SQLITE_S s / $FAM_PG_S s** ($FAM_SQLITE_MB MiB / $FAM_PG_MB MiB) | ≤ 20 s each |
| 9a | 給付金 decision file, 100,000 rows: SQLite / PostgreSQL | **$BEN_SQLITE_S s / $BEN_PG_S s** | ≤ 10 s each |
| 9b | 資格情報のお知らせ（PDF） of a household of 4 (one page each), 16 clients, among 200,000 notices | **p99 $QUAL_PDF_P99 ms**, $QUAL_PDF_KB KB (p50 $QUAL_PDF_P50 ms, $QUAL_PDF_RPS PDFs/s, non-2xx: $QUAL_PDF_BAD) | p99 ≤ 150 ms, ≤ 200 KB |
| 7 | PostgreSQL, 16 clients: nginx (TLS, HTTP/1.1 to it) → 2 instances / 1 instance direct — login page GET req/s; logins/s | GET **$GET_NGINX / $GET_DIRECT**; logins **$LOGIN_NGINX / $LOGIN_DIRECT** (non-2xx: $TOPO_BAD) | same CPU: 2 instances do not add cores |
EOF
)
HEADER="## $(date -u +%Y-%m-%d) — $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), commit $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')"
echo
echo "$HEADER"
echo
echo "$TABLE"
# bench/RESULTS.md: the hand-written part above the marker stays, the latest run replaces the rest.
MARKER='<!-- latest run: scripts/bench.sh writes below this line -->'
{
  if [ -f bench/RESULTS.md ] && grep -qxF "$MARKER" bench/RESULTS.md; then awk -v m="$MARKER" '{ print } $0 == m { exit }' bench/RESULTS.md; else echo "# Benchmarks"; echo; echo "$MARKER"; fi
  echo; echo "$HEADER"; echo; echo "$TABLE"
} > "$WORK/results.md"
mv "$WORK/results.md" bench/RESULTS.md
