#!/usr/bin/env bash
# EntityHub HTTP benchmark: wrk against a release build on the embedded SQLite store.
#   GET /health (the HTTP ceiling), GET an entity by id, a filtered list on an indexed field over
#   ENTITIES entities (page of 100), and bulk create with 1,000 entities per request.
# Usage: Benchmarks/run.sh [ENTITIES=1000000] [DURATION=15s]
# Needs: wrk (apt-get install wrk), python3. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
entities=${1:-1000000}
duration=${2:-15s}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

swift build -c release --product entityhub >&2
bin="$(swift build -c release --show-bin-path)/entityhub"
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
"$bin" serve --port "$port" --data "$work/data" --schema Benchmarks/schema.json --log-level warning >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -fs "$base/health" >/dev/null && break; sleep 0.1; done

echo "seeding $entities entities..." >&2
seed_line=$(python3 Benchmarks/seed.py "$base" "$entities" 1000 2)
echo "$seed_line" >&2
curl -fs "$base/api/v1/items?limit=1000&offset=5000" | python3 -c 'import json,sys; [print(e["id"]) for e in json.load(sys.stdin)]' >"$work/ids"

run() { # name, wrk args...
    local name=$1; shift
    local out
    out=$(wrk -t2 -c32 -d"$duration" --latency "$@")
    local rps p50 p99
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    if grep -q "Non-2xx" <<<"$out"; then echo "$name: $(grep Non-2xx <<<"$out")" >&2; fi
    echo "| $name | $rps | $p50 | $p99 |"
}

echo
echo "| benchmark ($entities entities, wrk -t2 -c32 -d$duration) | requests/s | p50 | p99 |"
echo "|---|---|---|---|"
run "GET /health" "$base/health"
IDS_FILE="$work/ids" run "GET entity by id" -s Benchmarks/get_by_id.lua "$base"
run "filtered list, indexed eq, page of 100" -s Benchmarks/filtered_list.lua "$base"
bulk=$(run "bulk create, 1,000 entities/request" -c4 -s Benchmarks/bulk_create.lua "$base")
echo "$bulk"
rate=$(awk -F'|' '{gsub(/ /,"",$3); print $3 * 1000}' <<<"$bulk")
echo
echo "bulk create: ${rate} entities/s (wrk); seeding: $seed_line"
