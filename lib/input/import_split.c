/*
 * import_split -- a large CSV file imported on several threads.
 *
 * Reading a record (finding its fields, unquoting and copying them) and
 * parsing an observation's time, value, viewpoint and driver are nearly
 * half of an observation row's cost and need nothing of the handle;
 * checking the row, resolving its names and applying it do, and stay on
 * the calling thread, in file order, so that names get the same ids and a
 * failure stops at the same row as a one-thread import. The rows after
 * the header are cut into parts of about `chunk` bytes, each starting
 * after a line feed. In each round other threads read the next parts
 * ahead (base/csvahead; with two readers or more, they also parse what
 * servgap__observations_ahead can) while the calling thread imports the
 * parts the round before read.
 *
 * A part is only a guess: a line feed inside a quoted field is not the
 * start of a record. Each part is taken only where the parts before it
 * stopped; otherwise the calling thread reads on with its own reader
 * until it reaches the start of a part again. A part that began inside a
 * quoted field stops reading at most `chunk` bytes past its end, so a bad
 * guess costs one part's reading, never a pass over the rest of the file.
 */
#include "../base/platform.h"

#include <string.h>

#include "import.h"
#include "../base/workers.h"

/* Bytes per part. Each round starts and joins threads and waits for its
 * slowest part, so a part must be large against a thread's start (tens
 * of microseconds); but it must also be small, for the calling thread
 * to find its records still in a cache the reader shares: a part holds
 * about 7 times its bytes (fields, records, the values parsed ahead).
 * 1 MiB is between the two (docs/performance.md, "The CSV import on
 * threads"). */
#define PART_BYTES ((size_t)1 << 20)

/* The most parts read in one round. The calling thread applies every
 * row, which costs about what reading it does (shape a of the end-to-end
 * benchmark: 0.14 to 0.17 s against one reader's 0.18 s): with three
 * readers it is the slower side by far, and more would only wait, each
 * holding two parts' memory. */
#define PARTS_MAX 3

typedef struct part {
    servgap__csv_ahead read;
    size_t from, to, limit;
    servgap__obs_ahead *pre; /* observations: read.rec[i]'s values in pre[i] */
    size_t npre, cappre;     /* npre: read.nrec, or 0 when not parsed ahead */
} part;

typedef struct splitter {
    servgap__importer *im;
    const unsigned char *data;
    size_t len, chunk;
    size_t next;      /* where the next part starts */
    part *fill, *use; /* the parts being read; those being imported */
    size_t nparts;    /* parts per round */
    size_t nfill, nuse;
    int rc; /* the calling thread's */
} splitter;

int servgap__import_peek(const servgap__importer *im, size_t ahead, size_t i, const char **s,
                         size_t *len)
{
    if (!im->ahead)
        return servgap__csv_peek(&im->csv, ahead, i, s, len);
    if ((size_t)(im->ahead_end - im->ahead) < ahead)
        return 0;
    const servgap__csv_record *r = im->ahead + ahead - 1;
    if (i >= r->nfield)
        return 0;
    *s = r->field[i].s;
    *len = r->field[i].len;
    return 1;
}

/* The offset just past the first line feed at or after at, or len. */
static size_t line_after(const splitter *s, size_t at)
{
    if (at >= s->len)
        return s->len;
    const unsigned char *nl = memchr(s->data + at, '\n', s->len - at);
    return nl ? (size_t)(nl - s->data) + 1 : s->len;
}

/* Give the next parts of the file to the fill set. */
static void plan_round(splitter *s)
{
    s->nfill = 0;
    while (s->nfill < s->nparts && s->next < s->len) {
        part *p = &s->fill[s->nfill++];
        p->from = s->next;
        p->to = line_after(s, p->from + s->chunk - 1);
        p->limit = p->to + s->chunk < s->len ? p->to + s->chunk : s->len;
        s->next = p->to;
    }
}

/* Import part p's records, if the rows before them end where it starts;
 * else the calling thread's reader reads them. */
