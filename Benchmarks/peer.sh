#!/usr/bin/env bash
# EntityHub beside a peer, datasette (issue 16): the same ROWS products (id, status, price, name; status
# indexed, four values, a quarter of the rows each) served by EntityHub on its embedded SQLite store
# (seeded through its API, Benchmarks/products_seed.py) and by datasette on a SQLite file with the same
# rows (written by the same script from EntityHub's answers: the same ids; index on (status, id), since
# datasette lists in primary-key order). wrk with the same connections on both, one row at a time, each
# side after a short warm-up (Benchmarks/peer.lua; every answer checked):
#   (a) one row by a random id: GET /api/v1/products/ID vs /peer/products/ID.json
#   (b) the first page of 100 of status = X with the number of matches: ?eq(status,X)&limit=100 (the total in
#       Content-Range) vs /peer/products.json?status=X&_size=100 (filtered_table_rows_count)
#   (c) the same without the number: Prefer: count=none vs &_nocount=1
# Target (issue 16): EntityHub ≥ 20 × datasette on each row.
# datasette runs with what serves it fastest: --immutable, no facets (allow_facet and suggest_facets off),
# num_sql_threads = the cores, sql_time_limit_ms raised so that no count is cut short under load (at its
# default of 1 s datasette answers without the count), uvicorn with uvloop and httptools, in one process
# (datasette serve has no workers), its access log off. --nolock only matters for a file another program
# holds locked, and default_facet_size only for requested facets, so neither is set.
# Usage: [CONNECTIONS=16] [ACCESS=public|private] Benchmarks/peer.sh [ROWS=1000000] [DURATION=15s]
# ACCESS=public (the default): EntityHub's collection is public-read and read anonymously, as datasette's
# table is (no credential to check, no access filter); ACCESS=private: a private collection read with the
# key of the user who wrote it. $ENTITYHUB_BIN, when set, is the server binary to run instead of a fresh
# release build. datasette 0.65.5 is installed in .build/datasette-venv (pip) when missing.
# Needs: wrk, python3 (with venv), curl. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
duration=${2:-15s}
connections=${CONNECTIONS:-16}
access=${ACCESS:-public}
source Benchmarks/lib.sh
bench_prepare "$0" "$rows" "$duration" sqlite
venv=.build/datasette-venv
if ! "$venv/bin/python" -c 'import datasette, uvloop, httptools' 2>/dev/null; then
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'datasette==0.65.5' uvloop httptools
fi

work=$(mktemp -d)
server=
peer=
cleanup() {
    for pid in $server $peer; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

wait_for() { # URL
    for _ in $(seq 600); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
    echo "no answer from $1" >&2; exit 1
}

# EntityHub, seeded through its API; the answers give datasette's file and the ids.
case "$access" in
    public) access_member=', "access": "public-read"' ;;
    private) access_member= ;;
    *) echo "ACCESS is public or private" >&2; exit 2 ;;
esac
cat >"$work/schema.json" <<JSON
{"collections": {"products": {"fields": {"name": {"type": "string"}, "status": {"type": "string"},
    "price": {"type": "decimal"}}, "indexes": ["status"]$access_member}}}
JSON
port=$(free_port)
ENTITYHUB_ADMIN_KEY="$admin_key" "$bin" serve --port "$port" --data "$work/data" --schema "$work/schema.json" \
    --log-level warning >>"$work/server.log" 2>&1 &
server=$!
hub="http://127.0.0.1:$port"
wait_for "$hub/health"
key=$(owner_key "$hub")
echo "entityhub: $(AUTHORIZATION="$key" IDS_FILE="$work/all-ids" SQLITE_FILE="$work/peer.db" \
    python3 Benchmarks/products_seed.py "$hub" "$rows" 1000 2)" >&2
shuf -n 100000 "$work/all-ids" >"$work/ids"
read_key=
if [ "$access" = private ]; then read_key=$key; fi

# datasette: `datasette serve --immutable` itself, but for uvicorn's access log (a line per request on
# stdout), turned off.
peer_port=$(free_port)
"$venv/bin/python" - "$work/peer.db" "$peer_port" "$(nproc)" >"$work/datasette.log" 2>&1 <<'PY' &
import sys
import uvicorn
from datasette import cli

path, port, cores = sys.argv[1:]
run = uvicorn.run
uvicorn.run = lambda app, **options: run(app, **{**options, "log_level": "warning", "access_log": False})
cli.cli(["serve", "--immutable", path, "--host", "127.0.0.1", "--port", port,
         "--setting", "num_sql_threads", cores, "--setting", "suggest_facets", "off",
         "--setting", "allow_facet", "off", "--setting", "sql_time_limit_ms", "60000"])
