#!/usr/bin/env bash
# oaio benchmark (issue 15), against a release build, on the embedded SQLite store and on PostgreSQL: a
# client of the unmodified ae-oaio-client with OBJECTS subscribed objects syncs after one change
# (Benchmarks/oaio.py says what is measured). Runs oaio.py in the venv of the oaio tests
# (.build/oaio-venv, made from Tests/client/requirements-oaio.txt when missing).
# Usage: Benchmarks/oaio.sh [OBJECTS=10000] [SECONDS=10] [BACKENDS="sqlite postgres"]
# PostgreSQL: $ENTITYHUB_BENCH_DATABASE_URL (an empty database), or a throwaway cluster from
# scripts/with-test-postgres. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
objects=${1:-10000}
seconds=${2:-10}
backends=${3:-sqlite postgres}
source Benchmarks/lib.sh
bench_prepare "$0" "$objects" "$seconds" "$backends"
bench_workspace
venv=.build/oaio-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r Tests/client/requirements-oaio.txt
fi

admin_key="BENCH-ADMIN:$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
declare -A results
for backend in $backends; do
    port=$(free_port)
    store=(--data "$work/data-$backend")
    if [ "$backend" = postgres ]; then store=(--database "$ENTITYHUB_BENCH_DATABASE_URL"); fi
    ENTITYHUB_ADMIN_KEY="$admin_key" "$bin" serve --port "$port" "${store[@]}" --log-level warning \
        >>"$work/server.log" 2>&1 &
    server=$!
    base="http://127.0.0.1:$port"
    for _ in $(seq 300); do curl -fs "$base/health" >/dev/null && break; sleep 0.1; done
    while read -r key value; do
        results[$backend,$key]=$value
        echo "$backend: $key $value" >&2
    done < <("$venv/bin/python" Benchmarks/oaio.py "$base" "ApiKey $admin_key" "$objects" "$seconds")
    kill "$server"; wait "$server" 2>/dev/null || true; server=
done

cell() { echo "${results[$1,$2]:-–}"; }
echo
echo "| oaio, $objects objects of one user | SQLite | PostgreSQL |"
echo "|---|---|---|"
echo "| register/, 8 connections: objects/s | $(cell sqlite registered/s) | $(cell postgres registered/s) |"
echo "| first sync of a new device: s | $(cell sqlite first_sync_s) | $(cell postgres first_sync_s) |"
echo "| sync after one change (the client's whole sync): syncs/s | $(cell sqlite syncs/s) | $(cell postgres syncs/s) |"
echo "| GET oaio_stampz/ alone, p50 / p99 ms | $(cell sqlite stampz_p50_ms) / $(cell sqlite stampz_p99_ms) |" \
    "$(cell postgres stampz_p50_ms) / $(cell postgres stampz_p99_ms) |"
echo "| the list's size, bytes | $(cell sqlite stampz_bytes) | $(cell postgres stampz_bytes) |"
