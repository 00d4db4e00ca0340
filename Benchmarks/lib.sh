# Shared start of the benchmark scripts: source it from the repository root, then call
#   bench_prepare "$0" "$entities" "$duration" "$backends"
# which checks for wrk, re-runs the script inside a throwaway PostgreSQL cluster
# (scripts/with-test-postgres, tuned for bulk loads) when PostgreSQL is among the backends and neither
# $ENTITYHUB_BENCH_DATABASE_URL nor $ENTITYHUB_TEST_DATABASE_URL names a server, exports
# ENTITYHUB_BENCH_DATABASE_URL, builds the release binary and sets $bin to it.
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
    swift build -c release --product entityhub >&2
    bin="$(swift build -c release --show-bin-path)/entityhub"
}
