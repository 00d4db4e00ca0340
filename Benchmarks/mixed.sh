#!/usr/bin/env bash
# Reads under writes (issue 16), against a release build, on the embedded SQLite store and on PostgreSQL. A
# private collection `products` (Benchmarks/products-schema.json: status indexed) gets ENTITIES products from
# the user `bench` (Benchmarks/products_seed.py: status published, draft, review or archived in turn, so that
# eq(status,published) matches a quarter of them), then wrk runs, with bench's API key, on CONNECTIONS
# connections (one per wrk thread: Benchmarks/mixed.lua times each kind of request itself):
#   read-only: 85 % GET /api/v1/products/ID (a random id out of 100,000 of the seeded ones), 15 % the filtered
#              list GET /api/v1/products?eq(status,published)&limit=50&offset=N, N one of 0, 50, … 250, with
#              the exact total in Content-Range (every answer checked for it);
#   mixed:     75 % GET by id, the same 15 % of lists, 7 % PATCH of a random seeded product (a new price, and
#              half the time a status out of the four, so the totals change), 3 % POST of a new product (half
#              of them published).
# Each phase runs DURATION after a read-only warm-up of WARMUP (5s). Printed: requests/s of both, their ratio,
# p99 of every request and p50/p99 of the filtered lists in each phase, answers that were not 2xx, and the
# server's anonymous resident memory (RssAnon; VmRSS also counts mapped database pages) after the seed and after each phase. Latencies are as measured, from the
# request to its answer; wrk's own percentiles (Benchmarks/run.sh's tables) are higher in the tail, since
# wrk adds the answers a connection would have waited for had it sent at a steady rate (its correction for
# coordinated omission): the p99 of every request is printed both ways. Then, on SQLite, a mixed run of SOAK
# seconds with the server's RssAnon sampled every 30 s (SAMPLE), and its growth from the first sample to the last.
# Targets (issue 16): on SQLite, mixed ≥ 0.7 × read-only; filtered-list p99 < 20 ms at 64 connections with
# writes.
# Usage: [CONNECTIONS=64] [SOAK=600] Benchmarks/mixed.sh [ENTITIES=1000000] [DURATION=30s] [BACKENDS="sqlite postgres"]
# (SOAK=0 skips the long run.) $ENTITYHUB_BIN, when set, is the server binary to run instead of a fresh
# release build. PostgreSQL: $ENTITYHUB_BENCH_DATABASE_URL (an empty database), or else a throwaway cluster
# from scripts/with-test-postgres (durable settings, as Benchmarks/run.sh). Needs: wrk (with LuaJIT, as
# Debian's), python3, curl, psql for PostgreSQL. Prints Markdown tables.
set -euo pipefail
cd "$(dirname "$0")/.."
entities=${1:-1000000}
duration=${2:-30s}
backends=${3:-sqlite postgres}
connections=${CONNECTIONS:-64}
soak=${SOAK:-600}
sample=${SAMPLE:-30}
source Benchmarks/lib.sh
bench_prepare "$0" "$entities" "$duration" "$backends"
psql="${ENTITYHUB_TEST_PG_BIN:+$ENTITYHUB_TEST_PG_BIN/}psql"

