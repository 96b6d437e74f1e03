/*
 * peer_sqlite -- SQLite's side of the end-to-end benchmark, as the issue
 * measured it: the sqlite3 shell, an in-memory database, .import of the
 * observations into a typed table (one transaction, the shell's own CSV
 * reader), then the GROUP BY per tier and the one per account, each
 * materialized into a temporary table (as DuckDB materializes a result),
 * no row printed. The shell prints a clock mark between the steps, so one
 * run gives the phases; the total is the child's wall time.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

int sqlite_version(const char *shell, char *out, size_t cap)
{
    char cmd[E2E_PATH_CAP];
    snprintf(cmd, sizeof cmd, "'%s' -version 2>/dev/null", shell);
    FILE *p = strchr(shell, '\'') ? NULL : popen(cmd, "r");
    if (p == NULL)
        return -1;
    char line[256] = "";
    int ok = fgets(line, sizeof line, p) != NULL;
    int rc = pclose(p);
    if (!ok || rc != 0)
        return -1;
    line[strcspn(line, " \n")] = 0; /* "3.40.1 2022-12-28 ..." */
    snprintf(out, cap, "%s", line);
    return 0;
}

/* SQLite has no var_samp: the sample variance from sums, as
 * bench_sqlite.c computes it. */
static const char group_sql[] =
    "CREATE TEMP TABLE r_%s AS SELECT %s, touchpoint, metric, viewpoint, COUNT(*) AS n,"
    " AVG(value), (SUM(value*value) - SUM(value)*SUM(value)/COUNT(*)) / NULLIF(COUNT(*) - 1, 0),"
    " MIN(value), MAX(value) FROM obs GROUP BY %s, touchpoint, metric, viewpoint;\n";

static const char mark_sql[] =
    "SELECT 'mark', printf('%.6f', (julianday('now') - 2440587.5) * 86400.0);\n";

static void write_script(FILE *f, const e2e_input *in)
{
    static const char *const optional[3] = {"", ", team TEXT",
                                            ", team TEXT, driver TEXT,"
                                            " respondent TEXT"};
    fputs(".bail on\n.mode list\nPRAGMA temp_store = MEMORY;\n", f);
    fprintf(f,
            "CREATE TABLE obs(time TEXT, account TEXT, tier TEXT, touchpoint TEXT, metric TEXT,"
            " viewpoint TEXT, value REAL%s);\n",
            optional[in->shape->cols]);
    fputs(mark_sql, f);
    fprintf(f, ".import --csv --skip 1 '%s/observations.csv' obs\n", in->dir);
    fputs(mark_sql, f);
    fprintf(f, group_sql, "tier", "tier", "tier");
    fputs(mark_sql, f);
    fprintf(f, group_sql, "account", "account", "account");
    fputs(mark_sql, f);
    fputs("SELECT 'check', (SELECT SUM(n) FROM r_tier), (SELECT COUNT(*) FROM r_tier),"
          " (SELECT COUNT(*) FROM r_account);\n",
          f);
    /* The groups check (e2e.h, e2e_times): importance goes to weights,
     * not to libservgap's cells. */
    fputs("SELECT CASE WHEN viewpoint IN ('standard', 'promised') THEN 'd' ELSE 'n' END, n"
          " FROM r_tier WHERE viewpoint <> 'importance';\n",
          f);
}

/* The marks and the check line of the shell's output into t. */
static int read_output(const char *path, e2e_times *t)
{
    e2e_counts counts = {0};
    int oom = 0;
    FILE *f = fopen(path, "r");
    double mark[4];
    int nmark = 0, checked = 0;
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        unsigned long long a, b, c;
        if (strncmp(line, "mark|", 5) == 0 && nmark < 4)
            mark[nmark++] = strtod(line + 5, NULL);
        else if (strncmp(line, "n|", 2) == 0)
            oom |= e2e_counts_add(&counts, strtoull(line + 2, NULL, 10));
        else if (strncmp(line, "d|", 2) == 0) {
            t->decl_groups++;
            t->decl_rows += strtoull(line + 2, NULL, 10);
        } else if (sscanf(line, "check|%llu|%llu|%llu", &a, &b, &c) == 3) {
            t->seen = a, t->tier_rows = b, t->acct_rows = c;
            checked = 1;
        }
    }
    if (f)
        fclose(f);
    t->groups = counts.n;
    t->counts_hash = e2e_counts_hash(counts.v, counts.n);
    free(counts.v);
    if (nmark != 4 || !checked || oom)
        return -1;
    t->load = mark[1] - mark[0];
    t->tier = mark[2] - mark[1];
    t->account = mark[3] - mark[2];
    return 0;
}

int sqlite_run(const char *shell, const e2e_input *in, const char *scratch, e2e_times *t)
{
    char script[E2E_PATH_CAP], out[E2E_PATH_CAP];
    memset(t, 0, sizeof *t);
    snprintf(script, sizeof script, "%s/sqlite.sql", scratch);
    snprintf(out, sizeof out, "%s/sqlite.out", scratch);
    FILE *f = fopen(script, "w");
    if (f == NULL || strchr(in->dir, '\'') != NULL) {
        if (f)
            fclose(f);
        return -1;
    }
    write_script(f, in);
    if (fclose(f) != 0)
        return -1;
    char *argv[] = {(char *)shell, "-batch", ":memory:", NULL};
    int rc = e2e_spawn(argv, script, out, &t->total, &t->cpu, &t->peak_kb);
    if (rc != 0 || read_output(out, t) != 0) {
        fprintf(stderr, "bench_e2e: sqlite3 failed (exit %d); its output: %s\n", rc, out);
        return -1;
    }
    return 0;
}
