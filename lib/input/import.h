/*
 * import -- what the pieces of the CSV import share: the importer (the
 * state of one servgap_import_csv call), the tables' columns, a row's
 * failure, and the entry points of each piece. import.c drives a file
 * through them (header, rows, rollback, the public calls);
 * import_fields.c reads one field as a value; import_defs.c loads the
 * metrics, accounts, importance and efforts tables; import_plans.c the
 * plans table; import_obs.c the observations table, whose respondents
 * import_resp.c gathers into responses; import_split.c reads parts of a
 * large file on threads while the calling thread imports their records in
 * file order. Relies on ctx, the CSV reader and its read-ahead, map, memo
 * and workers.
 */
#ifndef SERVGAP_IMPORT_H
#define SERVGAP_IMPORT_H

#include "../base/csv.h"
#include "../base/csvahead.h"
#include "../base/map.h"
#include "../base/memo.h"
#include "../model/ctx.h"

#define SERVGAP__IMPORT_MAX_COLS 10
#define SERVGAP__VP_IMPORTANCE   SERVGAP_VP_COUNT /* a respondent's importance row */

typedef struct servgap__importer servgap__importer;

/* An observation row's fields that need nothing of the handle, parsed
 * while its part was read ahead (import_split.c): each one's value when
 * it parsed cleanly, else a mark that the row's own parse must read it
 * again (and name the failure). */
typedef struct servgap__obs_ahead {
    int64_t time;
    double value;
    int8_t vp, driver; /* their index, or -1 */
    uint8_t parsed;    /* SERVGAP__AHEAD_* bits */
} servgap__obs_ahead;

#define SERVGAP__AHEAD_TIME  1u
#define SERVGAP__AHEAD_VALUE 2u

/* A table: its columns, in the order of its loader's column constants, and
 * the loader of one of its rows. */
typedef struct servgap__import_table {
    const char *col[SERVGAP__IMPORT_MAX_COLS];
    size_t n;
    uint32_t required; /* bit c: column c must be in the header */
    int (*load_row)(servgap__importer *im);
} servgap__import_table;

/* import_obs.c has the observations table, import_plans.c the plans
 * table, import_defs.c the others. */
extern const servgap__import_table servgap__observations_table, servgap__metrics_table,
    servgap__accounts_table, servgap__importance_table, servgap__efforts_table,
    servgap__plans_table;

/* The columns of the observations table, which import_obs and import_resp
 * both read. */
enum {
    SERVGAP__OBS_TIME,
    SERVGAP__OBS_ACCOUNT,
    SERVGAP__OBS_TIER,
    SERVGAP__OBS_TP,
    SERVGAP__OBS_METRIC,
    SERVGAP__OBS_VP,
    SERVGAP__OBS_VALUE,
    SERVGAP__OBS_TEAM,
    SERVGAP__OBS_DRIVER,
    SERVGAP__OBS_RESP
};

/* Name columns of the observations table that have a memo. */
enum {
    SERVGAP__MEMO_ACCOUNT,
    SERVGAP__MEMO_TIER,
    SERVGAP__MEMO_TP,
    SERVGAP__MEMO_TEAM,
    SERVGAP__MEMO_METRIC,
    SERVGAP__MEMO_COUNT
};

/* A replaced value, restored if the import fails. */
enum { SERVGAP__UNDO_ACCOUNT, SERVGAP__UNDO_EFFORT, SERVGAP__UNDO_IMPORTANCE };
typedef struct servgap__undo servgap__undo;           /* import.c */
typedef struct servgap__respgroup servgap__respgroup; /* import_resp.c */

