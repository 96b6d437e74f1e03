/*
 * import_resp -- the rows of the observations table that name a
 * respondent, gathered into responses. Only at the end of the file is a
 * response complete, so rows are gathered per respondent (its context,
 * importance points and items) and checked and stored then, contiguously,
 * as servgap_record_response stores a response. Relies on the importer of
 * import.h and on the store.
 */
#include "../base/platform.h"

#include <math.h>
#include <string.h>

#include "import.h"

#define NO_ITEM UINT32_MAX

/* A respondent's response being gathered: the context its first row set,
 * its importance points and its items (a chain through the item map). */
struct servgap__respgroup {
    uint32_t scope;
    int32_t tp, team, driver;
    int64_t time;
    uint64_t line, imp_line, imp_col;
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

static int group_new(servgap__importer *im, const servgap__obsrow *o, size_t *gi)
{
    int32_t id;
    void *p = im->groups;
    if (servgap__reserve(&im->ctx->alloc, &p, &im->capgroups, im->resp.count + 1,
                         sizeof *im->groups) != 0 ||
        (im->groups = p,
         servgap__names_add(&im->resp, &im->ctx->alloc, o->resp->s, o->resp->len, &id) != 0))
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ENOMEM, o->resp, "out of memory");
    group *g = &im->groups[id];
    memset(g, 0, sizeof *g);
    g->scope = o->scope;
    g->tp = o->tp;
    g->team = o->team;
    g->driver = o->driver;
    g->time = o->time;
    g->line = servgap__field(im, SERVGAP__OBS_TIME)->line;
    g->head = g->tail = NO_ITEM;
    *gi = (size_t)id;
    return SERVGAP_OK;
}

static int group_add(servgap__importer *im, group *g, size_t gi, const servgap__obsrow *o)
{
    const servgap__csv_field *fv = servgap__field(im, SERVGAP__OBS_VALUE);
    g->rows++;
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
    return rc == SERVGAP_OK ? group_add(im, &im->groups[gi], gi, o) : rc;
}

/* ---------------------------------------------------------------------- */
/* At the end of the file                                                  */
/* ---------------------------------------------------------------------- */

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
            "respondent '%.*s': importance points sum to %g, not 100 +- 0.5", n, name, sum);
    if (g->values == 0)
        return servgap__import_fail(im, SERVGAP_EFORMAT, g->line, 1,
                                    "respondent '%.*s' answers no item, only importance", n, name);
    return SERVGAP_OK;
}

static void group_store(servgap__importer *im, const group *g)
{
    static const int vps[3] = {SERVGAP_VP_EXPECTED, SERVGAP_VP_ADEQUATE, SERVGAP_VP_PERCEIVED};
    servgap__store *s = &im->ctx->store;
    servgap__obsrow o = {g->time, 0, 0, g->driver, g->tp, g->team, 0.0, g->scope, NULL, {0}, 0, -1};
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

int servgap__responses_store(servgap__importer *im)
{
    uint64_t values = 0, points = 0;
    for (size_t i = 0; i < im->resp.count; i++) {
        group *g = &im->groups[i];
        int rc = group_check(im, g, im->resp.str[i]);
        if (rc != SERVGAP_OK && !im->skip)
            return rc;
        if (rc != SERVGAP_OK) {
            servgap__import_note_skip(im, g->rows);
            g->values = 0;
            g->head = NO_ITEM;
            g->mask = 0;
        }
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
