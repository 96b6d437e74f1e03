/*
 * duckdb_capi -- the few declarations of DuckDB's C API (duckdb.h, 1.x)
 * that the end-to-end benchmark calls, as function-pointer types for a
 * libduckdb.so opened with dlopen. The npm package that ships the library
 * (@duckdb/node-bindings-linux-x64) has no header, and the build must not
 * need DuckDB at all. Layouts as duckdb.h 1.x declares them on x86-64:
 * handles are pointers to one-pointer structs, duckdb_result is six
 * 8-byte fields (48 bytes) passed by value to duckdb_fetch_chunk, idx_t
 * is uint64_t, duckdb_state 0 is success, COUNT(*) is a BIGINT (type 5).
 */
#ifndef SERVGAP_BENCH_DUCKDB_CAPI_H
#define SERVGAP_BENCH_DUCKDB_CAPI_H

#include <stdint.h>

typedef uint64_t ddb_idx;
typedef void *ddb_database;   /* duckdb_database */
typedef void *ddb_connection; /* duckdb_connection */
typedef void *ddb_chunk;      /* duckdb_data_chunk */
typedef void *ddb_vector;     /* duckdb_vector */
typedef int ddb_state;        /* duckdb_state: 0 DuckDBSuccess, 1 DuckDBError */

typedef struct ddb_result { /* duckdb_result */
    ddb_idx deprecated_column_count, deprecated_row_count, deprecated_rows_changed;
    void *deprecated_columns;
    char *deprecated_error_message;
    void *internal_data;
} ddb_result;

_Static_assert(sizeof(ddb_result) == 48, "duckdb_result is 48 bytes in DuckDB 1.x");

#define DDB_TYPE_INTEGER 4 /* int32_t */
#define DDB_TYPE_BIGINT  5

/* The functions, resolved by name from the library. */
typedef struct ddb_api {
    void *lib;
    const char *(*library_version)(void);
    ddb_state (*open)(const char *path, ddb_database *out);
    void (*close)(ddb_database *db);
    ddb_state (*connect)(ddb_database db, ddb_connection *out);
    void (*disconnect)(ddb_connection *con);
    ddb_state (*query)(ddb_connection con, const char *sql, ddb_result *out);
    void (*destroy_result)(ddb_result *r);
    const char *(*result_error)(ddb_result *r);
    ddb_idx (*column_count)(ddb_result *r);
    int (*column_type)(ddb_result *r, ddb_idx col);
    ddb_chunk (*fetch_chunk)(ddb_result r);
    ddb_idx (*chunk_size)(ddb_chunk c);                   /* duckdb_data_chunk_get_size */
    ddb_vector (*chunk_vector)(ddb_chunk c, ddb_idx col); /* duckdb_data_chunk_get_vector */
    void *(*vector_data)(ddb_vector v);                   /* duckdb_vector_get_data */
    void (*destroy_chunk)(ddb_chunk *c);                  /* duckdb_destroy_data_chunk */
} ddb_api;

#endif
