/*
 * fuzz_checks -- what the libFuzzer targets in tests/fuzz check beside
 * crashes, shared by them (each target is one translation unit with lib/,
 * so everything here is static):
 *
 *  - a handle's state as its snapshot bytes (its summary's, once it holds
 *    summaries), so that "a failed call changes nothing" is checked byte
 *    for byte, not by counts;
 *  - a strict JSON reader (RFC 8259 and the report's own rules: UTF-8, no
 *    whitespace outside strings but the final newline), for the report of
 *    every result a target computes, written both ways (buffer and stream);
 *  - the accessors of a result: every row below the count reads, the row at
 *    the count is SERVGAP_ERANGE, and the documented orders and cross-table
 *    indexes hold.
 *
 * A broken invariant traps (FUZZ_CHECK); nothing is printed.
 */
#ifndef SERVGAP_FUZZ_CHECKS_H
#define SERVGAP_FUZZ_CHECKS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "servgap.h"

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

/* Every analysis a query can run. */
#define FUZZ_QUERY_EVERYTHING (SERVGAP_QUERY_ALL | SERVGAP_QUERY_TRENDS | SERVGAP_QUERY_PLANS)

/* Rows of a result table that the checks read one by one: enough for the
 * orders and indexes, bounded so that a large result costs no more. */
#define FUZZ_ROWS_MAX 2048

/* ---------------------------------------------------------------------- */
/* A handle's state                                                        */
/* ---------------------------------------------------------------------- */

typedef struct fuzz_bytes {
    unsigned char *p;
    size_t n;
} fuzz_bytes;

/* The handle's snapshot (owned: free(.p)); the default allocator cannot
 * fail here, so any error is a broken contract. One write into a buffer
 * sized by the last snapshot, as a size query costs a second pass (and a
 * second set of CRC tables, slow under the fuzzer's instrumentation); a
 * handle that grew past it gets SERVGAP_EBUFSIZE with the size, which
 * replaces the handle's last error, so checks read that first. */
static inline fuzz_bytes fuzz_state(servgap_ctx *ctx)
{
    static size_t guess = 4096;
    fuzz_bytes b = {malloc(guess), 0};
    FUZZ_CHECK(b.p != NULL);
    int rc = servgap_snapshot_write(ctx, b.p, guess, &b.n);
    if (rc == SERVGAP_EBUFSIZE) {
        guess = b.n + b.n / 4;
        b.p = realloc(b.p, guess);
        FUZZ_CHECK(b.p != NULL);
        rc = servgap_snapshot_write(ctx, b.p, guess, &b.n);
    }
    FUZZ_CHECK(rc == SERVGAP_OK);
    return b;
}

/* The summary of all the handle's days (owned: free(.p)): the state of a
 * handle that holds summaries, which has no snapshot. The handle's
 * negative_share must be that of its summaries. */
static inline fuzz_bytes fuzz_summary_state(servgap_ctx *ctx)
{
    fuzz_bytes b = {NULL, 0};
    FUZZ_CHECK(servgap_summary_write(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, NULL, 0, &b.n) ==
               SERVGAP_OK);
    b.p = malloc(b.n);
    FUZZ_CHECK(b.p != NULL);
    FUZZ_CHECK(servgap_summary_write(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, b.p, b.n, &b.n) ==
               SERVGAP_OK);
    return b;
}

static inline int fuzz_same(const fuzz_bytes *a, const fuzz_bytes *b)
{
    return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
}

/* ctx still writes the snapshot before. */
static inline void fuzz_check_unchanged(servgap_ctx *ctx, const fuzz_bytes *before)
{
    fuzz_bytes now = fuzz_state(ctx);
    FUZZ_CHECK(fuzz_same(&now, before));
    free(now.p);
}

/* The contract of a call that failed with rc on ctx: nothing changed, and
 * the handle holds the code and a message. */
static inline void fuzz_check_failed(servgap_ctx *ctx, int rc, const fuzz_bytes *before)
{
    FUZZ_CHECK(rc < 0);
    FUZZ_CHECK(servgap_errcode(ctx) == rc);
    FUZZ_CHECK(servgap_errmsg(ctx)[0] != '\0');
    fuzz_check_unchanged(ctx, before);
}

