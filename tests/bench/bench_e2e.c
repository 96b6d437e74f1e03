/*
 * bench_e2e -- the whole job against its peers: from CSV exports on disk
 * to the answer, libservgap (the servgap-report program, a child process)
 * against DuckDB (its C API, in process) and SQLite (its shell, a child
 * process), per CSV shape (csvshapes.h), medians of SERVGAP_BENCH_RUNS
 * runs (default 3), each round running every side once, so that the
 * ratios come from the same minutes of this shared machine.
 *
 *   libservgap  servgap-report --metrics M --accounts A --by tier --json
 *               OBS > /dev/null, and the same steps in process for their
 *               phases (import, query, JSON streamed to /dev/null);
 *   DuckDB      read_csv into a table; GROUP BY tier, touchpoint, metric,
 *               viewpoint with count, avg, var_samp, min, max; the same
 *               per account (the JSON holds every account cell); with
 *               DuckDB's threads (every core) and with one;
 *   SQLite      the shell: .import into a typed table, the same two
 *               GROUP BYs (variance from sums) into temporary tables.
 *
 * The peers' "tier" job is the comparison; "tier + account" is
 * closer to what the JSON report holds. Arguments: the servgap-report
 * binary and the default libduckdb.so (SERVGAP_DUCKDB overrides; a missing
 * library leaves DuckDB's columns empty). Environment: SERVGAP_BENCH_SIZE
 * (full: 1M and 10M rows; otherwise 1M), SERVGAP_BENCH_E2E_ROWS
 * (a list: 1m,10m), SERVGAP_BENCH_E2E_SHAPES (letters: adf),
 * SERVGAP_BENCH_E2E_ACCOUNTS (default 20k),
 * SERVGAP_BENCH_E2E_DIR (the exports, kept between runs; default
 * e2e-data), SERVGAP_SQLITE3 (the shell; default sqlite3),
 * SERVGAP_BENCH_E2E_PHASES=1 (also the in-process run, off by default: it
 * writes the full-level JSON of every table, several times the bytes
 * servgap-report writes, so it is a breakdown, not the same job).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench_common.h"
#include "e2e.h"

#define MAX_RUNS  25
#define MAX_SIZES 4

enum { S_REPORT, S_LIB, S_DDB, S_DDB1, S_SQLITE, NSIDES };

/* The runs of one side on one input. For S_LIB, the in-process steps:
 * load is the import, tier the query, account the JSON; seen the JSON's
 * bytes, tier_rows the cells, acct_rows the findings. */
typedef struct series {
    e2e_times run[MAX_RUNS];
    int n, failed;
} series;

typedef struct config {
    const char *report, *duckdb_path, *sqlite, *dir;
    char shapes[16];
    uint64_t sizes[MAX_SIZES];
    int nsizes, runs, phases;
    uint32_t accounts;
    ddb_api ddb;
    int have_ddb, have_sqlite;
    char ddb_version[64], sqlite_version[64], ddb_why[512];
} config;

/* One input's results, kept for the summary tables. */
typedef struct outcome {
    const cs_shape *shape;
    uint64_t rows, bytes;
    double med[NSIDES][2]; /* [side][0: tier job, 1: tier + account job] */
    double cpu[NSIDES];
    double peak_mb[NSIDES]; /* the largest of the runs' peak resident sets */
    int ok[NSIDES];
    double step[3]; /* in process: import, query, JSON */
    uint64_t json_bytes, cells, findings;
} outcome;

enum { F_TOTAL, F_LOAD, F_TIER, F_ACCOUNT, F_CPU, F_TIERJOB };

static double field_of(const e2e_times *t, int which)
{
    switch (which) {
    case F_TOTAL:
        return t->total;
    case F_LOAD:
        return t->load;
    case F_TIER:
        return t->tier;
    case F_ACCOUNT:
        return t->account;
    case F_CPU:
        return t->cpu;
    default: /* F_TIERJOB: a peer's job without its account query */
        return t->total - t->account;
    }
}

