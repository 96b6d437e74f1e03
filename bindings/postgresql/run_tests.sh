#!/usr/bin/env bash
# Build, install and test the PostgreSQL extension against a real
# PostgreSQL 15 server of the test's own (meson test 'postgresql'):
#
#   bash bindings/postgresql/run_tests.sh BUILD_ROOT SOURCE_ROOT
#
# 1. builds bindings/postgresql with PGXS under BUILD_ROOT and installs it
#    into the server's directories (make install: run as root, as CI does);
# 2. initdb's a cluster in a temporary directory, starts it with pg_ctl on
#    a Unix socket only, and stops it on exit (trap), whatever happens
#    (server.sh, which bench.sh shares);
# 3. loads examples/data with \copy and compares, against servgap-report
#    --json on the same CSVs (SERVGAP_REPORT, tests/compare_reports.py):
#    the aggregate's report under a serial plan, a forced parallel plan
#    (Partial Aggregate under Gather, both workers fed), states compacted
#    every 1000 rows (servgap.compact_rows), a window with an analysis
#    date, servgap.negative_share (against the library's report through
#    the Python binding), partition-wise aggregation and servgap_merge of
#    per-partition results; and the rows of servgap_findings,
#    servgap_cells, servgap_triggers and servgap_risk;
# 4. checks that bad rows raise errors naming the row and field, leave
#    nothing behind and keep the server up (and that a report refuses a
#    negative_share other than the state's), and that statement_timeout
#    stops a long analysis inside the library.
#
# It skips (exit 77, loudly) only when PostgreSQL 15's server or its PGXS
# is not installed; CI installs postgresql-15 and postgresql-server-dev-15.
# PG_BIN (default /usr/lib/postgresql/15/bin) picks another installation.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ in the source tree

me=postgresql
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "${1:-${MESON_BUILD_ROOT:?usage: $0 BUILD_ROOT SOURCE_ROOT}}" && pwd)
src=$(cd "${2:-${MESON_SOURCE_ROOT:-$here/../..}}" && pwd)
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
report=${SERVGAP_REPORT:-$build/examples/servgap-report}
library=${SERVGAP_LIBRARY:-$build/libservgap.so}
data=${SERVGAP_DATA:-$src/examples/data}

fail() {
    echo "$me: FAIL: $*" >&2
    exit 1
}

if [[ ! -x $pg_bin/initdb || ! -x $pg_bin/pg_config ]] ||
    [[ ! -f $("$pg_bin/pg_config" --pgxs 2>/dev/null) ]]; then
    echo "################################################################" >&2
    echo "$me: SKIPPED: PostgreSQL 15 is not installed ($pg_bin has no" >&2
    echo "$me: initdb, or no PGXS). Install it to run this test:" >&2
    echo "$me:   apt-get install -y postgresql-15 postgresql-server-dev-15" >&2
    echo "################################################################" >&2
    exit 77
fi
[[ -x $report ]] || fail "no servgap-report at $report (build it first: ninja -C $build)"

# --- a private server with the sample data and its reference report ----
source "$here/server.sh"
install_extension
start_server
load_tables "$data"
"$report" --data "$data" --json --level full >"$tmp/reference.json"

# The aggregate of the rows of FROM, with every definitions table.
state_sql() {
    echo "servgap_agg((SELECT servgap_definitions('TABLE metrics', 'TABLE accounts')),
        \"time\", account, tier, touchpoint, metric, viewpoint, value, team, driver, respondent)"
}
definitions="metrics => 'TABLE metrics', accounts => 'TABLE accounts',
    importance => 'TABLE importance', efforts => 'TABLE efforts', plans => 'TABLE plans'"

# same_report NAME FILE: FILE is the reference report.
same_report() {
    python3 "$here/tests/compare_reports.py" "$tmp/reference.json" "$2" ||
        fail "$1: the report differs from servgap-report's"
    echo "$me: ok: $1 equals servgap-report --json"
}

parallel_settings="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
    SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;
    SET parallel_leader_participation = off;"

check_serial() {
    psql_ -c "SET max_parallel_workers_per_gather = 0" \
        -c "SELECT servgap_report($(state_sql), $definitions) FROM observations" >"$tmp/serial.json"
    same_report "serial plan" "$tmp/serial.json"
}

