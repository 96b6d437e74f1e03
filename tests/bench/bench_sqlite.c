/*
 * bench_sqlite -- the same workload answered by SQLite (libsqlite3, an
 * in-memory database), the way an engineer would otherwise write it, and by
 * libservgap in the same process; prints both and the ratios. Each figure
 * is the median of SERVGAP_BENCH_RUNS runs (default 3 here: one SQLite run
 * over 10M observations takes tens of seconds).
 *
 * SQLite side: one table of observations; prepared INSERTs in one
 * transaction; then GROUP BY queries that compute, for every (scope,
 * touchpoint, metric, viewpoint) in the window, count, mean, sample
 * variance (from sums of squares), min, max and the negative responses
 * (oriented value below the metric's cut); the same for each tier pooled
 * with its accounts; the all-touchpoints roll-up of both; and for paired
 * responses, per (account, touchpoint, metric), the number of (perceived,
 * expected) pairs, the mean and variance of their differences and their
 * covariance (a self-join on respondent). Every row is fetched.
 *
 * libservgap side: the same rows by servgap_record_batch (batches of 65,536)
 * and servgap_record_response; then (a) servgap_query with TIERS |
 * ACCOUNTS: the cells with those moments plus fallbacks, gaps, intervals
 * and classifications (the work the SQL does, and more); (b) the full
 * report: servgap_query with QUERY_ALL and servgap_result_json into a
 * fresh buffer, and (c) the same report streamed (servgap_result_json_stream
 * through write(2) to /dev/null).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"

#define BATCH 65536u

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "bench_sqlite: %s: %s\n", what, msg ? msg : "");
    exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        die(sql, err);
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die(sql, sqlite3_errmsg(db));
    return st;
}

static sqlite3 *sql_open(const wl_data *d)
{
    sqlite3 *db;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        die("open", NULL);
    exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY;"
             "PRAGMA cache_size=-4000000;");
    exec(db, "CREATE TABLE obs(day INTEGER NOT NULL, kind INTEGER NOT NULL, sid INTEGER NOT NULL,"
             " tp INTEGER NOT NULL, metric INTEGER NOT NULL, vp INTEGER NOT NULL,"
             " value REAL NOT NULL, team INTEGER, driver INTEGER, respondent INTEGER)");
    exec(db, "CREATE TABLE accounts(id INTEGER PRIMARY KEY, tier INTEGER NOT NULL)");
    exec(db, "CREATE TABLE metrics(id INTEGER PRIMARY KEY, dir INTEGER NOT NULL, cut REAL)");
    exec(db, "BEGIN");
    sqlite3_stmt *st = prep(db, "INSERT INTO accounts VALUES(?,?)");
    for (uint32_t i = 0; i < d->prm.accounts; i++) {
        sqlite3_bind_int(st, 1, (int)i);
        sqlite3_bind_int(st, 2, d->acc_tier[i]);
        if (sqlite3_step(st) != SQLITE_DONE)
            die("insert account", sqlite3_errmsg(db));
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    st = prep(db, "INSERT INTO metrics VALUES(?,?,?)");
    for (int m = 0; m < WL_METRICS; m++) {
        /* the negative-response cut: bottom 40% of the oriented range
         * (open-ended ranges: of min .. min + span) */
        const wl_metric *x = &wl_metrics[m];
        double lo = x->direction == 1 ? x->min : -(isfinite(x->max) ? x->max : x->min + x->span);
        double cut = lo + 0.4 * x->span;
        sqlite3_bind_int(st, 1, m);
        sqlite3_bind_int(st, 2, x->direction);
        sqlite3_bind_double(st, 3, cut);
        if (sqlite3_step(st) != SQLITE_DONE)
            die("insert metric", sqlite3_errmsg(db));
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    exec(db, "COMMIT");
    return db;
}

static int64_t day_of(int64_t t)
{
    return t / 86400 - (t % 86400 < 0);
}

