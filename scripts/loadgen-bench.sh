#!/usr/bin/env bash
# scripts/loadgen-bench.sh [--nice] [--quick] [--only N,N...]
#
# The Token Server throughput/latency measurements of issue 3, as run for the
# figures in cmd/loadgen/RESULTS.md: complete OTP transactions (create, claim,
# answer, fetch) with cmd/loadgen against the real cmd/tokenserver binary as a
# subprocess (rate limits off), each figure the median of 3 measured runs after
# a warm-up:
#   1. SQLite,     closed model, 16 workers      (max throughput)
#   2. SQLite,     open model, 500 tx/s          (p99 at 500 tx/s)
#   3. PostgreSQL, closed model, 32 workers      (synchronous_commit on; each commit
#      waits for a WAL flush, so PostgreSQL needs more requests in flight than
#      SQLite to keep both cores busy and to group its commits)
#   4. PostgreSQL, open model, 500 tx/s
#   5. PostgreSQL, closed model, 32 workers, over TCP instead of the Unix socket
#   6. SQLite,     closed model, server in-process (one Go runtime for both sides)
#   7. PostgreSQL, closed model, 32 workers, server in-process
# PostgreSQL runs in a throwaway cluster from scripts/pg.sh, on this machine:
# the server reaches it over its Unix socket (OMA_PG_SOCKET=1), as a server
# sharing a machine with its database would, except in row 5.
#
# --nice runs everything at nice -15 (root only) so that other work on a shared
# machine disturbs the figures less; --quick uses 3 s runs instead of 10 s;
# --only 3,4 runs only those rows.
# Throughput figures only mean something on an otherwise idle machine: every
# report prints the load average and the CPU time per transaction.
set -euo pipefail
cd "$(dirname "$0")/.."

DUR=10s
ONLY=""
prev=""
for a in "$@"; do
  if [ "$prev" = --only ]; then
    ONLY=",$a,"
    prev=""
    continue
  fi
  prev="$a"
  case "$a" in
  --only) ;;
  --nice)
    if [ -z "${OMA_BENCH_NICED:-}" ]; then
      # everything below (loadgen, tokenserver, postgres) inherits the priority
      OMA_BENCH_NICED=1 exec nice -n -15 "$0" "$@"
    fi
    ;;
  --quick) DUR=3s ;;
  *) echo "usage: $0 [--nice] [--quick] [--only N,N...]" >&2; exit 2 ;;
  esac
done

BIN="$(mktemp -d /tmp/oma-bench.XXXXXX)"
trap 'rm -rf "$BIN"' EXIT
go build -o "$BIN/loadgen" ./cmd/loadgen
go build -o "$BIN/tokenserver" ./cmd/tokenserver
LG=("$BIN/loadgen" --devices 16 --warmup 3s --duration "$DUR" --repeat 3)

N=0
run() {
  N=$((N + 1))
  if [ -n "$ONLY" ] && [[ "$ONLY" != *",$N,"* ]]; then
    return 0
  fi
  echo
  echo "=== $1"
  shift
  echo "\$ $*"
  "$@" 2>/dev/null | sed -n '/--- median/,$p'
}

echo "machine: $(nproc) cores, $(uname -sr), $(date -u +%FT%TZ), nice $(nice)"
SUB=(--subprocess "$BIN/tokenserver")
run "1. SQLite, closed model, 16 workers" "${LG[@]}" --serve sqlite "${SUB[@]}" --concurrency 16
run "2. SQLite, open model, 500 tx/s" "${LG[@]}" --serve sqlite "${SUB[@]}" --rate 500
PG=(env OMA_PG_SOCKET=1 scripts/pg.sh)
C32=(--devices 32 --concurrency 32)
run "3. PostgreSQL, closed model, 32 workers" "${PG[@]}" "${LG[@]}" --serve postgres "${SUB[@]}" "${C32[@]}"
run "4. PostgreSQL, open model, 500 tx/s" "${PG[@]}" "${LG[@]}" --serve postgres "${SUB[@]}" --rate 500
run "5. PostgreSQL over TCP (127.0.0.1), closed model, 32 workers" scripts/pg.sh "${LG[@]}" --serve postgres "${SUB[@]}" "${C32[@]}"
run "6. SQLite, closed model, server in-process (one Go runtime for both sides)" "${LG[@]}" --serve sqlite --concurrency 16
run "7. PostgreSQL, closed model, 32 workers, server in-process (one Go runtime for both sides)" "${PG[@]}" "${LG[@]}" --serve postgres "${C32[@]}"