# A parallel plan: its shape, both workers fed (a worker can take every
# block of a small table before the other starts: tried a few times).
check_parallel_plan() {
    local plan k
    plan=$(psql_ -c "$parallel_settings" -c "EXPLAIN (COSTS OFF)
        SELECT servgap_report($(state_sql), $definitions) FROM observations")
    grep -Pzq 'Finalize Aggregate.*\n(.*\n)*\s+->  Gather\n(.*\n)*\s+->  Partial Aggregate' <<<"$plan" ||
        fail "no Partial Aggregate under Gather in the forced parallel plan:"$'\n'"$plan"
    for k in 1 2 3 4 5; do
        plan=$(psql_ -c "$parallel_settings" -c "EXPLAIN (ANALYZE, VERBOSE, COSTS OFF, TIMING OFF)
            SELECT $(state_sql) FROM observations")
        if [[ $(grep -cE 'Worker [01]:  actual rows=[1-9]' <<<"$plan") -ge 4 ]]; then
            echo "$me: ok: parallel plan, both workers read rows (attempt $k)"
            return
        fi
    done
    fail "the two workers never both read rows:"$'\n'"$plan"
}

check_parallel() {
    check_parallel_plan
    psql_ -c "$parallel_settings" \
        -c "SELECT servgap_report($(state_sql), $definitions) FROM observations" >"$tmp/parallel.json"
    same_report "parallel plan" "$tmp/parallel.json"
    python3 "$here/tests/compare_reports.py" "$tmp/serial.json" "$tmp/parallel.json" ||
        fail "the parallel plan's report differs from the serial plan's"
    echo "$me: ok: parallel plan equals the serial plan"
}

# States compacted into their summaries every batch of rows (and, in the
# parallel plan, workers' compacted states combined) give the same report.
check_compaction() {
    local n
    # Rows without a respondent are imported 8192 at a time (BATCH_ROWS):
    # more than 8192 + 1000 of them compact a serial state twice.
    n=$(psql_ -c "SELECT count(*) FROM observations WHERE respondent IS NULL")
    ((n > 8192 + 1000)) || fail "the sample has $n unpaired rows: too few to compact a state twice"
    psql_ -c "SET servgap.compact_rows = 1000" -c "SET max_parallel_workers_per_gather = 0" \
        -c "SELECT servgap_report($(state_sql), $definitions) FROM observations" >"$tmp/compacted.json"
    same_report "serial plan, states compacted every 1000 rows" "$tmp/compacted.json"
    psql_ -c "SET servgap.compact_rows = 1000" -c "$parallel_settings" \
        -c "SELECT servgap_report($(state_sql), $definitions) FROM observations" \
        >"$tmp/compacted-parallel.json"
    same_report "parallel plan, states compacted every 1000 rows" "$tmp/compacted-parallel.json"
}

# A window and an analysis date: servgap-report's --to is the last day
# (inclusive), window_to the day after it ([window_from, window_to)).
check_window() {
    "$report" --data "$data" --json --level full --from 2026-06-01 --to 2026-08-31 --now 2026-09-15 \
        >"$tmp/reference-window.json"
    psql_ -c "SELECT servgap_report($(state_sql), $definitions, window_from => '2026-06-01',
        window_to => '2026-09-01', now => '2026-09-15') FROM observations" >"$tmp/window.json"
    python3 "$here/tests/compare_reports.py" "$tmp/reference-window.json" "$tmp/window.json" ||
        fail "window: the report differs from servgap-report's"
    if python3 "$here/tests/compare_reports.py" "$tmp/reference.json" "$tmp/window.json" >/dev/null 2>&1; then
        fail "window: the window's report equals the whole data's: the window was not applied"
    fi
    echo "$me: ok: window 2026-06-01..2026-09-01, now 2026-09-15 equals servgap-report --from --to --now"
}

# servgap.negative_share: the states count negative answers at the
# session's cut, serial and in parallel workers, and the report equals the
# library's on the raw CSV rows (tests/reference_report.py, through the
# Python binding: servgap-report has no flag for it), which differs from
# the default's. A cut outside (0, 1) is refused by name.
check_negative_share() {
    PYTHONPATH=$src/bindings/python SERVGAP_LIBRARY=$library \
        python3 "$here/tests/reference_report.py" "$data" negative_share=0.3 >"$tmp/reference-0.3.json"
    if python3 "$here/tests/compare_reports.py" "$tmp/reference.json" "$tmp/reference-0.3.json" >/dev/null 2>&1; then
        fail "negative_share 0.3 gives the default's report: the check would prove nothing"
    fi
    psql_ -c "SET servgap.negative_share = 0.3" -c "SET max_parallel_workers_per_gather = 0" \
        -c "SELECT servgap_report($(state_sql), $definitions) FROM observations" >"$tmp/share-serial.json"
    psql_ -c "SET servgap.negative_share = 0.3" -c "$parallel_settings" \
        -c "SELECT servgap_report($(state_sql), $definitions) FROM observations" >"$tmp/share-parallel.json"
    for plan in serial parallel; do
        python3 "$here/tests/compare_reports.py" "$tmp/reference-0.3.json" "$tmp/share-$plan.json" ||
            fail "servgap.negative_share 0.3, $plan plan: the report differs from the library's"
    done
    echo "$me: ok: servgap.negative_share 0.3, serial and parallel, equals the library's report"
    # Before the extension's library is loaded, a SET only makes a placeholder.
    expect_error "servgap.negative_share 1" 'invalid value for parameter "servgap.negative_share": 1' \
        "LOAD 'servgap'; SET servgap.negative_share = 1"
}

check_partitions() {
    local plan
    psql_ <<'EOF'
CREATE TABLE obs_part (LIKE observations) PARTITION BY HASH (account);
CREATE TABLE obs_part_0 PARTITION OF obs_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE obs_part_1 PARTITION OF obs_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE obs_part_2 PARTITION OF obs_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO obs_part SELECT * FROM observations;
EOF
    plan=$(psql_ -c "SET enable_partitionwise_aggregate = on" -c "SET max_parallel_workers_per_gather = 0" \
        -c "EXPLAIN (COSTS OFF) SELECT $(state_sql) FROM obs_part")
    [[ $(grep -c 'Partial Aggregate' <<<"$plan") == 3 ]] ||
        fail "no partition-wise Partial Aggregate per partition:"$'\n'"$plan"
    psql_ -c "SET enable_partitionwise_aggregate = on" -c "SET max_parallel_workers_per_gather = 0" \
        -c "SELECT servgap_report($(state_sql), $definitions) FROM obs_part" >"$tmp/partitionwise.json"
    same_report "partition-wise aggregation" "$tmp/partitionwise.json"
    psql_ -c "SELECT servgap_report(servgap_merge(s), $definitions)
        FROM (SELECT tableoid, $(state_sql) AS s FROM obs_part GROUP BY tableoid) per_partition" \
        >"$tmp/merged.json"
    same_report "servgap_merge of per-partition results" "$tmp/merged.json"
}

# Rows of the set-returning functions, as JSON, against the reference.
check_rows() {
    local fn
    psql_ -c "CREATE TABLE sample_state AS SELECT $(state_sql) AS s FROM observations"
    for fn in findings cells triggers risk; do
        psql_ -c "SELECT coalesce(json_agg(r), '[]') FROM sample_state,
            servgap_$fn(s, $definitions) r" >"$tmp/$fn.json"
    done
    python3 "$here/tests/compare_rows.py" "$tmp/reference.json" "$tmp" ||
        fail "rows differ from servgap-report's report"
    echo "$me: ok: servgap_findings, servgap_cells, servgap_triggers, servgap_risk rows"
}

# expect_error NAME PATTERN SQL: SQL fails with a message matching PATTERN
# (grep -E), and the session and the server carry on.
expect_error() {
    local err
    if err=$(psql_ -c "$3" 2>&1); then
        fail "$1: no error"
    fi
    grep -qE "$2" <<<"$err" || fail "$1: the error does not match '$2': $err"
    server_up "$1"
    echo "$me: ok: $1: $(grep -m1 ERROR <<<"$err")"
}

# One bad row among the good ones of the sample.
bad_row_sql() {
    echo "CREATE TABLE half_built AS SELECT $(state_sql) FROM (
        SELECT * FROM observations UNION ALL
        SELECT '2026-03-02'::timestamptz, 'meridian-bank', 'enterprise', 'slack', $1) rows"
}