struct servgap__importer {
    servgap_ctx *ctx;
    const char *file;
    const servgap__import_table *def;
    int32_t table;
    int skip;
    servgap__csv csv;
    /* The record being imported: csv's, or one a thread read ahead, with
     * the records after it in its part (ahead, NULL when read by csv). */
    servgap__csv_record rec;
    const servgap__csv_record *ahead, *ahead_end;
    const servgap__obs_ahead *pre; /* the current record's, or NULL */
    size_t threads;
    int col[SERVGAP__IMPORT_MAX_COLS]; /* field index of each column, or -1 */
    size_t nfields;                    /* fields of the header */
    servgap_import_report rep;
    int code; /* the failure of the current row or file */
    uint64_t line, at;
    char why[400];
    int skips_full;
    size_t known_accounts; /* ids below it existed before: replacing needs undo */
    servgap__undo *undo;
    size_t nundo, capundo;
    servgap__names resp; /* respondent ids -> group index */
    servgap__respgroup *groups;
    size_t capgroups;
    size_t spoiled; /* respondents skipped whole for a bad row (skip mode) */
    servgap__map items;
    servgap__memo memo[SERVGAP__MEMO_COUNT];
    servgap__memo_slot pend[SERVGAP__MEMO_COUNT]; /* the current row's, added once it is applied */
    unsigned npend;                               /* bit m: pend[m] is set */
    uint64_t room;                                /* rows the log holds without growing */
    uint64_t interrupt_mark;                      /* servgap__interrupt_mark at the start */
};

/* An observation row, parsed and resolved. */
typedef struct servgap__obsrow {
    int64_t time;
    int32_t vp, metric, driver, tp, team;
    double value;
    uint32_t scope;
    const servgap__csv_field *resp;   /* NULL: unpaired */
    int32_t hit[SERVGAP__MEMO_COUNT]; /* the id a memo gave a name column, or -1 */
    int32_t acc_tier;                 /* with hit[SERVGAP__MEMO_ACCOUNT]: the account's tier */
    int32_t first_tier; /* the tier the row names for its known tierless account, or -1 */
    int withdrawn;      /* a declaration's value "withdrawn" (servgap_declaration_withdraw) */
} servgap__obsrow;

/* The field of column c in the current row, or NULL when the header
 * lacks the column. */
static inline const servgap__csv_field *servgap__field(const servgap__importer *im, int c)
{
    return im->col[c] >= 0 ? &im->rec.field[im->col[c]] : NULL;
}

/* f equals s. Fields hold no NUL byte, so a shorter s mismatches at its
 * terminator; most candidates fail on the first byte. */
static inline int servgap__field_equals(const servgap__csv_field *f, const char *s)
{
    for (size_t i = 0; i < f->len; i++)
        if (f->s[i] != s[i])
            return 0;
    return s[f->len] == '\0';
}

/* The index of f among names[0..n) (NULL entries match nothing), or -1. */
static inline int servgap__field_index(const servgap__csv_field *f, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (names[i] && servgap__field_equals(f, names[i]))
            return i;
    return -1;
}

/* ---- import_fields.c: failures, and a field read as a value ---------- */

/* Record the failure of the current row or file at line:col, with a
 * message; returns code. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 5, 6)))
#endif
int servgap__import_fail(servgap__importer *im, int code, uint64_t line, uint64_t col,
                         const char *fmt, ...);

/* The failure at field f. */
#define SERVGAP__FAIL_FIELD(im, code, f, ...)                                                      \
    servgap__import_fail(im, code, (f)->line, (f)->col, __VA_ARGS__)

/* How many bytes of s to quote in a message: at most 60, never cutting a
 * UTF-8 sequence. Inline, so that a hot function that quotes only on its
 * failure paths does not pay for a call on its fast path. */
