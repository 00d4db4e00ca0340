#!/usr/bin/env bash
# File upload and download benchmark (issue 14), against a release build, on the embedded SQLite store and on
# PostgreSQL: one SIZE_MB file (random bytes) uploaded with PUT /api/v1/_files/{sha256} and downloaded through
# an entity that refers to it, with curl over loopback. Reports MB/s each way and the server's resident memory
# before and at its peak (VmHWM). Targets (issue 14): ≥ 200 MB/s each way, RSS growth < 64 MB.
# Usage: Benchmarks/files.sh [SIZE_MB=1024] [BACKENDS="sqlite postgres"]
# PostgreSQL: $ENTITYHUB_BENCH_DATABASE_URL (an empty database), or a throwaway cluster from
# scripts/with-test-postgres. Needs: python3, curl, sha256sum. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-1024}
# (bench_prepare re-runs the script as `files.sh SIZE_MB - BACKENDS` inside a throwaway PostgreSQL)
backends=${3:-${2:-sqlite postgres}}
source Benchmarks/lib.sh
bench_prepare "$0" "$size_mb" - "$backends"
bench_workspace

admin_key="BENCH-ADMIN:$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
auth="Authorization: ApiKey $admin_key"
rss_kb() { awk -v key="$2:" '$1 == key {print $2}' "/proc/$1/status"; }

head -c "$((size_mb * 1024 * 1024))" /dev/urandom >"$work/file"
sha=$(sha256sum "$work/file" | cut -d' ' -f1)
declare -A results
for backend in $backends; do
    port=$(free_port)
    store=(--data "$work/data-$backend")
    if [ "$backend" = postgres ]; then store=(--database "$ENTITYHUB_BENCH_DATABASE_URL"); fi
    ENTITYHUB_ADMIN_KEY="$admin_key" "$bin" serve --port "$port" "${store[@]}" --files "$work/files-$backend" \
        --max-file-size $((size_mb * 1024 * 1024 + 1)) --log-level warning >>"$work/server.log" 2>&1 &
    server=$!
    base="http://127.0.0.1:$port/api/v1"
    for _ in $(seq 300); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
    before=$(rss_kb "$server" VmRSS)
    up=$(curl -fs -o /dev/null -w '%{time_total}' -H "$auth" -T "$work/file" "$base/_files/$sha")
    id=$(curl -fs -H "$auth" -H 'Content-Type: application/json' -d "{\"doc\": {\"\$file\": \"$sha\"}}" "$base/items" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
    down=$(curl -fs -o "$work/back" -w '%{time_total}' -H "$auth" "$base/items/$id/_files/$sha")
    cmp -s "$work/file" "$work/back" || { echo "the downloaded file differs" >&2; exit 1; }
    peak=$(rss_kb "$server" VmHWM)
    results[$backend,up]=$(python3 -c "print(f'{$size_mb * 1.048576 / $up:,.0f}')")
    results[$backend,down]=$(python3 -c "print(f'{$size_mb * 1.048576 / $down:,.0f}')")
    results[$backend,rss]="$((before / 1024)) → $((peak / 1024)) MB (+$(((peak - before) / 1024)))"
    kill "$server"; wait "$server" 2>/dev/null || true; server=
    rm -f "$work/back"
done

cell() { echo "${results[$1,$2]:-–}"; }
echo
echo "| one file of $size_mb MiB over loopback (curl) | SQLite | PostgreSQL |"
echo "|---|---|---|"
echo "| upload (PUT: streamed to disk, then hashed), MB/s | $(cell sqlite up) | $(cell postgres up) |"
echo "| download through an entity, MB/s | $(cell sqlite down) | $(cell postgres down) |"
echo "| server RSS before → peak | $(cell sqlite rss) | $(cell postgres rss) |"
