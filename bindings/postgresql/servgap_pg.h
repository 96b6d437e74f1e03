/*
 * servgap_pg.h -- what the files of the PostgreSQL extension share:
 * libservgap handles whose memory is a memory context (pg_alloc), library
 * failures raised as PostgreSQL errors (pg_errors), CSV text built from SQL
 * values (pg_csv), the aggregate's transition state (pg_state), definitions
 * read with SPI (pg_defs) and the handle a report is computed on
 * (pg_build).
 */
#ifndef SERVGAP_PG_H
#define SERVGAP_PG_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/jsonb.h"

#include "servgap.h"

/* PostgreSQL 16 has pg_noreturn; 15 compiles as C11 or later. */
#ifndef pg_noreturn
#define pg_noreturn _Noreturn
#endif

/* ---- pg_alloc.c: a handle that lives in a memory context ---------------- */

/* A libservgap handle and the memory context that holds every byte of it
 * (and of the results it returns). Deleting mcxt frees the handle, also
 * when an error or a cancel unwinds the statement. */
typedef struct pgsg_handle {
    MemoryContext mcxt;
    servgap_ctx *ctx;
} pgsg_handle;

/* A new handle in a new child context of parent, identified by name (a
 * string constant) in memory context dumps. ereports on failure. */
pgsg_handle *pgsg_handle_new(MemoryContext parent, const char *name);

/* Free the handle and its context now. */
void pgsg_handle_free(pgsg_handle *h);

/* Free r when h's context goes: a result taken from h lives as long. */
void pgsg_handle_keep_result(pgsg_handle *h, servgap_result *r);

/* ---- pg_errors.c: library failures as PostgreSQL errors ------------------ */

/* ereport a failed call (rc != SERVGAP_OK) of what on h: a cancel as the
 * cancel it was, anything else with the library's message. */
pg_noreturn void pgsg_raise(pgsg_handle *h, int rc, const char *what);

/* Raise if rc is not SERVGAP_OK. */
static inline void pgsg_check(pgsg_handle *h, int rc, const char *what)
{
    if (rc != SERVGAP_OK)
        pgsg_raise(h, rc, what);
}

/* Import the CSV text data[0..len) (a header line, then rows) as table
 * into h. On failure the error names what (e.g. "accounts query") and the
 * row and the field at fault, with the row's values. */
void pgsg_import(pgsg_handle *h, int32 table, const char *what, const char *data, size_t len);

/* "(time '2026-01-12T00:00:00Z', account 'acme', ...)": the non-empty
 * fields of a CSV line, named by the header line. *field receives the name
 * of the field at byte column col (1-based; NULL for none). */
char *pgsg_describe_row(const char *header, size_t header_len, const char *line, size_t len,
                        int col, const char **field);

/* ---- pg_csv.c: CSV text from SQL values ---------------------------------- */

/* Append a field: a separator unless first, then s quoted when it must be. */
void pgsg_csv_text(StringInfo buf, bool first, const char *s, int len);
void pgsg_csv_cstring(StringInfo buf, bool first, const char *s);
/* A double with the shortest digits that read back to it. */
void pgsg_csv_double(StringInfo buf, bool first, double v);
/* A time (UTC seconds) as YYYY-MM-DDTHH:MM:SSZ, a date as YYYY-MM-DD. */
void pgsg_csv_time(StringInfo buf, bool first, int64 unix_seconds);
void pgsg_csv_date(StringInfo buf, bool first, int64 unix_seconds);

/* Split one CSV line (as pgsg_csv_* write them) into at most max fields,
 * unquoted, in palloc'd strings; returns the count. *field_at receives the
 * index of the field that starts at or covers byte column col (1-based). */
int pgsg_csv_split(const char *line, size_t len, char **fields, int max, int col, int *field_at);

/* Seconds since 1970 of a timestamptz or a date (whole UTC days). */
int64 pgsg_unix_from_timestamptz(TimestampTz t);
int64 pgsg_unix_from_date(int32 d);

/* ---- pg_state.c: the aggregate's transition state ------------------------ */

