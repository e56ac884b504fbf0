#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the storage tests (trust auth, loopback only).
#
#   scripts/pg-test-cluster.sh start   # initdb on first use, start, print the URL
#   scripts/pg-test-cluster.sh stop    # stop the cluster (the data dir is kept)
#   scripts/pg-test-cluster.sh url     # print the URL
#   scripts/pg-test-cluster.sh destroy # stop and delete the data dir
#
#   TEST_DATABASE_URL=$(scripts/pg-test-cluster.sh start) npx vitest run
#
# Settings: PGTEST_DIR (default /tmp/pgtest), PGTEST_PORT (55432), PGTEST_BIN (directory of
# initdb/pg_ctl; default: found on PATH, else /usr/local/bin), PGTEST_USER (OS user that runs
# the server when this script runs as root, since initdb refuses root; default pgrun).
set -euo pipefail

DIR="${PGTEST_DIR:-/tmp/pgtest}"
PORT="${PGTEST_PORT:-55432}"
RUN_USER="${PGTEST_USER:-pgrun}"
SOCKET_DIR="${PGTEST_SOCKET_DIR:-/tmp}"
LOG="${DIR}.log"
URL="postgres://postgres@127.0.0.1:${PORT}/postgres"

if [[ -n "${PGTEST_BIN:-}" ]]; then
  BIN="$PGTEST_BIN"
elif command -v pg_ctl >/dev/null 2>&1; then
  BIN="$(dirname "$(command -v pg_ctl)")"
else
  BIN=/usr/local/bin
fi
[[ -x "$BIN/pg_ctl" && -x "$BIN/initdb" ]] || { echo "pg_ctl/initdb not found in $BIN" >&2; exit 1; }

# Runs a command as the cluster owner: ourselves, or RUN_USER when we are root.
as_owner() {
  if [[ "$(id -u)" -eq 0 ]]; then
    if ! id "$RUN_USER" >/dev/null 2>&1; then
      useradd -m "$RUN_USER" >/dev/null 2>&1 || useradd "$RUN_USER"
    fi
    runuser -u "$RUN_USER" -- "$@"
  else
    "$@"
  fi
}

running() {
  [[ -f "$DIR/postmaster.pid" ]] && as_owner "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1
}

case "${1:-}" in
  start)
    if [[ ! -f "$DIR/PG_VERSION" ]]; then
      mkdir -p "$DIR"
      [[ "$(id -u)" -eq 0 ]] && { as_owner true; chown "$RUN_USER" "$DIR"; }
      as_owner "$BIN/initdb" -D "$DIR" -A trust -U postgres >"$LOG.initdb" 2>&1 || {
        cat "$LOG.initdb" >&2
        exit 1
      }
    fi
    if ! running; then
      touch "$LOG"
      [[ "$(id -u)" -eq 0 ]] && chown "$RUN_USER" "$LOG"
      as_owner "$BIN/pg_ctl" -D "$DIR" -w -t 30 -l "$LOG" \
        -o "-p $PORT -k $SOCKET_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null || {
        tail -n 30 "$LOG" >&2
        exit 1
      }
    fi
    echo "$URL"
    ;;
  stop)
    if running; then as_owner "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null; fi
    ;;
  destroy)
    if running; then as_owner "$BIN/pg_ctl" -D "$DIR" -m immediate -w stop >/dev/null; fi
    rm -rf "$DIR" "$LOG" "$LOG.initdb"
    ;;
  url)
    echo "$URL"
    ;;
  *)
    echo "usage: $0 start|stop|url|destroy" >&2
    exit 2
    ;;
esac
