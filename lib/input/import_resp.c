/*
 * import_resp -- the rows of the observations table that name a
 * respondent, gathered into responses. Only at the end of the file is a
 * response complete, so rows are gathered per respondent (its context,
 * importance points and items) and checked and stored then, contiguously,
 * as servgap_record_response stores a response. In skip mode a bad row of
 * a respondent spoils it: the respondent is skipped whole, its rows before
 * and after the bad one, so that no response is left one-sided or
 * gathered around a context the bad row contradicted. Relies on the
 * importer of import.h and on the store.
 */
#include "../base/platform.h"

#include <math.h>
#include <string.h>

#include "import.h"
#include "../base/numtext.h"

#define NO_ITEM UINT32_MAX

/* A respondent's response being gathered: the context its first row set,
 * its importance points and its items (a chain through the item map).
 * bad_line: the line of its first bad row in skip mode (0: none), which
 * spoils it: it is then skipped whole, and rows counts all its others. */
struct servgap__respgroup {
    uint32_t scope;
    int32_t tp, team, driver;
    int64_t time;
    uint64_t line, imp_line, imp_col, bad_line;
    double points[SERVGAP_DIM_COUNT];
    unsigned mask;
    uint32_t head, tail;
    uint64_t rows, values;
};
typedef servgap__respgroup group;

typedef struct item {
    servgap__mapkey key; /* (group, metric) */
    double v[3];         /* expected, adequate, perceived; NaN: not given */
    uint32_t next;
} item;

void servgap__responses_init(servgap__importer *im)
{
    servgap__names_init(&im->resp);
    servgap__map_init(&im->items, &im->ctx->alloc, sizeof(item));
}

void servgap__responses_free(servgap__importer *im)
{
    const servgap__alloc *a = &im->ctx->alloc;
    servgap__free(a, im->groups);
    servgap__names_free(&im->resp, a);
    servgap__map_free(&im->items);
}

static int vp_slot(int vp)
{
    return vp == SERVGAP_VP_EXPECTED ? 0 : vp == SERVGAP_VP_ADEQUATE ? 1 : 2;
}

/* ---------------------------------------------------------------------- */
/* Gathering                                                               */
/* ---------------------------------------------------------------------- */

/* A later row of a respondent must repeat the first row's context. */
static int group_agrees(servgap__importer *im, const group *g, const servgap__obsrow *o)
{
    struct {
        int same, col;
        const char *what;
    } checks[] = {
        {g->time == o->time, SERVGAP__OBS_TIME, "time"},
        {g->scope == o->scope,
         servgap__field(im, SERVGAP__OBS_ACCOUNT)->len ? SERVGAP__OBS_ACCOUNT : SERVGAP__OBS_TIER,
         "account or tier"},
        {g->tp == o->tp, SERVGAP__OBS_TP, "touchpoint"},
        {g->team == o->team, SERVGAP__OBS_TEAM, "team"},
        {g->driver == o->driver, SERVGAP__OBS_DRIVER, "driver"},
    };
    for (size_t i = 0; i < sizeof checks / sizeof *checks; i++)
        if (!checks[i].same)
            return SERVGAP__FAIL_FIELD(
                im, SERVGAP_ECONFLICT, servgap__field(im, checks[i].col),
                "respondent '%.*s': %s differs from its first row (line %llu)",
                SERVGAP__QUOTE(o->resp), checks[i].what, (unsigned long long)g->line);
    return SERVGAP_OK;
}

/* A repeated (metric, viewpoint) of a respondent. */
static int group_repeats(servgap__importer *im, const group *g, size_t gi, const servgap__obsrow *o)
{
    const servgap__csv_field *f = servgap__field(im, SERVGAP__OBS_VP);
    if (o->vp == SERVGAP__VP_IMPORTANCE && (g->mask & (1u << o->metric)))
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ECONFLICT, f,
                                   "respondent '%.*s' gives importance of %s twice",
                                   SERVGAP__QUOTE(o->resp), servgap_dimension_name(o->metric));
    if (o->vp == SERVGAP__VP_IMPORTANCE)
        return SERVGAP_OK;
    const item *it = servgap__map_find(&im->items, gi, (uint64_t)o->metric);
    if (it && !isnan(it->v[vp_slot(o->vp)]))
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ECONFLICT, f,
                                   "respondent '%.*s' answers '%s' %s twice",
                                   SERVGAP__QUOTE(o->resp), im->ctx->metrics.names.str[o->metric],
                                   servgap_viewpoint_name(o->vp));
    return SERVGAP_OK;
}