static void insert_row(sqlite3 *db, sqlite3_stmt *st, int64_t time, int kind, int sid, int tp,
                       int metric, int vp, double value, int team, int driver, int64_t resp)
{
    sqlite3_bind_int64(st, 1, day_of(time));
    sqlite3_bind_int(st, 2, kind);
    sqlite3_bind_int(st, 3, sid);
    sqlite3_bind_int(st, 4, tp);
    sqlite3_bind_int(st, 5, metric);
    sqlite3_bind_int(st, 6, vp);
    sqlite3_bind_double(st, 7, value);
    if (team >= 0)
        sqlite3_bind_int(st, 8, team);
    else
        sqlite3_bind_null(st, 8);
    sqlite3_bind_int(st, 9, driver);
    if (resp >= 0)
        sqlite3_bind_int64(st, 10, resp);
    else
        sqlite3_bind_null(st, 10);
    if (sqlite3_step(st) != SQLITE_DONE)
        die("insert", sqlite3_errmsg(db));
    sqlite3_reset(st);
}

static void sql_ingest(sqlite3 *db, const wl_data *d)
{
    exec(db, "BEGIN");
    sqlite3_stmt *st = prep(db, "INSERT INTO obs VALUES(?,?,?,?,?,?,?,?,?,?)");
    for (size_t i = 0; i < d->n; i++)
        insert_row(db, st, d->time[i], d->kind[i], d->sid[i], d->tp[i], d->metric[i], d->vp[i],
                   d->value[i], d->team[i], d->driver[i], -1);
    for (size_t r = 0; r < d->nresp; r++) {
        const wl_resp *x = &d->resp[r];
        for (int k = 0; k < WL_LIKERT; k++) {
            insert_row(db, st, x->time, 1, x->account, x->tp, k, 0, x->e[k], x->team, 0,
                       (int64_t)r);
            if (!isnan(x->a[k]))
                insert_row(db, st, x->time, 1, x->account, x->tp, k, 1, x->a[k], x->team, 0,
                           (int64_t)r);
            insert_row(db, st, x->time, 1, x->account, x->tp, k, 6, x->p[k], x->team, 0,
                       (int64_t)r);
        }
    }
    sqlite3_finalize(st);
    exec(db, "COMMIT");
}

/* The moments of a group, as SQL. */
#define MOMENTS                                                                                    \
    "COUNT(*), AVG(value),"                                                                        \
    " CASE WHEN COUNT(*) > 1 THEN (SUM(value*value) - SUM(value)*SUM(value)/COUNT(*))"             \
    "   / (COUNT(*) - 1) END,"                                                                     \
    " SUM(CASE WHEN (CASE m.dir WHEN 2 THEN -value ELSE value END) < m.cut THEN 1 ELSE 0 END)"
/* The pooled tier of a row: its tier for tier-wide rows, its account's. */
#define POOLED "CASE WHEN o.kind = 2 THEN o.sid ELSE a.tier END"

static const char *const queries[] = {
    /* per scope, touchpoint, metric, viewpoint */
    "SELECT kind, sid, tp, metric, vp, " MOMENTS " FROM obs o JOIN metrics m ON m.id = o.metric"
    " WHERE day >= ?1 AND day < ?2 GROUP BY kind, sid, tp, metric, vp",
    /* per tier pooled with its accounts */
    "SELECT " POOLED ", tp, metric, vp, " MOMENTS " FROM obs o JOIN metrics m ON m.id = o.metric"
    " LEFT JOIN accounts a ON o.kind = 1 AND a.id = o.sid"
    " WHERE day >= ?1 AND day < ?2 GROUP BY 1, tp, metric, vp",
    /* all-touchpoints roll-up per scope */
    "SELECT kind, sid, metric, vp, " MOMENTS " FROM obs o JOIN metrics m ON m.id = o.metric"
    " WHERE day >= ?1 AND day < ?2 GROUP BY kind, sid, metric, vp",
    /* all-touchpoints roll-up per pooled tier */
    "SELECT " POOLED ", metric, vp, " MOMENTS " FROM obs o JOIN metrics m ON m.id = o.metric"
    " LEFT JOIN accounts a ON o.kind = 1 AND a.id = o.sid"
    " WHERE day >= ?1 AND day < ?2 GROUP BY 1, metric, vp",
    /* paired (perceived, expected) per account, touchpoint, metric */
    "SELECT e.sid, e.tp, e.metric, COUNT(*), AVG(p.value - e.value),"
    " CASE WHEN COUNT(*) > 1 THEN (SUM((p.value - e.value)*(p.value - e.value))"
    "   - SUM(p.value - e.value)*SUM(p.value - e.value)/COUNT(*)) / (COUNT(*) - 1) END,"
    " CASE WHEN COUNT(*) > 1 THEN (SUM(p.value*e.value) - SUM(p.value)*SUM(e.value)/COUNT(*))"
    "   / (COUNT(*) - 1) END"
    " FROM obs e JOIN obs p ON p.respondent = e.respondent AND p.metric = e.metric AND p.vp = 6"
    " WHERE e.respondent IS NOT NULL AND e.vp = 0 AND e.day >= ?1 AND e.day < ?2"
    " GROUP BY e.sid, e.tp, e.metric",
};
#define NQ (sizeof queries / sizeof *queries)

