#!/usr/bin/env bash
# OData benchmark (issue 13 §5), against a release build, on the embedded SQLite store and on PostgreSQL,
# each OData request beside its REST equivalent on the same server and entities, with the ratio:
#   1. GET /odata/items?$filter=status eq 'X'&$top=100&$skip=N (with and without $count=true) vs the same
#      RQL query GET /api/v1/items?eq(status,X)&limit=100&offset=N (with and without its count);
#   2. GET /odata/items('ID') vs GET /api/v1/items/ID;
#   3. one $batch changeset of 1,000 POSTs, multipart and JSON, vs a REST bulk create of 1,000 (entities/s,
#      4 connections);
#   4. GET /odata/$metadata of a 500-collection schema vs GET /health (a server of its own).
# Reads are anonymous on a public-read collection (what the protocol costs, not the access check); writes
# use the admin key. Targets (issue 13): 1 and 2 ≥ 0.9, 3 ≥ 0.5, 4 ≥ 0.8.
# Usage: [ROUNDS=3] [ROWS=metadata] Benchmarks/odata.sh [ENTITIES=1000000] [DURATION=15s] [BACKENDS="sqlite postgres"]
# (rows 1, 2 and 4 take ROUNDS × DURATION each, the two sides interleaved: see paired below;
# ROWS=metadata runs row 4 only, without the seed)
# PostgreSQL: $ENTITYHUB_BENCH_DATABASE_URL (an empty database, on a server where that user may create
# databases: the 500-collection server gets one of its own), or a throwaway cluster from
# scripts/with-test-postgres. Needs: wrk, python3, curl, psql. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
entities=${1:-1000000}
duration=${2:-15s}
backends=${3:-sqlite postgres}
rows=${ROWS:-all}
source Benchmarks/lib.sh
bench_prepare "$0" "$entities" "$duration" "$backends"
psql="${ENTITYHUB_TEST_PG_BIN:+$ENTITYHUB_TEST_PG_BIN/}psql"
work=$(mktemp -d)
server=
metadata_database=
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    if [ -n "$metadata_database" ]; then
        "$psql" -q "$ENTITYHUB_BENCH_DATABASE_URL" -c "DROP DATABASE IF EXISTS $metadata_database" || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

admin_key="BENCH-ADMIN:$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
export AUTHORIZATION="ApiKey $admin_key"

database_named() { # name → the URL of ENTITYHUB_BENCH_DATABASE_URL's server with that database
    python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' \
        "$ENTITYHUB_BENCH_DATABASE_URL" "$1"
}

start_server() { # backend schema database-url → sets $base and $server
    local port store=(--data "$work/data-$1-$(basename "$2")")
    port=$(free_port)
    if [ "$1" = postgres ]; then store=(--database "$3"); fi
    ENTITYHUB_ADMIN_KEY="$admin_key" "$bin" serve --port "$port" "${store[@]}" --schema "$2" --log-level warning \
        >>"$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 300); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
    base="http://127.0.0.1:$port"
}

stop_server() {
    kill "$server"; wait "$server" 2>/dev/null || true; server=
}

# The paired rows (OData beside REST, $metadata beside /health) run interleaved, ROUNDS times each (odata rest rest odata …),
# and report the mean: on a shared machine the rate drifts over minutes, and a pair measured back to
# back in one order would carry that drift into the ratio.
rounds=${ROUNDS:-3}
paired() { # name-a env-a name-b env-b lua-script → results[$backend,name-a] and results[$backend,name-b]
    local a=$1 b=$3 round side r
    local -A environment=([$1]=$2 [$3]=$4) sum=([$1]=0 [$3]=0)
    for round in $(seq "$rounds"); do
        for side in $( ((round % 2)) && echo "$a $b" || echo "$b $a"); do
            r=$(eval "${environment[$side]} rate 32 / -s $5")
            sum[$side]=$((sum[$side] + r))
        done
    done
    results[$backend,$a]=$((sum[$a] / rounds))
    results[$backend,$b]=$((sum[$b] / rounds))
}

rate() { # connections path wrk-args… → requests/s (× $PER_REQUEST: entities/s of a 1,000-entity request)
    local connections=$1 path=$2; shift 2
    wrk -t2 -c"$connections" -d"$duration" "$@" "$base$path" >"$work/wrk.out"
    if grep -q "Non-2xx" "$work/wrk.out"; then grep Non-2xx "$work/wrk.out" >&2; fi
    awk -v n="${PER_REQUEST:-1}" '/^Requests\/sec:/ {printf "%.0f", $2 * n}' "$work/wrk.out"
}

python3 Benchmarks/odata_bodies.py schema "$work/schema-500.json" 500
python3 Benchmarks/odata_bodies.py multipart "$work/multipart" 1000
python3 Benchmarks/odata_bodies.py json "$work/json" 1000
python3 Benchmarks/odata_bodies.py bulk "$work/bulk" 1000
multipart_type="multipart/mixed; boundary=batch_bench"