static inline int servgap__quote_len(const char *s, size_t len)
{
    size_t n = len < 60 ? len : 60;
    while (n < len && n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    return (int)n;
}

/* The "%.*s" arguments that quote field f. */
#define SERVGAP__QUOTE(f) servgap__quote_len((f)->s, (f)->len), (f)->s

/* Each returns SERVGAP_OK, or the failure it recorded at f (what names
 * the column in the message). */
int servgap__parse_field_number(servgap__importer *im, const servgap__csv_field *f,
                                const char *what, double *v);
/* A number, or dflt for an empty field or an absent column (f NULL). */
int servgap__parse_field_number_or(servgap__importer *im, const servgap__csv_field *f,
                                   const char *what, double dflt, double *v);
/* A time whose day fits the log's 32-bit day column. */
int servgap__parse_field_time(servgap__importer *im, const servgap__csv_field *f, const char *what,
                              int64_t *t);
/* 1 when f is a time servgap__parse_field_time accepts, into *t; records
 * nothing, so that a thread reading ahead may ask. */
int servgap__field_time_ok(const servgap__csv_field *f, int64_t *t);
/* A time, or SERVGAP_TIME_NONE for an empty field. */
int servgap__parse_field_date_or_none(servgap__importer *im, const servgap__csv_field *f,
                                      const char *what, int64_t *t);
int servgap__parse_field_boolean(servgap__importer *im, const servgap__csv_field *f, int32_t *v);
int servgap__parse_field_dimension(servgap__importer *im, const servgap__csv_field *f, int32_t *d);
int servgap__check_field_name(servgap__importer *im, const servgap__csv_field *f, const char *what);
/* A scope written account:NAME or tier:NAME, of a known account or tier,
 * encoded for the store (SERVGAP__SCOPE_TIER bit for a tier). */
int servgap__parse_field_scope(servgap__importer *im, const servgap__csv_field *f, uint32_t *scope);
/* The id of a defined metric. */
int servgap__find_field_metric(servgap__importer *im, const servgap__csv_field *f, int32_t *id);
/* The id of a (valid) tier, touchpoint or team name, added when new. */
int servgap__intern_field(servgap__importer *im, int32_t kind, const servgap__csv_field *f,
                          int32_t *id);

/* ---- import_obs.c: an observation row parsed ahead ------------------- */

/* Parse what needs nothing of the handle of each of b's records (pre[i]
 * for record i), on a thread reading ahead: reads only im's columns. */
void servgap__observations_ahead(const servgap__importer *im, const servgap__csv_ahead *b,
                                 servgap__obs_ahead *pre);

/* ---- import.c: the undo log and skipped rows ------------------------- */

/* Save what a row is about to replace: an account's attributes (acc) or
 * nv numbers (v) of the entry i of kind; f is blamed if memory runs out. */
int servgap__import_undo_push(servgap__importer *im, int kind, size_t i,
                              const servgap__account *acc, const double *v, size_t nv,
                              const servgap__csv_field *f);

/* Count rows as skipped, keeping the current failure's message if it fits
 * whole. */
void servgap__import_note_skip(servgap__importer *im, uint64_t rows);

/* Import the record in im->rec, which its reader returned with status rc
 * (1, or SERVGAP_EFORMAT for a malformed one): checked and applied, or
 * skipped in skip mode. SERVGAP_OK, or the import's failure. */
int servgap__import_record(servgap__importer *im, int rc);

/* Read records with im->csv and import them while it is before stop (or
 * until the end of the input). */
int servgap__import_serial(servgap__importer *im, const unsigned char *stop);

/* ---- import_split.c: a large file's parts read on threads ------------- */

/* Import the rows after the header: parts of the file read ahead on
 * im->threads - 1 threads while the calling thread imports the parts read
 * before, in file order, or all with im->csv when the file is small or
 * im->threads is 1. The same rows, messages and line numbers either way. */
int servgap__import_rows(servgap__importer *im);

/* Where field i of a coming record probably starts, as servgap__csv_peek:
 * exact for a record read ahead. */
int servgap__import_peek(const servgap__importer *im, size_t ahead, size_t i, const char **s,
                         size_t *len);

/* ---- import_obs.c: an observation as a row of the log ------------------ */

/* o as a row of the log, with the given metric, viewpoint, value and
 * flag bits. */
void servgap__obsrow_encode(const servgap__obsrow *o, int32_t metric, int vp, double value,
                            uint8_t flags, servgap__obs *obs);

/* ---- import_resp.c: respondents gathered into responses --------------- */

void servgap__responses_init(servgap__importer *im);
void servgap__responses_free(servgap__importer *im);

/* Add a respondent's row o to its response. */
int servgap__responses_add_row(servgap__importer *im, const servgap__obsrow *o);

/* In skip mode: the current row is skipped; its respondent, if it names
 * one, is spoiled: skipped whole, with every other row it has in the
 * file. SERVGAP_OK or SERVGAP_ENOMEM (recorded). */
int servgap__responses_skip_row(servgap__importer *im);

/* 1 when the current row belongs to a spoiled respondent: it is then
 * counted with that respondent's rows and must not be read further. */
int servgap__responses_spoiled(servgap__importer *im);

/* At the end of the file: check every gathered response, then store those
 * that are good. */
int servgap__responses_store(servgap__importer *im);

#endif
