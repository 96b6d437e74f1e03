/*
 * import -- servgap_import_csv and servgap_import_csv_buffer: the five CSV
 * tables of docs/formats.md read into the handle.
 *
 * The whole import runs under the write lock, so readers see all of it or
 * none of it. Rows are checked and applied one by one: what a row adds
 * (names, accounts, metrics, observations, efforts, importance) is appended
 * and rolled back with a servgap__mark; what a row replaces (an account's
 * attributes, an effort, an allocation) is first saved in an undo log. A
 * failed import restores the log in reverse and rolls back to the mark
 * taken at the start, so the handle is as before; a skipped row rolls back
 * to the mark taken before it. Rows of one respondent are gathered until
 * the end of the file, because only then is the response complete; they
 * are stored contiguously, as servgap_record_response stores them.
 */
#include "../base/platform.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../base/csv.h"
#include "../base/parse_number.h"
#include "../base/parse_time.h"
#include "../model/ctx.h"
#include "../base/map.h"
#include "../model/sized.h"

#define MAX_COLS      10
#define VP_IMPORTANCE SERVGAP_VP_COUNT /* a respondent's importance row */
#define NO_ITEM       UINT32_MAX

/* Columns of each table, in the order of the column constants below. */
typedef struct table_def {
    const char *col[MAX_COLS];
    size_t n;
    uint32_t required; /* bit c: column c must be in the header */
} table_def;

static const table_def tables[5] = {
    {{"time", "account", "tier", "touchpoint", "metric", "viewpoint", "value", "team", "driver",
      "respondent"},
     10,
     0x7f},
    {{"metric", "dimension", "direction", "min", "max", "span", "unit"}, 7, 0x1f},
    {{"account", "tier", "value", "health", "at_risk", "renewal", "migrated", "churned"}, 8, 0x1},
    {{"scope", "whose", "tangibles", "reliability", "responsiveness", "assurance", "empathy"},
     7,
     0x7f},
    {{"gap", "touchpoint", "metric", "effort"}, 4, 0xf},
};

enum { O_TIME, O_ACCOUNT, O_TIER, O_TP, O_METRIC, O_VP, O_VALUE, O_TEAM, O_DRIVER, O_RESP };
enum { M_METRIC, M_DIMENSION, M_DIRECTION, M_MIN, M_MAX, M_SPAN, M_UNIT };
enum { A_ACCOUNT, A_TIER, A_VALUE, A_HEALTH, A_AT_RISK, A_RENEWAL, A_MIGRATED, A_CHURNED };
enum { I_SCOPE, I_WHOSE, I_POINTS };
enum { E_GAP, E_TP, E_METRIC, E_EFFORT };

/* A replaced value, restored if the import fails. */
enum { UNDO_ACCOUNT, UNDO_EFFORT, UNDO_IMPORTANCE };
typedef struct undo {
    int kind;
    size_t i;
    servgap__account acc;
    double v[5];
} undo;

/* A respondent's response being gathered: the context its first row set,
 * its importance points and its items (a chain through the item map). */
typedef struct group {
    uint32_t scope;
    int32_t tp, team, driver;
    int64_t time;
    uint64_t line, imp_line, imp_col;
    double points[SERVGAP_DIM_COUNT];
    unsigned mask;
    uint32_t head, tail;
    uint64_t rows, values;
} group;

typedef struct item {
    servgap__mapkey key; /* (group, metric) */
    double v[3];         /* expected, adequate, perceived; NaN: not given */
    uint32_t next;
} item;

/* Name columns of the observations table that have a memo. */
enum { MEMO_ACCOUNT, MEMO_TIER, MEMO_TP, MEMO_TEAM, MEMO_METRIC, MEMO_COUNT };

/* A memo maps the exact bytes of a name that earlier rows of the file used
 * to its id (and, for accounts, the account's tier in aux), in one compact
 * table probed with a word-wise hash. The handle's intern tables keep each
 * string in its own allocation, so with 100k accounts a look-up there costs
 * several cache misses; a memo hit costs one and also makes the UTF-8 check
 * of the name unnecessary, as only checked names get in. Names longer than
 * the key are not memoized. Entries are added only once their row has been
 * applied, so none can refer to an id that a skipped row's rollback took
 * back. */
#define MEMO_KEY_WORDS 3
#define MEMO_KEY_BYTES 24 /* MEMO_KEY_WORDS * 8 */
#if SERVGAP__CSV_PAD < MEMO_KEY_BYTES
#error "a memo key is loaded from a field a word at a time"
#endif

typedef struct memo_slot {
    /* The name, zero-padded. Names hold no NUL byte, so equal keys mean
     * equal names; key[0] == 0 marks an empty slot. */
    uint64_t key[MEMO_KEY_WORDS];
    int32_t id, aux;
} memo_slot;

typedef struct memo {
    void *raw;       /* the allocation; slot is raw aligned to a cache line */
    memo_slot *slot; /* so that no slot straddles two lines */
    size_t nslot, n; /* nslot: a power of two, or 0 */
} memo;

typedef struct importer {
    servgap_ctx *ctx;
    const char *file;
    const table_def *def;
    int32_t table;
    int skip;
    servgap__csv csv;
    int col[MAX_COLS]; /* field index of each column, or -1 */
    size_t nfields;    /* fields of the header */
    servgap_import_report rep;
    int code; /* the failure of the current row or file */
    uint64_t line, at;
    char why[400];
    int skips_full;
    size_t known_accounts; /* ids below it existed before: replacing needs undo */
    undo *undo;
    size_t nundo, capundo;
    servgap__names resp; /* respondent ids -> group index */
    group *groups;
    size_t capgroups;
    servgap__map items;
    memo memo[MEMO_COUNT];
    memo_slot pend[MEMO_COUNT]; /* entries of the current row, added once it is applied */
    unsigned npend;             /* bit m: pend[m] is set */
    uint64_t room;              /* rows the log holds without growing */
} importer;

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 5, 6)))
#endif
static int
fail_at(importer *im, int code, uint64_t line, uint64_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(im->why, sizeof im->why, fmt, ap);
    va_end(ap);
    im->code = code;
    im->line = line;
    im->at = col;
    return code;
}

#define FAIL(im, code, f, ...) fail_at(im, code, (f)->line, (f)->col, __VA_ARGS__)

/* How many bytes of s to quote in a message: at most 60, never cutting a
 * UTF-8 sequence. */
