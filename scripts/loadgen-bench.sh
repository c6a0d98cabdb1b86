#!/usr/bin/env bash
# scripts/loadgen-bench.sh [--nice] [--quick] [--only N,N...] [--compare COMMIT [--rounds N]]
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
#
# --compare COMMIT measures this tree against COMMIT side by side: it builds
# COMMIT's loadgen and tokenserver from `git archive COMMIT` (each commit's
# load generator drives its own server: the store it provisions is migrated
# and seeded by that commit's code; rows 6-7 are that commit's server inside
# its loadgen), then runs each row --rounds times (default 5) per binary set,
# alternating old and new (old-new, new-old, ...) with one measured run each,
# and prints each set's medians of throughput, server CPU per transaction
# (tokenserver; rows 6-7: the whole loadgen process) and CPU per transaction
# of all processes, with the ratios new/old. The CPU figures are the robust
# ones on a shared machine: a slow minute lowers throughput, not them much.
#
# Throughput figures only mean something on an otherwise idle machine: every
# report prints the load average and the CPU time per transaction.
set -euo pipefail
cd "$(dirname "$0")/.."

DUR=10s
ONLY=""
COMPARE=""
ROUNDS=5
prev=""
for a in "$@"; do
  case "$prev" in
  --only) ONLY=",$a,"; prev=""; continue ;;
  --compare) COMPARE="$a"; prev=""; continue ;;
  --rounds) ROUNDS="$a"; prev=""; continue ;;
  esac
  prev="$a"
  case "$a" in
  --only | --compare | --rounds) ;;
  --nice)
    if [ -z "${OMA_BENCH_NICED:-}" ]; then
      # everything below (loadgen, tokenserver, postgres) inherits the priority
      OMA_BENCH_NICED=1 exec nice -n -15 "$0" "$@"
    fi
    ;;
  --quick) DUR=3s ;;
  *) echo "usage: $0 [--nice] [--quick] [--only N,N...] [--compare COMMIT [--rounds N]]" >&2; exit 2 ;;
  esac
done
case "$prev" in --only | --compare | --rounds) echo "$0: $prev needs a value" >&2; exit 2 ;; esac
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "$0: --rounds wants a positive number" >&2; exit 2; }

BIN="$(mktemp -d /tmp/oma-bench.XXXXXX)"
trap 'rm -rf "$BIN"' EXIT
mkdir -p "$BIN/new"
go build -o "$BIN/new/loadgen" ./cmd/loadgen
go build -o "$BIN/new/tokenserver" ./cmd/tokenserver
if [ -n "$COMPARE" ]; then
  OLDREV=$(git rev-parse --short "$COMPARE^{commit}")
  NEWREV=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo "+changes")
  mkdir -p "$BIN/old/src"
  git archive "$OLDREV" | tar -x -C "$BIN/old/src"
  (cd "$BIN/old/src" && go build -o "$BIN/old/loadgen" ./cmd/loadgen && go build -o "$BIN/old/tokenserver" ./cmd/tokenserver)
fi

# cmdline SET PREFIX... -- ARGS... [--sub]: the command of one row for the
# binaries of SET (new or old), in the array CMD.
cmdline() {
  local set=$1 sub=""
  shift
  CMD=()
  while [ "$1" != -- ]; do CMD+=("$1"); shift; done
  shift
  CMD+=("$BIN/$set/loadgen" --devices 16 --warmup 3s --duration "$DUR")
  for a in "$@"; do
    if [ "$a" = --sub ]; then sub=1; else CMD+=("$a"); fi
  done
  if [ -n "$sub" ]; then CMD+=(--subprocess "$BIN/$set/tokenserver"); fi
}