static double peak_mb(const series *s)
{
    uint64_t kb = 0;
    for (int i = 0; i < s->n; i++)
        kb = s->run[i].peak_kb > kb ? s->run[i].peak_kb : kb;
    return (double)kb / 1024.0;
}

static double med(const series *s, int which)
{
    double x[MAX_RUNS];
    for (int i = 0; i < s->n; i++)
        x[i] = field_of(&s->run[i], which);
    return s->n ? bench_median(x, s->n) : 0.0;
}

/* ---- configuration ------------------------------------------------------ */

static uint64_t count_arg(const char *s, char **end)
{
    uint64_t v = strtoull(s, end, 10);
    if (**end == 'k' || **end == 'K')
        v *= 1000u, (*end)++;
    else if (**end == 'm' || **end == 'M')
        v *= 1000000u, (*end)++;
    return v;
}

static void parse_sizes(config *c)
{
    const char *list = getenv("SERVGAP_BENCH_E2E_ROWS");
    const char *size = getenv("SERVGAP_BENCH_SIZE");
    if (list == NULL || *list == 0)
        list = size && strcmp(size, "full") == 0 ? "1m,10m" : "1m";
    char *end = (char *)list;
    c->nsizes = 0;
    while (*end && c->nsizes < MAX_SIZES) {
        uint64_t v = count_arg(end, &end);
        if (v > 0)
            c->sizes[c->nsizes++] = v;
        while (*end == ',' || *end == ' ')
            end++;
        if (*end && (*end < '0' || *end > '9'))
            break;
    }
}

static const char *env_or(const char *name, const char *dflt)
{
    const char *s = getenv(name);
    return s && *s ? s : dflt;
}

static void configure(config *c, int argc, char **argv)
{
    memset(c, 0, sizeof *c);
    c->report = argv[1];
    c->duckdb_path = env_or("SERVGAP_DUCKDB", argc > 2 ? argv[2] : "duckdb/libduckdb.so");
    c->sqlite = env_or("SERVGAP_SQLITE3", "sqlite3");
    c->dir = env_or("SERVGAP_BENCH_E2E_DIR", "e2e-data");
    snprintf(c->shapes, sizeof c->shapes, "%s", env_or("SERVGAP_BENCH_E2E_SHAPES", "abcdefg"));
    parse_sizes(c);
    char *end;
    c->accounts = (uint32_t)count_arg(env_or("SERVGAP_BENCH_E2E_ACCOUNTS", "20k"), &end);
    if (c->accounts == 0)
        c->accounts = 20000;
    c->runs = bench_runs(3);
    if (c->runs > MAX_RUNS)
        c->runs = MAX_RUNS;
    c->phases = strcmp(env_or("SERVGAP_BENCH_E2E_PHASES", "0"), "0") != 0;
    c->have_ddb = ddb_load(&c->ddb, c->duckdb_path, c->ddb_why, sizeof c->ddb_why) == 0;
    if (c->have_ddb)
        snprintf(c->ddb_version, sizeof c->ddb_version, "%s", c->ddb.library_version());
    c->have_sqlite = sqlite_version(c->sqlite, c->sqlite_version, sizeof c->sqlite_version) == 0;
}

static double load_average(void)
{
    double l = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f && fscanf(f, "%lf", &l) != 1)
        l = -1;
    if (f)
        fclose(f);
    return l;
}

static void print_header(const config *c)
{
    char machine[512];
    bench_machine(machine, sizeof machine);
    printf("bench_e2e: the whole job, CSV on disk to the answer; %u accounts; medians of %d runs\n",
           (unsigned)c->accounts, c->runs);
    printf("machine: %s; load average %.1f now (a shared machine: figures move between runs,"
           " ratios are from the same rounds)\n",
           machine, load_average());
    printf("libservgap %s: %s\n", servgap_version_string(), c->report);
    if (c->have_ddb)
        printf("DuckDB %s: %s\n", c->ddb_version, c->duckdb_path);
    else
        printf("DuckDB: not available (%s): scripts/fetch-duckdb fetches it\n", c->ddb_why);
    if (c->have_sqlite)
        printf("SQLite %s: the %s shell\n", c->sqlite_version, c->sqlite);
    else
        printf("SQLite: no shell '%s' (Debian: apt-get install sqlite3)\n", c->sqlite);
}