static int clip(const char *s, size_t len)
{
    size_t n = len < 60 ? len : 60;
    while (n < len && n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    return (int)n;
}

#define Q(f) clip((f)->s, (f)->len), (f)->s

static const servgap__csv_field *fld(const importer *im, int c)
{
    return im->col[c] >= 0 ? &im->csv.field[im->col[c]] : NULL;
}

/* f equals s. Fields hold no NUL byte, so a shorter s mismatches at its
 * terminator; most candidates fail on the first byte. */
static int is(const servgap__csv_field *f, const char *s)
{
    for (size_t i = 0; i < f->len; i++)
        if (f->s[i] != s[i])
            return 0;
    return s[f->len] == '\0';
}

/* The index of f among names[0..n), or -1. */
static int pick(const servgap__csv_field *f, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (names[i] && is(f, names[i]))
            return i;
    return -1;
}

/* ---------------------------------------------------------------------- */
/* Field values                                                            */
/* ---------------------------------------------------------------------- */

static int number(importer *im, const servgap__csv_field *f, const char *what, double *v)
{
    int rc = servgap__parse_number(f->s, f->len, v);
    if (rc == SERVGAP_EFORMAT)
        return FAIL(im, rc, f, "%s '%.*s' is not a decimal number", what, Q(f));
    if (rc == SERVGAP_ERANGE)
        return FAIL(im, rc, f, "%s '%.*s' is beyond the range of a double", what, Q(f));
    return SERVGAP_OK;
}

/* A number, or dflt for an empty field or an absent column. */
static int number_or(importer *im, const servgap__csv_field *f, const char *what, double dflt,
                     double *v)
{
    if (!f || f->len == 0) {
        *v = dflt;
        return SERVGAP_OK;
    }
    return number(im, f, what, v);
}

/* The day of a time must fit the log's 32-bit day column. */
static int time_fits(int64_t t)
{
    const int64_t limit = (int64_t)INT32_MAX * SERVGAP_DAY;
    return t > -limit && t < limit;
}

static int timestamp(importer *im, const servgap__csv_field *f, const char *what, int64_t *t)
{
    const char *why;
    int rc = servgap__parse_time(f->s, f->len, t, &why);
    if (rc == SERVGAP_OK && !time_fits(*t))
        return FAIL(im, SERVGAP_ERANGE, f, "%s '%.*s' is too far from 1970", what, Q(f));
    if (rc != SERVGAP_OK)
        return FAIL(im, rc, f, "%s '%.*s': %s", what, Q(f), why);
    return SERVGAP_OK;
}

/* A date, or SERVGAP_TIME_NONE for an empty field. */
static int date_or_none(importer *im, const servgap__csv_field *f, const char *what, int64_t *t)
{
    if (f->len == 0) {
        *t = SERVGAP_TIME_NONE;
        return SERVGAP_OK;
    }
    return timestamp(im, f, what, t);
}

static int boolean(importer *im, const servgap__csv_field *f, int32_t *v)
{
    static const char *const yes[] = {"true", "1", "yes"}, *const no[] = {"false", "0", "no", ""};
    char low[8] = {0};
    for (size_t i = 0; i < f->len && i < sizeof low - 1; i++)
        low[i] = (char)(f->s[i] >= 'A' && f->s[i] <= 'Z' ? f->s[i] - 'A' + 'a' : f->s[i]);
    servgap__csv_field l = {low, f->len, f->line, f->col};
    if (f->len < sizeof low && pick(&l, yes, 3) >= 0)
        *v = 1;
    else if (f->len < sizeof low && pick(&l, no, 4) >= 0)
        *v = 0;
    else
        return FAIL(im, SERVGAP_EFORMAT, f, "'%.*s' is not a boolean (true, false, 1, 0, yes, no)",
                    Q(f));
    return SERVGAP_OK;
}

static int name_ok(importer *im, const servgap__csv_field *f, const char *what)
{
    if (!servgap__name_valid(f->s, f->len))
        return FAIL(im, SERVGAP_EFORMAT, f, "%s name must be 1..255 bytes (it is %zu)", what,
                    f->len);
    return SERVGAP_OK;
}

static int dimension(importer *im, const servgap__csv_field *f, int32_t *d)
{
    /* The library's own names (servgap_dimension_name), so that a column
     * is spelled as the report spells it. */
    *d = -1;
    for (int32_t k = 0; k < SERVGAP_DIM_COUNT && *d < 0; k++)
        if (is(f, servgap_dimension_name(k)))
            *d = k;
    if (*d < 0)
        return FAIL(im, SERVGAP_EFORMAT, f,
                    "'%.*s' is not a dimension (tangibles, reliability, responsiveness, "
                    "assurance, empathy)",
                    Q(f));
    return SERVGAP_OK;
}

static int metric_id(importer *im, const servgap__csv_field *f, int32_t *id)
{
    *id = servgap__names_find(&im->ctx->metrics.names, f->s, f->len);
    if (*id < 0)
        return FAIL(im, SERVGAP_ENOTFOUND, f, "unknown metric '%.*s'", Q(f));
    return SERVGAP_OK;
}

static const char *kind_label(int32_t kind)
{
    return kind == SERVGAP_KIND_TIER ? "tier" : kind == SERVGAP_KIND_TEAM ? "team" : "touchpoint";
}

/* The id of a (valid) tier, touchpoint or team name, added when new. */
static int intern(importer *im, int32_t kind, const servgap__csv_field *f, int32_t *id)
{
    servgap__names *t = servgap__kind_names(im->ctx, kind);
    *id = servgap__names_find(t, f->s, f->len);
    if (*id >= 0)
        return SERVGAP_OK;
    size_t limit = kind == SERVGAP_KIND_TOUCHPOINT ? SERVGAP__TP_ALL
                   : kind == SERVGAP_KIND_TIER     ? 0x40000000u
                                                   : INT32_MAX;
    if (t->count >= limit)
        return FAIL(im, SERVGAP_ELIMIT, f, "more than %zu %ss", limit, kind_label(kind));
    if (servgap__names_add(t, &im->ctx->alloc, f->s, f->len, id) != 0)
        return FAIL(im, SERVGAP_ENOMEM, f, "out of memory adding %s '%.*s'", kind_label(kind),
                    Q(f));
    return SERVGAP_OK;
}

/* ---------------------------------------------------------------------- */
/* Name memos                                                              */
/* ---------------------------------------------------------------------- */

/* The key of f, or 0 when f is empty or too long to be memoized: its
 * words as loaded, with the bytes past its end masked off (the reader
 * makes them readable, SERVGAP__CSV_PAD). Masks come from a table, so the
 * key is the same in either byte order. */
static int memo_key(const servgap__csv_field *f, uint64_t *key)
{
    static const unsigned char keep[2 * MEMO_KEY_BYTES] = {255, 255, 255, 255, 255, 255, 255, 255,
                                                           255, 255, 255, 255, 255, 255, 255, 255,
                                                           255, 255, 255, 255, 255, 255, 255, 255};
    if (f->len == 0 || f->len > MEMO_KEY_BYTES)
        return 0;
    for (size_t k = 0; k < MEMO_KEY_WORDS; k++) {
        uint64_t w, m;
        memcpy(&w, f->s + sizeof w * k, sizeof w);
        memcpy(&m, keep + MEMO_KEY_BYTES - f->len + sizeof m * k, sizeof m);
        key[k] = w & m;
    }
    return 1;
}

static size_t memo_index(const uint64_t *key, size_t nslot)
{
    uint64_t h = key[0] * 0x9e3779b97f4a7c15u;
    h = (h ^ key[1] ^ h >> 29) * 0xbf58476d1ce4e5b9u;
    h = (h ^ key[2] ^ h >> 31) * 0x94d049bb133111ebu;
    return (size_t)(h ^ h >> 32) & (nslot - 1);
}

static int same_key(const uint64_t *a, const uint64_t *b)
{
    return a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
}

/* The slot of key in m: its entry, or the empty slot where it would go. */
static memo_slot *memo_probe(const memo *m, const uint64_t *key)
{
    size_t mask = m->nslot - 1;
    for (size_t i = memo_index(key, m->nslot);; i = (i + 1) & mask)
        if (m->slot[i].key[0] == 0 || same_key(m->slot[i].key, key))
            return &m->slot[i];
}

/* The id of f in memo m (and its aux), or -1. */
static int32_t memo_get(const importer *im, int m, const servgap__csv_field *f, int32_t *aux)
{
    uint64_t key[MEMO_KEY_WORDS];
    const memo *t = &im->memo[m];
    if (t->n == 0 || !memo_key(f, key))
        return -1;
    const memo_slot *e = memo_probe(t, key);
    if (e->key[0] == 0)
        return -1;
    *aux = e->aux;
    return e->id;
}

/* Note f's id for memo m, to be added when the row has been applied. */
static void memo_note(importer *im, int m, const servgap__csv_field *f, int32_t id, int32_t aux)
{
    memo_slot *e = &im->pend[m];
    if (!memo_key(f, e->key))
        return;
    e->id = id;
    e->aux = aux;
    im->npend |= 1u << m;
}

/* Double m's slots, keeping load at most 1/2; -1 when allocation fails. */
static int memo_grow(memo *m, const servgap__alloc *a)
{
    const size_t line = 64;
    size_t nslot = m->nslot ? 2 * m->nslot : 16;
    char *raw = servgap__calloc(a, nslot + line / sizeof(memo_slot), sizeof(memo_slot));
    if (!raw)
        return -1;
    memo old = *m;
    m->raw = raw;
    m->slot = (memo_slot *)(raw + (line - (uintptr_t)raw % line) % line);
    m->nslot = nslot;
    for (size_t i = 0; i < old.nslot; i++)
        if (old.slot[i].key[0] != 0)
            *memo_probe(m, old.slot[i].key) = old.slot[i];
    servgap__free(a, old.raw);
    return 0;
}

/* Lines between the row being worked on and the one whose account is
 * prefetched: a row takes less time than a miss to memory. */
#define PREFETCH_AHEAD 1

/* Start loading the memo slot of a coming row's account while this row is
 * worked on. With many accounts that slot is a cache miss on most rows,
 * which would otherwise stall the row. Only a hint: the bytes peeked at
 * are not checked, and a wrong guess costs nothing but the load. */
static void prefetch_account(const importer *im)
{
#if defined(__GNUC__) || defined(__clang__)
    const memo *m = &im->memo[MEMO_ACCOUNT];
    servgap__csv_field f = {NULL, 0, 0, 0};
    uint64_t key[MEMO_KEY_WORDS];
    if (m->n > 0 &&
        servgap__csv_peek(&im->csv, PREFETCH_AHEAD, (size_t)im->col[O_ACCOUNT], &f.s, &f.len) &&
        memo_key(&f, key))
        __builtin_prefetch(&m->slot[memo_index(key, m->nslot)]);
#else
    (void)im;
#endif
}

/* Add the entries noted by an applied row. */
static int memo_commit(importer *im)
{
    for (int k = 0; k < MEMO_COUNT; k++) {
        if (!(im->npend & 1u << k))
            continue;
        memo *m = &im->memo[k];
        if (2 * (m->n + 1) > m->nslot && memo_grow(m, &im->ctx->alloc) != 0)
            return SERVGAP_ENOMEM;
        memo_slot *e = memo_probe(m, im->pend[k].key);
        m->n += e->key[0] == 0;
        *e = im->pend[k];
    }
    im->npend = 0;
    return SERVGAP_OK;
}

static int undo_push(importer *im, int kind, size_t i, const servgap__account *acc, const double *v,
                     size_t nv, const servgap__csv_field *f)
{
    void *p = im->undo;
    if (servgap__reserve(&im->ctx->alloc, &p, &im->capundo, im->nundo + 1, sizeof *im->undo))
        return FAIL(im, SERVGAP_ENOMEM, f, "out of memory");
    im->undo = p;
    undo *u = &im->undo[im->nundo++];
    u->kind = kind;
    u->i = i;
    if (acc)
        u->acc = *acc;
    if (v)
        memcpy(u->v, v, nv * sizeof *v);
    return SERVGAP_OK;
}

static void undo_all(importer *im)
{
    servgap_ctx *ctx = im->ctx;
    while (im->nundo > 0) {
        const undo *u = &im->undo[--im->nundo];
        if (u->kind == UNDO_ACCOUNT)
            ctx->accounts.a[u->i] = u->acc;
        else if (u->kind == UNDO_EFFORT)
            ctx->eff[u->i].effort = u->v[0];
        else
            memcpy(ctx->imp[u->i].p, u->v, sizeof ctx->imp[u->i].p);
    }
}

/* ---------------------------------------------------------------------- */
/* metrics                                                                 */
/* ---------------------------------------------------------------------- */

/* The range and span checks of servgap_metric_define, with the span
 * defaulted to max - min. */
static int metric_range(importer *im, servgap__metric *m)
{
    /* max is a required column of the table, so fmax is never NULL; the
     * analyzer cannot see the header check. */
    const servgap__csv_field *fmax = fld(im, M_MAX), *fspan = fld(im, M_SPAN);
    if (!fmax)
        return SERVGAP_EFORMAT;
    if (!(m->min < m->max))
        return FAIL(im, SERVGAP_ERANGE, fmax, "range [%g, %g] is not min < max", m->min, m->max);
    if (m->span == 0.0 && (!isfinite(m->min) || !isfinite(m->max)))
        return FAIL(im, SERVGAP_ERANGE, fspan ? fspan : fmax,
                    "an unbounded range needs a span > 0");
    if (m->span == 0.0)
        m->span = m->max - m->min;
    if (!isfinite(m->span) || m->span <= 0.0)
        return FAIL(im, SERVGAP_ERANGE, fspan ? fspan : fmax, "span %g must be positive and finite",
                    m->span);
    return SERVGAP_OK;
}

static int metric_parse(importer *im, servgap__metric *m)
{
    static const char *const dirs[] = {NULL, "higher", "lower"};
    const servgap__csv_field *fdir = fld(im, M_DIRECTION), *funit = fld(im, M_UNIT);
    int rc = name_ok(im, fld(im, M_METRIC), "metric");
    if (rc == SERVGAP_OK)
        rc = dimension(im, fld(im, M_DIMENSION), &m->dimension);
    if (rc == SERVGAP_OK && (m->direction = pick(fdir, dirs, 3)) < 0)
        rc = FAIL(im, SERVGAP_EFORMAT, fdir, "direction '%.*s' is not higher or lower", Q(fdir));
    if (rc == SERVGAP_OK)
        rc = number_or(im, fld(im, M_MIN), "min", -INFINITY, &m->min);
    if (rc == SERVGAP_OK)
        rc = number_or(im, fld(im, M_MAX), "max", INFINITY, &m->max);
    if (rc == SERVGAP_OK)
        rc = number_or(im, fld(im, M_SPAN), "span", 0.0, &m->span);
    m->unit = funit ? (char *)funit->s : (char *)"";
    return rc == SERVGAP_OK ? metric_range(im, m) : rc;
}

static int row_metric(importer *im)
{
    servgap__metric m;
    int rc = metric_parse(im, &m);
    if (rc != SERVGAP_OK)
        return rc;
    const servgap__csv_field *f = fld(im, M_METRIC);
    servgap__metrics *r = &im->ctx->metrics;
    int32_t id = servgap__names_find(&r->names, f->s, f->len);
    if (id >= 0 && !servgap__metric_same(&r->m[id], &m))
        return FAIL(im, SERVGAP_ECONFLICT, f, "metric '%.*s' is already defined differently", Q(f));
    if (id < 0 && r->names.count >= 0xffff)
        return FAIL(im, SERVGAP_ELIMIT, f, "more than 65535 metrics");
    if (id < 0 && servgap__metrics_add(r, &im->ctx->alloc, f->s, &m, &id) != 0)
        return FAIL(im, SERVGAP_ENOMEM, f, "out of memory defining metric '%.*s'", Q(f));
    return SERVGAP_OK;
}

/* ---------------------------------------------------------------------- */
/* accounts                                                                */
/* ---------------------------------------------------------------------- */

/* The attributes of a row over base: a column that is absent leaves an
 * attribute as it is; an empty field sets its unset value. */
static int account_parse(importer *im, servgap__account *acc)
{
    const servgap__csv_field *f;
    int rc = SERVGAP_OK;
    if ((f = fld(im, A_VALUE)) &&
        (rc = number_or(im, f, "value", 0.0, &acc->value)) == SERVGAP_OK && !(acc->value >= 0.0))
        rc = FAIL(im, SERVGAP_ERANGE, f, "value %g must be >= 0", acc->value);
    if (rc == SERVGAP_OK && (f = fld(im, A_HEALTH)) &&
        (rc = number_or(im, f, "health", NAN, &acc->health)) == SERVGAP_OK && !isnan(acc->health) &&
        !(acc->health >= 0.0 && acc->health <= 100.0))
        rc = FAIL(im, SERVGAP_ERANGE, f, "health %g outside [0, 100]", acc->health);
    if (rc == SERVGAP_OK && (f = fld(im, A_AT_RISK)))
        rc = boolean(im, f, &acc->at_risk);
    if (rc == SERVGAP_OK && (f = fld(im, A_CHURNED)))
        rc = boolean(im, f, &acc->churned);
    if (rc == SERVGAP_OK && (f = fld(im, A_RENEWAL)))
        rc = date_or_none(im, f, "renewal", &acc->renewal);
    if (rc == SERVGAP_OK && (f = fld(im, A_MIGRATED)))
        rc = date_or_none(im, f, "migrated", &acc->migration);
    return rc;
}

static int row_account(importer *im)
{
    servgap_ctx *ctx = im->ctx;
    const servgap__csv_field *fa = fld(im, A_ACCOUNT), *ft = fld(im, A_TIER);
    int32_t id = servgap__names_find(&ctx->accounts.names, fa->s, fa->len), tier = -1;
    servgap__account acc = {-1, 0, 0, 0.0, NAN, SERVGAP_TIME_NONE, SERVGAP_TIME_NONE};
    if (id >= 0)
        acc = ctx->accounts.a[id];
    int rc = name_ok(im, fa, "account");
    if (rc == SERVGAP_OK && ft && ft->len > 0)
        rc = name_ok(im, ft, "tier");
    if (rc == SERVGAP_OK)
        rc = account_parse(im, &acc);
    if (rc == SERVGAP_OK && ft && ft->len > 0)
        rc = intern(im, SERVGAP_KIND_TIER, ft, &tier);
    if (rc != SERVGAP_OK)
        return rc;
    if (ft)
        acc.tier = tier;
    if (id < 0 &&
        servgap__accounts_add(&ctx->accounts, &ctx->alloc, fa->s, acc.tier, acc.value, &id) != 0)
        return FAIL(im, SERVGAP_ENOMEM, fa, "out of memory defining account '%.*s'", Q(fa));
    if ((size_t)id < im->known_accounts)
        rc = undo_push(im, UNDO_ACCOUNT, (size_t)id, &ctx->accounts.a[id], NULL, 0, fa);
    if (rc == SERVGAP_OK)
        ctx->accounts.a[id] = acc;
    return rc;
}

/* ---------------------------------------------------------------------- */
/* importance                                                              */
/* ---------------------------------------------------------------------- */

static int scope_of(importer *im, const servgap__csv_field *f, uint32_t *scope)
{
    servgap_ctx *ctx = im->ctx;
    int acc = f->len > 8 && memcmp(f->s, "account:", 8) == 0;
    int tier = f->len > 5 && memcmp(f->s, "tier:", 5) == 0;
    if (!acc && !tier)
        return FAIL(im, SERVGAP_EFORMAT, f, "scope '%.*s' is not account:ID or tier:NAME", Q(f));
    size_t skip = acc ? 8 : 5;
    const servgap__names *t = acc ? &ctx->accounts.names : &ctx->tiers;
    int32_t id = servgap__names_find(t, f->s + skip, f->len - skip);
    if (id < 0)
        return FAIL(im, SERVGAP_ENOTFOUND, f, "unknown %s '%.*s'", acc ? "account" : "tier",
                    clip(f->s + skip, f->len - skip), f->s + skip);
    *scope = acc ? (uint32_t)id : (uint32_t)id | SERVGAP__SCOPE_TIER;
    return SERVGAP_OK;
}

static int points_parse(importer *im, double *p)
{
    double sum = 0.0;
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++) {
        const servgap__csv_field *f = fld(im, I_POINTS + d);
        int rc = number(im, f, servgap_dimension_name(d), &p[d]);
        if (rc != SERVGAP_OK)
            return rc;
        if (p[d] < 0.0)
            return FAIL(im, SERVGAP_ERANGE, f, "%s points %g must be >= 0",
                        servgap_dimension_name(d), p[d]);
        sum += p[d];
    }
    if (!servgap__points_valid(p))
        return FAIL(im, SERVGAP_ERANGE, fld(im, I_POINTS), "points sum to %g, not 100 +- 0.5", sum);
    return SERVGAP_OK;
}

