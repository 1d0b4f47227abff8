#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server for tento's store tests:
#   ci/with-postgres.sh cargo test --workspace --all-features
# The server lives in a temporary folder, listens on 127.0.0.1 only, trusts local
# connections, and is stopped and deleted when the command ends (or fails, or is
# interrupted). The command gets its URL in TENTO_TEST_POSTGRES_URL. When that variable
# is already set, the command runs against that server instead and nothing is started.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: ci/with-postgres.sh COMMAND [ARG...]" >&2
    exit 2
fi
if [[ -n "${TENTO_TEST_POSTGRES_URL:-}" ]]; then
    exec "$@"
fi

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [[ -z "$(bindir)" ]] && ! command -v initdb >/dev/null; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "with-postgres: installing Debian's postgresql package" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
        echo "with-postgres: PostgreSQL is not installed; install it (Debian: apt-get install postgresql) or set TENTO_TEST_POSTGRES_URL" >&2
        exit 1
    fi
fi
bin="$(bindir)"
bin="${bin:-$(dirname "$(command -v initdb)")}"

# PostgreSQL refuses to run as root: as root, the server runs as the package's
# `postgres` user; otherwise as whoever runs this.
run=()
if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    run=(runuser -u postgres --)
fi

dir="$(mktemp -d /tmp/tento-postgres.XXXXXX)"
chmod 755 "$dir"
[[ ${#run[@]} -gt 0 ]] && chown postgres "$dir"
stop() {
    "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT INT TERM

"${run[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
# Tests make their own databases and many connections (four host processes at once).
started=""
for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    if "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=off" start >/dev/null; then
        started=1
        break
    fi
done
if [[ -z "$started" ]]; then
    cat "$dir/server.log" >&2
    echo "with-postgres: the server did not start" >&2
    exit 1
fi

export TENTO_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL at $TENTO_TEST_POSTGRES_URL" >&2
"$@"