/* ---- the exports -------------------------------------------------------- */

static int stamp_matches(const char *path, const char *want)
{
    char have[256] = "";
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    size_t n = fread(have, 1, sizeof have - 1, f);
    fclose(f);
    have[n] = 0;
    return strcmp(have, want) == 0;
}

static uint64_t file_size(const char *dir, const char *name)
{
    char path[E2E_PATH_CAP];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* The export of shape s at rows rows into dir: made, or kept when its
 * stamp says it is this one. The size of its observations, or 0. */
static uint64_t prepare(const config *c, const cs_shape *s, uint64_t rows, char *dir, size_t cap)
{
    cs_params p;
    cs_params_default(&p, rows);
    p.accounts = c->accounts;
    char want[256], stamp[E2E_PATH_CAP];
    snprintf(want, sizeof want, "csvshapes %d shape %c rows %llu accounts %u seed %llu\n",
             CS_VERSION, s->letter, (unsigned long long)rows, (unsigned)p.accounts,
             (unsigned long long)p.seed);
    snprintf(dir, cap, "%s/%c-%llu", c->dir, s->letter, (unsigned long long)rows);
    snprintf(stamp, sizeof stamp, "%s/stamp", dir);
    if (stamp_matches(stamp, want) && file_size(dir, "observations.csv") > 0)
        return file_size(dir, "observations.csv");
    if ((mkdir(c->dir, 0777) != 0 && errno != EEXIST) || (mkdir(dir, 0777) != 0 && errno != EEXIST))
        return 0;
    double t0 = bench_now();
    if (cs_write(dir, s, &p, NULL) != 0)
        return 0;
    FILE *f = fopen(stamp, "w");
    if (f == NULL || fputs(want, f) < 0 || fclose(f) != 0)
        return 0;
    printf("  (wrote %s in %.1f s)\n", dir, bench_now() - t0);
    return file_size(dir, "observations.csv");
}

/* Read the export once, so that no side's first run pays for the disk. */
static void warm(const char *dir)
{
    static char buf[1 << 20];
    static const char *const names[3] = {"metrics.csv", "accounts.csv", "observations.csv"};
    for (int k = 0; k < 3; k++) {
        char path[E2E_PATH_CAP];
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        FILE *f = fopen(path, "rb");
        while (f && fread(buf, 1, sizeof buf, f) == sizeof buf)
            continue;
        if (f)
            fclose(f);
    }
}

/* ---- the sides ---------------------------------------------------------- */

static void record(series *s, int ok, const e2e_times *t)
{
    if (!ok)
        s->failed++;
    else if (s->n < MAX_RUNS)
        s->run[s->n++] = *t;
}

static void path_of(char *out, size_t cap, const e2e_input *in, const char *name)
{
    snprintf(out, cap, "%s/%s", in->dir, name);
}

/* servgap-report as an engineer runs it, the report to /dev/null. */
static void run_report(const config *c, const e2e_input *in, series *s)
{
    char m[E2E_PATH_CAP], a[E2E_PATH_CAP], o[E2E_PATH_CAP];
    path_of(m, sizeof m, in, "metrics.csv");
    path_of(a, sizeof a, in, "accounts.csv");
    path_of(o, sizeof o, in, "observations.csv");
    char *argv[] = {(char *)c->report, "--metrics", m,   "--accounts", a, "--by", "tier",
                    "--json",          o,           NULL};
    e2e_times t = {0};
    int rc = e2e_spawn(argv, NULL, NULL, &t.total, &t.cpu, &t.peak_kb);
    if (rc != 0)
        fprintf(stderr, "bench_e2e: %s on %s: exit %d\n", c->report, in->dir, rc);
    record(s, rc == 0, &t);
}

static int lib_import(servgap_ctx *ctx, int32_t table, const e2e_input *in, const char *name)
{
    char path[E2E_PATH_CAP];
    path_of(path, sizeof path, in, name);
    servgap_import_report rep;
    memset(&rep, 0, sizeof rep);
    rep.size = sizeof rep;
    if (servgap_import_csv(ctx, table, path, 0, &rep) == SERVGAP_OK)
        return 0;
    fprintf(stderr, "bench_e2e: import: %s\n", servgap_errmsg(ctx));
    return -1;
}

/* The tier cells' counts per viewpoint into t (groups, counts_hash): the
 * groups a peer's GROUP BY tier, touchpoint, metric, viewpoint makes. */
static int lib_groups(const servgap_result *res, e2e_times *t)
{
    e2e_counts counts = {0};
    size_t n = servgap_result_count(res, SERVGAP_TABLE_CELLS);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        servgap_cell cell;
        memset(&cell, 0, sizeof cell);
        cell.size = sizeof cell;
        rc = servgap_result_cell(res, i, &cell) == SERVGAP_OK ? 0 : -1;
        if (rc || cell.scope_kind != SERVGAP_SCOPE_TIER || cell.touchpoint == SERVGAP_ALL ||
            cell.metric == SERVGAP_ALL)
            continue;
        for (int v = 0; v < SERVGAP_VP_COUNT && rc == 0; v++) {
            int decl = v == SERVGAP_VP_STANDARD || v == SERVGAP_VP_PROMISED;
            if (cell.n[v] > 0 && decl) {
                t->decl_groups++;
                t->decl_rows += (uint64_t)cell.n[v];
            } else if (cell.n[v] > 0)
                rc = e2e_counts_add(&counts, (uint64_t)cell.n[v]);
        }
    }
    t->groups = counts.n;
    t->counts_hash = e2e_counts_hash(counts.v, counts.n);
    free(counts.v);
    return rc;
}

