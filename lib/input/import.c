/*
 * import -- servgap_import_csv and servgap_import_csv_buffer: the six CSV
 * tables of docs/formats.md read into the handle. This file drives a file
 * through the loader of its table (import.h lists the pieces): the header,
 * the rows, the undo log and the rollback.
 *
 * The whole import runs under the write lock, so readers see all of it or
 * none of it. Rows are checked and applied one by one: what a row adds
 * (names, accounts, metrics, observations, efforts, importance, plan
 * items and their owners) is appended and rolled back with a
 * servgap__mark; what a row replaces (an account's
 * attributes, an effort, an allocation) is first saved in an undo log. A
 * failed import restores the log in reverse and rolls back to the mark
 * taken at the start, so the handle is as before; a skipped row rolls back
 * to the mark taken before it, and takes its respondent, if it names one,
 * with it (import_resp). Rows of one respondent are gathered until the end
 * of the file, because only then is the response complete; they are
 * stored contiguously, as servgap_record_response stores them.
 */
#include "../base/platform.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../model/sized.h"
#include "import.h"
#include "../base/workers.h"

/* By table number (SERVGAP_CSV_*) - 1. */
static const servgap__import_table *const tables[6] = {
    &servgap__observations_table, &servgap__metrics_table, &servgap__accounts_table,
    &servgap__importance_table,   &servgap__efforts_table, &servgap__plans_table};

/* ---------------------------------------------------------------------- */
/* The undo log                                                            */
/* ---------------------------------------------------------------------- */

struct servgap__undo {
    int kind;
    size_t i;
    servgap__account acc;
    double v[5];
};

int servgap__import_undo_push(servgap__importer *im, int kind, size_t i,
                              const servgap__account *acc, const double *v, size_t nv,
                              const servgap__csv_field *f)
{
    void *p = im->undo;
    if (servgap__reserve(&im->ctx->alloc, &p, &im->capundo, im->nundo + 1, sizeof *im->undo))
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ENOMEM, f, "out of memory");
    im->undo = p;
    servgap__undo *u = &im->undo[im->nundo++];
    u->kind = kind;
    u->i = i;
    if (acc)
        u->acc = *acc;
    if (v)
        memcpy(u->v, v, nv * sizeof *v);
    return SERVGAP_OK;
}

static void undo_all(servgap__importer *im)
{
    servgap_ctx *ctx = im->ctx;
    while (im->nundo > 0) {
        const servgap__undo *u = &im->undo[--im->nundo];
        if (u->kind == SERVGAP__UNDO_ACCOUNT)
            ctx->accounts.a[u->i] = u->acc;
        else if (u->kind == SERVGAP__UNDO_EFFORT)
            ctx->eff[u->i].effort = u->v[0];
        else
            memcpy(ctx->imp[u->i].p, u->v, sizeof ctx->imp[u->i].p);
    }
}

/* ---------------------------------------------------------------------- */
/* The import                                                              */
/* ---------------------------------------------------------------------- */

static void add_unknown(servgap__importer *im, const char *s, size_t len)
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

/* f's text without the spaces and tabs around it: the column's name. */
static void header_name(const servgap__csv_field *f, const char **name, size_t *len)
{
    const char *s = f->s;
    size_t n = f->len;
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    *name = s;
    *len = n;
}

/* A name no table could mean: empty (a stray comma, say), or holding a
 * byte-order mark, which is invisible in most editors. */
static int header_name_check(servgap__importer *im, const servgap__csv_field *f, size_t i,
                             const char *s, size_t len)
{
    if (len == 0)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, f, "header field %zu has no name", i + 1);
    for (size_t k = 0; k + 3 <= len; k++)
        if (memcmp(s + k, "\xef\xbb\xbf", 3) == 0)
            return SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, f,
                                       "column name '%.*s' holds a byte-order mark (U+FEFF)",
                                       servgap__quote_len(s, len), s);
    return SERVGAP_OK;
}

/* Header field i, which seen (the names of fields 0..i-1, as ids 0..i-1)
 * must not repeat: a table's column, or an unknown one. */
