/*
 * peer_duckdb -- DuckDB's side of the end-to-end benchmark, through its C
 * API in a libduckdb.so opened at run time (duckdb_capi.h): a new
 * in-memory database, read_csv of the observations into a table as an
 * engineer would write it (types and dialect detected), then the GROUP BY
 * per tier and the one per account, each result fetched chunk by chunk.
 */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"
#include "e2e.h"

static const struct {
    const char *name;
    size_t off;
} symbols[] = {
    {"duckdb_library_version", offsetof(ddb_api, library_version)},
    {"duckdb_open", offsetof(ddb_api, open)},
    {"duckdb_close", offsetof(ddb_api, close)},
    {"duckdb_connect", offsetof(ddb_api, connect)},
    {"duckdb_disconnect", offsetof(ddb_api, disconnect)},
    {"duckdb_query", offsetof(ddb_api, query)},
    {"duckdb_destroy_result", offsetof(ddb_api, destroy_result)},
    {"duckdb_result_error", offsetof(ddb_api, result_error)},
    {"duckdb_column_count", offsetof(ddb_api, column_count)},
    {"duckdb_column_type", offsetof(ddb_api, column_type)},
    {"duckdb_fetch_chunk", offsetof(ddb_api, fetch_chunk)},
    {"duckdb_data_chunk_get_size", offsetof(ddb_api, chunk_size)},
    {"duckdb_data_chunk_get_vector", offsetof(ddb_api, chunk_vector)},
    {"duckdb_vector_get_data", offsetof(ddb_api, vector_data)},
    {"duckdb_destroy_data_chunk", offsetof(ddb_api, destroy_chunk)},
};

int ddb_load(ddb_api *api, const char *path, char *why, size_t cap)
{
    memset(api, 0, sizeof *api);
    api->lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (api->lib == NULL) {
        snprintf(why, cap, "%s", dlerror());
        return -1;
    }
    for (size_t k = 0; k < sizeof symbols / sizeof *symbols; k++) {
        void *p = dlsym(api->lib, symbols[k].name);
        if (p == NULL) {
            snprintf(why, cap, "%s: no %s", path, symbols[k].name);
            return -1;
        }
        /* A function pointer from dlsym's void *, without a cast ISO C
         * does not define. */
        memcpy((char *)api + symbols[k].off, &p, sizeof p);
    }
    return 0;
}

/* Fetch every chunk of r: the rows into *rows and, when t is not NULL,
 * column 4 (the COUNT(*), a BIGINT) into counts, t->seen and t->decl_*,
 * as column 9 (an INTEGER: 0 event or survey, 1 declaration, 2
 * importance) sorts them (e2e.h, e2e_times). */
static int fetch_all(const ddb_api *api, ddb_result *r, uint64_t *rows, e2e_counts *counts,
                     e2e_times *t)
{
    int keep = counts && api->column_count(r) > 9 && api->column_type(r, 4) == DDB_TYPE_BIGINT &&
               api->column_type(r, 9) == DDB_TYPE_INTEGER;
    int rc = counts && !keep ? -1 : 0;
    ddb_chunk c;
    while ((c = api->fetch_chunk(*r)) != NULL) {
        ddb_idx n = api->chunk_size(c);
        if (keep) {
            const int64_t *v = api->vector_data(api->chunk_vector(c, 4));
            const int32_t *kind = api->vector_data(api->chunk_vector(c, 9));
            for (ddb_idx i = 0; i < n && rc == 0; i++) {
                t->seen += (uint64_t)v[i];
                t->decl_groups += kind[i] == 1;
                t->decl_rows += kind[i] == 1 ? (uint64_t)v[i] : 0;
                rc = kind[i] ? 0 : e2e_counts_add(counts, (uint64_t)v[i]);
            }
        }
        *rows += n;
        api->destroy_chunk(&c);
    }
    return rc;
}

/* Run sql and fetch its result; the seconds it took, or -1. */
static double run_sql(const ddb_api *api, ddb_connection con, const char *sql, uint64_t *rows,
                      e2e_counts *counts, e2e_times *t)
{
    uint64_t ignored = 0;
    ddb_result r;
    double t0 = bench_now();
    if (api->query(con, sql, &r) != 0) {
        fprintf(stderr, "bench_e2e: duckdb: %s: %s\n", sql, api->result_error(&r));
        api->destroy_result(&r);
        return -1;
    }
    int rc = fetch_all(api, &r, rows ? rows : &ignored, counts, t);
    api->destroy_result(&r);
    if (rc != 0)
        fprintf(stderr, "bench_e2e: duckdb: %s: not the columns expected\n", sql);
    return rc == 0 ? bench_now() - t0 : -1;
}

static const char group_sql[] =
    "SELECT %s, touchpoint, metric, viewpoint, count(*) AS n, avg(value), var_samp(value),"
    " min(value), max(value), CASE WHEN viewpoint IN ('standard', 'promised') THEN 1"
    " WHEN viewpoint = 'importance' THEN 2 ELSE 0 END"
    " FROM obs GROUP BY %s, touchpoint, metric, viewpoint";

static int job(const ddb_api *api, ddb_connection con, const e2e_input *in, int threads,
               e2e_times *t)
{
    char sql[E2E_DIR_CAP + 256];
    if (threads > 0) {
        snprintf(sql, sizeof sql, "SET threads = %d", threads);
        if (run_sql(api, con, sql, NULL, NULL, NULL) < 0)
            return -1;
    }
    if (strchr(in->dir, '\'') != NULL)
        return -1;
    snprintf(sql, sizeof sql, "CREATE TABLE obs AS SELECT * FROM read_csv('%s/observations.csv')",
             in->dir);
    if ((t->load = run_sql(api, con, sql, NULL, NULL, NULL)) < 0)
        return -1;
    snprintf(sql, sizeof sql, group_sql, "tier", "tier");
    e2e_counts counts = {0};
    t->tier = run_sql(api, con, sql, &t->tier_rows, &counts, t);
    t->groups = counts.n;
    t->counts_hash = e2e_counts_hash(counts.v, counts.n);
    free(counts.v);
    if (t->tier < 0)
        return -1;
    snprintf(sql, sizeof sql, group_sql, "account", "account");
    if ((t->account = run_sql(api, con, sql, &t->acct_rows, NULL, NULL)) < 0)
        return -1;
    return 0;
}

int ddb_run(const ddb_api *api, const e2e_input *in, int threads, e2e_times *t)
{
    memset(t, 0, sizeof *t);
    double c0 = e2e_cpu_self(), t0 = bench_now();
    ddb_database db = NULL;
    ddb_connection con = NULL;
    int rc = -1;
    if (api->open(NULL, &db) != 0 || api->connect(db, &con) != 0)
        fputs("bench_e2e: duckdb: cannot open an in-memory database\n", stderr);
    else
        rc = job(api, con, in, threads, t);
    if (con)
        api->disconnect(&con);
    if (db)
        api->close(&db);
    t->total = bench_now() - t0;
    t->cpu = e2e_cpu_self() - c0;
    return rc;
}