/* The steps of servgap-report --json (examples/servgap-report/main.c) in
 * this process, each timed: import, query, JSON streamed. */
static int lib_steps(servgap_ctx *ctx, const e2e_input *in, int json, e2e_times *t)
{
    const uint32_t flags = SERVGAP_QUERY_ALL | SERVGAP_QUERY_TRENDS | SERVGAP_QUERY_PLANS;
    servgap_result *res = NULL;
    double t0 = bench_now();
    if (lib_import(ctx, SERVGAP_CSV_METRICS, in, "metrics.csv") ||
        lib_import(ctx, SERVGAP_CSV_ACCOUNTS, in, "accounts.csv") ||
        lib_import(ctx, SERVGAP_CSV_OBSERVATIONS, in, "observations.csv"))
        return -1;
    double t1 = bench_now();
    t->load = t1 - t0;
    if (servgap_query_at(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, SERVGAP_TIME_NONE, flags, &res) !=
        SERVGAP_OK) {
        fprintf(stderr, "bench_e2e: query: %s\n", servgap_errmsg(ctx));
        return -1;
    }
    double t2 = bench_now();
    t->tier = t2 - t1;
    t->seen = json ? bench_stream_json(ctx, res, NULL) : 0;
    t->account = bench_now() - t2;
    t->tier_rows = servgap_result_count(res, SERVGAP_TABLE_CELLS);
    t->acct_rows = servgap_result_count(res, SERVGAP_TABLE_FINDINGS);
    int rc = lib_groups(res, t);
    servgap_result_free(res);
    return rc;
}

/* One in-process run (in a child: e2e_in_child); json 0: no JSON (the
 * groups check needs only the cells). */
static int lib_run(const e2e_input *in, int json, e2e_times *t)
{
    memset(t, 0, sizeof *t);
    double c0 = e2e_cpu_self(), t0 = bench_now();
    servgap_ctx *ctx = NULL;
    int rc = servgap_ctx_new(&ctx, NULL) == SERVGAP_OK ? lib_steps(ctx, in, json, t) : -1;
    servgap_ctx_free(ctx);
    t->total = bench_now() - t0;
    t->cpu = e2e_cpu_self() - c0;
    return rc;
}

static int lib_job(const void *arg, e2e_times *t)
{
    return lib_run(arg, 1, t);
}

static int lib_ref_job(const void *arg, e2e_times *t)
{
    return lib_run(arg, 0, t);
}

