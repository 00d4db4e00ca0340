#!/usr/bin/env bash
# Sync pull benchmark (issue 14), against a release build, on the embedded SQLite store and on PostgreSQL.
# A private collection `notes` gets ENTITIES entities from the admin (none of which the reader may see),
# then 100 from the reader. Measured, with wrk's latency distribution (loopback: an upper bound of the
# server's time), on 1 connection (one pull at a time: the server's time per pull, plus loopback) and on 8
# (queueing on the 2 cores wrk, the server and PostgreSQL share included):
#   1. the reader pulls the 100 changes after the cursor they held before the admin's writes: 100 changes
#      among ENTITIES the reader cannot see;
#   2. the admin pulls the last 100 changes of the store (a cursor 100 changes before the end): 100 changes
#      over ENTITIES + 100 entities.
# Target (issue 14): p99 < 10 ms for both.
#   3. pushes of 1,000 mutations per request on 4 connections (sync_push.py, PUSHES mutations per phase):
#      new entities (applied), updates at the current version (applied), updates of another key on a stale
#      base (merged). Target (issue 14): ≥ 20,000 mutations/s.
#      On PostgreSQL they start after VACUUM ANALYZE and a CHECKPOINT, as on a server past its bulk load:
#      autovacuum has been through the new rows, and the WAL segments the load wrote are recycled. Right
#      after the load of a fresh cluster, a commit would create and zero a new 16 MB WAL segment every few
#      batches while it holds the change log's lock (SETTLE=0 measures that).
# Usage: [PUSHES=100000] Benchmarks/sync.sh [ENTITIES=1000000] [DURATION=10s] [BACKENDS="sqlite postgres"]
# PostgreSQL: $ENTITYHUB_BENCH_DATABASE_URL (an empty database), or a throwaway cluster from
# scripts/with-test-postgres. Needs: wrk, python3, curl. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
entities=${1:-1000000}
duration=${2:-10s}
backends=${3:-sqlite postgres}
source Benchmarks/lib.sh
bench_prepare "$0" "$entities" "$duration" "$backends"
bench_workspace

admin_key="BENCH-ADMIN:$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
admin="ApiKey $admin_key"
json_field() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }

# latency connections → "p50 / p99 ms, requests/s" of the pull $CURSOR by $AUTHORIZATION
latency() {
    wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"$duration" --latency -s Benchmarks/sync_pull.lua "$base/" >"$work/wrk.out"
    if grep -q "Non-2xx" "$work/wrk.out"; then grep Non-2xx "$work/wrk.out" >&2; fi
    python3 - "$work/wrk.out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)$", text, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rate = float(re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M).group(1))
print(f"{ms('50%'):.2f} / {ms('99%'):.2f} ms, {rate:,.0f} req/s")
PY
}

# VACUUM ANALYZE and CHECKPOINT on the benchmark's database (CHECKPOINT needs a superuser or pg_checkpoint).
settle_postgres() {
    local psql="${ENTITYHUB_TEST_PG_BIN:+$ENTITYHUB_TEST_PG_BIN/}psql"
    "$psql" -q "$ENTITYHUB_BENCH_DATABASE_URL" -c "VACUUM ANALYZE" -c "CHECKPOINT" \
        || echo "postgres: could not settle the database after the load; the pushes start right after it" >&2
}

declare -A results
for backend in $backends; do
    port=$(free_port)
    store=(--data "$work/data-$backend")
    if [ "$backend" = postgres ]; then store=(--database "$ENTITYHUB_BENCH_DATABASE_URL"); fi
    ENTITYHUB_ADMIN_KEY="$admin_key" "$bin" serve --port "$port" "${store[@]}" --schema Benchmarks/sync-schema.json \
        --log-level warning >>"$work/server.log" 2>&1 &
    server=$!
    base="http://127.0.0.1:$port"
    for _ in $(seq 300); do curl -fs "$base/health" >/dev/null && break; sleep 0.1; done
    api="$base/api/v1"

    curl -fs -H "Authorization: $admin" -H 'Content-Type: application/json' -d '{"name": "reader"}' \
        "$api/_admin/users" >/dev/null
    reader=$(curl -fs -X POST -H "Authorization: $admin" "$api/_admin/users/reader/keys" | json_field "['authorization']")
    reader_cursor=$(curl -fs -H "Authorization: $reader" "$api/_sync/changes" | json_field "['cursor']")
    echo "$backend: $(AUTHORIZATION="$admin" COLLECTION=notes python3 Benchmarks/seed.py "$base" "$entities" 1000 2)" >&2
    AUTHORIZATION="$reader" COLLECTION=notes python3 Benchmarks/seed.py "$base" 100 100 1 >/dev/null
    # The admin's cursor 100 changes before the end: the sequence of the 101st-last change.
    admin_cursor=$(curl -fs -H "Authorization: $admin" "$api/_sync/changes?limit=1" | json_field "['cursor']")
    last=$(curl -fs -H "Authorization: $admin" "$api/_changes?after=$((entities - 1))&limit=1000" \
        | json_field "['next']")
    admin_cursor=$(python3 - "$admin_cursor" "$((last - 100))" <<'PY'
import base64, sys
token, sequence = sys.argv[1], sys.argv[2]
store = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode().split(".")[1]
print(base64.urlsafe_b64encode(f"1.{store}.{sequence}".encode()).decode().rstrip("="))
PY
)
    count() { curl -fs -H "Authorization: $1" "$api/_sync/changes?limit=1000&cursor=$2" | json_field "['changes'].__len__()"; }
    echo "$backend: the reader's pull holds $(count "$reader" "$reader_cursor") changes, the admin's $(count "$admin" "$admin_cursor")" >&2
    for connections in 1 8; do
        results[$backend,reader$connections]=$(CURSOR="$reader_cursor" AUTHORIZATION="$reader" latency $connections)
        results[$backend,admin$connections]=$(CURSOR="$admin_cursor" AUTHORIZATION="$admin" latency $connections)
    done
    if [ "$backend" = postgres ] && [ "${SETTLE:-1}" = 1 ]; then settle_postgres; fi
    while read -r phase rate; do
        results[$backend,push-$phase]=$(printf "%'d" "$rate")
    done < <(AUTHORIZATION="$reader" python3 Benchmarks/sync_push.py "$base" "${PUSHES:-100000}" 1000 4)
    kill "$server"; wait "$server" 2>/dev/null || true; server=
done

cell() { echo "${results[$1,$2]:-–}"; }
echo
echo "| pull of 100 changes after a cursor ($entities entities, $duration): p50 / p99, rate | SQLite | PostgreSQL |"
echo "|---|---|---|"
for connections in 1 8; do
    echo "| the reader's 100 among $entities changes they cannot see, $connections connection(s) |" \
        "$(cell sqlite reader$connections) | $(cell postgres reader$connections) |"
    echo "| the admin's last 100 changes over $((entities + 100)) entities, $connections connection(s) |" \
        "$(cell sqlite admin$connections) | $(cell postgres admin$connections) |"
done
echo
echo "| push, 1,000 mutations per request, 4 connections, ${PUSHES:-100000} per row: mutations/s | SQLite | PostgreSQL |"
echo "|---|---|---|"
echo "| creates of new entities (applied) | $(cell sqlite push-create) | $(cell postgres push-create) |"
echo "| updates at the current version (applied) | $(cell sqlite push-update) | $(cell postgres push-update) |"
echo "| updates of another key on a stale base (merged) | $(cell sqlite push-merge) | $(cell postgres push-merge) |"
