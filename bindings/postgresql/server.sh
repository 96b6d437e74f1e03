# server.sh -- sourced by run_tests.sh and bench.sh: build and install the
# extension, start a private PostgreSQL server, load CSV tables into it.
# Expects me, here, build, pg_bin and fail() from the script that sources
# it; sets tmp (the server's directory, removed on exit).

# install_extension: build with PGXS under BUILD_ROOT and make install into
# the server's directories (needs root, as CI runs it). Those directories
# are the machine's, shared by every build: a lock, held until the calling
# script exits, keeps a second build (another worktree, a sanitizer build)
# from replacing servgap.so under this one's server. It waits, not fails.
install_extension() {
    local out=$build/bindings/postgresql/pgxs lock=${TMPDIR:-/tmp}/servgap-postgresql.lock
    exec {lock_fd}>>"$lock"
    flock "$lock_fd"
    mkdir -p "$out"
    make -s -C "$out" -f "$here/Makefile" VPATH="$here" PG_CONFIG="$pg_bin/pg_config" -j2
    make -s -C "$out" -f "$here/Makefile" VPATH="$here" PG_CONFIG="$pg_bin/pg_config" install ||
        fail "make install failed: installing into $("$pg_bin/pg_config" --pkglibdir) needs root"
}

# The server runs as postgres when the script runs as root (it refuses
# root); otherwise as the caller.
as_server=()
((EUID == 0)) && as_server=(runuser -u postgres --)

# stop_server: the EXIT trap. Stops the server, whatever happened, and
# removes its directory; on failure shows the end of its log first.
stop_server() {
    local rc=$?
    if ((rc != 0)) && [[ -f $tmp/server.log ]]; then
        echo "$me: the server's log (its last 30 lines), before it goes with $tmp:" >&2
        tail -n 30 "$tmp/server.log" >&2
    fi
    if [[ -f $tmp/data/postmaster.pid ]]; then
        "${as_server[@]}" "$pg_bin/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
}

# start_server: initdb into a new temporary directory and pg_ctl start,
# listening on a Unix socket in that directory only (no TCP port): two
# builds running at once each have their own directory, socket and server.
start_server() {
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/servgap-pg.XXXXXX")
    ((EUID == 0)) && chown postgres "$tmp"
    trap stop_server EXIT
    # meson's timeout and Ctrl-C send signals: exit through the EXIT trap.
    trap 'exit 143' TERM
    trap 'exit 130' INT
    "${as_server[@]}" "$pg_bin/initdb" -D "$tmp/data" -A trust -U postgres --no-sync \
        >"$tmp/initdb.log" 2>&1 || fail "initdb failed: $(cat "$tmp/initdb.log")"
    "${as_server[@]}" "$pg_bin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w \
        -o "-k $tmp -c listen_addresses='' -c max_worker_processes=8 -c max_parallel_workers=8" \
        start >/dev/null || fail "the server did not start: $(cat "$tmp/server.log")"
}

# psql_ ARGS...: the server's database over the socket, stopping at an error.
psql_() {
    psql -X -q -t -A -v ON_ERROR_STOP=1 -h "$tmp" -U postgres -d postgres "$@"
}

server_up() {
    [[ $(psql_ -c 'SELECT 1') == 1 ]] || fail "the server is not answering after: $1"
}

# load_tables DIR: CREATE EXTENSION, the tables (tests/load_sample.sql) and
# the CSV files of DIR in them.
load_tables() {
    local t
    psql_ -c 'CREATE EXTENSION servgap'
    psql_ -f "$here/tests/load_sample.sql"
    for t in metrics accounts importance efforts plans observations; do
        psql_ -c "\\copy $t from '$1/$t.csv' with (format csv, header true)"
    done
}