/* A snapshot loads into a new handle, which writes the same bytes again:
 * what a handle saves, it restores. */
static inline void fuzz_check_restores(const fuzz_bytes *snap)
{
    servgap_ctx *ctx = NULL;
    FUZZ_CHECK(servgap_ctx_new(&ctx, NULL) == SERVGAP_OK);
    FUZZ_CHECK(servgap_snapshot_load_buffer(ctx, snap->p, snap->n) == SERVGAP_OK);
    fuzz_check_unchanged(ctx, snap);
    servgap_ctx_free(ctx);
}

/* ---------------------------------------------------------------------- */
/* A strict JSON reader                                                    */
/* ---------------------------------------------------------------------- */

typedef struct fuzz_json {
    const unsigned char *p, *end;
    int depth;
} fuzz_json;

/* Deeper than any report nests (the report's objects go four deep). */
#define FUZZ_JSON_DEPTH 32

static int fuzz_json_value(fuzz_json *j);

static inline int fuzz_json_eat(fuzz_json *j, char c)
{
    if (j->p == j->end || *j->p != (unsigned char)c)
        return 0;
    j->p++;
    return 1;
}

/* One UTF-8 sequence of two to four bytes: no overlong form, no surrogate,
 * nothing beyond U+10FFFF. */
static inline int fuzz_json_utf8(fuzz_json *j)
{
    unsigned lead = *j->p, cp, min;
    int more;
    if (lead >= 0xC2 && lead <= 0xDF) {
        more = 1, cp = lead & 0x1Fu, min = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        more = 2, cp = lead & 0x0Fu, min = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        more = 3, cp = lead & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (j->end - j->p <= more)
        return 0;
    for (int k = 1; k <= more; k++) {
        if ((j->p[k] & 0xC0u) != 0x80u)
            return 0;
        cp = cp << 6 | (j->p[k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    j->p += more + 1;
    return 1;
}

static inline int fuzz_json_hex4(fuzz_json *j, unsigned *v)
{
    if (j->end - j->p < 4)
        return 0;
    *v = 0;
    for (int k = 0; k < 4; k++) {
        unsigned c = *j->p++;
        unsigned d = c >= '0' && c <= '9'   ? c - '0'
                     : c >= 'a' && c <= 'f' ? c - 'a' + 10
                     : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                            : 16;
        if (d == 16)
            return 0;
        *v = *v << 4 | d;
    }
    return 1;
}

/* After a backslash: one escape; a \u surrogate only as a proper pair. */
static inline int fuzz_json_escape(fuzz_json *j)
{
    unsigned hi, lo;
    if (j->p == j->end)
        return 0;
    unsigned c = *j->p++;
    if (c != 'u')
        return c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' ||
               c == 't';
    if (!fuzz_json_hex4(j, &hi) || (hi >= 0xDC00 && hi <= 0xDFFF))
        return 0;
    if (hi < 0xD800 || hi > 0xDBFF)
        return 1;
    return fuzz_json_eat(j, '\\') && fuzz_json_eat(j, 'u') && fuzz_json_hex4(j, &lo) &&
           lo >= 0xDC00 && lo <= 0xDFFF;
}

static inline int fuzz_json_string(fuzz_json *j)
{
    if (!fuzz_json_eat(j, '"'))
        return 0;
    while (j->p < j->end) {
        unsigned c = *j->p;
        if (c == '"') {
            j->p++;
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            j->p++;
            if (!fuzz_json_escape(j))
                return 0;
        } else if (c < 0x80) {
            j->p++;
        } else if (!fuzz_json_utf8(j)) {
            return 0;
        }
    }
    return 0;
}

static inline int fuzz_json_digits(fuzz_json *j)
{
    const unsigned char *start = j->p;
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
        j->p++;
    return j->p > start;
}

/* -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)? */
static inline int fuzz_json_number(fuzz_json *j)
{
    fuzz_json_eat(j, '-');
    if (!fuzz_json_eat(j, '0') &&
        (j->p == j->end || *j->p < '1' || *j->p > '9' || !fuzz_json_digits(j)))
        return 0;
    if (fuzz_json_eat(j, '.') && !fuzz_json_digits(j))
        return 0;
    if (fuzz_json_eat(j, 'e') || fuzz_json_eat(j, 'E')) {
        if (!fuzz_json_eat(j, '+'))
            fuzz_json_eat(j, '-');
        return fuzz_json_digits(j);
    }
    return 1;
}

static inline int fuzz_json_word(fuzz_json *j, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
        return 0;
    j->p += n;
    return 1;
}

/* The members of an object or the elements of an array, after its opening
 * bracket, up to and including close. */
static inline int fuzz_json_items(fuzz_json *j, int object, char close)
{
    if (++j->depth > FUZZ_JSON_DEPTH)
        return 0;
    int ok = 1;
    if (!fuzz_json_eat(j, close)) {
        do {
            ok = (!object || (fuzz_json_string(j) && fuzz_json_eat(j, ':'))) && fuzz_json_value(j);
        } while (ok && fuzz_json_eat(j, ','));
        ok = ok && fuzz_json_eat(j, close);
    }
    j->depth--;
    return ok;
}

static int fuzz_json_value(fuzz_json *j)
{
    if (j->p == j->end)
        return 0;
    switch (*j->p) {
    case '{':
        j->p++;
        return fuzz_json_items(j, 1, '}');
    case '[':
        j->p++;
        return fuzz_json_items(j, 0, ']');
    case '"':
        return fuzz_json_string(j);
    case 't':
        return fuzz_json_word(j, "true");
    case 'f':
        return fuzz_json_word(j, "false");
    case 'n':
        return fuzz_json_word(j, "null");
    default:
        return fuzz_json_number(j);
    }
}

/* text[0..len) is one report: an object that begins with the library's
 * version, then exactly one newline and nothing else. */
static inline int fuzz_json_report(const char *text, size_t len)
{
    static const char start[] = "{\"version\":{\"library\":\"";
    const char *version = servgap_version_string();
    size_t n = sizeof start - 1, v = strlen(version);
    if (len < n + v || memcmp(text, start, n) != 0 || memcmp(text + n, version, v) != 0)
        return 0;
    fuzz_json j = {(const unsigned char *)text, (const unsigned char *)text + len, 0};
    return *j.p == '{' && fuzz_json_value(&j) && fuzz_json_eat(&j, '\n') && j.p == j.end;
}

/* ---------------------------------------------------------------------- */
/* The report of a result                                                  */
/* ---------------------------------------------------------------------- */

typedef struct fuzz_stream {
    char *p;
    size_t n, cap;
    size_t calls, stop_at; /* write refuses its call number stop_at */
} fuzz_stream;

static int32_t fuzz_stream_write(void *user, const char *data, size_t len)
{
    fuzz_stream *s = user;
    FUZZ_CHECK(len > 0 && len <= 65536 && s->calls <= s->stop_at);
    if (s->calls++ == s->stop_at)
        return 1;
    if (s->n + len > s->cap) {
        s->cap = (s->n + len) * 2;
        s->p = realloc(s->p, s->cap);
        FUZZ_CHECK(s->p != NULL);
    }
    memcpy(s->p + s->n, data, len);
    s->n += len;
    return 0;
}

/* The streamed report: its status, bytes in *s (owned: free(s->p)). */
static inline int fuzz_stream_report(servgap_ctx *ctx, const servgap_result *r, fuzz_stream *s,
                                     size_t stop_at)
{
    memset(s, 0, sizeof *s);
    s->stop_at = stop_at;
    size_t len = SIZE_MAX;
    int rc = servgap_result_json_stream(ctx, r, fuzz_stream_write, s, &len);
    FUZZ_CHECK(rc == SERVGAP_OK || rc == SERVGAP_EIO || rc == SERVGAP_ENOTFOUND);
    FUZZ_CHECK(len == s->n);
    FUZZ_CHECK(rc != SERVGAP_EIO || s->calls == stop_at + 1);
    return rc;
}

/* The report of r named by ctx, checked: valid JSON, the same bytes
 * streamed and written into a buffer of its size (NUL-terminated).
 * Returns them (owned: free(.p); .n the length), or {NULL, 0} when ctx
 * does not know a name r uses: then the buffer is refused, and the stream
 * writes a whole report with null names, which must still be valid JSON. */
static inline fuzz_bytes fuzz_report(servgap_ctx *ctx, const servgap_result *r)
{
    fuzz_stream s;
    int rc = fuzz_stream_report(ctx, r, &s, SIZE_MAX);
    FUZZ_CHECK(s.n > 0 && fuzz_json_report(s.p, s.n));
    fuzz_bytes b = {malloc(s.n + 1), SIZE_MAX};
    FUZZ_CHECK(b.p != NULL);
    int buffered = servgap_result_json(ctx, r, (char *)b.p, s.n + 1, &b.n);
    FUZZ_CHECK(buffered == rc);
    if (rc == SERVGAP_ENOTFOUND) {
        FUZZ_CHECK(b.n == SIZE_MAX && servgap_errmsg(ctx)[0] != '\0');
        free(s.p);
        free(b.p);
        return (fuzz_bytes){NULL, 0};
    }
    FUZZ_CHECK(b.n == s.n && b.p[b.n] == '\0' && memcmp(b.p, s.p, s.n) == 0);
    free(s.p);
    return b;
}

/* The edges of the report's calls, for a report of len bytes: the size
 * query; a buffer one byte short, refused with the size and untouched; a
 * write function that refuses its first piece, which stops the report. */
static inline void fuzz_check_report_edges(servgap_ctx *ctx, const servgap_result *r, size_t len)
{
    size_t got = SIZE_MAX;
    FUZZ_CHECK(servgap_result_json(ctx, r, NULL, 0, &got) == SERVGAP_OK && got == len);
    unsigned char *buf = malloc(len);
    FUZZ_CHECK(buf != NULL);
    memset(buf, 0xA5, len);
    FUZZ_CHECK(servgap_result_json(ctx, r, (char *)buf, len, &got) == SERVGAP_EBUFSIZE);
    FUZZ_CHECK(got == len && buf[0] == 0xA5 && buf[len - 1] == 0xA5);
    free(buf);
    fuzz_stream s;
    FUZZ_CHECK(fuzz_stream_report(ctx, r, &s, 0) == SERVGAP_EIO && s.n == 0);
    FUZZ_CHECK(servgap_errcode(ctx) == SERVGAP_EIO);
    free(s.p);
}

/* ---------------------------------------------------------------------- */
/* The accessors of a result                                               */
/* ---------------------------------------------------------------------- */

static inline size_t fuzz_rows(const servgap_result *r, int32_t table)
{
    size_t n = servgap_result_count(r, table);
    return n < FUZZ_ROWS_MAX ? n : FUZZ_ROWS_MAX;
}

/* Where a cell sorts: tiers first, then accounts; by scope id; touchpoints
 * with the roll-up (SERVGAP_ALL) last; metrics by id, then the dimension
 * roll-ups by dimension. */
static inline int fuzz_cell_before(const servgap_cell *a, const servgap_cell *b)
{
    int64_t ka[4] = {a->scope_kind == SERVGAP_SCOPE_TIER ? 0 : 1, a->scope_id,
                     a->touchpoint == SERVGAP_ALL ? INT64_MAX : a->touchpoint,
                     a->metric == SERVGAP_ALL ? INT32_MAX + (int64_t)a->dimension : a->metric};
    int64_t kb[4] = {b->scope_kind == SERVGAP_SCOPE_TIER ? 0 : 1, b->scope_id,
                     b->touchpoint == SERVGAP_ALL ? INT64_MAX : b->touchpoint,
                     b->metric == SERVGAP_ALL ? INT32_MAX + (int64_t)b->dimension : b->metric};
    for (int k = 0; k < 4; k++)
        if (ka[k] != kb[k])
            return ka[k] < kb[k];
    return 0;
}

static inline void fuzz_check_gaps(const servgap_result *r, size_t i)
{
    for (int32_t g = 0; g < SERVGAP_GAP_COUNT; g++) {
        servgap_gap gap = {.size = sizeof gap};
        FUZZ_CHECK(servgap_result_gap(r, i, g, &gap) == SERVGAP_OK && gap.gap == g);
        FUZZ_CHECK(gap.status >= SERVGAP_STATUS_MET && gap.status <= SERVGAP_STATUS_UNRESOLVED);
    }
    servgap_gap gap = {.size = sizeof gap};
    FUZZ_CHECK(servgap_result_gap(r, i, SERVGAP_GAP_COUNT, &gap) == SERVGAP_EINVAL);
}

/* Cells in their documented order, each found by its key, with its gaps. */
static inline void fuzz_check_cells(const servgap_result *r)
{
    size_t n = fuzz_rows(r, SERVGAP_TABLE_CELLS);
    servgap_cell prev = {.size = sizeof prev}, c = {.size = sizeof c};
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(servgap_result_cell(r, i, &c) == SERVGAP_OK);
        FUZZ_CHECK(i == 0 || fuzz_cell_before(&prev, &c));
        size_t at = SIZE_MAX;
        FUZZ_CHECK(servgap_result_find(r, c.scope_kind, c.scope_id, c.touchpoint, c.metric,
                                       c.dimension, &at) == SERVGAP_OK &&
                   at == i);
        FUZZ_CHECK(c.classification >= SERVGAP_CLASS_NONE &&
                   c.classification <= SERVGAP_CLASS_HIDDEN);
        if (i == 0 || i + 1 == n)
            fuzz_check_gaps(r, i);
        prev = c;
    }
    size_t all = servgap_result_count(r, SERVGAP_TABLE_CELLS);
    FUZZ_CHECK(servgap_result_cell(r, all, &c) == SERVGAP_ERANGE);
}

static inline void fuzz_check_findings(const servgap_result *r)
{
    size_t n = fuzz_rows(r, SERVGAP_TABLE_FINDINGS),
           all = servgap_result_count(r, SERVGAP_TABLE_FINDINGS);
    size_t cells = servgap_result_count(r, SERVGAP_TABLE_CELLS);
    servgap_finding f = {.size = sizeof f};
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(servgap_result_finding(r, i, &f) == SERVGAP_OK);
        FUZZ_CHECK(f.rank == (int32_t)i + 1 && f.cell < cells);
        FUZZ_CHECK(f.quadrant >= SERVGAP_QUADRANT_QUICK_WIN &&
                   f.quadrant <= SERVGAP_QUADRANT_THANKLESS);
        size_t k = SIZE_MAX, got = SIZE_MAX;
        FUZZ_CHECK(servgap_result_finding_accounts(r, i, NULL, 0, &k) == SERVGAP_OK);
        FUZZ_CHECK(k == (size_t)f.affected_accounts);
        int32_t ids[8];
        size_t cap = k < 8 ? k : 8;
        FUZZ_CHECK(servgap_result_finding_accounts(r, i, ids, cap, &got) == SERVGAP_OK);
        FUZZ_CHECK(got == k);
        for (size_t a = 1; a < cap; a++)
            FUZZ_CHECK(ids[a - 1] < ids[a]);
        /* A member is an account finding whose root is another finding
         * (ranked before it unless SERVGAP_PRIORITIES_1_1 ranks it). */
        FUZZ_CHECK(f.root == UINT64_MAX ||
                   (f.root < all && f.root != i && f.scope_kind == SERVGAP_SCOPE_ACCOUNT));
        FUZZ_CHECK(f.members >= 0 && (f.members == 0 || f.root == UINT64_MAX));
    }
    size_t k = 0;
    FUZZ_CHECK(servgap_result_finding(r, all, &f) == SERVGAP_ERANGE);
    FUZZ_CHECK(servgap_result_finding_accounts(r, all, NULL, 0, &k) == SERVGAP_ERANGE);
}

/* Breakdown rows point at their cells, in cell order. */
static inline void fuzz_check_breakdowns(const servgap_result *r)
{
    size_t n = fuzz_rows(r, SERVGAP_TABLE_BREAKDOWN);
    size_t cells = servgap_result_count(r, SERVGAP_TABLE_CELLS);
    servgap_breakdown b = {.size = sizeof b};
    uint64_t last = 0;
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(servgap_result_breakdown(r, i, &b) == SERVGAP_OK);
        FUZZ_CHECK(b.cell < cells && b.cell >= last);
        FUZZ_CHECK(b.facet == SERVGAP_FACET_TEAM || b.facet == SERVGAP_FACET_DRIVER);
        last = b.cell;
    }
    size_t all = servgap_result_count(r, SERVGAP_TABLE_BREAKDOWN);
    FUZZ_CHECK(servgap_result_breakdown(r, all, &b) == SERVGAP_ERANGE);
}

static inline void fuzz_check_servqual_ipa(const servgap_result *r)
{
    servgap_servqual q = {.size = sizeof q};
    servgap_ipa p = {.size = sizeof p};
    for (size_t i = 0, n = fuzz_rows(r, SERVGAP_TABLE_SERVQUAL); i < n; i++)
        FUZZ_CHECK(servgap_result_servqual(r, i, &q) == SERVGAP_OK);
    for (size_t i = 0, n = fuzz_rows(r, SERVGAP_TABLE_IPA); i < n; i++) {
        FUZZ_CHECK(servgap_result_ipa(r, i, &p) == SERVGAP_OK);
        FUZZ_CHECK(p.quadrant >= SERVGAP_IPA_CONCENTRATE && p.quadrant <= SERVGAP_IPA_OVERKILL);
    }
    FUZZ_CHECK(servgap_result_servqual(r, servgap_result_count(r, SERVGAP_TABLE_SERVQUAL), &q) ==
               SERVGAP_ERANGE);
    FUZZ_CHECK(servgap_result_ipa(r, servgap_result_count(r, SERVGAP_TABLE_IPA), &p) ==
               SERVGAP_ERANGE);
}

/* Triggers by account, then kind; risk rows one per account, by id. */
static inline void fuzz_check_triggers_risk(const servgap_result *r)
{
    servgap_trigger t = {.size = sizeof t}, prev = {.size = sizeof prev};
    for (size_t i = 0, n = fuzz_rows(r, SERVGAP_TABLE_TRIGGERS); i < n; i++) {
        FUZZ_CHECK(servgap_result_trigger(r, i, &t) == SERVGAP_OK && t.detail != NULL);
        FUZZ_CHECK(t.kind >= SERVGAP_TRIGGER_RENEWAL && t.kind <= SERVGAP_TRIGGER_QUARTERLY_REVIEW);
        FUZZ_CHECK(i == 0 || prev.account < t.account ||
                   (prev.account == t.account && prev.kind <= t.kind));
        prev = t;
    }
    servgap_risk k = {.size = sizeof k};
    int32_t last = -1;
    for (size_t i = 0, n = fuzz_rows(r, SERVGAP_TABLE_RISK); i < n; i++) {
        FUZZ_CHECK(servgap_result_risk(r, i, &k) == SERVGAP_OK && k.account > last);
        last = k.account;
    }
    FUZZ_CHECK(servgap_result_trigger(r, servgap_result_count(r, SERVGAP_TABLE_TRIGGERS), &t) ==
               SERVGAP_ERANGE);
    FUZZ_CHECK(servgap_result_risk(r, servgap_result_count(r, SERVGAP_TABLE_RISK), &k) ==
               SERVGAP_ERANGE);
    double auc = 0;
    int64_t churned = -1, retained = -1;
    FUZZ_CHECK(servgap_result_risk_auc(r, &auc, &churned, &retained) == SERVGAP_OK);
    FUZZ_CHECK(churned >= 0 && retained >= 0);
}

/* Trend rows series by series, each series' windows 0, 1, ... in order. */
static inline void fuzz_check_trends(const servgap_result *r)
{
    servgap_trend t = {.size = sizeof t};
    size_t findings = servgap_result_count(r, SERVGAP_TABLE_FINDINGS);
    uint64_t series = 0;
    int32_t window = -1;
    for (size_t i = 0, n = fuzz_rows(r, SERVGAP_TABLE_TRENDS); i < n; i++) {
        FUZZ_CHECK(servgap_result_trend(r, i, &t) == SERVGAP_OK);
        FUZZ_CHECK(t.finding == UINT64_MAX || t.finding < findings);
        FUZZ_CHECK(t.from < t.to);
        if (i > 0 && t.series != series) {
            FUZZ_CHECK(t.series == series + 1 && t.window == 0);
        } else {
            FUZZ_CHECK(t.series == series && t.window == window + 1);
        }
        series = t.series;
        window = t.window;
    }
    FUZZ_CHECK(servgap_result_trend(r, servgap_result_count(r, SERVGAP_TABLE_TRENDS), &t) ==
               SERVGAP_ERANGE);
}

/* Plan rows one per plan item, by id, each with an outcome and windows
 * that follow the rules of servgap_plan_status. */
static inline void fuzz_check_plans(const servgap_result *r)
{
    servgap_plan_status p = {.size = sizeof p};
    size_t findings = servgap_result_count(r, SERVGAP_TABLE_FINDINGS);
    for (size_t i = 0, n = fuzz_rows(r, SERVGAP_TABLE_PLANS); i < n; i++) {
        FUZZ_CHECK(servgap_result_plan(r, i, &p) == SERVGAP_OK && p.plan == (int32_t)i);
        FUZZ_CHECK(p.outcome >= SERVGAP_OUTCOME_NONE && p.outcome <= SERVGAP_OUTCOME_UNKNOWN);
        FUZZ_CHECK(p.owner != NULL && p.owner[0] != '\0');
        FUZZ_CHECK(p.finding == UINT64_MAX || p.finding < findings);
        FUZZ_CHECK(p.base_from < p.base_to);
        FUZZ_CHECK(p.outcome != SERVGAP_OUTCOME_NONE ||
                   (p.follow_from == SERVGAP_TIME_NONE && p.follow_to == SERVGAP_TIME_NONE));
        FUZZ_CHECK(p.outcome == SERVGAP_OUTCOME_NONE ||
                   (p.base_to <= p.follow_from && p.follow_from < p.follow_to));
    }
    FUZZ_CHECK(servgap_result_plan(r, servgap_result_count(r, SERVGAP_TABLE_PLANS), &p) ==
               SERVGAP_ERANGE);
}

/* Every accessor of r agrees with its count. */
static inline void fuzz_check_result(const servgap_result *r)
{
    FUZZ_CHECK(servgap_result_count(r, 0) == 0 && servgap_result_count(r, 10) == 0);
    int64_t from = 0, to = 0, now = 0;
    FUZZ_CHECK(servgap_result_window(r, &from, &to) == SERVGAP_OK && from < to);
    FUZZ_CHECK(servgap_result_now(r, &now) == SERVGAP_OK);
    fuzz_check_cells(r);
    fuzz_check_findings(r);
    fuzz_check_breakdowns(r);
    fuzz_check_servqual_ipa(r);
    fuzz_check_triggers_risk(r);
    fuzz_check_trends(r);
    fuzz_check_plans(r);
}

/* A query with flags, its accessors and its report.
 * ENOMEM is the only failure a valid window allows. */
static inline void fuzz_check_query(servgap_ctx *ctx, uint32_t flags)
{
    servgap_result *r = NULL;
    int rc = servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, flags, &r);
    FUZZ_CHECK(rc == SERVGAP_OK || rc == SERVGAP_ENOMEM);
    if (rc != SERVGAP_OK)
        return;
    fuzz_check_result(r);
    fuzz_bytes json = fuzz_report(ctx, r);
    FUZZ_CHECK(json.p != NULL);
    fuzz_check_report_edges(ctx, r, json.n);
    free(json.p);
    servgap_result_free(r);
}

#endif /* SERVGAP_FUZZ_CHECKS_H */