static int import_part(servgap__importer *im, part *p)
{
    servgap__csv_ahead *b = &p->read;
    int rc = servgap__import_serial(im, b->from);
    if (rc != SERVGAP_OK || im->csv.p != b->from)
        return rc;
    uint64_t line = im->csv.line;
    for (size_t i = 0; i < b->nrec && rc == SERVGAP_OK; i++) {
        servgap__csv_ahead_prefetch(b, i + 4);
        servgap__csv_ahead_renumber(b, i, line);
        im->rec = b->rec[i];
        im->ahead = b->rec + i + 1;
        im->ahead_end = b->rec + b->nrec;
        im->pre = p->npre > 0 ? &p->pre[i] : NULL;
        rc = servgap__import_record(im, im->rec.err ? SERVGAP_EFORMAT : 1);
    }
    im->ahead = NULL;
    im->pre = NULL;
    if (rc == SERVGAP_OK)
        servgap__csv_seek(&im->csv, b->stop, line + b->stop_line - 1);
    return rc;
}

/* Read part p, and with two readers or more parse ahead what an
 * observation row can. One reader alone is already the slower side (on
 * the end-to-end shapes at 2 threads it took 0.18 s where the calling
 * thread took 0.14 to 0.17 s), and parsing there made the import 4 to
 * 15% slower; two share the reading and leave room for the parsing. */
static void read_part(const splitter *s, part *p)
{
    const servgap__alloc *a = &s->im->ctx->alloc;
    servgap__csv_ahead *b = &p->read;
    servgap__csv_ahead_read(b, a, s->data, s->len, p->from, p->to, p->limit);
    p->npre = 0;
    void *pre = p->pre;
    if (s->nparts < 2 || s->im->table != SERVGAP_CSV_OBSERVATIONS || b->nrec == 0 ||
        servgap__reserve(a, &pre, &p->cappre, b->nrec, sizeof *p->pre) != 0)
        return;
    p->pre = pre;
    servgap__observations_ahead(s->im, b, p->pre);
    p->npre = b->nrec;
}

/* Task 0 imports the parts read the round before; task k reads part k-1. */
static int round_task(void *arg, size_t k)
{
    splitter *s = arg;
    if (k > 0) {
        read_part(s, &s->fill[k - 1]);
        return 0;
    }
    for (size_t i = 0; i < s->nuse && s->rc == SERVGAP_OK; i++)
        s->rc = import_part(s->im, &s->use[i]);
    return s->rc == SERVGAP_OK ? 0 : -1;
}

static int split_rounds(splitter *s)
{
    do {
        plan_round(s);
        servgap__workers_run(1 + s->nfill, round_task, s);
        if (s->rc != SERVGAP_OK)
            return s->rc;
        part *t = s->use;
        s->use = s->fill;
        s->fill = t;
        s->nuse = s->nfill;
    } while (s->nuse > 0);
    return servgap__import_serial(s->im, s->data + s->len);
}

int servgap__import_rows(servgap__importer *im)
{
    const servgap__alloc *a = &im->ctx->alloc;
    splitter s = {.im = im,
                  .chunk = im->ctx->csv_part_bytes ? im->ctx->csv_part_bytes : PART_BYTES};
    s.data = im->csv.p;
    s.len = (size_t)(im->csv.end - im->csv.p);
    s.nparts = im->threads - 1 < PARTS_MAX ? im->threads - 1 : PARTS_MAX;
    if (s.nparts == 0 || s.len <= s.chunk)
        return servgap__import_serial(im, im->csv.end);
    part *parts = servgap__malloc(a, 2 * s.nparts, sizeof *parts);
    if (!parts) /* reading ahead is only faster: read it all here */
        return servgap__import_serial(im, im->csv.end);
    memset(parts, 0, 2 * s.nparts * sizeof *parts);
    s.fill = parts;
    s.use = parts + s.nparts;
    int rc = split_rounds(&s);
    for (size_t i = 0; i < 2 * s.nparts; i++) {
        servgap__csv_ahead_free(&parts[i].read, a);
        servgap__free(a, parts[i].pre);
    }
    servgap__free(a, parts);
    return rc;
}
