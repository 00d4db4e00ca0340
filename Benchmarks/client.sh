#!/usr/bin/env bash
# EntityClient and CLI benchmark against a release build on the embedded SQLite store:
#   1. iterate ITERATE entities through a ResourceSet (page size 1,000), next to curl fetching the same
#      pages on one keep-alive connection;
#   2. `entityhub import` of IMPORT JSON Lines records (bulk requests of 1,000, 2 in flight);
#   3. `entityhub export` of the imported collection to JSON Lines.
# Usage: Benchmarks/client.sh [ITERATE=100000] [IMPORT=1000000]
# Needs: curl, python3. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
iterate=${1:-100000}
import=${2:-1000000}

swift build -c release --product entityhub >&2
bin="$(swift build -c release --show-bin-path)/entityhub"
swift build -c release --package-path Benchmarks/ClientIteration >&2
iterator="$(swift build -c release --package-path Benchmarks/ClientIteration --show-bin-path)/ClientIteration"

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
# The server starts with this admin key; every client below signs its requests with it.
admin_key="BENCH-ADMIN:$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
export ENTITYHUB_API_KEY="ApiKey $admin_key" AUTHORIZATION="ApiKey $admin_key"
ENTITYHUB_ADMIN_KEY="$admin_key" "$bin" serve --port "$port" --data "$work/data" --schema Benchmarks/schema.json \
    --log-level warning >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -fs "$base/health" >/dev/null && break; sleep 0.1; done

echo "seeding $iterate entities..." >&2
python3 Benchmarks/seed.py "$base" "$iterate" 1000 2 >&2

seconds() { python3 -c "import sys; print(f'{float(sys.argv[1]):.2f}')" "$1"; }
now() { date +%s.%N; }

read -r count best rate < <("$iterator" "$base" items 1000 3)
urls=()
for ((offset = 0; offset < iterate; offset += 1000)); do
    urls+=(-o /dev/null -H "Authorization: $AUTHORIZATION" "$base/api/v1/items?ordering(id)&limit=1000&offset=$offset")
done
curl_best=1000000
for _ in 1 2 3; do
    start=$(now)
    curl -fsS "${urls[@]}"
    elapsed=$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$(now)")
    curl_best=$(python3 -c "import sys; print(min(float(sys.argv[1]), float(sys.argv[2])))" "$curl_best" "$elapsed")
done
curl_rate=$(python3 -c "import sys; print(int(int(sys.argv[1]) / float(sys.argv[2])))" "$iterate" "$curl_best")

echo "generating $import JSON Lines records..." >&2
python3 - "$import" >"$work/import.jsonl" <<'PY'
import json, sys
statuses = ["draft", "published", "endofsale", "archived", "review"]
out = sys.stdout
for n in range(int(sys.argv[1])):
    out.write(json.dumps({"name": f"record {n} gadget", "status": statuses[n % 5],
                          "price": round((n % 10000) / 100 + 0.5, 2), "qty": n % 89}) + "\n")
PY
start=$(now)
"$bin" import imports "$work/import.jsonl" --endpoint "$base" --progress none >&2
import_seconds=$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$(now)")
import_rate=$(python3 -c "import sys; print(int(int(sys.argv[1]) / float(sys.argv[2])))" "$import" "$import_seconds")

start=$(now)
"$bin" export imports --endpoint "$base" --output "$work/export.jsonl" >&2
export_seconds=$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$(now)")
exported=$(wc -l <"$work/export.jsonl")
export_rate=$(python3 -c "import sys; print(int(int(sys.argv[1]) / float(sys.argv[2])))" "$exported" "$export_seconds")

echo
echo "| benchmark | entities | seconds | entities/s |"
echo "|---|---|---|---|"
echo "| ResourceSet iteration, page size 1,000 (best of 3) | $count | $(seconds "$best") | $rate |"
echo "| curl, the same pages on one connection (best of 3) | $iterate | $(seconds "$curl_best") | $curl_rate |"
echo "| entityhub import, JSON Lines, batches of 1,000 | $import | $(seconds "$import_seconds") | $import_rate |"
echo "| entityhub export, JSON Lines, pages of 1,000 | $exported | $(seconds "$export_seconds") | $export_rate |"