PY
peer=$!
dset="http://127.0.0.1:$peer_port"
wait_for "$dset/peer/products.json?_size=1"

# One answer of each by hand: same rows, the totals where they should be.
id=$(head -1 "$work/ids")
auth=(); if [ -n "$read_key" ]; then auth=(-H "Authorization: $read_key"); fi
python3 - "$id" <(curl -fs "${auth[@]}" "$hub/api/v1/products/$id") <(curl -fs "$dset/peer/products/$id.json") \
    <(curl -fsi "${auth[@]}" "$hub/api/v1/products?eq(status,published)&limit=100") \
    <(curl -fs "$dset/peer/products.json?status=published&_size=100") \
    <(curl -fsi "${auth[@]}" -H 'Prefer: count=none' "$hub/api/v1/products?eq(status,published)&limit=100") \
    <(curl -fs "$dset/peer/products.json?status=published&_size=100&_nocount=1") <<'PY' >&2
import json, re, sys
wanted, hub_row, peer_row, hub_page, peer_page, hub_nocount, peer_nocount = sys.argv[1:]
def head_body(path):
    text = open(path, newline="").read()
    head, _, body = text.partition("\r\n\r\n")
    return head, json.loads(body)
entity = json.load(open(hub_row))
peer = json.load(open(peer_row))
row = dict(zip(peer["columns"], peer["rows"][0]))
assert entity["id"] == row["id"] == wanted and entity["status"] == row["status"] and entity["name"] == row["name"], (entity, row)
head, page = head_body(hub_page)
total = re.search(r"Content-Range: items \d+-\d+/(\d+|\*)", head).group(1)
listed = json.load(open(peer_page))
assert len(page) == len(listed["rows"]) == 100, (len(page), len(listed["rows"]))
assert [e["id"] for e in page] == [r[0] for r in listed["rows"]], "the first pages differ"
assert total == str(listed["filtered_table_rows_count"]), (total, listed["filtered_table_rows_count"])
head, _ = head_body(hub_nocount)
assert re.search(r"Content-Range: items 0-99/\*", head), head
assert json.load(open(peer_nocount))["filtered_table_rows_count"] is None
print(f"checked: the same row by id; the same first page of 100 of {total} published (total in Content-Range"
      " and filtered_table_rows_count), none without the count")
PY

measure() { # target row base → "rps p50 p99" (wrk_summary.py), after a short warm-up
    local target=$1 row=$2 url=$3
    TARGET=$target ROW=$row IDS_FILE="$work/ids" AUTHORIZATION=$read_key \
        wrk -t2 -c"$connections" -d"${WARMUP:-3s}" -s Benchmarks/peer.lua "$url/" >/dev/null
    TARGET=$target ROW=$row IDS_FILE="$work/ids" AUTHORIZATION=$read_key \
        wrk -t2 -c"$connections" -d"$duration" --timeout 30s --latency -s Benchmarks/peer.lua "$url/" >"$work/wrk.out"
    local bad
    bad=$(awk '/^peer bad/ {print $3}' "$work/wrk.out")
    if [ "$bad" != 0 ] || grep -q -e "Non-2xx" -e "Socket errors" "$work/wrk.out"; then
        echo "$target $row: $bad answers not 200 or not as asked; $(grep -e Non-2xx -e 'Socket errors' "$work/wrk.out" | tr -s ' ')" >&2
    fi
    python3 Benchmarks/wrk_summary.py "$work/wrk.out"
}

echo
echo "| $rows products, wrk $connections connections, $duration per side ($access) | EntityHub req/s | datasette req/s | EntityHub ÷ datasette (target ≥ 20×) | p99 EntityHub | p99 datasette |"
echo "|---|---|---|---|---|---|"
for row in get count nocount; do
    case $row in
        get) label="(a) one row by id" ;;
        count) label="(b) first page of 100 of status = X, with the total" ;;
        nocount) label="(c) the same without the total" ;;
    esac
    read -r hub_rps _ hub_p99 < <(measure entityhub "$row" "$hub")
    read -r peer_rps _ peer_p99 < <(measure datasette "$row" "$dset")
    ratio=$(python3 -c "import sys; a, b = (float(x.replace(',', '')) for x in sys.argv[1:]); print(f'{a / b:.1f}×' if b else '–')" \
        "$hub_rps" "$peer_rps")
    echo "| $label | $hub_rps | $peer_rps | **$ratio** | $hub_p99 | $peer_p99 |"
done
echo
echo "datasette $("$venv/bin/datasette" --version | awk '{print $3}'), one process, num_sql_threads $(nproc);" \
    "EntityHub ($bin) on its embedded SQLite store; wrk and both servers share $(nproc) cores."
