/*
 * pg_state -- the transition state of servgap_agg: a libservgap handle
 * holding the rows recorded so far, a batch of unpaired rows waiting to be
 * imported, and every respondent's rows kept aside.
 *
 * Why respondents wait: rows that share a respondent are one paired
 * response (docs/formats.md, "Respondents"), and the library pairs them
 * only within one import. A parallel plan hands a respondent's rows to
 * whichever worker reads them, so they travel with the partial states as
 * CSV rows and become responses only in the final function, which has
 * them all.
 *
 * The library's bytes are summaries (servgap_summary_write, docs/scaling.md):
 * moments per group, viewpoint and day, whose size follows the groups and
 * days that have data, not the rows. They appear in three places: a
 * partial state's bytes (pgsg_state_to_bytea and pgsg_state_from_bytea),
 * the aggregate's result (pgsg_handle_bytes) and what is loaded from them
 * (pgsg_handle_load). Only this file calls the library's write and load
 * functions. A state that has recorded many rows is compacted into its
 * summary, so that its memory, too, follows groups and days.
 */
#include "servgap_pg.h"

#include <limits.h>

#include "miscadmin.h"
#include "utils/guc.h"
#include "utils/memutils.h"

/* Unpaired rows per import: large enough that the import's per-call work
 * (its name memos) pays off, small enough to keep the text short. */
#define BATCH_ROWS 8192

/* Raw observations a state holds before it is compacted (the setting
 * servgap.compact_rows): 2^20 rows are about 25 MB of raw log, while their
 * summary is a few MB at most. The test lowers it to compact often. */
static int compact_rows = 1 << 20;

/* The negative_share of every handle (servgap.negative_share): a summary
 * counts its negative answers when it is written, so the states of the
 * aggregate, not only the report, must know the cut (docs/postgresql.md,
 * "Options"). */
double pgsg_negative_share = 0.4;

static bool share_ok(double *value, void **extra, GucSource source)
{
    (void)extra;
    (void)source;
    if (*value > 0 && *value < 1)
        return true;
    GUC_check_errdetail("servgap.negative_share must lie in (0, 1), both ends excluded.");
    return false;
}

void pgsg_define_settings(void)
{
    DefineCustomRealVariable("servgap.negative_share",
                             "The share of a metric's range, at its bad end, whose answers count "
                             "as negative; every servgap handle (states and reports) uses it.",
                             NULL, &pgsg_negative_share, 0.4, 0, 1, PGC_USERSET, 0, share_ok, NULL,
                             NULL);
    DefineCustomIntVariable("servgap.compact_rows",
                            "Raw observation rows a servgap_agg state holds before it is "
                            "reduced to its summary.",
                            NULL, &compact_rows, 1 << 20, 1, INT_MAX, PGC_USERSET, 0, NULL, NULL,
                            NULL);
    MarkGUCPrefixReserved("servgap");
}

#define HEADER_LEN ((int)sizeof(PGSG_OBS_HEADER) - 1)

/* A partial state's bytes: this magic, the library's bytes and the
 * respondents' rows, each after its length. Host byte order: the bytes go
 * from a worker to its leader, not to disk. */
static const char state_magic[8] = "SGPGST1";

pgsg_state *pgsg_state_new(MemoryContext mcxt, bytea *defs)
{
    MemoryContext old = MemoryContextSwitchTo(mcxt);
    pgsg_state *s = palloc0(sizeof *s);

    s->h = pgsg_handle_new(mcxt, "servgap state");
    initStringInfo(&s->batch);
    appendStringInfoString(&s->batch, PGSG_OBS_HEADER);
    initStringInfo(&s->pending);
    appendStringInfoString(&s->pending, PGSG_OBS_HEADER);
    MemoryContextSwitchTo(old);
    if (defs != NULL)
        pgsg_handle_load(s->h, VARDATA_ANY(defs), VARSIZE_ANY_EXHDR(defs), "definitions");
    return s;
}

StringInfo pgsg_state_row_buffer(pgsg_state *s, bool has_respondent)
{
    return has_respondent ? &s->pending : &s->batch;
}

void pgsg_state_row_done(pgsg_state *s, bool has_respondent)
{
    if (has_respondent) {
        s->pending_rows++;
        return;
    }
    if (++s->batch_rows >= BATCH_ROWS)
        pgsg_state_flush(s);
}

/* Replace s's handle by one that loaded its summary. */
static void compact(pgsg_state *s)
{
    MemoryContext parent = MemoryContextGetParent(s->h->mcxt);
    bytea *b = pgsg_handle_bytes(s->h);
    pgsg_handle *h = pgsg_handle_new(parent, "servgap state");

    pgsg_handle_load(h, VARDATA(b), VARSIZE(b) - VARHDRSZ, "compacting the state");
    pfree(b);
    pgsg_handle_free(s->h);
    s->h = h;
}

