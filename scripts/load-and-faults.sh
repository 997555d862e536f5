#!/usr/bin/env bash
# load-and-faults.sh — the opening-day load and fault runs of issue 7, on this machine only.
#
#   scripts/load-and-faults.sh                    # defaults below
#   RATE=20 DURATION=60s SEED_LARGE=1 scripts/load-and-faults.sh
#
# 1. builds the portal with the load-test captcha hook (-tags loadtest) and the load program;
# 2. creates a fresh database (tqreg_loadrun) on the local Postgres and starts the portal on it
#    (TQREG_LOADTEST_CAPTCHA=1; the demo data is seeded on first start);
# 3. runs the load program: floors and capacity ratios (argon2id vs logins, pgx INSERT vs
#    submissions, bare page vs status page), then the open-loop mixed run, with the portal's peak
#    RSS; optionally seeds 1 M certificates / 100 k applications first (SEED_LARGE=1);
# 4. runs the fault tests (examples/portal/faulttest) with TQREG_FAULTS=1 and
#    TQREG_FAULTS_PG_RESTART=1: two processes on one database, SIGKILL mid-load, bad input
#    under load, a streaming read replica made with pg_basebackup (TestReadReplica), and a
#    restart of the machine's Postgres (pg_ctlcluster) mid-load.
#
# Environment: TEST_DATABASE_URL (admin DSN, default postgres://postgres@127.0.0.1:5432/test),
# RATE (arrivals/s, default 2), DURATION (default 30s), CONCURRENCY (default 8), PORT (default
# 38480), SEED_LARGE=1, FAULTS=0 to skip step 4. Output goes to stdout and $OUT (default: a
# new $TMPDIR/loadrun-XXXXXX directory, printed at the start).
#
# Needs: Go, psql, a local Postgres reachable at TEST_DATABASE_URL with the right to create a
# database, and for step 4 pg_ctlcluster and the right to restart that Postgres (root or the
# postgres user) — the restart fault stops the machine's Postgres for a moment.
set -euo pipefail
cd "$(dirname "$0")/.."

ADMIN=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
RATE=${RATE:-2}
DURATION=${DURATION:-30s}
CONCURRENCY=${CONCURRENCY:-8}
PORT=${PORT:-38480}
DB=tqreg_loadrun
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/loadrun-XXXXXX")}
mkdir -p "$OUT"

case "$ADMIN" in
  postgres://*@127.0.0.1[:/]*|postgres://*@localhost[:/]*|postgres://127.0.0.1[:/]*|postgres://localhost[:/]*) ;;
  *) echo "TEST_DATABASE_URL must point at 127.0.0.1 or localhost" >&2; exit 2 ;;
esac
DSN="${ADMIN%/*}/$DB"

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(go version | cut -d' ' -f3-4), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== building (output in $OUT)"
go build -tags loadtest -o "$OUT/portal" ./examples/portal
go build -o "$OUT/loadtest" ./examples/portal/cmd/loadtest

psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null 2>&1

TQREG_LOADTEST_CAPTCHA=1 "$OUT/portal" -addr "127.0.0.1:$PORT" -db "$DSN" -log json >/dev/null 2>"$OUT/portal.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null

echo "== load: $OUT/loadtest -url http://127.0.0.1:$PORT -db $DSN -rate $RATE -duration $DURATION -concurrency $CONCURRENCY -pid $PID ${SEED_LARGE:+-seed-large}"
set +e
"$OUT/loadtest" -url "http://127.0.0.1:$PORT" -db "$DSN" -rate "$RATE" -duration "$DURATION" \
  -concurrency "$CONCURRENCY" -pid "$PID" -numbers "$OUT/numbers" -progress=false ${SEED_LARGE:+-seed-large} | tee "$OUT/load.txt"
LOAD=${PIPESTATUS[0]}
"$OUT/loadtest" -mode verify -db "$DSN" -numbers "$OUT/numbers" | tee "$OUT/verify.txt"
VERIFY=${PIPESTATUS[0]}
set -e
kill $PID 2>/dev/null || true
wait $PID 2>/dev/null || true

FAULTS_RC=0
if [ "${FAULTS:-1}" != 0 ]; then
  echo "== faults: TQREG_FAULTS=1 TQREG_FAULTS_PG_RESTART=1 go test -count=1 -v ./examples/portal/faulttest"
  set +e
  TQREG_FAULTS=1 TQREG_FAULTS_PG_RESTART=1 TEST_DATABASE_URL="$ADMIN" \
    go test -count=1 -v -timeout 15m ./examples/portal/faulttest 2>&1 | tee "$OUT/faults.txt"
  FAULTS_RC=${PIPESTATUS[0]}
  set -e
fi

echo
echo "== figures"
sed -n '/^ratios:/,$p' "$OUT/load.txt"
grep -E 'verify: ' "$OUT/verify.txt" || true
if [ -f "$OUT/faults.txt" ]; then
  grep -E '^(--- |ok|FAIL)|healthy .* after|peak RSS after the bad|[0-9]+ passed, [0-9]+ failed' "$OUT/faults.txt" || true
fi
echo "load exit $LOAD, verify exit $VERIFY, faults exit $FAULTS_RC (outputs in $OUT)"
[ "$LOAD" = 0 ] && [ "$VERIFY" = 0 ] && [ "$FAULTS_RC" = 0 ]