check_bad_rows() {
    expect_error "unknown viewpoint" \
        "observation row \(.*account 'meridian-bank'.*viewpoint 'guessed'.*\): field viewpoint: 'guessed' is not a viewpoint" \
        "$(bad_row_sql "'reliability', 'guessed', '5', NULL, NULL, NULL")"
    expect_error "value out of range" \
        "observation row \(.*metric 'reliability'.*value '9'\): field value: value 9 outside \[1, 7\]" \
        "$(bad_row_sql "'reliability', 'perceived', '9', NULL, NULL, NULL")"
    expect_error "NULL value" \
        "observation row \(.*viewpoint 'perceived'\): field value: is NULL" \
        "$(bad_row_sql "'reliability', 'perceived', NULL, NULL, NULL, NULL")"
    expect_error "respondent's bad row" \
        "observation row \(.*respondent 'R-bad'\): field value: value 0 outside \[1, 7\]" \
        "$(bad_row_sql "'empathy', 'expected', '0', NULL, NULL, 'R-bad'")"
    expect_error "bad metrics query row" \
        "metrics query row \(metric 'speed', dimension 'fast'.*\): field dimension: 'fast' is not a dimension" \
        "SELECT servgap_definitions('SELECT ''speed'' AS metric, ''fast'' AS dimension,
            ''higher'' AS direction, 0 AS min, 1 AS max')"
    expect_error "negative_share other than the state's" \
        "counted negative answers at negative_share 0.4, the option is 0.3" \
        "SELECT servgap_report(s, options => '{\"negative_share\": 0.3}') FROM sample_state"
    [[ $(psql_ -c "SELECT to_regclass('half_built') IS NULL") == t ]] ||
        fail "a failed CREATE TABLE AS left its table behind"
    echo "$me: ok: nothing left half-built"
}