void pgsg_state_flush(pgsg_state *s)
{
    uint64 raw = 0;

    if (s->batch_rows == 0)
        return;
    pgsg_import(s->h, SERVGAP_CSV_OBSERVATIONS, "observation", s->batch.data, s->batch.len);
    s->batch.len = HEADER_LEN;
    s->batch.data[HEADER_LEN] = '\0';
    s->batch_rows = 0;
    pgsg_check(s->h, servgap_observation_count(s->h->ctx, &raw), "counting observations");
    if (raw >= (uint64)compact_rows)
        compact(s);
}

void pgsg_state_merge(pgsg_state *dst, pgsg_state *src)
{
    pgsg_state_flush(dst);
    pgsg_state_flush(src);
    pgsg_check(dst->h, servgap_ctx_merge(dst->h->ctx, src->h->ctx), "merging partial states");
    appendBinaryStringInfo(&dst->pending, src->pending.data + HEADER_LEN,
                           src->pending.len - HEADER_LEN);
    dst->pending_rows += src->pending_rows;
    src->pending.len = HEADER_LEN;
    src->pending_rows = 0;
}

/* The size of h's library bytes. */
static size_t lib_size(pgsg_handle *h)
{
    size_t len = 0;

    pgsg_check(h, servgap_summary_write(h->ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, NULL, 0, &len),
               "measuring the state");
    return len;
}

/* Write h's len library bytes at dst. */
static void lib_write(pgsg_handle *h, char *dst, size_t len)
{
    size_t got = 0;

    pgsg_check(h, servgap_summary_write(h->ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, dst, len, &got),
               "writing the state");
    if (got != len)
        elog(ERROR, "servgap: the state changed size while written (%zu, %zu)", len, got);
}

void pgsg_handle_load(pgsg_handle *h, const char *data, size_t len, const char *what)
{
    pgsg_check(h, servgap_summary_load_buffer(h->ctx, data, len), what);
}

/* A bytea of len bytes, or the error that says why there is none. */
static bytea *new_bytea(size_t len)
{
    bytea *b;

    if (len > MaxAllocSize - VARHDRSZ)
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                        errmsg("servgap: a state of %zu bytes does not fit in a bytea (1 GB)", len),
                        errhint("Aggregate fewer rows per group, or per partition and merge "
                                "with servgap_merge.")));
    b = palloc(VARHDRSZ + len);
    SET_VARSIZE(b, VARHDRSZ + len);
    return b;
}

bytea *pgsg_handle_bytes(pgsg_handle *h)
{
    size_t len = lib_size(h);
    bytea *b = new_bytea(len);

    lib_write(h, VARDATA(b), len);
    return b;
}

bytea *pgsg_state_to_bytea(pgsg_state *s)
{
    uint64 lib_len, rows_len;
    bytea *b;
    char *p;

    pgsg_state_flush(s);
    lib_len = lib_size(s->h);
    rows_len = s->pending.len - HEADER_LEN;
    b = new_bytea(sizeof state_magic + 2 * sizeof(uint64) + lib_len + rows_len);
    p = VARDATA(b);
    memcpy(p, state_magic, sizeof state_magic);
    memcpy(p += sizeof state_magic, &lib_len, sizeof lib_len);
    lib_write(s->h, p += sizeof lib_len, lib_len);
    memcpy(p += lib_len, &rows_len, sizeof rows_len);
    memcpy(p + sizeof rows_len, s->pending.data + HEADER_LEN, rows_len);
    return b;
}

static pg_noreturn void corrupt_state(void)
{
    ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
                    errmsg("servgap: a partial aggregate state is damaged")));
}

pgsg_state *pgsg_state_from_bytea(MemoryContext mcxt, bytea *b)
{
    const char *p = VARDATA_ANY(b), *end = p + VARSIZE_ANY_EXHDR(b);
    uint64 lib_len, rows_len;
    pgsg_state *s;

    if (end - p < (ptrdiff_t)(sizeof state_magic + sizeof lib_len) ||
        memcmp(p, state_magic, sizeof state_magic) != 0)
        corrupt_state();
    memcpy(&lib_len, p += sizeof state_magic, sizeof lib_len);
    p += sizeof lib_len;
    if (lib_len > (uint64)(end - p) || (uint64)(end - p) - lib_len < sizeof rows_len)
        corrupt_state();
    memcpy(&rows_len, p + lib_len, sizeof rows_len);
    if (rows_len != (uint64)(end - p) - lib_len - sizeof rows_len)
        corrupt_state();
    s = pgsg_state_new(mcxt, NULL);
    pgsg_handle_load(s->h, p, lib_len, "loading a partial state");
    appendBinaryStringInfo(&s->pending, p + lib_len + sizeof rows_len, (int)rows_len);
    s->pending_rows = rows_len > 0; /* only "any" matters after a merge */
    return s;
}

bytea *pgsg_state_result(pgsg_state *s)
{
    pgsg_state_flush(s);
    if (s->pending_rows > 0) {
        pgsg_import(s->h, SERVGAP_CSV_OBSERVATIONS, "observation", s->pending.data, s->pending.len);
        s->pending.len = HEADER_LEN;
        s->pending_rows = 0;
    }
    return pgsg_handle_bytes(s->h);
}
