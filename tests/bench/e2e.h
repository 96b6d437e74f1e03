/*
 * e2e -- what the pieces of the end-to-end benchmark share (bench_e2e.c
 * runs them; e2e_proc.c, peer_duckdb.c and peer_sqlite.c): one CSV
 * export on disk, the times of one run of a peer, and child processes.
 */
#ifndef SERVGAP_BENCH_E2E_H
#define SERVGAP_BENCH_E2E_H

#include <stddef.h>
#include <stdint.h>

#include "csvshapes.h"
#include "duckdb_capi.h"

/* Room for an export's directory, and for a file in it. */
#define E2E_DIR_CAP  4096
#define E2E_PATH_CAP (E2E_DIR_CAP + 32)

/* One export: DIR/observations.csv, metrics.csv and accounts.csv. */
typedef struct e2e_input {
    const char *dir;
    const cs_shape *shape;
    uint64_t rows;
} e2e_input;

/* One run of one side, seconds. A peer's total is the whole job:
 * load + the tier GROUP BY + the account GROUP BY (+ opening and
 * closing); its "tier" end to end is total - account. cpu: user + system
 * seconds of the run, all threads or the child. */
typedef struct e2e_times {
    double total, load, tier, account, cpu;
    uint64_t seen;                 /* sum of the tier query's COUNT(*) */
    uint64_t tier_rows, acct_rows; /* result rows of the two queries */
    /* The tier groups' counts, sorted, hashed (e2e_counts_hash): equal
     * for two sides when each group count of one is a group count of the
     * other, as often; libservgap's are its tier cells' n per viewpoint.
     * Of the viewpoints that are events or surveys only: a declaration
     * (standard, promised) that repeats the set in force is read once
     * (docs/concepts.md, "Declarations"), so libservgap's n there is at
     * most the rows; those groups and rows go to decl_*. Importance
     * points are weights, in no cell: the peers leave them out here. */
    uint64_t groups, counts_hash, decl_groups, decl_rows;
    uint64_t peak_kb; /* peak resident set of the process that ran it */
} e2e_times;

/* The hash of counts[0..n) sorted (sorts them), for e2e_times. */
uint64_t e2e_counts_hash(uint64_t *counts, size_t n);

/* A growing list of group counts. */
typedef struct e2e_counts {
    uint64_t *v;
    size_t n, cap;
} e2e_counts;
/* Append x; 0, or -1 when out of memory. */
int e2e_counts_add(e2e_counts *c, uint64_t x);

/* Run argv with stdin from in_path and stdout to out_path (NULL:
 * /dev/null); wall and CPU seconds of the child in *wall, *cpu, its peak
 * resident set in *peak_kb. The exit status, or -1 when it could not run
 * or died of a signal. */
int e2e_spawn(char *const argv[], const char *in_path, const char *out_path, double *wall,
              double *cpu, uint64_t *peak_kb);
/* Run fn(arg, t) in a child process, so that its peak memory is its own
 * (t->peak_kb) and nothing it leaves behind slows the next side; *t comes
 * back through a pipe. fn's return value, or -1 when the child failed. */
int e2e_in_child(int (*fn)(const void *arg, e2e_times *t), const void *arg, e2e_times *t);
/* User + system seconds of this process so far, all threads. */
double e2e_cpu_self(void);

/* DuckDB through its C API: dlopen path; 0, or -1 with the reason in why. */
int ddb_load(ddb_api *api, const char *path, char *why, size_t cap);
/* One end-to-end run in a new in-memory database; threads 0: DuckDB's
 * default (every core). 0, or -1 with a message on stderr. */
int ddb_run(const ddb_api *api, const e2e_input *in, int threads, e2e_times *t);

/* SQLite through its shell (.import): the version into out (0), or -1
 * when the shell does not run. */
int sqlite_version(const char *shell, char *out, size_t cap);
/* One end-to-end run; scratch is a directory for the script and output. */
int sqlite_run(const char *shell, const e2e_input *in, const char *scratch, e2e_times *t);

#endif
