#!/usr/bin/env bash
# scripts/pg.sh CMD [ARGS...]
#
# Runs CMD with a throwaway PostgreSQL cluster on a free loopback port and
# OMA_TEST_POSTGRES_URL pointing at an empty database in it:
#
#   OMA_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:PORT/oma_test?sslmode=disable
#
# - Installs PostgreSQL from Debian's packages when no server binaries are found
#   (apt-get update once, apt-get install -y postgresql); quick when present.
# - initdb refuses to run as root, so the cluster directory is owned by the
#   "postgres" user and the server runs as that user (runuser) when we are root.
# - The cluster is always stopped and its directory removed on exit (trap),
#   whatever CMD does. CMD's exit status is the script's exit status.
# - If OMA_TEST_POSTGRES_URL is already set (nested use), CMD runs as is.
#
# Environment knobs:
#   OMA_PG_DB        database name (default oma_test)
#   OMA_PG_OPTS      extra "-c name=value" server options (e.g. "-c max_connections=300")
#   OMA_PG_KEEP_LOG  path to copy the server log to on exit (for debugging)
#   OMA_PG_QUIET=1   do not print the banner lines
#   OMA_PG_SOCKET=1  OMA_TEST_POSTGRES_URL reaches the cluster over its Unix socket
#                    (postgres://postgres@/DB?host=DIR&port=PORT), as a server on the
#                    same machine as its database would; the TCP port still listens
#
# Also exported: OMA_TEST_POSTGRES_BINDIR (the server binaries' directory) and
# OMA_TEST_POSTGRES_PIDFILE (the cluster's postmaster.pid; cmd/loadgen uses it
# to count the CPU time of this cluster's processes only).
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: scripts/pg.sh CMD [ARGS...]" >&2
  exit 2
fi

say() { [ "${OMA_PG_QUIET:-}" = 1 ] || echo "pg.sh: $*" >&2; }

if [ -n "${OMA_TEST_POSTGRES_URL:-}" ]; then
  say "OMA_TEST_POSTGRES_URL already set; running the command as is"
  exec "$@"
fi

# --- find (or install) the real server binaries --------------------------------
find_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

BINDIR="$(find_bindir || true)"
if [ -z "$BINDIR" ]; then
  say "PostgreSQL server not found; installing Debian's postgresql package"
  if [ "$(id -u)" -ne 0 ]; then
    echo "pg.sh: PostgreSQL is not installed and we are not root to install it" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
  # The package starts a system cluster; we do not use it.
  if command -v pg_lsclusters >/dev/null 2>&1; then
    pg_lsclusters -h 2>/dev/null | while read -r ver name _; do
      pg_ctlcluster "$ver" "$name" stop 2>/dev/null || true
    done
  fi
  BINDIR="$(find_bindir)"
fi

# --- who runs the server ---------------------------------------------------------
if [ "$(id -u)" -eq 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  as_pg() { runuser -u postgres -- "$@"; }
  PGUSER_OWNER=postgres
else
  as_pg() { "$@"; }
  PGUSER_OWNER="$(id -un)"
fi

# --- the throwaway cluster -------------------------------------------------------
PGTMP="$(mktemp -d /tmp/oma-pg.XXXXXX)"
chmod 700 "$PGTMP"
chown "$PGUSER_OWNER" "$PGTMP"
DATA="$PGTMP/data"
SOCK="$PGTMP"
LOG="$PGTMP/server.log"
STARTED=0

cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [ "$STARTED" = 1 ]; then
    as_pg "$BINDIR/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      as_pg "$BINDIR/pg_ctl" -D "$DATA" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
  fi
  if [ -n "${OMA_PG_KEEP_LOG:-}" ] && [ -f "$LOG" ]; then
    cp "$LOG" "$OMA_PG_KEEP_LOG" || true
  fi
  rm -rf "$PGTMP"
  exit "$rc"
}
CHILD=""
on_signal() {
  # forward the signal to the command, let it finish, then clean up
  if [ -n "$CHILD" ]; then
    kill -TERM "$CHILD" 2>/dev/null || true
    wait "$CHILD" 2>/dev/null || true
  fi
  exit "$1"
}
trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
trap 'on_signal 129' HUP

as_pg "$BINDIR/initdb" -D "$DATA" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null 2>"$PGTMP/initdb.err" ||
  as_pg "$BINDIR/initdb" -D "$DATA" -A trust -U postgres -E UTF8 --locale=C >/dev/null 2>"$PGTMP/initdb.err" || {
  cat "$PGTMP/initdb.err" >&2
  exit 1
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

PORT=""
for _ in 1 2 3 4 5 6 7 8; do
  cand=$((20000 + RANDOM % 40000))
  port_in_use "$cand" && continue
  # shellcheck disable=SC2086
  if as_pg "$BINDIR/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
    -o "-p $cand -k $SOCK -c listen_addresses=127.0.0.1 -c max_connections=300 ${OMA_PG_OPTS:-}" \
    start >/dev/null 2>&1; then
    PORT="$cand"
    STARTED=1
    break
  fi
  # a lost race for the port: try another one
done
if [ -z "$PORT" ]; then
  echo "pg.sh: could not start PostgreSQL; server log:" >&2
  cat "$LOG" >&2 2>/dev/null || true
  exit 1
fi

DB="${OMA_PG_DB:-oma_test}"
as_pg "$BINDIR/psql" -X -q -h "$SOCK" -p "$PORT" -U postgres -d postgres \
  -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$DB\"" >/dev/null

if [ "${OMA_PG_SOCKET:-}" = 1 ]; then
  export OMA_TEST_POSTGRES_URL="postgres://postgres@/$DB?host=$SOCK&port=$PORT&sslmode=disable"
else
  export OMA_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PORT/$DB?sslmode=disable"
fi
export OMA_TEST_POSTGRES_BINDIR="$BINDIR"
export OMA_TEST_POSTGRES_PIDFILE="$DATA/postmaster.pid"
say "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (data $DATA)"
say "OMA_TEST_POSTGRES_URL=$OMA_TEST_POSTGRES_URL"

# The command runs in the background (stdin kept) so that a signal to this
# script is handled at once: forwarded to the command, then the cluster stops.
set +e
"$@" <&0 &
CHILD=$!
wait "$CHILD"
rc=$?
CHILD=""
set -e
exit "$rc"