static int header_column(servgap__importer *im, const servgap__csv_field *f, size_t i,
                         servgap__names *seen)
{
    const char *s;
    size_t len;
    header_name(f, &s, &len);
    int rc = header_name_check(im, f, i, s, len);
    if (rc != SERVGAP_OK)
        return rc;
    int32_t first = servgap__names_find(seen, s, len);
    if (first >= 0)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, f,
                                   "column '%.*s' appears twice (header fields %d and %zu)",
                                   servgap__quote_len(s, len), s, (int)first + 1, i + 1);
    if (servgap__names_add(seen, &im->ctx->alloc, s, len, &first) != 0)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ENOMEM, f, "out of memory");
    for (size_t c = 0; c < im->def->n; c++) {
        if (strlen(im->def->col[c]) == len && memcmp(im->def->col[c], s, len) == 0) {
            im->col[c] = (int)i;
            return SERVGAP_OK;
        }
    }
    add_unknown(im, s, len);
    return SERVGAP_OK;
}

static int header_columns(servgap__importer *im)
{
    servgap__names seen;
    servgap__names_init(&seen);
    int rc = SERVGAP_OK;
    for (size_t i = 0; i < im->nfields && rc == SERVGAP_OK; i++)
        rc = header_column(im, &im->csv.field[i], i, &seen);
    servgap__names_free(&seen, &im->ctx->alloc);
    return rc;
}

/* 1 when the header's fields are all empty: not a header at all. */
static int header_blank(const servgap__importer *im)
{
    for (size_t i = 0; i < im->nfields; i++) {
        const char *s;
        size_t len;
        header_name(&im->csv.field[i], &s, &len);
        if (len > 0)
            return 0;
    }
    return 1;
}

/* a and b[0..len) are equal but for the case of ASCII letters. */
static int same_but_case(const char *a, const char *b, size_t len)
{
    for (size_t k = 0; k < len; k++) {
        unsigned char x = (unsigned char)a[k], y = (unsigned char)b[k];
        if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != (y >= 'A' && y <= 'Z' ? y + 32 : y))
            return 0;
    }
    return 1;
}

/* Required column c is missing; a header field that names it in another
 * case is the likely cause, as names are case-sensitive. */
static int missing_column(servgap__importer *im, size_t c)
{
    const char *want = im->def->col[c];
    for (size_t i = 0; i < im->nfields; i++) {
        const char *s;
        size_t len;
        header_name(&im->csv.field[i], &s, &len);
        if (len == strlen(want) && same_but_case(s, want, len))
            return SERVGAP__FAIL_FIELD(
                im, SERVGAP_EFORMAT, &im->csv.field[i],
                "missing column '%s' (header field %zu is '%.*s': names are case-sensitive)", want,
                i + 1, (int)len, s);
    }
    return servgap__import_fail(im, SERVGAP_EFORMAT, im->csv.field[0].line, 1,
                                "missing column '%s'", want);
}

static int read_header(servgap__importer *im)
{
    if (im->csv.bom == 2)
        return servgap__import_fail(im, SERVGAP_EFORMAT, 1, 1,
                                    "a byte-order mark (U+FEFF) appears twice at the start of "
                                    "the file");
    int rc = servgap__csv_next(&im->csv);
    if (rc == 0)
        return servgap__import_fail(im, SERVGAP_EFORMAT, 1, 1, "no header row");
    if (rc == SERVGAP_ENOMEM)
        return servgap__import_fail(im, rc, 1, 1, "out of memory");
    if (rc == SERVGAP_EFORMAT)
        return servgap__import_fail(im, rc, im->csv.err_line, im->csv.err_col, "%s", im->csv.err);
    for (size_t c = 0; c < SERVGAP__IMPORT_MAX_COLS; c++)
        im->col[c] = -1;
    im->nfields = im->csv.nfield;
    if (header_blank(im))
        return SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, &im->csv.field[0],
                                   "the header has only empty fields: the first record must "
                                   "name the columns");
    if ((rc = header_columns(im)) != SERVGAP_OK)
        return rc;
    for (size_t c = 0; c < im->def->n; c++)
        if ((im->def->required >> c & 1u) && im->col[c] < 0)
            return missing_column(im, c);
    return SERVGAP_OK;
}

