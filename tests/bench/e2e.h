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
} e2e_times;

/* Run argv with stdin from in_path and stdout to out_path (NULL:
 * /dev/null); wall and CPU seconds of the child in *wall, *cpu. The exit
 * status, or -1 when it could not run or died of a signal. */
int e2e_spawn(char *const argv[], const char *in_path, const char *out_path, double *wall,
              double *cpu);
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