# field NAME < report: one figure of a loadgen text report.
field() {
  awk -v f="$1" '
    /^throughput:/ { tps = $2 }
    /^CPU: loadgen process/ {
      match($0, /loadgen process [0-9.]+s \([0-9.]+ ms/); s = substr($0, RSTART, RLENGTH); sub(/.*\(/, "", s); sub(/ ms/, "", s); lg = s
      srv = lg
      if (match($0, /tokenserver [0-9.]+s \([0-9.]+ ms/)) { s = substr($0, RSTART, RLENGTH); sub(/.*\(/, "", s); sub(/ ms/, "", s); srv = s }
    }
    /^CPU per complete transaction, all processes:/ { all = $7 }
    /^load average before/ { load = $4 " " $6 }
    END { if (f == "tps") print tps; else if (f == "srv") print srv; else if (f == "all") print all; else if (f == "load") print load }'
}

med() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

N=0
# run LABEL PREFIX... -- LOADGEN-ARGS... [--sub]
run() {
  N=$((N + 1))
  if [ -n "$ONLY" ] && [[ "$ONLY" != *",$N,"* ]]; then
    return 0
  fi
  local label=$1
  shift
  echo
  echo "=== $label"
  if [ -z "$COMPARE" ]; then
    cmdline new "$@" --repeat 3
    echo "\$ ${CMD[*]}"
    "${CMD[@]}" 2>/dev/null | sed -n '/--- median/,$p'
    return 0
  fi
  local out="$BIN/row$N" r set
  mkdir -p "$out"
  for r in $(seq 1 "$ROUNDS"); do
    local order="old new"
    if [ $((r % 2)) = 0 ]; then order="new old"; fi
    for set in $order; do
      cmdline "$set" "$@" --repeat 1
      [ "$r" = 1 ] && echo "\$ ${CMD[*]}"
      if ! "${CMD[@]}" >"$out/$set.$r" 2>"$out/$set.$r.err"; then
        echo "$set run $r failed:"; tail -5 "$out/$set.$r.err"; return 1
      fi
      printf '  round %d %-3s %8s tx/s  server %s ms/tx  all %s ms/tx  (load %s)\n' "$r" "$set" \
        "$(field tps <"$out/$set.$r")" "$(field srv <"$out/$set.$r")" "$(field all <"$out/$set.$r")" "$(field load <"$out/$set.$r")"
    done
  done
  local f
  declare -A m
  for set in old new; do
    for f in tps srv all; do
      m[$set.$f]=$(for r in $(seq 1 "$ROUNDS"); do field "$f" <"$out/$set.$r"; done | med)
    done
  done
  printf '  median of %d  old (%s): %.1f tx/s, server %.3f ms/tx, all %.3f ms/tx\n' "$ROUNDS" "$OLDREV" "${m[old.tps]}" "${m[old.srv]}" "${m[old.all]}"
  printf '  median of %d  new (%s): %.1f tx/s, server %.3f ms/tx, all %.3f ms/tx\n' "$ROUNDS" "$NEWREV" "${m[new.tps]}" "${m[new.srv]}" "${m[new.all]}"
  awk -v a="${m[old.tps]}" -v b="${m[new.tps]}" -v c="${m[old.srv]}" -v d="${m[new.srv]}" -v e="${m[old.all]}" -v g="${m[new.all]}" \
    'BEGIN { printf "  new/old: throughput %.3f, server CPU per transaction %.3f, all CPU per transaction %.3f\n", b / a, d / c, g / e }'
}

echo "machine: $(nproc) cores, $(uname -sr), $(date -u +%FT%TZ), nice $(nice), load average $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "$COMPARE" ] && echo "compare: old $OLDREV ($COMPARE), new $NEWREV, $ROUNDS alternated rounds of one ${DUR} run per binary set and row"
PG=(env OMA_PG_SOCKET=1 OMA_PG_QUIET=1 scripts/pg.sh)
C32=(--devices 32 --concurrency 32)
run "1. SQLite, closed model, 16 workers" -- --serve sqlite --concurrency 16 --sub
run "2. SQLite, open model, 500 tx/s" -- --serve sqlite --rate 500 --sub
run "3. PostgreSQL, closed model, 32 workers" "${PG[@]}" -- --serve postgres "${C32[@]}" --sub
run "4. PostgreSQL, open model, 500 tx/s" "${PG[@]}" -- --serve postgres --rate 500 --sub
run "5. PostgreSQL over TCP (127.0.0.1), closed model, 32 workers" env OMA_PG_QUIET=1 scripts/pg.sh -- --serve postgres "${C32[@]}" --sub
run "6. SQLite, closed model, server in-process (one Go runtime for both sides)" -- --serve sqlite --concurrency 16
run "7. PostgreSQL, closed model, 32 workers, server in-process (one Go runtime for both sides)" "${PG[@]}" -- --serve postgres "${C32[@]}"
echo
echo "done $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