/* Run every query over [from_day, to_day); returns rows fetched and puts
 * the total count of the first query (observations seen) in *seen. */
static uint64_t sql_report(sqlite3 *db, int64_t from_day, int64_t to_day, uint64_t *seen)
{
    uint64_t rows = 0;
    *seen = 0;
    for (size_t q = 0; q < NQ; q++) {
        sqlite3_stmt *st = prep(db, queries[q]);
        sqlite3_bind_int64(st, 1, from_day);
        sqlite3_bind_int64(st, 2, to_day);
        int rc;
        int ccount = q == 0 || q == 2 ? 5 : q == 4 ? 3 : 4;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            rows++;
            if (q == 0)
                *seen += (uint64_t)sqlite3_column_int64(st, ccount);
            /* read every column, as a caller would */
            for (int c = 0; c < sqlite3_column_count(st); c++)
                (void)sqlite3_column_double(st, c);
        }
        if (rc != SQLITE_DONE)
            die("query", sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    return rows;
}

typedef struct sv_t {
    double ingest, cells, full, cells30, full30, streamed;
    size_t ncells;
} sv_t;

static void servgap_side(const wl_data *d, int runs, sv_t *o)
{
    double ti[16], tc[16], tf[16], tc30[16], tf30[16], ts[16];
    int64_t from = BENCH_YEAR_FROM, to = bench_year_to(d);
    int64_t w30 = to - 30 * (int64_t)SERVGAP_DAY < from ? from : to - 30 * (int64_t)SERVGAP_DAY;
    for (int k = 0; k < runs; k++) {
        servgap_ctx *ctx = bench_ctx(d, NULL);
        if (!ctx)
            die("servgap setup", NULL);
        double t0 = bench_now();
        if (bench_record(ctx, d, 0, d->n, BATCH, 1) != SERVGAP_OK)
            die("servgap record", servgap_errmsg(ctx));
        ti[k] = bench_now() - t0;
        for (int w = 0; w < 2; w++) {
            int64_t f = w ? w30 : from;
            servgap_result *r;
            t0 = bench_now();
            if (servgap_query(ctx, f, to, SERVGAP_QUERY_TIERS | SERVGAP_QUERY_ACCOUNTS, &r))
                die("servgap query", servgap_errmsg(ctx));
            (w ? tc30 : tc)[k] = bench_now() - t0;
            if (!w)
                o->ncells = servgap_result_count(r, SERVGAP_TABLE_CELLS);
            servgap_result_free(r);
            t0 = bench_now();
            if (servgap_query(ctx, f, to, SERVGAP_QUERY_ALL, &r))
                die("servgap query", servgap_errmsg(ctx));
            size_t len;
            servgap_result_json(ctx, r, NULL, 0, &len);
            char *buf = malloc(len + 1);
            if (!buf || servgap_result_json(ctx, r, buf, len + 1, &len))
                die("servgap json", servgap_errmsg(ctx));
            (w ? tf30 : tf)[k] = bench_now() - t0;
            free(buf);
            servgap_result_free(r);
            if (w)
                continue;
            t0 = bench_now();
            if (servgap_query(ctx, f, to, SERVGAP_QUERY_ALL, &r))
                die("servgap query", servgap_errmsg(ctx));
            if (bench_stream_json(ctx, r, NULL) != len)
                die("servgap json stream", "length differs");
            ts[k] = bench_now() - t0;
            servgap_result_free(r);
        }
        servgap_ctx_free(ctx);
    }
    o->ingest = bench_median(ti, runs);
    o->cells = bench_median(tc, runs);
    o->full = bench_median(tf, runs);
    o->cells30 = bench_median(tc30, runs);
    o->full30 = bench_median(tf30, runs);
    o->streamed = bench_median(ts, runs);
}

static void line(const char *item, double a, double b, const char *unit)
{
    printf("| %-44s | %12.3f | %12.3f | %-4s | %9.1fx |\n", item, a, b, unit, b / a);
    fflush(stdout);
}

int main(void)
{
    wl_params p;
    wl_params_env(&p);
    int runs = bench_runs(3);
    if (runs > 16)
        runs = 16;
    wl_data d;
    if (wl_generate(&p, &d) != 0)
        die("generate", NULL);
    char machine[512];
    bench_machine(machine, sizeof machine);
    uint64_t total = d.n + d.resp_rows;
    printf("machine: %s\nSQLite %s (in-memory), libservgap %s\n", machine, sqlite3_libversion(),
           servgap_version_string());
    printf("workload: %llu observations (%llu paired), %u accounts, %u days; %d runs, median\n\n",
           (unsigned long long)total, (unsigned long long)d.resp_rows, p.accounts, p.days, runs);

    double ti[16], tq[16], tq30[16];
    uint64_t rows = 0, rows30 = 0, seen = 0, seen30 = 0;
    int64_t from_day = day_of(BENCH_YEAR_FROM), to_day = from_day + p.days;
    int64_t w30 = to_day - 30 < from_day ? from_day : to_day - 30;
    for (int k = 0; k < runs; k++) {
        sqlite3 *db = sql_open(&d);
        double t0 = bench_now();
        sql_ingest(db, &d);
        ti[k] = bench_now() - t0;
        /* The index the paired self-join needs is part of the report. */
        t0 = bench_now();
        exec(db, "CREATE INDEX obs_resp ON obs(respondent, metric, vp)"
                 " WHERE respondent IS NOT NULL");
        rows = sql_report(db, from_day, to_day, &seen);
        tq[k] = bench_now() - t0;
        t0 = bench_now();
        rows30 = sql_report(db, w30, to_day, &seen30);
        tq30[k] = bench_now() - t0;
        sqlite3_close(db);
    }
    if (seen != total) {
        fprintf(stderr, "bench_sqlite: SQLite saw %llu observations, not %llu\n",
                (unsigned long long)seen, (unsigned long long)total);
        return 1;
    }
    double s_ingest = bench_median(ti, runs), s_q = bench_median(tq, runs),
           s_q30 = bench_median(tq30, runs);
    sv_t v = {0};
    servgap_side(&d, runs, &v);

    printf("SQLite: %llu result rows for the year, %llu for the last 30 days;"
           " libservgap: %zu cells for the year\n\n",
           (unsigned long long)rows, (unsigned long long)rows30, v.ncells);
    printf("| %-44s | %12s | %12s | %-4s | %10s |\n", "item", "libservgap", "SQLite", "unit",
           "SQLite/lib");
    printf("|----------------------------------------------|--------------|--------------|"
           "------|------------|\n");
    line("ingest (all observations)", v.ingest, s_ingest, "s");
    printf("| %-44s | %12.3g | %12.3g | %-4s | %9.1fx |\n", "ingest rate", (double)total / v.ingest,
           (double)total / s_ingest, "ob/s", (double)total / v.ingest / ((double)total / s_ingest));
    line("aggregates, whole year (cells vs GROUP BY)", v.cells, s_q, "s");
    line("aggregates, last 30 days", v.cells30, s_q30, "s");
    line("full report, whole year (query ALL + JSON)", v.full, s_q, "s");
    line("full report, whole year, JSON streamed", v.streamed, s_q, "s");
    line("full report, last 30 days", v.full30, s_q30, "s");
    line("end to end: ingest + aggregates (year)", v.ingest + v.cells, s_ingest + s_q, "s");
    line("end to end: ingest + full report (year)", v.ingest + v.full, s_ingest + s_q, "s");
    line("end to end: ingest + report streamed (year)", v.ingest + v.streamed, s_ingest + s_q, "s");
    wl_free(&d);
    return 0;
}
