#!/usr/bin/env bash
# Follows server/DEPLOY.md as written: the shell blocks between its
# <!-- deploy:begin --> and <!-- deploy:end --> markers run, in order, in one
# bash -euo pipefail, from an empty PostgreSQL cluster (scripts/pg.sh starts
# one when OMA_TEST_POSTGRES_URL is not set) to a served relying-party
# request. Only the variables the guide says to choose are set here (its
# defaults name production hosts): the cluster's host and port, sslmode
# disable (loopback), a temporary ETC_DIR, free ports. The tokenserver
# binary is built from this checkout and put first on PATH; psql comes from
# the cluster's binaries.
# Usage: scripts/test-deploy.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

if [ -z "${OMA_TEST_POSTGRES_URL:-}" ]; then
  exec "$ROOT/scripts/pg.sh" "$0" "$@"
fi

WORK=$(mktemp -d)
cleanup() {
  local pids
  pids=$(cat "$WORK/pids" 2>/dev/null || true)
  [ -n "$pids" ] && kill $pids 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/bin"
go build -o "$WORK/bin/tokenserver" ./cmd/tokenserver
export PATH="$WORK/bin:${OMA_TEST_POSTGRES_BINDIR:-/usr/lib/postgresql/15/bin}:$PATH"

# The cluster from OMA_TEST_POSTGRES_URL (TCP form: postgres://postgres@127.0.0.1:PORT/db?...).
hostport=${OMA_TEST_POSTGRES_URL#*@}; hostport=${hostport%%/*}
# A free loopback port below the ephemeral range (nothing answers on it).
port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 12000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
export DB_HOST=${hostport%:*} DB_PORT=${hostport##*:} DB_SSLMODE=disable DB_SUPERUSER=postgres
export ETC_DIR="$WORK/etc" PUBLIC_URL=https://auth.example.com
export LISTEN_ADDR="127.0.0.1:$(port)" ADMIN_ADDR="127.0.0.1:$(port)"
# A pg.sh cluster is shared by a whole test run: a fresh database name would
# need another guide; drop what an earlier run of this script left.
psql -X -q -o /dev/null -h "$DB_HOST" -p "$DB_PORT" -U postgres -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS oma" -c "DROP ROLE IF EXISTS oma"

# The guide's blocks, as written.
awk '/<!-- deploy:begin -->/{on=1;next} /<!-- deploy:end -->/{on=0} on&&/^```sh$/{code=1;next} code&&/^```$/{code=0;next} code' \
  server/DEPLOY.md > "$WORK/guide.sh"
[ -s "$WORK/guide.sh" ] || { echo "test-deploy: no deploy blocks in server/DEPLOY.md"; exit 1; }
{
  echo 'set -euo pipefail'
  cat "$WORK/guide.sh"
  # What the guide's last block showed, checked: a pending request served.
  echo 'echo "$TX" > "$WORK/tx"; jobs -p > "$WORK/pids"'
} > "$WORK/run.sh"

export WORK
timeout 120 bash "$WORK/run.sh" > "$WORK/out" 2>"$WORK/err" || {
  echo "test-deploy: the guide's steps failed:"; cat "$WORK/out"; tail -20 "$WORK/err"; exit 1; }
out=$(cat "$WORK/out")
tx=$(cat "$WORK/tx")
fail() { echo "test-deploy: $*"; echo "$out"; exit 1; }
[ -n "$tx" ] || fail "no transaction id from the create request"
grep -q "\"transaction_id\":\"$tx\"" <<<"$out" || fail "the fetch did not answer transaction $tx"
grep -q '"status":"pending"' <<<"$out" || fail "the fetch did not say pending"
grep -q '^oma_transactions_created_total{method="otp",type="login"} 1$' <<<"$out" || fail "metrics did not count the request"
grep -q '"status":"ok"' <<<"$out" || fail "readiness never said ok"
if grep -q "$(sed -n 's/^PGPASSWORD=//p' "$WORK/etc/env")" "$WORK/out" "$WORK/err"; then
  fail "the database password reached the output"
fi
echo "test-deploy: server/DEPLOY.md followed from an empty PostgreSQL to a served RP request (transaction $tx)"