/* A new respondent named by f, first seen on line; its context unset. */
static int group_open(servgap__importer *im, const servgap__csv_field *f, uint64_t line, size_t *gi)
{
    int32_t id;
    void *p = im->groups;
    if (servgap__reserve(&im->ctx->alloc, &p, &im->capgroups, im->resp.count + 1,
                         sizeof *im->groups) != 0 ||
        (im->groups = p, servgap__names_add(&im->resp, &im->ctx->alloc, f->s, f->len, &id) != 0))
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ENOMEM, f, "out of memory");
    group *g = &im->groups[id];
    memset(g, 0, sizeof *g);
    g->line = line;
    g->head = g->tail = NO_ITEM;
    *gi = (size_t)id;
    return SERVGAP_OK;
}

static int group_new(servgap__importer *im, const servgap__obsrow *o, size_t *gi)
{
    int rc = group_open(im, o->resp, servgap__field(im, SERVGAP__OBS_TIME)->line, gi);
    if (rc != SERVGAP_OK)
        return rc;
    group *g = &im->groups[*gi];
    g->scope = o->scope;
    g->tp = o->tp;
    g->team = o->team;
    g->driver = o->driver;
    g->time = o->time;
    return SERVGAP_OK;
}

static int group_add(servgap__importer *im, group *g, size_t gi, const servgap__obsrow *o)
{
    const servgap__csv_field *fv = servgap__field(im, SERVGAP__OBS_VALUE);
    if (o->vp == SERVGAP__VP_IMPORTANCE) {
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
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ELIMIT, fv,
                                   "more than 2^32 - 2 respondent items in one file");
    item *it = servgap__map_get(&im->items, gi, (uint64_t)o->metric, &created);
    if (!it)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ENOMEM, fv, "out of memory");
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

int servgap__responses_add_row(servgap__importer *im, const servgap__obsrow *o)
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
    if (rc == SERVGAP_OK && (rc = group_add(im, &im->groups[gi], gi, o)) == SERVGAP_OK)
        im->groups[gi].rows++;
    return rc;
}

/* The respondent the current row names, when its fields are those of the
 * header (so its respondent field is where the header says) and that is a
 * name; else NULL. */
static const servgap__csv_field *row_respondent(const servgap__importer *im)
{
    if (im->rec.nfield != im->nfields || im->col[SERVGAP__OBS_RESP] < 0)
        return NULL;
    const servgap__csv_field *f = servgap__field(im, SERVGAP__OBS_RESP);
    return f->len > 0 && servgap__name_valid(f->s, f->len) ? f : NULL;
}

/* Skipping one row of a respondent would leave a response of its other
 * rows: one-sided, or of a context (time, scope, touchpoint, team,
 * driver) that the skipped row might have set. So the respondent goes
 * whole. */
int servgap__responses_skip_row(servgap__importer *im)
{
    const servgap__csv_field *f = row_respondent(im);
    if (!f)
        return SERVGAP_OK;
    int32_t id = servgap__names_find(&im->resp, f->s, f->len);
    uint64_t line = im->rec.field[0].line;
    size_t gi = (size_t)id;
    if (id < 0 && group_open(im, f, line, &gi) != SERVGAP_OK)
        return SERVGAP_ENOMEM;
    group *g = &im->groups[gi];
    if (g->bad_line == 0) {
        g->bad_line = line;
        im->spoiled++;
    }
    return SERVGAP_OK;
}

int servgap__responses_spoiled(servgap__importer *im)
{
    if (im->spoiled == 0)
        return 0;
    const servgap__csv_field *f = row_respondent(im);
    int32_t id = f ? servgap__names_find(&im->resp, f->s, f->len) : -1;
    if (id < 0 || im->groups[id].bad_line == 0)
        return 0;
    im->groups[id].rows++;
    return 1;
}

/* ---------------------------------------------------------------------- */
/* At the end of the file                                                  */
/* ---------------------------------------------------------------------- */