static int load_row(servgap__importer *im)
{
    const servgap__csv_record *r = &im->rec;
    if (r->nfield < im->nfields)
        return servgap__import_fail(im, SERVGAP_EFORMAT, r->end_line, r->end_col,
                                    "the row has %zu fields, the header %zu", r->nfield,
                                    im->nfields);
    if (r->nfield > im->nfields)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, &r->field[im->nfields],
                                   "the row has %zu fields, the header %zu", r->nfield,
                                   im->nfields);
    return im->def->load_row(im);
}

void servgap__import_note_skip(servgap__importer *im, uint64_t rows)
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
static int row_failed(servgap__importer *im, int rc, const servgap__mark *before)
{
    if (!im->skip || rc == SERVGAP_ENOMEM)
        return rc;
    servgap__mark_rollback(im->ctx, before);
    servgap__import_note_skip(im, 1);
    /* A respondent's rows are one response: they go together. */
    return im->table == SERVGAP_CSV_OBSERVATIONS ? servgap__responses_skip_row(im) : SERVGAP_OK;
}

int servgap__import_record(servgap__importer *im, int rc)
{
    servgap__mark before;
    servgap__mark_take(im->ctx, &before);
    /* Asked every few thousand rows: a cheap load, a prompt stop. */
    if ((++im->rep.rows & 4095) == 0 && servgap__interrupted_since(im->ctx, im->interrupt_mark))
        return servgap__import_fail(im, SERVGAP_EINTERRUPTED, im->rec.next_line, 1, "%s",
                                    servgap__interrupted_text);
    if (rc == SERVGAP_EFORMAT) {
        servgap__import_fail(im, rc, im->rec.err_line, im->rec.err_col, "%s", im->rec.err);
        if (im->rec.fatal)
            return rc;
    } else {
        rc = load_row(im);
    }
    return rc == SERVGAP_OK ? SERVGAP_OK : row_failed(im, rc, &before);
}

int servgap__import_serial(servgap__importer *im, const unsigned char *stop)
{
    while (im->csv.p < stop) {
        int rc = servgap__csv_next(&im->csv);
        if (rc == 0)
            return SERVGAP_OK;
        if (rc == SERVGAP_ENOMEM)
            return servgap__import_fail(im, rc, im->csv.line, 1, "out of memory");
        servgap__csv_record_of(&im->csv, &im->rec);
        if ((rc = servgap__import_record(im, rc)) != SERVGAP_OK)
            return rc;
    }
    return SERVGAP_OK;
}

static int import_locked(servgap__importer *im)
{
    servgap__mark start;
    servgap__mark_take(im->ctx, &start);
    im->known_accounts = start.accounts;
    int rc = read_header(im);
    if (rc == SERVGAP_OK)
        rc = servgap__import_rows(im);
    if (rc == SERVGAP_OK && im->table == SERVGAP_CSV_OBSERVATIONS)
        rc = servgap__responses_store(im);
    if (rc != SERVGAP_OK) {
        undo_all(im);
        servgap__mark_rollback(im->ctx, &start);
        return rc;
    }
    im->rep.observations = im->ctx->store.count - start.rows;
    return SERVGAP_OK;
}

static void importer_free(servgap__importer *im)
{
    const servgap__alloc *a = &im->ctx->alloc;
    servgap__csv_free(&im->csv);
    servgap__free(a, im->undo);
    servgap__responses_free(im);
    for (int m = 0; m < SERVGAP__MEMO_COUNT; m++)
        servgap__memo_free(&im->memo[m], a);
}

static int import_run(servgap_ctx *ctx, int32_t table, const char *file, const void *data,
                      size_t len, uint32_t flags, servgap_import_report *report)
{
    servgap__importer im;
    memset(&im, 0, sizeof im);
    im.ctx = ctx;
    im.file = file;
    im.table = table;
    im.def = tables[table - 1];
    im.skip = (flags & SERVGAP_IMPORT_SKIP_BAD_ROWS) != 0;
    im.rep.size = sizeof im.rep;
    servgap__options opt;
    servgap__options_get(ctx, &opt);
    im.interrupt_mark = opt.interrupts_at_start;
    im.threads = servgap__threads_of(opt.threads);
    servgap__csv_init(&im.csv, &ctx->alloc, data, len);
    servgap__responses_init(&im);
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
    if (table < SERVGAP_CSV_OBSERVATIONS || table > SERVGAP_CSV_PLANS)
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