work=$(mktemp -d)
server=
load=
cleanup() {
    for pid in $load $server; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# The server's anonymous resident memory (RssAnon: what it allocates), MiB. VmRSS also counts the pages of
# the database file that SQLite's readers map (a mapping per connection, each counted), so it says more
# about the page cache than about the server; vmrss prints it too.
rss() { awk '/^RssAnon:/ {printf "%.0f", $2 / 1024}' "/proc/$server/status"; }
vmrss() { awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$server/status"; }

# mix mode seconds-or-duration output: wrk with one connection per thread, in the background ($load)
mix() {
    IDS_FILE="$work/ids" wrk -t"$connections" -c"$connections" -d"$2" --timeout 30s -s Benchmarks/mixed.lua \
        "$base/" -- "$1" >"$3" 2>&1 &
    load=$!
}
finish() { # output label → results[$backend,label.KEY] from mixed.lua's lines; wrk's own errors to stderr
    wait "$load"; load=
    grep -q '^mixed rps' "$1" || { echo "$backend $2: wrk failed:" >&2; cat "$1" >&2; exit 1; }
    while read -r _ key value; do results[$backend,$2.$key]=$value; done < <(grep '^mixed ' "$1")
    if grep -q -e "Non-2xx" -e "Socket errors" "$1"; then
        echo "$backend $2: $(grep -e Non-2xx -e 'Socket errors' "$1" | tr -s ' ' | tr '\n' ' ')" >&2
    fi
}

declare -A results
for backend in $backends; do
    port=$(free_port)
    store=(--data "$work/data-$backend")
    if [ "$backend" = postgres ]; then store=(--database "$ENTITYHUB_BENCH_DATABASE_URL"); fi
    ENTITYHUB_ADMIN_KEY="$admin_key" "$bin" serve --port "$port" "${store[@]}" \
        --schema Benchmarks/products-schema.json --log-level warning >>"$work/server.log" 2>&1 &
    server=$!
    base="http://127.0.0.1:$port"
    for _ in $(seq 300); do curl -fs "$base/health" >/dev/null && break; sleep 0.1; done
    AUTHORIZATION=$(owner_key "$base")
    export AUTHORIZATION
    echo "$backend: $(IDS_FILE="$work/all-ids" python3 Benchmarks/products_seed.py "$base" "$entities" 1000 2)" >&2
    if [ "$backend" = postgres ]; then
        # Vacuumed now, so that autovacuum does not start on the new rows in a measured phase.
        "$psql" -q "$ENTITYHUB_BENCH_DATABASE_URL" -c "VACUUM ANALYZE entities"
    fi
    shuf -n 100000 "$work/all-ids" >"$work/ids"
    echo "$backend: eq(status,published): $(curl -fsi -H "Authorization: $AUTHORIZATION" \
        "$base/api/v1/products?eq(status,published)&limit=50&offset=250" | grep -i '^Content-Range' | tr -d '\r')" >&2
    results[$backend,rss.seeded]=$(rss)

    mix read "${WARMUP:-5s}" "$work/warmup.out"; finish "$work/warmup.out" warmup
    mix read "$duration" "$work/read.out"; finish "$work/read.out" read
    results[$backend,rss.read]=$(rss)
    mix mixed "$duration" "$work/mixed.out"; finish "$work/mixed.out" mixed
    results[$backend,rss.mixed]=$(rss)
    results[$backend,vmrss.mixed]=$(vmrss)

    if [ "$backend" = sqlite ] && [ "$soak" -gt 0 ]; then
        echo "$backend: mixed run of ${soak} s, RssAnon every ${sample} s..." >&2
        samples="0 s: $(rss)"
        first=$(rss)
        start=$SECONDS
        mix mixed "${soak}s" "$work/soak.out"
        for ((t = sample; t < soak; t += sample)); do
            sleep $((start + t > SECONDS ? start + t - SECONDS : 0))
            samples+=", $t s: $(rss)"
        done
        finish "$work/soak.out" soak
        last=$(rss)
        samples+=", $((SECONDS - start)) s (end): $last"
        results[$backend,soak.samples]=$samples
        results[$backend,soak.growth]=$(python3 -c "import sys; a, b = map(int, sys.argv[1:]); print(f'{b - a:+d} MiB ({(b - a) / a:+.0%})')" "$first" "$last")
    fi
    kill "$server"; wait "$server" 2>/dev/null || true; server=
done

cell() { echo "${results[$1,$2]:--}"; }
row() { echo "| $1 | $("$2" sqlite "${@:3}") | $("$2" postgres "${@:3}") |"; } # label function args…
rate() { python3 -c "import sys; print(sys.argv[1] if sys.argv[1] == '-' else f'{float(sys.argv[1]):,.0f}')" "$(cell "$1" "$2")"; }
ratio() {
    python3 -c "import sys; a, b = sys.argv[1:]; print(f'**{float(a) / float(b):.2f}**' if '-' not in (a, b) else '-')" \
        "$(cell "$1" mixed.rps)" "$(cell "$1" read.rps)"
}
cells() { # backend separator key… → the cells joined by the separator
    local b=$1 separator=$2 out= key; shift 2
    for key in "$@"; do out+="${out:+$separator}$(cell "$b" "$key")"; done
    echo "$out"
}
errors() { # backend phase → "N (get / list / patch / post); lists without a total; socket errors"
    local b=$1 p=$2 kind total=0
    [ "$(cell "$b" "$p.rps")" = - ] && { echo -; return; }
    for kind in get list patch post; do total=$((total + $(cell "$b" "$p.${kind}_non2xx"))); done
    echo "$total ($(cells "$b" " / " "$p.get_non2xx" "$p.list_non2xx" "$p.patch_non2xx" "$p.post_non2xx"));" \
        "$(cell "$b" "$p.list_without_total") lists without a total; $(cell "$b" "$p.socket_errors") socket errors"
}
echo
echo "| issue 16: $entities products, $connections connections, $duration per phase | SQLite | PostgreSQL |"
echo "|---|---|---|"
row "read-only (85 % GET by id, 15 % filtered lists): requests/s" rate read.rps
row "mixed (75 % GET by id, 15 % filtered lists, 7 % PATCH, 3 % POST): requests/s" rate mixed.rps
row "**ratio mixed ÷ read-only** (target on SQLite ≥ 0.7)" ratio
row "read-only: p99 of every request, ms (as measured / wrk's)" cells " / " read.all_p99_ms read.wrk_p99_ms
row "read-only: filtered list p50 / p99, ms" cells " / " read.list_p50_ms read.list_p99_ms
row "mixed: p99 of every request, ms (as measured / wrk's)" cells " / " mixed.all_p99_ms mixed.wrk_p99_ms
row "**mixed: filtered list p50 / p99, ms** (target p99 < 20 ms)" cells " / " mixed.list_p50_ms mixed.list_p99_ms
row "mixed: p99 of GET by id / PATCH / POST, ms" cells " / " mixed.get_p99_ms mixed.patch_p99_ms mixed.post_p99_ms
row "read-only: answers not 2xx (get / list / patch / post)" errors read
row "mixed: answers not 2xx (get / list / patch / post)" errors mixed
row "server RssAnon, MiB: after the seed / after read-only / after mixed" cells " / " rss.seeded rss.read rss.mixed
row "server VmRSS (with the mapped database pages), MiB, after mixed" cells " / " vmrss.mixed
if [ -n "${results[sqlite,soak.samples]:-}" ]; then
    echo
    echo "| SQLite, mixed for $soak s, $connections connections | |"
    echo "|---|---|"
    echo "| requests/s | $(rate sqlite soak.rps) |"
    echo "| p99 of every request (as measured / wrk's), ms | $(cells sqlite " / " soak.all_p99_ms soak.wrk_p99_ms) |"
    echo "| filtered list p50 / p99, ms | $(cells sqlite " / " soak.list_p50_ms soak.list_p99_ms) |"
    echo "| answers not 2xx (get / list / patch / post) | $(errors sqlite soak) |"
    echo "| server RssAnon every $sample s, MiB | $(cell sqlite soak.samples) |"
    echo "| **RssAnon growth, first sample to last** | **$(cell sqlite soak.growth)** |"
fi