static void run_lib(const e2e_input *in, series *s)
{
    e2e_times t;
    record(s, e2e_in_child(lib_job, in, &t) == 0, &t);
}

typedef struct ddb_arg {
    const ddb_api *api;
    const e2e_input *in;
    int threads;
} ddb_arg;

static int ddb_job(const void *arg, e2e_times *t)
{
    const ddb_arg *a = arg;
    return ddb_run(a->api, a->in, a->threads, t);
}

static void run_ddb(const config *c, const e2e_input *in, int threads, series *s)
{
    ddb_arg a = {&c->ddb, in, threads};
    e2e_times t;
    record(s, e2e_in_child(ddb_job, &a, &t) == 0, &t);
}

/* A peer's run counts only when its tier query saw every row, in groups
 * whose counts are those of libservgap's tier cells (ref), so that the
 * sides did the same work. */
static void check_peer(series *s, const char *who, const e2e_input *in, const e2e_times *ref)
{
    if (s->n == 0)
        return;
    const e2e_times *t = &s->run[s->n - 1];
    if (t->seen == in->rows && t->groups == ref->groups && t->counts_hash == ref->counts_hash &&
        t->decl_groups == ref->decl_groups && t->decl_rows >= ref->decl_rows)
        return;
    fprintf(stderr,
            "bench_e2e: %s on %s: %llu observations of %llu in %llu groups (%llu of"
            " declarations, %llu rows); libservgap has %llu tier cell counts (%llu, %llu)%s\n",
            who, in->dir, (unsigned long long)t->seen, (unsigned long long)in->rows,
            (unsigned long long)t->groups, (unsigned long long)t->decl_groups,
            (unsigned long long)t->decl_rows, (unsigned long long)ref->groups,
            (unsigned long long)ref->decl_groups, (unsigned long long)ref->decl_rows,
            t->groups == ref->groups ? ", and the counts differ" : "");
    s->n--;
    s->failed++;
}

/* Every side once; ref: libservgap's groups (an earlier in-process run). */
static void one_round(const config *c, const e2e_input *in, series s[NSIDES], const e2e_times *ref)
{
    e2e_times t;
    run_report(c, in, &s[S_REPORT]);
    if (c->phases)
        run_lib(in, &s[S_LIB]);
    if (c->have_ddb) {
        run_ddb(c, in, 0, &s[S_DDB]);
        check_peer(&s[S_DDB], "DuckDB", in, ref);
        run_ddb(c, in, 1, &s[S_DDB1]);
        check_peer(&s[S_DDB1], "DuckDB, 1 thread", in, ref);
    }
    if (c->have_sqlite) {
        record(&s[S_SQLITE], sqlite_run(c->sqlite, in, c->dir, &t) == 0, &t);
        check_peer(&s[S_SQLITE], "SQLite", in, ref);
    }
}

/* ---- reporting ---------------------------------------------------------- */

static const char *const side_name[NSIDES] = {"servgap-report --json", "libservgap in process",
                                              "DuckDB, its threads", "DuckDB, 1 thread",
                                              "SQLite shell"};

static void print_peer(const series *s, int side)
{
    printf("  %-24s load %7.3f  tier %7.3f  account %7.3f | tier job %7.3f s,"
           " with account %7.3f s; cpu %7.3f s; %llu + %llu groups\n",
           side_name[side], med(s, F_LOAD), med(s, F_TIER), med(s, F_ACCOUNT), med(s, F_TIERJOB),
           med(s, F_TOTAL), med(s, F_CPU), (unsigned long long)s->run[0].tier_rows,
           (unsigned long long)s->run[0].acct_rows);
}

static void print_lib(const series *s)
{
    printf("  %-24s import %7.3f  query %7.3f  JSON %7.3f | total %7.3f s; cpu %7.3f s;"
           " %.0f MB of JSON, %llu cells, %llu findings\n",
           side_name[S_LIB], med(s, F_LOAD), med(s, F_TIER), med(s, F_ACCOUNT), med(s, F_TOTAL),
           med(s, F_CPU), (double)s->run[0].seen / 1e6, (unsigned long long)s->run[0].tier_rows,
           (unsigned long long)s->run[0].acct_rows);
}