# ms SQL...: how long the statements take, in milliseconds (errors allowed).
ms() {
    local t0 t1
    t0=$(date +%s%N)
    psql -X -q -h "$tmp" -U postgres -d postgres "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000000))
}

# A cancel stops the library in the middle of a long analysis: a
# statement_timeout of a tenth of the analysis's time ends it in well under
# half of that time, and the session has no handle left afterwards. Without
# the library asking for interrupts the statement would run to its end and
# only then be cancelled. Times are ratios of one run to another, and a
# loaded machine can stall either run: three tries before failing.
check_cancel() {
    local full timeout stopped out k
    psql_ -c "CREATE TABLE big_state AS SELECT $(state_sql) AS s FROM (
        SELECT o.\"time\", o.account || '#' || k AS account, o.tier, o.touchpoint, o.metric,
               o.viewpoint, o.value, o.team, o.driver, o.respondent || '#' || k AS respondent
        FROM observations o, generate_series(1, 100) k) copies"
    for k in 1 2 3; do
        full=$(ms -c "SELECT count(*) FROM big_state, servgap_findings(s)")
        timeout=$((full / 10 > 50 ? full / 10 : 50))
        stopped=$(ms -c "SET statement_timeout = $timeout" -c "SELECT count(*) FROM big_state, servgap_findings(s)")
        out=$(psql -X -q -t -A -h "$tmp" -U postgres -d postgres -c "SET statement_timeout = $timeout" \
            -c "SELECT count(*) FROM big_state, servgap_findings(s)" -c "RESET statement_timeout" \
            -c "SELECT count(*) FROM pg_backend_memory_contexts WHERE name = 'servgap handle'" 2>&1 || true)
        grep -q 'canceling statement due to statement timeout' <<<"$out" ||
            fail "statement_timeout did not cancel the analysis: $out"
        [[ $(tail -n1 <<<"$out") == 0 ]] || fail "a handle outlived the cancelled statement: $out"
        server_up "a cancel"
        if ((stopped < full / 2)); then
            echo "$me: ok: statement_timeout $timeout ms stopped a $full ms analysis after $stopped ms"
            return
        fi
        echo "$me: try $k: the cancel took $stopped ms of an analysis of $full ms (timeout $timeout ms)"
    done
    fail "the cancel took $stopped ms of an analysis of $full ms (timeout $timeout ms), three times"
}

check_serial
check_parallel
check_compaction
check_window
check_negative_share
check_partitions
check_rows
check_bad_rows
check_cancel
grep -q 'server process .* was terminated' "$tmp/server.log" && fail "a backend crashed: $tmp/server.log"
echo "$me: ok"
