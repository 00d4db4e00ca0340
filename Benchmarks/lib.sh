# Shared start of the benchmark scripts: source it from the repository root, then call
#   bench_prepare "$0" "$entities" "$duration" "$backends"
# which checks for wrk, re-runs the script inside a throwaway PostgreSQL cluster
# (scripts/with-test-postgres, tuned for bulk loads) when PostgreSQL is among the backends and neither
# $ENTITYHUB_BENCH_DATABASE_URL nor $ENTITYHUB_TEST_DATABASE_URL names a server, exports
# ENTITYHUB_BENCH_DATABASE_URL, builds the release binary and sets $bin to it ($ENTITYHUB_BIN, when set, is
# the binary to run instead: no build). It also sets $admin_key, the admin key the servers start with
# (ENTITYHUB_ADMIN_KEY), and owner_key BASE prints the Authorization value of a new API key of the user
# "bench" (created on first call). Then
#   bench_workspace
# makes a temporary folder $work and, on exit, stops the server whose pid is in $server and removes
# $work; free_port prints a free port on 127.0.0.1.
bench_prepare() {
    local script=$1 entities=$2 duration=$3 backends=$4
    command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
    if [[ " $backends " == *" postgres "* && -z "${ENTITYHUB_BENCH_DATABASE_URL:-}" ]]; then
        if [ -z "${ENTITYHUB_TEST_DATABASE_URL:-}" ]; then
            PG_SETTINGS="-c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min" \
                exec scripts/with-test-postgres "$script" "$entities" "$duration" "$backends"
        fi
        export ENTITYHUB_BENCH_DATABASE_URL="$ENTITYHUB_TEST_DATABASE_URL"
    fi
    if [ -n "${ENTITYHUB_BIN:-}" ]; then
        bin=$ENTITYHUB_BIN
    else
        swift build -c release --product entityhub >&2
        bin="$(swift build -c release --show-bin-path)/entityhub"
    fi
    admin_key="BENCH-ADMIN:$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
}

owner_key() {
    curl -fs -X POST -H "Authorization: ApiKey $admin_key" -H 'Content-Type: application/json' \
        -d '{"name":"bench"}' "$1/api/v1/_admin/users" >/dev/null || true
    curl -fs -X POST -H "Authorization: ApiKey $admin_key" "$1/api/v1/_admin/users/bench/keys" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["authorization"])'
}

bench_workspace() {
    work=$(mktemp -d)
    server=
    trap 'if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
