#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 for the integration tests (unless one already runs
# there) and prints its admin URL. Tests create and drop their own databases in it.
# `scripts/pg.sh restart` / `stop`: restarts or stops it (the production topology's fault test
# runs a server of its own). Another server:
# PORTAL_TEST_PG_PORT and PORTAL_TEST_PG_DIR.
set -euo pipefail
PORT="${PORTAL_TEST_PG_PORT:-54329}"
DIR="${PORTAL_TEST_PG_DIR:-/tmp/portal-test-pg}"
BIN=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

OPTS="-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200"
case "${1:-}" in
  restart) as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -m fast -o "$OPTS" restart >/dev/null ;;
  stop) as_pg "$BIN/pg_ctl" -D "$DIR" -w -m fast stop >/dev/null; exit 0 ;;
esac
if ! as_pg "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  if [ ! -f "$DIR/PG_VERSION" ]; then
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    as_pg "$BIN/initdb" -D "$DIR" --auth=trust --username=postgres --encoding=UTF8 --no-locale >/dev/null
  fi
  as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
    -o "$OPTS" start >/dev/null
fi
echo "postgres://postgres@127.0.0.1:$PORT/postgres"