static void print_input(const e2e_input *in, uint64_t bytes, series s[NSIDES])
{
    printf("shape %c (%s: %s), %llu rows, %.1f MB\n", in->shape->letter, in->shape->name,
           in->shape->what, (unsigned long long)in->rows, (double)bytes / 1e6);
    for (int k = 0; k < NSIDES; k++) {
        if (s[k].failed)
            printf("  %-24s %d run(s) FAILED\n", side_name[k], s[k].failed);
        if (s[k].n == 0)
            continue;
        if (k == S_REPORT)
            printf("  %-24s total %7.3f s; cpu %7.3f s\n", side_name[k], med(&s[k], F_TOTAL),
                   med(&s[k], F_CPU));
        else if (k == S_LIB)
            print_lib(&s[k]);
        else
            print_peer(&s[k], k);
        printf("  %-24s peak memory %.0f MB\n", "", peak_mb(&s[k]));
    }
    fflush(stdout);
}

static void keep(outcome *o, const e2e_input *in, uint64_t bytes, series s[NSIDES])
{
    o->shape = in->shape;
    o->rows = in->rows;
    o->bytes = bytes;
    for (int k = 0; k < NSIDES; k++) {
        o->ok[k] = s[k].n > 0;
        int own = k == S_REPORT || k == S_LIB; /* one job: the report */
        o->med[k][0] = med(&s[k], own ? F_TOTAL : F_TIERJOB);
        o->med[k][1] = med(&s[k], F_TOTAL);
        o->cpu[k] = med(&s[k], F_CPU);
        o->peak_mb[k] = peak_mb(&s[k]);
    }
    o->step[0] = med(&s[S_LIB], F_LOAD);
    o->step[1] = med(&s[S_LIB], F_TIER);
    o->step[2] = med(&s[S_LIB], F_ACCOUNT);
    if (o->ok[S_LIB]) {
        o->json_bytes = s[S_LIB].run[0].seen;
        o->cells = s[S_LIB].run[0].tier_rows;
        o->findings = s[S_LIB].run[0].acct_rows;
    }
}

static void cell(const outcome *o, int side, int job)
{
    if (o->ok[side])
        printf(" %.2f |", o->med[side][job]);
    else
        printf(" - |");
}

static void ratio(const outcome *o, int side, int job)
{
    if (o->ok[side] && o->ok[S_REPORT] && o->med[S_REPORT][0] > 0)
        printf(" %.2fx |", o->med[side][job] / o->med[S_REPORT][0]);
    else
        printf(" - |");
}

/* The summary: seconds and ratios (peer / libservgap: above 1, libservgap
 * is faster), the peers' job per tier (job 0) or per tier and account. */
static void summary(const outcome *o, int n, int job)
{
    printf("\n%s; medians, seconds; ratio = peer / servgap-report\n\n",
           job ? "Peers: load + GROUP BY tier + GROUP BY account"
               : "Peers: load + GROUP BY tier (the issue's comparison)");
    printf("| shape | rows | CSV MB | servgap-report | DuckDB | DuckDB 1 thread | SQLite |"
           " DuckDB / libservgap | DuckDB 1t / libservgap | SQLite / libservgap |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < n; i++) {
        printf("| %c %s | %llu | %.1f |", o[i].shape->letter, o[i].shape->name,
               (unsigned long long)o[i].rows, (double)o[i].bytes / 1e6);
        cell(&o[i], S_REPORT, 0);
        cell(&o[i], S_DDB, job);
        cell(&o[i], S_DDB1, job);
        cell(&o[i], S_SQLITE, job);
        ratio(&o[i], S_DDB, job);
        ratio(&o[i], S_DDB1, job);
        ratio(&o[i], S_SQLITE, job);
        printf("\n");
    }
}

/* Where libservgap's time goes (in process), and the CPU seconds of
 * each side's whole job (DuckDB's on every thread). */
