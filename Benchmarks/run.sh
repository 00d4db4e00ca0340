#!/usr/bin/env bash
# EntityHub HTTP benchmark: wrk against a release build, on the embedded SQLite store and on
# PostgreSQL in the same run, then two `serve` processes against one process on the same PostgreSQL.
#   GET /health (the HTTP ceiling), GET an entity by id, a filtered list on an indexed field over
#   ENTITIES entities (page of 100), bulk create with 1,000 entities per request, and bulk update of
#   1,000 entities per request. Reads run twice, to show what authorization costs: anonymously on a
#   public-read collection (no credentials to check, no access filter), and with the owner's API key
#   on a private collection (the key checked, the access filter in the SQL of every list).
# Usage: Benchmarks/run.sh [ENTITIES=1000000] [DURATION=15s] [BACKENDS="sqlite postgres"]
# PostgreSQL: $ENTITYHUB_BENCH_DATABASE_URL (an empty database), or else a throwaway PostgreSQL 15
# cluster with durable settings (fsync and synchronous commit on) from scripts/with-test-postgres.
# Needs: wrk (apt-get install wrk), python3, curl. Prints Markdown tables.
set -euo pipefail
cd "$(dirname "$0")/.."
entities=${1:-1000000}
duration=${2:-15s}
backends=${3:-sqlite postgres}
source Benchmarks/lib.sh
bench_prepare "$0" "$entities" "$duration" "$backends"
work=$(mktemp -d)
servers=()
cleanup() {
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT



start_server() { # backend → prints the base URL; the pid joins $servers
    local port
    port=$(free_port)
    local store=(--data "$work/data-$1")
    if [ "$1" = postgres ]; then store=(--database "$ENTITYHUB_BENCH_DATABASE_URL"); fi
    ENTITYHUB_ADMIN_KEY="$admin_key" "$bin" serve --port "$port" "${store[@]}" --schema Benchmarks/schema.json \
        --log-level warning >>"$work/server.log" 2>&1 &
    servers+=($!)
    for _ in $(seq 300); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
    base="http://127.0.0.1:$port"
}

# wrk on each base URL at once, the connections split between them; prints "rps p50 p99": the summed
# rate, and the slowest server's percentiles.
load() { # connections "base…" path wrk-args…
    local connections=$1 bases=($2) path=$3; shift 3
    local share=$((connections / ${#bases[@]})) threads=$((${#bases[@]} > 1 || connections < 2 ? 1 : 2))
    local files=() pids=()
    for b in "${bases[@]}"; do
        local out="$work/wrk.${#files[@]}"
        files+=("$out")
        wrk -t"$threads" -c"$share" -d"$duration" --latency "$@" "$b$path" >"$out" &
        pids+=($!)
    done
    wait "${pids[@]}"
    for out in "${files[@]}"; do
        if grep -q "Non-2xx" "$out"; then grep Non-2xx "$out" >&2; fi
    done
    python3 Benchmarks/wrk_summary.py "${files[@]}"
}

row() { # label connections "base…" path wrk-args…
    local label=$1 connections=$2 bases=$3 path=$4; shift 4
    local rps p50 p99
    read -r rps p50 p99 < <(load "$connections" "$bases" "$path" "$@")
    echo "| $label | $rps | $p50 | $p99 |"
}

suite() { # name "base…" ids-file public-ids-file → the benchmarks as table rows
    local name=$1 bases=$2 ids=$3 public_ids=$4
    row "$name: GET /health" 32 "$bases" /health
    COLLECTION=public_items IDS_FILE="$public_ids" AUTHORIZATION='' \
        row "$name: GET entity by id, anonymous, public-read collection" 32 "$bases" / -s Benchmarks/get_by_id.lua
    IDS_FILE="$ids" row "$name: GET entity by id, owner's API key, private collection" 32 "$bases" / \
        -s Benchmarks/get_by_id.lua
    COLLECTION=public_items AUTHORIZATION='' row "$name: filtered list, anonymous, public-read collection" 32 \
        "$bases" / -s Benchmarks/filtered_list.lua
    row "$name: filtered list, owner's API key, private collection" 32 "$bases" / -s Benchmarks/filtered_list.lua
    local bulk
    bulk=$(row "$name: bulk create, 1,000 entities/request (4 connections)" 4 "$bases" / -s Benchmarks/bulk_create.lua)
    echo "$bulk"
    echo "$name: bulk create $(awk -F'|' '{gsub(/[ ,]/,"",$3); print $3 * 1000}' <<<"$bulk") entities/s" >>"$work/notes"
    # One connection per server: bulk updates of the same 1,000 entities would otherwise only conflict.
    local update
    update=$(IDS_FILE="$ids" row "$name: bulk update, 1,000 entities/request (1 connection per server)" \
        "$(wc -w <<<"$bases")" "$bases" / -s Benchmarks/bulk_update.lua)
    echo "$update"
    echo "$name: bulk update $(awk -F'|' '{gsub(/[ ,]/,"",$3); print $3 * 1000}' <<<"$update") entities/s" >>"$work/notes"
}

echo
echo "| benchmark ($entities entities, wrk 32 connections, $duration) | requests/s | p50 | p99 |"
echo "|---|---|---|---|"
for backend in $backends; do
    start_server "$backend"
    first=$base
    AUTHORIZATION=$(owner_key "$first")
    export AUTHORIZATION
    for collection in items public_items; do
        echo "$backend: seeding $entities entities into $collection..." >&2
        echo "$backend: $collection: $(COLLECTION=$collection python3 Benchmarks/seed.py "$first" "$entities" 1000 2)" \
            | tee -a "$work/notes" >&2
    done
    if [ "$backend" = postgres ]; then
        # What autovacuum does a minute after a bulk load: statistics for the planner.
        "${ENTITYHUB_TEST_PG_BIN:+$ENTITYHUB_TEST_PG_BIN/}psql" -q "$ENTITYHUB_BENCH_DATABASE_URL" -c "ANALYZE entities"
    fi
    for collection in items public_items; do
        curl -fs -H "Authorization: $AUTHORIZATION" "$first/api/v1/$collection?limit=1000&offset=5000" \
            | python3 -c 'import json,sys; [print(e["id"]) for e in json.load(sys.stdin)]' >"$work/ids-$collection"
    done
    suite "$backend" "$first" "$work/ids-items" "$work/ids-public_items"
    if [ "$backend" = postgres ]; then
        start_server postgres
        suite "postgres, 2 processes" "$first $base" "$work/ids-items" "$work/ids-public_items"
    fi
done
echo
cat "$work/notes"