static int row_importance(importer *im)
{
    static const char *const whose_names[] = {NULL, "customer", "provider"};
    servgap_ctx *ctx = im->ctx;
    const servgap__csv_field *fw = fld(im, I_WHOSE);
    uint32_t scope = 0;
    double p[SERVGAP_DIM_COUNT];
    int whose = pick(fw, whose_names, 3);
    int rc = scope_of(im, fld(im, I_SCOPE), &scope);
    if (rc == SERVGAP_OK && whose < 0)
        rc = FAIL(im, SERVGAP_EFORMAT, fw, "whose '%.*s' is not customer or provider", Q(fw));
    if (rc == SERVGAP_OK)
        rc = points_parse(im, p);
    if (rc != SERVGAP_OK)
        return rc;
    servgap__importance *e = (servgap__importance *)servgap__importance_find(ctx, scope, whose);
    if (e) {
        rc = undo_push(im, UNDO_IMPORTANCE, (size_t)(e - ctx->imp), NULL, e->p, 5, fw);
    } else {
        void *q = ctx->imp;
        if (servgap__reserve(&ctx->alloc, &q, &ctx->capimp, ctx->nimp + 1, sizeof *ctx->imp))
            return FAIL(im, SERVGAP_ENOMEM, fw, "out of memory");
        ctx->imp = q;
        e = &ctx->imp[ctx->nimp++];
        e->scope = scope;
        e->whose = whose;
    }
    if (rc == SERVGAP_OK)
        memcpy(e->p, p, sizeof e->p);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* efforts                                                                 */
/* ---------------------------------------------------------------------- */

/* The gap and metric of a row's key; the touchpoint is only checked here,
 * as it is added last. */
static int effort_key(importer *im, int32_t *gap, int32_t *metric)
{
    static const char *const gaps[] = {"service",       "knowledge",  "standards", "delivery",
                                       "communication", "perception", "adequacy"};
    const servgap__csv_field *fg = fld(im, E_GAP), *ft = fld(im, E_TP), *fm = fld(im, E_METRIC);
    *gap = is(fg, "*") ? SERVGAP_ALL : pick(fg, gaps, SERVGAP_GAP_COUNT);
    if (*gap == -1)
        return FAIL(im, SERVGAP_EFORMAT, fg, "'%.*s' is not a gap type or '*'", Q(fg));
    *metric = SERVGAP_ALL;
    int rc = is(fm, "*") ? SERVGAP_OK : metric_id(im, fm, metric);
    if (rc == SERVGAP_OK && !is(ft, "*"))
        rc = name_ok(im, ft, "touchpoint");
    return rc;
}

static int row_effort(importer *im)
{
    servgap_ctx *ctx = im->ctx;
    const servgap__csv_field *fe = fld(im, E_EFFORT), *ft = fld(im, E_TP);
    int32_t gap, tp = SERVGAP_ALL, metric = SERVGAP_ALL;
    double effort;
    int rc = effort_key(im, &gap, &metric);
    if (rc == SERVGAP_OK && (rc = number(im, fe, "effort", &effort)) == SERVGAP_OK && !(effort > 0))
        rc = FAIL(im, SERVGAP_ERANGE, fe, "effort %g must be > 0", effort);
    if (rc == SERVGAP_OK && !is(ft, "*"))
        rc = intern(im, SERVGAP_KIND_TOUCHPOINT, ft, &tp);
    if (rc != SERVGAP_OK)
        return rc;
    for (size_t i = 0; i < ctx->neff; i++) {
        servgap__effort *e = &ctx->eff[i];
        if (e->gap == gap && e->tp == tp && e->metric == metric) {
            rc = undo_push(im, UNDO_EFFORT, i, NULL, &e->effort, 1, fe);
            if (rc == SERVGAP_OK)
                e->effort = effort;
            return rc;
        }
    }
    void *p = ctx->eff;
    if (servgap__reserve(&ctx->alloc, &p, &ctx->capeff, ctx->neff + 1, sizeof *ctx->eff) != 0)
        return FAIL(im, SERVGAP_ENOMEM, fe, "out of memory");
    ctx->eff = p;
    ctx->eff[ctx->neff++] = (servgap__effort){gap, tp, metric, effort};
    return SERVGAP_OK;
}

/* ---------------------------------------------------------------------- */
/* observations                                                            */
/* ---------------------------------------------------------------------- */

/* An observation row, parsed and resolved. */
typedef struct obs {
    int64_t time;
    int32_t vp, metric, driver, tp, team;
    double value;
    uint32_t scope;
    const servgap__csv_field *resp; /* NULL: unpaired */
    int32_t hit[MEMO_COUNT];        /* the id a memo gave a name column, or -1 */
    int32_t acc_tier;               /* with hit[MEMO_ACCOUNT]: the account's tier */
} obs;

static int viewpoint(importer *im, obs *o)
{
    static const char *const vps[] = {"expected",  "adequate", "believed",  "standard",
                                      "delivered", "promised", "perceived", "importance"};
    const servgap__csv_field *f = fld(im, O_VP);
    if ((o->vp = pick(f, vps, 8)) < 0)
        return FAIL(im, SERVGAP_EFORMAT, f, "'%.*s' is not a viewpoint", Q(f));
    if (o->vp == VP_IMPORTANCE && !o->resp)
        return FAIL(im, SERVGAP_EFORMAT, f, "an importance row needs a respondent");
    if (o->resp && o->vp != SERVGAP_VP_EXPECTED && o->vp != SERVGAP_VP_ADEQUATE &&
        o->vp != SERVGAP_VP_PERCEIVED && o->vp != VP_IMPORTANCE)
        return FAIL(im, SERVGAP_EFORMAT, f,
                    "a respondent's row is expected, adequate, perceived or importance, not '%.*s'",
                    Q(f));
    return SERVGAP_OK;
}

/* A metric's id, through the memo. */
static int metric_memo(importer *im, const servgap__csv_field *f, int32_t *id)
{
    int32_t aux;
    if ((*id = memo_get(im, MEMO_METRIC, f, &aux)) >= 0)
        return SERVGAP_OK;
    int rc = metric_id(im, f, id);
    if (rc == SERVGAP_OK)
        memo_note(im, MEMO_METRIC, f, *id, 0);
    return rc;
}

/* The metric (for importance rows: the dimension) and the value. */
static int measure(importer *im, obs *o)
{
    const servgap__csv_field *fm = fld(im, O_METRIC), *fv = fld(im, O_VALUE);
    int rc =
        o->vp == VP_IMPORTANCE ? dimension(im, fm, &o->metric) : metric_memo(im, fm, &o->metric);
    if (rc == SERVGAP_OK)
        rc = number(im, fv, "value", &o->value);
    if (rc != SERVGAP_OK)
        return rc;
    if (o->vp == VP_IMPORTANCE) {
        if (!(o->value >= 0.0 && o->value <= 100.0))
            return FAIL(im, SERVGAP_ERANGE, fv, "importance points %g outside [0, 100]", o->value);
        return SERVGAP_OK;
    }
    const servgap__metric *m = &im->ctx->metrics.m[o->metric];
    if (o->value < m->min || o->value > m->max)
        return FAIL(im, SERVGAP_ERANGE, fv, "value %g outside [%g, %g] of metric '%s'", o->value,
                    m->min, m->max, im->ctx->metrics.names.str[o->metric]);
    return SERVGAP_OK;
}

static int driver(importer *im, obs *o)
{
    static const char *const drivers[] = {"none", "word_of_mouth", "personal_needs",
                                          "past_experience", "external_communication"};
    const servgap__csv_field *f = fld(im, O_DRIVER);
    o->driver = SERVGAP_DRIVER_NONE;
    if (!f || f->len == 0)
        return SERVGAP_OK;
    if ((o->driver = pick(f, drivers, 5)) < 0)
        return FAIL(im, SERVGAP_EFORMAT, f, "'%.*s' is not a driver", Q(f));
    return SERVGAP_OK;
}

/* A name that a memo knows is valid and needs no check; note its id. */
static int name_known(importer *im, int m, const servgap__csv_field *f, const char *what, obs *o)
{
    int32_t aux = -1;
    o->hit[m] = memo_get(im, m, f, &aux);
    if (m == MEMO_ACCOUNT)
        o->acc_tier = aux;
    return o->hit[m] >= 0 ? SERVGAP_OK : name_ok(im, f, what);
}

/* Every check of a row that needs no new name. */
static int obs_parse(importer *im, obs *o)
{
    const servgap__csv_field *fr = fld(im, O_RESP), *fa = fld(im, O_ACCOUNT), *ft = fld(im, O_TIER);
    const servgap__csv_field *fp = fld(im, O_TP), *fteam = fld(im, O_TEAM);
    for (int m = 0; m < MEMO_COUNT; m++)
        o->hit[m] = -1;
    o->resp = fr && fr->len > 0 ? fr : NULL;
    int rc = timestamp(im, fld(im, O_TIME), "time", &o->time);
    if (rc == SERVGAP_OK)
        rc = viewpoint(im, o);
    if (rc == SERVGAP_OK)
        rc = measure(im, o);
    if (rc == SERVGAP_OK)
        rc = driver(im, o);
    if (rc == SERVGAP_OK && fa->len == 0 && ft->len == 0)
        rc = FAIL(im, SERVGAP_EFORMAT, ft, "a tier-wide observation (no account) needs a tier");
    if (rc == SERVGAP_OK && fa->len > 0)
        rc = name_known(im, MEMO_ACCOUNT, fa, "account", o);
    if (rc == SERVGAP_OK && ft->len > 0)
        rc = name_known(im, MEMO_TIER, ft, "tier", o);
    if (rc == SERVGAP_OK && fp->len > 0 && !is(fp, "*"))
        rc = name_known(im, MEMO_TP, fp, "touchpoint", o);
    if (rc == SERVGAP_OK && fteam && fteam->len > 0)
        rc = name_known(im, MEMO_TEAM, fteam, "team", o);
    if (rc == SERVGAP_OK && o->resp)
        rc = name_ok(im, o->resp, "respondent");
    return rc;
}

/* A known account, in tier have, must stay in its tier. A tier that the
 * memo knows (tier >= 0) is compared by id, else by name. */
static int tier_agrees(importer *im, int32_t have, int32_t tier)
{
    servgap_ctx *ctx = im->ctx;
    const servgap__csv_field *fa = fld(im, O_ACCOUNT), *ft = fld(im, O_TIER);
    if (ft->len == 0 || (tier >= 0 && tier == have))
        return SERVGAP_OK;
    if (tier < 0 && have >= 0 && is(ft, ctx->tiers.str[have])) {
        memo_note(im, MEMO_TIER, ft, have, 0);
        return SERVGAP_OK;
    }
    if (have < 0)
        return FAIL(im, SERVGAP_ECONFLICT, ft, "account '%.*s' has no tier, not '%.*s'", Q(fa),
                    Q(ft));
    return FAIL(im, SERVGAP_ECONFLICT, ft, "account '%.*s' is in tier '%s', not '%.*s'", Q(fa),
                ctx->tiers.str[have], Q(ft));
}

/* The id of a tier, touchpoint or team name: the memo's (hit >= 0), or
 * interned and noted for the memo. */
static int intern_memo(importer *im, int m, int32_t kind, const servgap__csv_field *f, int32_t hit,
                       int32_t *id)
{
    if ((*id = hit) >= 0)
        return SERVGAP_OK;
    int rc = intern(im, kind, f, id);
    if (rc == SERVGAP_OK)
        memo_note(im, m, f, *id, 0);
    return rc;
}

/* A row's account not yet in the memo: known (then it keeps its tier) or
 * new. */
static int obs_account(importer *im, obs *o)
{
    servgap_ctx *ctx = im->ctx;
    const servgap__csv_field *fa = fld(im, O_ACCOUNT), *ft = fld(im, O_TIER);
    int32_t tier = -1, id = servgap__names_find(&ctx->accounts.names, fa->s, fa->len);
    int rc = SERVGAP_OK;
    if (id >= 0) {
        tier = ctx->accounts.a[id].tier;
        rc = tier_agrees(im, tier, o->hit[MEMO_TIER]);
    } else {
        if (ft->len > 0)
            rc = intern_memo(im, MEMO_TIER, SERVGAP_KIND_TIER, ft, o->hit[MEMO_TIER], &tier);
        if (rc == SERVGAP_OK && ctx->accounts.names.count >= INT32_MAX)
            rc = FAIL(im, SERVGAP_ELIMIT, fa, "more than 2^31-1 accounts");
        if (rc == SERVGAP_OK &&
            servgap__accounts_add(&ctx->accounts, &ctx->alloc, fa->s, tier, 0.0, &id) != 0)
            rc = FAIL(im, SERVGAP_ENOMEM, fa, "out of memory defining account '%.*s'", Q(fa));
    }
    o->scope = (uint32_t)id;
    if (rc == SERVGAP_OK)
        memo_note(im, MEMO_ACCOUNT, fa, id, tier);
    return rc;
}

/* The scope of a row: a tier, a known account, or a new account. */
static int obs_scope(importer *im, obs *o)
{
    const servgap__csv_field *fa = fld(im, O_ACCOUNT), *ft = fld(im, O_TIER);
    int32_t tier = -1;
    if (fa->len == 0) {
        int rc = intern_memo(im, MEMO_TIER, SERVGAP_KIND_TIER, ft, o->hit[MEMO_TIER], &tier);
        o->scope = (uint32_t)tier | SERVGAP__SCOPE_TIER;
        return rc;
    }
    if (o->hit[MEMO_ACCOUNT] < 0)
        return obs_account(im, o);
    o->scope = (uint32_t)o->hit[MEMO_ACCOUNT];
    return tier_agrees(im, o->acc_tier, o->hit[MEMO_TIER]);
}

static int obs_names(importer *im, obs *o)
{
    const servgap__csv_field *fp = fld(im, O_TP), *fteam = fld(im, O_TEAM);
    int rc = obs_scope(im, o);
    o->tp = SERVGAP_ANY;
    o->team = SERVGAP_NONE;
    if (rc == SERVGAP_OK && fp->len > 0 && !is(fp, "*"))
        rc = intern_memo(im, MEMO_TP, SERVGAP_KIND_TOUCHPOINT, fp, o->hit[MEMO_TP], &o->tp);
    if (rc == SERVGAP_OK && fteam && fteam->len > 0)
        rc = intern_memo(im, MEMO_TEAM, SERVGAP_KIND_TEAM, fteam, o->hit[MEMO_TEAM], &o->team);
    return rc;
}

static void row_encode(const obs *o, int32_t metric, int vp, double value, uint8_t flags,
                       servgap__obs *obs)
{
    int64_t d = o->time / SERVGAP_DAY - (o->time % SERVGAP_DAY < 0);
    obs->value = value;
    obs->day = (int32_t)d;
    obs->scope = o->scope;
    obs->tp = o->tp == SERVGAP_ANY ? SERVGAP__TP_ANY : (uint16_t)o->tp;
    obs->metric = (uint16_t)metric;
    obs->team = o->team;
    obs->bits = (uint8_t)(o->driver << 3 | vp | flags);
}

/* Rows the log holds beyond its count: the full chunks and the last one's
 * capacity (store.h). */
static uint64_t log_room(const servgap__store *s)
{
    if (s->nchunk == 0)
        return 0;
    return (uint64_t)(s->nchunk - 1) * SERVGAP__CHUNK_MAX + s->chunk[s->nchunk - 1].cap - s->count;
}

/* The log is asked to grow only when the room it made is used up, so it
 * grows as when asked for every row, without a call per row. A rollback
 * only adds room, so im->room stays a safe lower bound. */
static int obs_store(importer *im, const obs *o)
{
    servgap__store *s = &im->ctx->store;
    servgap__obs obs;
    if (im->room == 0) {
        if (servgap__store_reserve(s, &im->ctx->alloc, 1, 0) != 0)
            return FAIL(im, SERVGAP_ENOMEM, fld(im, O_VALUE), "out of memory");
        im->room = log_room(s);
    }
    row_encode(o, o->metric, o->vp, o->value, 0, &obs);
    servgap__store_push(s, &obs);
    im->room--;
    return SERVGAP_OK;
}

/* ---------------------------------------------------------------------- */
/* respondents                                                             */
/* ---------------------------------------------------------------------- */

static int vp_slot(int vp)
{
    return vp == SERVGAP_VP_EXPECTED ? 0 : vp == SERVGAP_VP_ADEQUATE ? 1 : 2;
}

/* A later row of a respondent must repeat the first row's context. */
static int group_agrees(importer *im, const group *g, const obs *o)
{
    struct {
        int same, col;
        const char *what;
    } checks[] = {
        {g->time == o->time, O_TIME, "time"},
        {g->scope == o->scope, fld(im, O_ACCOUNT)->len ? O_ACCOUNT : O_TIER, "account or tier"},
        {g->tp == o->tp, O_TP, "touchpoint"},
        {g->team == o->team, O_TEAM, "team"},
        {g->driver == o->driver, O_DRIVER, "driver"},
    };
    for (size_t i = 0; i < sizeof checks / sizeof *checks; i++)
        if (!checks[i].same)
            return FAIL(im, SERVGAP_ECONFLICT, fld(im, checks[i].col),
                        "respondent '%.*s': %s differs from its first row (line %llu)", Q(o->resp),
                        checks[i].what, (unsigned long long)g->line);
    return SERVGAP_OK;
}

/* A repeated (metric, viewpoint) of a respondent. */
static int group_repeats(importer *im, const group *g, size_t gi, const obs *o)
{
    const servgap__csv_field *f = fld(im, O_VP);
    if (o->vp == VP_IMPORTANCE && (g->mask & (1u << o->metric)))
        return FAIL(im, SERVGAP_ECONFLICT, f, "respondent '%.*s' gives importance of %s twice",
                    Q(o->resp), servgap_dimension_name(o->metric));
    if (o->vp == VP_IMPORTANCE)
        return SERVGAP_OK;
    const item *it = servgap__map_find(&im->items, gi, (uint64_t)o->metric);
    if (it && !isnan(it->v[vp_slot(o->vp)]))
        return FAIL(im, SERVGAP_ECONFLICT, f, "respondent '%.*s' answers '%s' %s twice", Q(o->resp),
                    im->ctx->metrics.names.str[o->metric], servgap_viewpoint_name(o->vp));
    return SERVGAP_OK;
}

static int group_new(importer *im, const obs *o, size_t *gi)
{
    int32_t id;
    void *p = im->groups;
    if (servgap__reserve(&im->ctx->alloc, &p, &im->capgroups, im->resp.count + 1,
                         sizeof *im->groups) != 0 ||
        (im->groups = p,
         servgap__names_add(&im->resp, &im->ctx->alloc, o->resp->s, o->resp->len, &id) != 0))
        return FAIL(im, SERVGAP_ENOMEM, o->resp, "out of memory");
    group *g = &im->groups[id];
    memset(g, 0, sizeof *g);
    g->scope = o->scope;
    g->tp = o->tp;
    g->team = o->team;
    g->driver = o->driver;
    g->time = o->time;
    g->line = fld(im, O_TIME)->line;
    g->head = g->tail = NO_ITEM;
    *gi = (size_t)id;
    return SERVGAP_OK;
}

static int group_add(importer *im, group *g, size_t gi, const obs *o)
{
    const servgap__csv_field *fv = fld(im, O_VALUE);
    g->rows++;
    if (o->vp == VP_IMPORTANCE) {
        if (g->mask == 0) {
            g->imp_line = fv->line;
            g->imp_col = fv->col;
        }
        g->mask |= 1u << o->metric;
        g->points[o->metric] = o->value;
        return SERVGAP_OK;
    }
    int created = 0;
    if (im->items.n >= NO_ITEM - 1)
        return FAIL(im, SERVGAP_ELIMIT, fv, "more than 2^32 - 2 respondent items in one file");
    item *it = servgap__map_get(&im->items, gi, (uint64_t)o->metric, &created);
    if (!it)
        return FAIL(im, SERVGAP_ENOMEM, fv, "out of memory");
    if (created) {
        uint32_t k = (uint32_t)(im->items.n - 1);
        it->v[0] = it->v[1] = it->v[2] = NAN;
        it->next = NO_ITEM;
        if (g->tail != NO_ITEM)
            ((item *)servgap__map_at(&im->items, g->tail))->next = k;
        else
            g->head = k;
        g->tail = k;
    }
    it->v[vp_slot(o->vp)] = o->value;
    g->values++;
    return SERVGAP_OK;
}

static int respondent_row(importer *im, const obs *o)
{
    int32_t id = servgap__names_find(&im->resp, o->resp->s, o->resp->len);
    size_t gi = (size_t)id;
    int rc = SERVGAP_OK;
    if (id >= 0) {
        rc = group_agrees(im, &im->groups[gi], o);
        if (rc == SERVGAP_OK)
            rc = group_repeats(im, &im->groups[gi], gi, o);
    } else {
        rc = group_new(im, o, &gi);
    }
    return rc == SERVGAP_OK ? group_add(im, &im->groups[gi], gi, o) : rc;
}

static int row_observation(importer *im)
{
    obs o;
    int rc = obs_parse(im, &o);
    if (rc == SERVGAP_OK)
        rc = obs_names(im, &o);
    if (rc != SERVGAP_OK)
        return rc;
    return o.resp ? respondent_row(im, &o) : obs_store(im, &o);
}

/* A gathered response that cannot be stored: its message, or OK. */
static int group_check(importer *im, const group *g, const char *name)
{
    int n = clip(name, strlen(name));
    double sum = 0.0;
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
        sum += g->points[d];
    for (int d = 0; d < SERVGAP_DIM_COUNT && g->mask; d++)
        if (!(g->mask & (1u << d)))
            return fail_at(im, SERVGAP_EFORMAT, g->imp_line, g->imp_col,
                           "respondent '%.*s': importance points lack %s (all five dimensions "
                           "are needed)",
                           n, name, servgap_dimension_name(d));
    if (g->mask && !servgap__points_valid(g->points))
        return fail_at(im, SERVGAP_ERANGE, g->imp_line, g->imp_col,
                       "respondent '%.*s': importance points sum to %g, not 100 +- 0.5", n, name,
                       sum);
    if (g->values == 0)
        return fail_at(im, SERVGAP_EFORMAT, g->line, 1,
                       "respondent '%.*s' answers no item, only importance", n, name);
    return SERVGAP_OK;
}

static void group_store(importer *im, const group *g)
{
    static const int vps[3] = {SERVGAP_VP_EXPECTED, SERVGAP_VP_ADEQUATE, SERVGAP_VP_PERCEIVED};
    servgap__store *s = &im->ctx->store;
    obs o = {g->time, 0, 0, g->driver, g->tp, g->team, 0.0, g->scope, NULL, {0}, 0};
    uint8_t flags = SERVGAP__BIT_RESPONSE | SERVGAP__BIT_START;
    if (g->mask)
        servgap__store_push_points(s, s->count, g->points);
    for (uint32_t k = g->head; k != NO_ITEM;) {
        const item *it = servgap__map_at(&im->items, k);
        for (int j = 0; j < 3; j++) {
            if (isnan(it->v[j]))
                continue;
            servgap__obs obs;
            row_encode(&o, (int32_t)it->key.k2, vps[j], it->v[j], flags, &obs);
            servgap__store_push(s, &obs);
            flags = SERVGAP__BIT_RESPONSE;
        }
        k = it->next;
    }
}

/* ---------------------------------------------------------------------- */
/* The import                                                              */
/* ---------------------------------------------------------------------- */

static void add_unknown(importer *im, const char *s, size_t len)
{
    servgap_import_report *r = &im->rep;
    size_t used = strlen(r->unknown), sep = used > 0;
    r->unknown_columns++;
    if (used + sep + len + 1 > sizeof r->unknown)
        return;
    if (sep)
        r->unknown[used++] = ',';
    memcpy(r->unknown + used, s, len);
    r->unknown[used + len] = '\0';
}

static int header_column(importer *im, const servgap__csv_field *f, size_t i)
{
    const char *s = f->s;
    size_t len = f->len;
    while (len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    for (size_t c = 0; c < im->def->n; c++) {
        if (strlen(im->def->col[c]) != len || memcmp(im->def->col[c], s, len) != 0)
            continue;
        if (im->col[c] >= 0)
            return FAIL(im, SERVGAP_EFORMAT, f, "column '%s' appears twice", im->def->col[c]);
        im->col[c] = (int)i;
        return SERVGAP_OK;
    }
    add_unknown(im, s, len);
    return SERVGAP_OK;
}

static int header(importer *im)
{
    int rc = servgap__csv_next(&im->csv);
    if (rc == 0)
        return fail_at(im, SERVGAP_EFORMAT, 1, 1, "no header row");
    if (rc == SERVGAP_ENOMEM)
        return fail_at(im, rc, 1, 1, "out of memory");
    if (rc == SERVGAP_EFORMAT)
        return fail_at(im, rc, im->csv.err_line, im->csv.err_col, "%s", im->csv.err);
    for (size_t c = 0; c < MAX_COLS; c++)
        im->col[c] = -1;
    im->nfields = im->csv.nfield;
    for (size_t i = 0; i < im->nfields; i++)
        if ((rc = header_column(im, &im->csv.field[i], i)) != SERVGAP_OK)
            return rc;
    for (size_t c = 0; c < im->def->n; c++)
        if ((im->def->required >> c & 1u) && im->col[c] < 0)
            return fail_at(im, SERVGAP_EFORMAT, im->csv.field[0].line, 1, "missing column '%s'",
                           im->def->col[c]);
    return SERVGAP_OK;
}

static int row(importer *im)
{
    const servgap__csv *r = &im->csv;
    if (r->nfield < im->nfields)
        return fail_at(im, SERVGAP_EFORMAT, r->end_line, r->end_col,
                       "the row has %zu fields, the header %zu", r->nfield, im->nfields);
    if (r->nfield > im->nfields)
        return FAIL(im, SERVGAP_EFORMAT, &r->field[im->nfields],
                    "the row has %zu fields, the header %zu", r->nfield, im->nfields);
    switch (im->table) {
    case SERVGAP_CSV_OBSERVATIONS:
        return row_observation(im);
    case SERVGAP_CSV_METRICS:
        return row_metric(im);
    case SERVGAP_CSV_ACCOUNTS:
        return row_account(im);
    case SERVGAP_CSV_IMPORTANCE:
        return row_importance(im);
    default:
        return row_effort(im);
    }
}

/* Count a bad row and keep its message if it fits whole. */
static void skipped(importer *im, uint64_t rows)
{
    servgap_import_report *r = &im->rep;
    char line[sizeof r->skips];
    r->skipped += rows;
    if (im->skips_full)
        return;
    int n = snprintf(line, sizeof line, "%s:%llu:%llu: %s\n", im->file,
                     (unsigned long long)im->line, (unsigned long long)im->at, im->why);
    size_t used = strlen(r->skips);
    if (n < 0 || used + (size_t)n + 1 > sizeof r->skips) {
        im->skips_full = 1;
        return;
    }
    memcpy(r->skips + used, line, (size_t)n + 1);
}

/* A row's failure: skipped in skip mode, else the import's failure. */
static int row_failed(importer *im, int rc, const servgap__mark *before)
{
    if (!im->skip || rc == SERVGAP_ENOMEM)
        return rc;
    servgap__mark_rollback(im->ctx, before);
    skipped(im, 1);
    return SERVGAP_OK;
}

static int rows(importer *im)
{
    for (;;) {
        servgap__mark before;
        servgap__mark_take(im->ctx, &before);
        im->npend = 0;
        int rc = servgap__csv_next(&im->csv);
        if (rc == 0)
            return SERVGAP_OK;
        if (rc == SERVGAP_ENOMEM)
            return fail_at(im, rc, im->csv.line, 1, "out of memory");
        im->rep.rows++;
        if (rc == SERVGAP_EFORMAT) {
            fail_at(im, rc, im->csv.err_line, im->csv.err_col, "%s", im->csv.err);
            if (im->csv.fatal)
                return rc;
        } else {
            if (im->table == SERVGAP_CSV_OBSERVATIONS)
                prefetch_account(im);
            rc = row(im);
        }
        if (rc == SERVGAP_OK && im->npend && memo_commit(im) != SERVGAP_OK)
            return fail_at(im, SERVGAP_ENOMEM, im->csv.end_line, 1, "out of memory");
        if (rc != SERVGAP_OK && (rc = row_failed(im, rc, &before)) != SERVGAP_OK)
            return rc;
    }
}

/* Check every gathered response, then store those that are good. */
static int responses(importer *im)
{
    uint64_t values = 0, points = 0;
    for (size_t i = 0; i < im->resp.count; i++) {
        group *g = &im->groups[i];
        int rc = group_check(im, g, im->resp.str[i]);
        if (rc != SERVGAP_OK && !im->skip)
            return rc;
        if (rc != SERVGAP_OK) {
            skipped(im, g->rows);
            g->values = 0;
            g->head = NO_ITEM;
            g->mask = 0;
        }
        values += g->values;
        points += g->mask != 0;
    }
    if (servgap__store_reserve(&im->ctx->store, &im->ctx->alloc, values, (size_t)points) != 0)
        return fail_at(im, SERVGAP_ENOMEM, im->csv.line, 1, "out of memory");
    for (size_t i = 0; i < im->resp.count; i++)
        if (im->groups[i].head != NO_ITEM)
            group_store(im, &im->groups[i]);
    return SERVGAP_OK;
}

static int import_locked(importer *im)
{
    servgap__mark start;
    servgap__mark_take(im->ctx, &start);
    im->known_accounts = start.accounts;
    int rc = header(im);
    if (rc == SERVGAP_OK)
        rc = rows(im);
    if (rc == SERVGAP_OK && im->table == SERVGAP_CSV_OBSERVATIONS)
        rc = responses(im);
    if (rc != SERVGAP_OK) {
        undo_all(im);
        servgap__mark_rollback(im->ctx, &start);
        return rc;
    }
    im->rep.observations = im->ctx->store.count - start.rows;
    return SERVGAP_OK;
}

static void importer_free(importer *im)
{
    const servgap__alloc *a = &im->ctx->alloc;
    servgap__csv_free(&im->csv);
    servgap__free(a, im->undo);
    servgap__free(a, im->groups);
    servgap__names_free(&im->resp, a);
    servgap__map_free(&im->items);
    for (int m = 0; m < MEMO_COUNT; m++)
        servgap__free(a, im->memo[m].raw);
}

static int import_run(servgap_ctx *ctx, int32_t table, const char *file, const void *data,
                      size_t len, uint32_t flags, servgap_import_report *report)
{
    importer im;
    memset(&im, 0, sizeof im);
    im.ctx = ctx;
    im.file = file;
    im.table = table;
    im.def = &tables[table - 1];
    im.skip = (flags & SERVGAP_IMPORT_SKIP_BAD_ROWS) != 0;
    im.rep.size = sizeof im.rep;
    servgap__csv_init(&im.csv, &ctx->alloc, data, len);
    servgap__names_init(&im.resp);
    servgap__map_init(&im.items, &ctx->alloc, sizeof(item));
    servgap__wrlock(ctx);
    int rc = import_locked(&im);
    servgap__unlock(ctx);
    importer_free(&im);
    if (rc != SERVGAP_OK) {
        char where[320];
        snprintf(where, sizeof where, "%s:%llu:%llu", file, (unsigned long long)im.line,
                 (unsigned long long)im.at);
        return servgap__fail(ctx, rc, where, "%s", im.why);
    }
    im.rep.applied = im.rep.rows - im.rep.skipped;
    if (report)
        servgap__sized_out(report, &im.rep, sizeof im.rep, SERVGAP__SIZE_1_0_IMPORT_REPORT);
    return SERVGAP_OK;
}

static int check_args(servgap_ctx *ctx, const char *fn, int32_t table, uint32_t flags,
                      const servgap_import_report *report)
{
    if (report && !servgap__sized_ok(report, SERVGAP__SIZE_1_0_IMPORT_REPORT))
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn,
                             "report->size is smaller than the 1.0 layout");
    if (table < SERVGAP_CSV_OBSERVATIONS || table > SERVGAP_CSV_EFFORTS)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "unknown table %d", (int)table);
    if (flags & ~SERVGAP_IMPORT_SKIP_BAD_ROWS)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "unknown flags 0x%x", (unsigned)flags);
    return SERVGAP_OK;
}