/* The observations columns, in the order the aggregate takes them. */
#define PGSG_OBS_HEADER                                                                            \
    "time,account,tier,touchpoint,metric,viewpoint,value,team,driver,respondent\n"

typedef struct pgsg_state {
    pgsg_handle *h;       /* every unpaired row recorded so far */
    StringInfoData batch; /* the header and rows not yet imported */
    int batch_rows;
    StringInfoData pending; /* the header and every respondent's rows */
    int64 pending_rows;
} pgsg_state;

/* A new state in mcxt; defs (NULL: none) are library bytes whose
 * definitions (metrics, accounts) it starts from. */
pgsg_state *pgsg_state_new(MemoryContext mcxt, bytea *defs);

/* Start a row: the batch or pending buffer it goes to (by respondent). */
StringInfo pgsg_state_row_buffer(pgsg_state *s, bool has_respondent);

/* A row was appended to the buffer pgsg_state_row_buffer gave. */
void pgsg_state_row_done(pgsg_state *s, bool has_respondent);

/* servgap.negative_share, which pgsg_handle_new gives every handle. */
extern double pgsg_negative_share;

/* Define the settings (GUCs) of the extension: servgap.compact_rows and
 * servgap.negative_share. */
void pgsg_define_settings(void);

/* Import the batch of unpaired rows; compact the state into its summary
 * once it holds servgap.compact_rows raw rows. */
void pgsg_state_flush(pgsg_state *s);

/* Merge src into dst (src is left empty of rows). */
void pgsg_state_merge(pgsg_state *dst, pgsg_state *src);

/* Load library bytes (the aggregate's result) into s. */
void pgsg_state_load(pgsg_state *s, const char *data, size_t len, const char *what);

/* The two functions that decide the bytes of a partial state: to a bytea
 * and back (into mcxt). Only they know the library's format. */
bytea *pgsg_state_to_bytea(pgsg_state *s);
pgsg_state *pgsg_state_from_bytea(MemoryContext mcxt, bytea *b);

/* The aggregate's result: every row recorded (respondents' responses
 * too), as the library's bytes. */
bytea *pgsg_state_result(pgsg_state *s);

/* Library bytes of h (what pgsg_state_result returns, and what
 * servgap_definitions returns). */
bytea *pgsg_handle_bytes(pgsg_handle *h);

/* Merge library bytes into h. */
void pgsg_handle_load(pgsg_handle *h, const char *data, size_t len, const char *what);

/* ---- pg_defs.c: definitions from queries -------------------------------- */

/* The rows of query (read only) as CSV text with a header of its column
 * names; NULL when query is NULL. what names it in errors. */
StringInfo pgsg_query_csv(const char *query, const char *what);

/* Import query's rows as table into h (nothing for a NULL query). */
void pgsg_import_query(pgsg_handle *h, int32 table, const char *query, const char *what);

/* ---- pg_build.c: the handle a report is computed on ---------------------- */

/* The arguments every analysis function takes, in this order: state bytea,
 * metrics, accounts, importance, efforts, plans (queries), window_from,
 * window_to, now (dates), options (jsonb). */
typedef struct pgsg_inputs {
    bytea *state;
    const char *metrics, *accounts, *importance, *efforts, *plans;
    int64 from, to, now;
    Jsonb *options;
} pgsg_inputs;

#define PGSG_INPUT_ARGS 10

/* Read the arguments; false when the state is NULL (no data). */
bool pgsg_inputs_read(FunctionCallInfo fcinfo, pgsg_inputs *in);

/* The handle of in: definitions, the state's names in a fixed order, the
 * state, importance, efforts, plans and options; and the result of the
 * query of in's window with flags. The handle is in a child of
 * CurrentMemoryContext; the result lives as long. */
servgap_result *pgsg_analyse(const pgsg_inputs *in, uint32 flags, pgsg_handle **out);

/* pg_options.c: set the options named in a jsonb object (NULL: none). */
void pgsg_apply_options(pgsg_handle *h, Jsonb *options);

/* The name of id of kind in h, for rows ("*" for SERVGAP_ALL). */
const char *pgsg_name(pgsg_handle *h, int32 kind, int32 id);

#endif