/* The message of a spoiled respondent's other rows, or SERVGAP_ECONFLICT
 * alone when it has none: its bad rows were reported one by one. */
static int group_spoiled(servgap__importer *im, const group *g, const char *name)
{
    if (g->rows == 0)
        return SERVGAP_ECONFLICT;
    return servgap__import_fail(
        im, SERVGAP_ECONFLICT, g->line, 1,
        "respondent '%.*s': its %llu other row%s skipped too, as its row on line %llu was bad",
        servgap__quote_len(name, strlen(name)), name, (unsigned long long)g->rows,
        g->rows == 1 ? " is" : "s are", (unsigned long long)g->bad_line);
}

/* A gathered response that cannot be stored: its message, or OK. */
static int group_check(servgap__importer *im, const group *g, const char *name)
{
    int n = servgap__quote_len(name, strlen(name));
    double sum = 0.0;
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
        sum += g->points[d];
    for (int d = 0; d < SERVGAP_DIM_COUNT && g->mask; d++)
        if (!(g->mask & (1u << d)))
            return servgap__import_fail(im, SERVGAP_EFORMAT, g->imp_line, g->imp_col,
                                        "respondent '%.*s': importance points lack %s (all five "
                                        "dimensions are needed)",
                                        n, name, servgap_dimension_name(d));
    if (g->mask && !servgap__points_valid(g->points))
        return servgap__import_fail(
            im, SERVGAP_ERANGE, g->imp_line, g->imp_col,
            "respondent '%.*s': importance points sum to %s, not 100 +- 0.5", n, name,
            SERVGAP__NUM(sum));
    if (g->values == 0)
        return servgap__import_fail(im, SERVGAP_EFORMAT, g->line, 1,
                                    "respondent '%.*s' answers no item, only importance", n, name);
    return SERVGAP_OK;
}

static void group_store(servgap__importer *im, const group *g)
{
    static const int vps[3] = {SERVGAP_VP_EXPECTED, SERVGAP_VP_ADEQUATE, SERVGAP_VP_PERCEIVED};
    servgap__store *s = &im->ctx->store;
    servgap__obsrow o = {g->time,  0,    0,   g->driver, g->tp, g->team, 0.0,
                         g->scope, NULL, {0}, 0,         -1,    0};
    uint8_t flags = SERVGAP__BIT_RESPONSE | SERVGAP__BIT_START;
    if (g->mask)
        servgap__store_push_points(s, s->count, g->points);
    for (uint32_t k = g->head; k != NO_ITEM;) {
        const item *it = servgap__map_at(&im->items, k);
        for (int j = 0; j < 3; j++) {
            if (isnan(it->v[j]))
                continue;
            servgap__obs obs;
            servgap__obsrow_encode(&o, (int32_t)it->key.k2, vps[j], it->v[j], flags, &obs);
            servgap__store_push(s, &obs);
            flags = SERVGAP__BIT_RESPONSE;
        }
        k = it->next;
    }
}

/* A response that is spoiled or fails its check: in skip mode dropped,
 * its rows counted and reported; else the import's failure. */
static int group_settle(servgap__importer *im, group *g, const char *name)
{
    int rc = g->bad_line ? group_spoiled(im, g, name) : group_check(im, g, name);
    if (rc == SERVGAP_OK || !im->skip)
        return rc;
    if (g->rows > 0)
        servgap__import_note_skip(im, g->rows);
    g->values = 0;
    g->head = NO_ITEM;
    g->mask = 0;
    return SERVGAP_OK;
}

int servgap__responses_store(servgap__importer *im)
{
    uint64_t values = 0, points = 0;
    for (size_t i = 0; i < im->resp.count; i++) {
        group *g = &im->groups[i];
        int rc = group_settle(im, g, im->resp.str[i]);
        if (rc != SERVGAP_OK)
            return rc;
        values += g->values;
        points += g->mask != 0;
    }
    if (servgap__store_reserve(&im->ctx->store, &im->ctx->alloc, values, (size_t)points) != 0)
        return servgap__import_fail(im, SERVGAP_ENOMEM, im->csv.line, 1, "out of memory");
    for (size_t i = 0; i < im->resp.count; i++)
        if (im->groups[i].head != NO_ITEM)
            group_store(im, &im->groups[i]);
    return SERVGAP_OK;
}