declare -A results
for backend in $backends; do
  if [ "$rows" = all ]; then
    start_server "$backend" Benchmarks/odata-schema.json "${ENTITYHUB_BENCH_DATABASE_URL:-}"
    echo "$backend: $(COLLECTION=items python3 Benchmarks/seed.py "$base" "$entities" 1000 2)" >&2
    if [ "$backend" = postgres ]; then
        # Vacuumed now, so that autovacuum does not start on the million new rows in a measured row.
        "$psql" -q "$ENTITYHUB_BENCH_DATABASE_URL" -c "VACUUM ANALYZE entities"
    fi
    offset=$((entities > 6000 ? 5000 : 0))
    curl -fs "$base/api/v1/items?limit=1000&offset=$offset" \
        | python3 -c 'import json,sys; [print(e["id"]) for e in json.load(sys.stdin)]' >"$work/ids"
    # Each body once by hand first: a $batch is 200 even when its parts fail, which wrk would not see.
    python3 Benchmarks/odata_bodies.py check "$base/odata/\$batch" "$work/multipart" "$multipart_type" 1000
    python3 Benchmarks/odata_bodies.py check "$base/odata/\$batch" "$work/json" application/json 1000

    # Warm the page cache first (after a seed, the first reads fetch pages the later ones find).
    API=rest rate 32 / -s Benchmarks/odata_list.lua >/dev/null
    paired list API=odata restlist API=rest Benchmarks/odata_list.lua
    paired listnc API=odata-nocount restlistnc API=rest-nocount Benchmarks/odata_list.lua
    paired get "API=odata IDS_FILE=$work/ids" restget "API=rest IDS_FILE=$work/ids" Benchmarks/odata_get.lua
    results[$backend,multipart]=$(PER_REQUEST=1000 BODY_FILE="$work/multipart" CONTENT_TYPE="$multipart_type" \
        ACCEPT=multipart/mixed rate 4 / -s Benchmarks/odata_post.lua)
    results[$backend,json]=$(PER_REQUEST=1000 BODY_FILE="$work/json" CONTENT_TYPE=application/json \
        rate 4 / -s Benchmarks/odata_post.lua)
    results[$backend,bulk]=$(PER_REQUEST=1000 BODY_FILE="$work/bulk" CONTENT_TYPE=application/json \
        TARGET=/api/v1/items rate 4 / -s Benchmarks/odata_post.lua)
    stop_server
  fi

    url=
    if [ "$backend" = postgres ]; then
        metadata_database="entityhub_bench_metadata_$$"
        "$psql" -q "$ENTITYHUB_BENCH_DATABASE_URL" -c "CREATE DATABASE $metadata_database"
        url=$(database_named "$metadata_database")
    fi
    start_server "$backend" "$work/schema-500.json" "$url"
    curl -fs -o /dev/null "$base/odata/\$metadata"
    # As clients ask for it (python-odata through requests, Power BI: Accept-Encoding: gzip), and without.
    paired metadata "GZIP=1 TARGET='/odata/\$metadata'" health "TARGET=/health" Benchmarks/static_get.lua
    results[$backend,metadataplain]=$(TARGET='/odata/$metadata' rate 32 / -s Benchmarks/static_get.lua)
    results[$backend,metadatasize]="$(curl -fs -H 'Accept-Encoding: gzip' "$base/odata/\$metadata" | wc -c) / $(
        curl -fs "$base/odata/\$metadata" | wc -c)"
    stop_server
    if [ -n "$metadata_database" ]; then
        "$psql" -q "$ENTITYHUB_BENCH_DATABASE_URL" -c "DROP DATABASE $metadata_database"
        metadata_database=
    fi
done

cell() { echo "${results[$1,$2]:-–}"; }
ratio() { python3 -c "import sys; a, b = sys.argv[1:]; print(f'{float(a) / float(b):.2f}' if a not in ('', '–') and b not in ('', '–', '0') else '–')" "$(cell "$1" "$2")" "$(cell "$1" "$3")"; }
row() { echo "| $1 | $(cell sqlite "$2") | $(cell postgres "$2") |"; }
ratio_row() { echo "| $1 | **$(ratio sqlite "$2" "$3")** | **$(ratio postgres "$2" "$3")** |"; }
echo
echo "| benchmark ($entities entities, $duration per row) | SQLite | PostgreSQL |"
echo "|---|---|---|"
row "GET /odata/items?\$filter=status eq 'X'&\$top=100&\$skip=N&\$count=true, requests/s" list
row "GET /api/v1/items?eq(status,X)&limit=100&offset=N (REST, counts), requests/s" restlist
ratio_row "ratio OData / REST (target ≥ 0.9)" list restlist
row "the same OData list without \$count, requests/s" listnc
row "the same REST list with Prefer: count=none, requests/s" restlistnc
ratio_row "ratio OData / REST without counts" listnc restlistnc
row "GET /odata/items('ID'), requests/s" get
row "GET /api/v1/items/ID (REST), requests/s" restget
ratio_row "ratio OData / REST (target ≥ 0.9)" get restget
row "\$batch: one multipart changeset of 1,000 POSTs, entities/s (4 connections)" multipart
row "\$batch: one JSON atomicity group of 1,000 POSTs, entities/s (4 connections)" json
row "REST bulk create of 1,000, entities/s (4 connections)" bulk
ratio_row "ratio multipart changeset / REST bulk (target ≥ 0.5)" multipart bulk
ratio_row "ratio JSON batch / REST bulk (target ≥ 0.5)" json bulk
row "GET /odata/\$metadata of 500 collections, Accept-Encoding: gzip, requests/s" metadata
row "GET /health, requests/s" health
ratio_row "ratio \$metadata / /health (target ≥ 0.8)" metadata health
row "the same \$metadata without Accept-Encoding, requests/s" metadataplain
ratio_row "ratio \$metadata without gzip / /health" metadataplain health
row "size of that \$metadata, gzip / as it is, bytes" metadatasize