SERVGAP_API int servgap_import_csv_buffer(servgap_ctx *ctx, int32_t table, const char *name,
                                          const void *data, size_t len, uint32_t flags,
                                          servgap_import_report *report)
{
    static const char *const fn = "servgap_import_csv_buffer";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!data && len > 0)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "data is NULL");
    int rc = check_args(ctx, fn, table, flags, report);
    if (rc != SERVGAP_OK)
        return rc;
    return import_run(ctx, table, name ? name : "<buffer>", data, len, flags, report);
}

static int io_fail(servgap_ctx *ctx, const char *path, int err)
{
    char text[128] = "unknown error";
    if (err == 0 || strerror_r(err, text, sizeof text) != 0)
        snprintf(text, sizeof text, "error %d", err);
    return servgap__fail(ctx, SERVGAP_EIO, path, "cannot read: %s", text);
}

/* Read the whole of f into *data (from ctx's allocator). The size known in
 * advance is only a hint, so pipes and growing files work too. */
static int slurp(servgap_ctx *ctx, const char *path, FILE *f, char **data, size_t *len)
{
    size_t cap = 4096, n = 0;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size > 0 && (unsigned long)size < SIZE_MAX / 2)
            cap = (size_t)size + 1; /* + 1: a full buffer means "maybe more" */
        rewind(f);
    }
    void *buf = servgap__malloc(&ctx->alloc, cap, 1);
    while (buf) {
        errno = 0;
        n += fread((char *)buf + n, 1, cap - n, f);
        if (ferror(f)) {
            servgap__free(&ctx->alloc, buf);
            return io_fail(ctx, path, errno);
        }
        if (n < cap) {
            *data = buf;
            *len = n;
            return SERVGAP_OK;
        }
        if (cap > SIZE_MAX / 2 || servgap__resize(&ctx->alloc, &buf, cap * 2, 1) != 0) {
            servgap__free(&ctx->alloc, buf);
            buf = NULL;
        }
        cap *= 2;
    }
    return servgap__fail(ctx, SERVGAP_ENOMEM, path, "out of memory reading the file");
}

SERVGAP_API int servgap_import_csv(servgap_ctx *ctx, int32_t table, const char *path,
                                   uint32_t flags, servgap_import_report *report)
{
    static const char *const fn = "servgap_import_csv";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!path)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "path is NULL");
    int rc = check_args(ctx, fn, table, flags, report);
    if (rc != SERVGAP_OK)
        return rc;
    errno = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return io_fail(ctx, path, errno);
    char *data = NULL;
    size_t len = 0;
    rc = slurp(ctx, path, f, &data, &len);
    fclose(f);
    if (rc == SERVGAP_OK)
        rc = import_run(ctx, table, path, data, len, flags, report);
    servgap__free(&ctx->alloc, data);
    return rc;
}
