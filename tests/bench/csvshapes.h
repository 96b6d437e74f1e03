/*
 * csvshapes -- observation exports of shapes that the workload generator
 * (workload.c) does not make, for the end-to-end benchmark against DuckDB
 * and SQLite (bench_e2e.c): plain dates, ISO date-times or epoch seconds
 * in the time column; none, one (team) or all of the optional columns
 * (team, driver, respondent); names that need quotes, or every text field
 * quoted with CRLF line ends as some exporters write. Seeded splitmix64 only, so the
 * same parameters give the same bytes everywhere. Knows nothing of
 * libservgap: it writes the CSV tables of docs/formats.md.
 */
#ifndef SERVGAP_BENCH_CSVSHAPES_H
#define SERVGAP_BENCH_CSVSHAPES_H

#include <stdint.h>

typedef enum cs_time { CS_DATE, CS_DATETIME, CS_EPOCH } cs_time;
typedef enum cs_quote {
    CS_QUOTE_NONE, /* no field needs quotes */
    CS_QUOTE_SOME, /* some names hold commas or quotes, quoted where needed */
    CS_QUOTE_ALL   /* every text field quoted, CRLF line ends */
} cs_quote;

typedef enum cs_cols {
    CS_COLS_REQUIRED, /* the 7 required columns */
    CS_COLS_TEAM,     /* and team */
    CS_COLS_ALL       /* and team, driver, respondent (paired responses) */
} cs_cols;

typedef struct cs_shape {
    char letter;      /* 'a', 'b', ... */
    const char *name; /* "dates" */
    const char *what; /* one line for a table */
    cs_time time;
    cs_cols cols;
    cs_quote quote;
} cs_shape;

typedef struct cs_params {
    uint64_t rows; /* observation rows, paired ones included */
    uint32_t accounts;
    uint64_t seed;
} cs_params;

/* What was written. */
typedef struct cs_stats {
    uint64_t rows, paired_rows, bytes; /* bytes: of observations.csv */
} cs_stats;

/* Changes whenever the generator's bytes do (bench_e2e keeps exports
 * stamped with it between runs). */
#define CS_VERSION 1

extern const cs_shape cs_shapes[];
extern const int cs_nshapes;

/* The shape of a letter or name, or NULL. */
const cs_shape *cs_shape_find(const char *letter_or_name);

/* Defaults: 20,000 accounts, seed 20261207, rows as given. */
void cs_params_default(cs_params *p, uint64_t rows);

/* Write DIR/observations.csv, DIR/metrics.csv and DIR/accounts.csv (DIR
 * must exist). 0, or -1 with a message on stderr. */
int cs_write(const char *dir, const cs_shape *s, const cs_params *p, cs_stats *st);

#endif
