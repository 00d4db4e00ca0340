#!/usr/bin/env bash
# NGSI-LD benchmark (issue 12), against a release build, on the embedded SQLite store and on PostgreSQL:
#   1. batch upsert of 10,000 entities (three attributes, half new) in one application/ld+json request:
#      seconds per request (median of 3) and the server's peak RSS above idle during it;
#   2. wrk: GET /ngsi-ld/v1/entities/{id} and GET /ngsi-ld/v1/entities?type=T&q=temperature>=30&limit=100,
#      each beside its REST equivalent on the same entities, and the ratio NGSI-LD / REST.
# Usage: Benchmarks/ngsild.sh [ENTITIES=100000] [DURATION=15s] [BACKENDS="sqlite postgres"]
# PostgreSQL: $ENTITYHUB_BENCH_DATABASE_URL (an empty database), or a throwaway cluster from
# scripts/with-test-postgres. Needs: wrk, python3, curl. Prints Markdown tables.
set -euo pipefail
cd "$(dirname "$0")/.."
entities=${1:-100000}
duration=${2:-15s}
backends=${3:-sqlite postgres}
source Benchmarks/lib.sh
bench_prepare "$0" "$entities" "$duration" "$backends"
bench_workspace

start_server() { # backend → sets $base and $server
    local port store=(--data "$work/data-$1")
    port=$(free_port)
    if [ "$1" = postgres ]; then store=(--database "$ENTITYHUB_BENCH_DATABASE_URL"); fi
    ENTITYHUB_ADMIN_KEY="BENCH:$(python3 -c 'import secrets; print(secrets.token_hex(16))')" \
        "$bin" serve --port "$port" "${store[@]}" --schema Benchmarks/ngsild-schema.json --log-level warning \
        >>"$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 300); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
    base="http://127.0.0.1:$port"
}

stop_server() {
    kill "$server"; wait "$server" 2>/dev/null || true; server=
}

rss_kib() { awk "/^$1:/ {print \$2}" "/proc/$server/status"; }

rate() { # path wrk-args… → requests/s
    wrk -t2 -c32 -d"$duration" "$@" "$base/" >"$work/wrk.out"
    if grep -q "Non-2xx" "$work/wrk.out"; then grep Non-2xx "$work/wrk.out" >&2; fi
    awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$work/wrk.out"
}

echo
echo "| benchmark ($entities entities) | SQLite | PostgreSQL |"
echo "|---|---|---|"
declare -A results
for backend in $backends; do
    start_server "$backend"
    echo "$backend: $(python3 Benchmarks/ngsild_seed.py seed "$base" "$entities")" >&2
    if [ "$backend" = postgres ]; then
        "${ENTITYHUB_TEST_PG_BIN:+$ENTITYHUB_TEST_PG_BIN/}psql" -q "$ENTITYHUB_BENCH_DATABASE_URL" -c "ANALYZE entities"
    fi
    times=()
    peaks=()
    for round in 0 1 2; do
        # Half of the ids exist (the last 5,000 seeded), half are new.
        python3 Benchmarks/ngsild_seed.py body "$work/upsert.json" $((entities - 5000 + round * 5000)) 10000
        idle=$(rss_kib VmRSS)
        echo 5 >"/proc/$server/clear_refs" 2>/dev/null || true
        # `Expect:` off: for bodies over 1 MB curl asks for 100-continue, which the server does not send,
        # and waits a second before sending the body anyway (ngsildclient and requests do not ask).
        times+=("$(curl -fs -o /dev/null -w '%{time_total}' -X POST -H 'Content-Type: application/ld+json' -H 'Expect:' \
            --data-binary "@$work/upsert.json" "$base/ngsi-ld/v1/entityOperations/upsert")")
        peaks+=($(($(rss_kib VmHWM) - idle)))
    done
    results[$backend,upsert]=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
    results[$backend,rss]=$(($(printf '%s\n' "${peaks[@]}" | sort -n | tail -1) / 1024))
    results[$backend,get]=$(ENTITIES=$entities API=ngsild rate -s Benchmarks/ngsild_get.lua)
    results[$backend,restget]=$(ENTITIES=$entities API=rest rate -s Benchmarks/ngsild_get.lua)
    results[$backend,query]=$(API=ngsild rate -s Benchmarks/ngsild_query.lua)
    results[$backend,restquery]=$(API=rest rate -s Benchmarks/ngsild_query.lua)
    stop_server
done
cell() { echo "${results[$1,$2]:-–}"; }
ratio() { python3 -c "import sys; a, b = sys.argv[1:]; print(f'{float(a) / float(b):.2f}' if a not in ('', '–') and b not in ('', '–') else '–')" "$(cell "$1" "$2")" "$(cell "$1" "$3")"; }
echo "| upsert of 10,000 entities (half new), one ld+json request, s (median of 3) | $(cell sqlite upsert) | $(cell postgres upsert) |"
echo "| server peak RSS above idle during that upsert, MiB (largest of 3) | $(cell sqlite rss) | $(cell postgres rss) |"
echo "| GET /ngsi-ld/v1/entities/{id}, requests/s | $(cell sqlite get) | $(cell postgres get) |"
echo "| GET /api/v1/ngsild/{id} (REST), requests/s | $(cell sqlite restget) | $(cell postgres restget) |"
echo "| ratio NGSI-LD / REST | $(ratio sqlite get restget) | $(ratio postgres get restget) |"
echo "| GET /ngsi-ld/v1/entities?type=T&q=temperature>=30&limit=100, requests/s | $(cell sqlite query) | $(cell postgres query) |"
echo "| GET /api/v1/ngsild?eq(type,T)&ge(temperature.value,30)&limit=100 (REST), requests/s | $(cell sqlite restquery) | $(cell postgres restquery) |"
echo "| ratio NGSI-LD / REST | $(ratio sqlite query restquery) | $(ratio postgres query restquery) |"