static void steps_table(const outcome *o, int n)
{
    printf("\nlibservgap in process (medians, seconds) and CPU seconds of each whole job\n\n");
    printf("| shape | rows | import | query | JSON | JSON MB | cells | findings |"
           " cpu servgap-report | cpu DuckDB | cpu DuckDB 1t | cpu SQLite |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < n; i++) {
        printf("| %c %s | %llu |", o[i].shape->letter, o[i].shape->name,
               (unsigned long long)o[i].rows);
        if (o[i].ok[S_LIB])
            printf(" %.2f | %.2f | %.2f | %.0f | %llu | %llu |", o[i].step[0], o[i].step[1],
                   o[i].step[2], (double)o[i].json_bytes / 1e6, (unsigned long long)o[i].cells,
                   (unsigned long long)o[i].findings);
        else
            printf(" - | - | - | - | - | - |");
        for (int k = 0; k < NSIDES; k++)
            if (k != S_LIB)
                o[i].ok[k] ? printf(" %.2f |", o[i].cpu[k]) : printf(" - |");
        printf("\n");
    }
}

/* The peak resident set of each side's process (the largest of its
 * runs), beside the CSV's size. */
static void memory_table(const outcome *o, int n)
{
    printf("\nPeak memory (MB, getrusage of each side's child process)\n\n");
    printf("| shape | rows | CSV MB |");
    for (int k = 0; k < NSIDES; k++)
        printf(" %s |", side_name[k]);
    printf("\n|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < n; i++) {
        printf("| %c %s | %llu | %.1f |", o[i].shape->letter, o[i].shape->name,
               (unsigned long long)o[i].rows, (double)o[i].bytes / 1e6);
        for (int k = 0; k < NSIDES; k++)
            o[i].ok[k] ? printf(" %.0f |", o[i].peak_mb[k]) : printf(" - |");
        printf("\n");
    }
}

/* ---- main --------------------------------------------------------------- */

/* Measure one input; 0, or -1 when its export could not be made. */
static int bench_input(const config *c, const cs_shape *shape, uint64_t rows, outcome *o)
{
    char dir[E2E_DIR_CAP];
    uint64_t bytes = prepare(c, shape, rows, dir, sizeof dir);
    if (bytes == 0) {
        fprintf(stderr, "bench_e2e: cannot write the export %s\n", dir);
        return -1;
    }
    e2e_input in = {dir, shape, rows};
    static series s[NSIDES];
    memset(s, 0, sizeof s);
    warm(dir);
    /* libservgap's groups, from an untimed run: the peers' reference. */
    e2e_times ref;
    if (e2e_in_child(lib_ref_job, &in, &ref) != 0) {
        fprintf(stderr, "bench_e2e: libservgap could not read %s\n", dir);
        return -1;
    }
    for (int r = 0; r < c->runs; r++)
        one_round(c, &in, s, &ref);
    print_input(&in, bytes, s);
    printf("  groups checked: libservgap's %llu tier cell counts of events and surveys equal the"
           " peers' group counts; declarations: %llu groups, %llu rows read (a set repeated is"
           " read once)\n",
           (unsigned long long)ref.groups, (unsigned long long)ref.decl_groups,
           (unsigned long long)ref.decl_rows);
    keep(o, &in, bytes, s);
    return s[S_REPORT].failed ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: bench_e2e SERVGAP-REPORT [LIBDUCKDB.SO]\n", stderr);
        return 2;
    }
    static config c;
    configure(&c, argc, argv);
    print_header(&c);
    static outcome o[MAX_SIZES * 16];
    int n = 0, status = 0;
    for (int z = 0; z < c.nsizes; z++)
        for (const char *p = c.shapes; *p; p++) {
            char key[2] = {*p, 0};
            const cs_shape *shape = cs_shape_find(key);
            if (shape == NULL || n >= (int)(sizeof o / sizeof *o))
                continue;
            if (bench_input(&c, shape, c.sizes[z], &o[n]) == 0)
                n++;
            else
                status = 1;
        }
    summary(o, n, 0);
    summary(o, n, 1);
    steps_table(o, n);
    memory_table(o, n);
    printf("\nload average at the end: %.1f\n", load_average());
    return status;
}
