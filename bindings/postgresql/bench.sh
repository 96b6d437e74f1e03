#!/usr/bin/env bash
# Rows per second of the PostgreSQL extension, serial and parallel, against
# servgap-report on the same data (the figures of docs/postgresql.md):
#
#   bash bindings/postgresql/bench.sh BUILD_ROOT [COPIES [RUNS]]
#
# Installs the extension (as root) and starts a private server, as the test
# does (server.sh). The data is examples/data with its observations
# repeated COPIES times (default 100: 1.38 million rows); each copy's
# respondents are renamed, so that every copy's responses are paired
# anew, while accounts, groups and days stay those of the sample. The
# table is written back to CSV for servgap-report, so both read the same
# rows. Each figure is the median wall time of RUNS runs (default 5), in
# turn: servgap-report --json --level full on the CSV files; the same
# report by servgap_report(servgap_agg(...)) under a serial plan and under
# a parallel plan of 2 workers; and the aggregate alone (its bytes'
# length), serial and parallel. Both reports are compared with
# servgap-report's before anything is timed (the differences are counted). BUILD_ROOT is a build of
# libservgap (buildtype release for figures worth quoting).
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1

me=postgresql-bench
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "${1:?usage: $0 BUILD_ROOT [COPIES [RUNS]]}" && pwd)
src=$(cd "$here/../.." && pwd)
copies=${2:-100}
runs=${3:-5}
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
report=$build/examples/servgap-report

fail() {
    echo "$me: FAIL: $*" >&2
    exit 1
}
[[ -x $report ]] || fail "no servgap-report at $report (build it first: ninja -C $build)"

source "$here/server.sh"
install_extension
start_server
load_tables "$src/examples/data"

# The repeated rows, as a table and as the CSV files servgap-report reads.
data=$tmp/csv
mkdir -p "$data"
cp "$src"/examples/data/{metrics,accounts,importance,efforts,plans}.csv "$data/"
psql_ -c "CREATE TABLE big AS SELECT o.\"time\", o.account, o.tier, o.touchpoint, o.metric,
        o.viewpoint, o.value, o.team, o.driver, o.respondent || '#' || k AS respondent
    FROM observations o, generate_series(1, $copies) k" -c "VACUUM ANALYZE big"
psql_ -c "\\copy (SELECT to_char(\"time\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS \"time\",
        account, tier, touchpoint, metric, viewpoint, value, team, driver, respondent FROM big)
    to '$data/observations.csv' with (format csv, header true)"
rows=$(psql_ -c "SELECT count(*) FROM big")

agg="servgap_agg((SELECT servgap_definitions('TABLE metrics', 'TABLE accounts')),
    \"time\", account, tier, touchpoint, metric, viewpoint, value, team, driver, respondent)"
defs="metrics => 'TABLE metrics', accounts => 'TABLE accounts', importance => 'TABLE importance',
    efforts => 'TABLE efforts', plans => 'TABLE plans'"
serial="SET max_parallel_workers_per_gather = 0"
parallel="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
    SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2"

# The commands timed, by name.
declare -A cmd=(
    [servgap-report]="\"$report\" --data \"$data\" --json --level full"
    [report-serial]="psql_ -c \"$serial\" -c \"SELECT servgap_report($agg, $defs) FROM big\""
    [report-parallel]="psql_ -c \"$parallel\" -c \"SELECT servgap_report($agg, $defs) FROM big\""
    [agg-serial]="psql_ -c \"$serial\" -c \"SELECT length($agg) FROM big\""
    [agg-parallel]="psql_ -c \"$parallel\" -c \"SELECT length($agg) FROM big\""
)
names=(servgap-report report-serial report-parallel agg-serial agg-parallel)

eval "${cmd[servgap-report]}" >"$tmp/reference.json"
# The reports are compared, not required equal: a state is a summary, whose
# numbers are the raw scan's to rounding (docs/scaling.md), and with the
# sample's rows repeated many times some means land exactly on a
# classification threshold or tie in a ranking, where rounding decides.
# The count of values that differ is printed with the figures.
declare -A differ=()
for n in report-serial report-parallel; do
    eval "${cmd[$n]}" >"$tmp/$n.json"
    differ[$n]=$(python3 "$here/tests/compare_reports.py" "$tmp/reference.json" "$tmp/$n.json" 2>&1 |
        grep -c '^  ' || true)
done
psql_ -c "$parallel" -c "EXPLAIN SELECT length($agg) FROM big" | grep -q 'Partial Aggregate' ||
    fail "no parallel plan"

# Runs in turn (one of each, RUNS times), so that a drift of the machine's
# speed touches every figure alike; wall milliseconds per run.
declare -A times=()
for ((r = 0; r < runs; r++)); do
    for n in "${names[@]}"; do
        t0=$(date +%s%N)
        eval "${cmd[$n]}" >/dev/null
        t1=$(date +%s%N)
        times[$n]+="$(((t1 - t0) / 1000000)) "
    done
done

median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
base=$(median <<<"${times[servgap-report]}")
echo "$me: $rows rows ($copies copies of examples/data), $runs runs each, $(nproc) CPUs"
printf '%-16s %10s %12s %14s  %s\n' command "median ms" "rows/s" "vs report" "runs (ms)"
for n in "${names[@]}"; do
    m=$(median <<<"${times[$n]}")
    printf '%-16s %10d %12d %13.2fx  %s\n' "$n" "$m" "$((rows * 1000 / m))" \
        "$(awk -v a="$base" -v b="$m" 'BEGIN { print a / b }')" "${times[$n]}"
done
for n in report-serial report-parallel; do
    echo "$me: $n: ${differ[$n]} values differ from servgap-report's beyond 1e-12"
done
