/*
 * json -- the JSON report of a result (docs/formats.md, "The JSON report") and the text
 * primitives it is written with. Into a caller's buffer the report is
 * written twice through a sink: once to count its bytes, once into the
 * buffer when they fit, so that it needs no memory of its own and a
 * too-small buffer is never touched. Streamed, it is written once, through
 * a small buffer handed to the caller's write function whenever it is
 * full. Numbers and dates come from numtext.
 */
#include "../base/platform.h"

#include "json.h"

#include <math.h>

#include "../model/ctx.h"
#include "../measure/result.h"

/* ---------------------------------------------------------------------- */
/* The sink                                                                */
/* ---------------------------------------------------------------------- */

static void sink_flush(servgap__sink *s, const char *p, size_t n)
{
    if (n == 0)
        return;
    if (s->flush(s->user, p, n) != 0) {
        s->failed = 1;
        s->buf = NULL;
        return;
    }
    s->sent += n;
}

void servgap__sink_spill(servgap__sink *s, const char *p, size_t n)
{
    if (!s->flush) {
        s->buf = NULL; /* a gap in the middle would be worse than a prefix */
        return;
    }
    /* len does not count p yet: the buffer starts again with it, or
     * after it when p goes straight to flush. */
    sink_flush(s, s->buf, s->len - s->base);
    s->base = s->len;
    if (s->failed)
        return;
    if (n <= s->cap) {
        memcpy(s->buf, p, n);
    } else {
        sink_flush(s, p, n);
        s->base += n;
    }
}

void servgap__sink_finish(servgap__sink *s)
{
    if (s->buf)
        sink_flush(s, s->buf, s->len - s->base);
    s->base = s->len;
}

/* ---------------------------------------------------------------------- */
/* Strings                                                                 */
/* ---------------------------------------------------------------------- */

/* The characters of s, escaped, without quotes. */
static void escape_body(servgap__sink *sink, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const char *run = s, *p = s;
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        servgap__sink_put(sink, run, (size_t)(p - run));
        run = p + 1;
        char e[6] = {'\\', (char)c, 0, 0, 0, 0};
        size_t n = 2;
        switch (c) {
        case '"':
        case '\\':
            break;
        case '\b':
            e[1] = 'b';
            break;
        case '\f':
            e[1] = 'f';
            break;
        case '\n':
            e[1] = 'n';
            break;
        case '\r':
            e[1] = 'r';
            break;
        case '\t':
            e[1] = 't';
            break;
        default:
            memcpy(e + 1, "u00", 3);
            e[4] = hex[c >> 4];
            e[5] = hex[c & 0xf];
            n = 6;
        }
        servgap__sink_put(sink, e, n);
    }
    servgap__sink_put(sink, run, (size_t)(p - run));
}

void servgap__json_string(servgap__sink *sink, const char *s)
{
    if (!s) {
        servgap__sink_put(sink, "null", 4);
        return;
    }
    servgap__sink_put(sink, "\"", 1);
    escape_body(sink, s);
    servgap__sink_put(sink, "\"", 1);
}

/* ---------------------------------------------------------------------- */
/* The report                                                              */
/* ---------------------------------------------------------------------- */

/* One pass over a result. The first name ctx does not know is remembered,
 * its place written as null, so that the pass still runs to the end. */
typedef struct report {
    servgap__sink s;
    const servgap_ctx *ctx;
    const servgap_result *r;
    const char *table; /* where the pass is, for the error message */
    size_t row;
    const char *bad_kind, *bad_table;
    size_t bad_row;
    int32_t bad_id;
} report;

/* Only for string literals (the "" makes anything else a compile error). */
#define LIT(w, text) servgap__sink_put(&(w)->s, "" text, sizeof("" text) - 1)

static void put(report *w, const char *s)
{
    servgap__sink_put(&w->s, s, strlen(s));
}

static void num(report *w, double x)
{
    char b[SERVGAP__NUM_MAX];
    servgap__sink_put(&w->s, b, servgap__json_double(x, b));
}

static void i64(report *w, int64_t v)
{
    char b[SERVGAP__NUM_MAX];
    servgap__sink_put(&w->s, b, servgap__json_int(v, b));
}

static void date(report *w, int64_t t)
{
    char b[SERVGAP__NUM_MAX];
    servgap__sink_put(&w->s, "\"", 1);
    servgap__sink_put(&w->s, b, servgap__json_date(t, b));
    servgap__sink_put(&w->s, "\"", 1);
}

static void str(report *w, const char *s)
{
    servgap__json_string(&w->s, s);
}

static void boolean(report *w, int b)
{
    if (b)
        LIT(w, "true");
    else
        LIT(w, "false");
}

static void pair(report *w, double lo, double hi)
{
    LIT(w, "[");
    num(w, lo);
    LIT(w, ",");
    num(w, hi);
    LIT(w, "]");
}

/* "name": for a name known to need no escaping (an enumeration name). */
static void key(report *w, const char *name)
{
    servgap__sink_put(&w->s, "\"", 1);
    servgap__sink_put(&w->s, name, strlen(name));
    servgap__sink_put(&w->s, "\":", 2);
}

static void remember(report *w, const char *kind, int32_t id)
{
    if (!w->bad_kind) {
        w->bad_kind = kind;
        w->bad_table = w->table;
        w->bad_row = w->row;
        w->bad_id = id;
    }
}

/* The name of id in t, or NULL after remembering the failure. */
static const char *lookup(report *w, const servgap__names *t, int32_t id, const char *kind)
{
    if (id >= 0 && (size_t)id < t->count)
        return t->str[id];
    remember(w, kind, id);
    return NULL;
}

static void scope(report *w, int32_t kind, int32_t id)
{
    const char *name = NULL;
    if (kind == SERVGAP_SCOPE_TIER)
        name = lookup(w, &w->ctx->tiers, id, "tier");
    else if (kind == SERVGAP_SCOPE_ACCOUNT)
        name = lookup(w, &w->ctx->accounts.names, id, "account");
    else
        remember(w, "scope kind", kind);
    if (!name) {
        LIT(w, "null");
        return;
    }
    if (kind == SERVGAP_SCOPE_TIER)
        LIT(w, "\"tier:");
    else
        LIT(w, "\"account:");
    escape_body(&w->s, name);
    LIT(w, "\"");
}

/* A touchpoint or metric id, "*" for a roll-up; a touchpoint recorded for
 * any touchpoint (never in a cell) is null. */
static void entity(report *w, const servgap__names *t, int32_t id, const char *kind)
{
    if (id == SERVGAP_ALL)
        LIT(w, "\"*\"");
    else if (id == SERVGAP_ANY && t == &w->ctx->touchpoints)
        LIT(w, "null");
    else
        str(w, lookup(w, t, id, kind));
}

static void touchpoint(report *w, int32_t id)
{
    entity(w, &w->ctx->touchpoints, id, "touchpoint");
}

static void metric(report *w, int32_t id)
{
    entity(w, &w->ctx->metrics.names, id, "metric");
}

static void account(report *w, int32_t id)
{
    str(w, lookup(w, &w->ctx->accounts.names, id, "account"));
}

/* "scope":...,"touchpoint":... (the start of every row that has them). */
static void where(report *w, int32_t kind, int32_t id, int32_t tp)
{
    LIT(w, "\"scope\":");
    scope(w, kind, id);
    LIT(w, ",\"touchpoint\":");
    touchpoint(w, tp);
}

/* A joined span by name; spans the library has no name for are listed
 * link by link, upstream first. */
static void span_name(report *w, uint32_t span)
{
    static const char *const links[5] = {"knowledge", "standards", "delivery", "perception",
                                         "communication"};
    const char *name = servgap_span_name(span);
    if (name || span == 0) {
        str(w, name);
        return;
    }
    LIT(w, "\"");
    int first = 1;
    for (int i = 0; i < 5; i++) {
        if (!(span >> i & 1u))
            continue;
        if (!first)
            LIT(w, "+");
        servgap__sink_put(&w->s, links[i], strlen(links[i]));
        first = 0;
    }
    LIT(w, "\"");
}

/* ---- cells ---- */

static void vp_ints(report *w, const int64_t *v)
{
    for (int i = 0; i < SERVGAP_VP_COUNT; i++) {
        put(w, i ? "," : "{");
        key(w, servgap_viewpoint_name(i));
        i64(w, v[i]);
    }
    LIT(w, "}");
}

static void vp_nums(report *w, const double *v)
{
    for (int i = 0; i < SERVGAP_VP_COUNT; i++) {
        put(w, i ? "," : "{");
        key(w, servgap_viewpoint_name(i));
        num(w, v[i]);
    }
    LIT(w, "}");
}

static void vp_sources(report *w, const uint32_t *v)
{
    static const char *const names[3] = {"\"own\"", "\"tier\"", "\"any_touchpoint\""};
    for (int i = 0; i < SERVGAP_VP_COUNT; i++) {
        put(w, i ? "," : "{");
        key(w, servgap_viewpoint_name(i));
        LIT(w, "[");
        int first = 1;
        for (int b = 0; b < 3; b++) {
            if (!(v[i] >> b & 1u))
                continue;
            if (!first)
                LIT(w, ",");
            servgap__sink_put(&w->s, names[b], strlen(names[b]));
            first = 0;
        }
        LIT(w, "]");
    }
    LIT(w, "}");
}

static void gap(report *w, const servgap_gap *g)
{
    LIT(w, "{\"value\":");
    num(w, g->value);
    LIT(w, ",\"normalized\":");
    num(w, g->normalized);
    LIT(w, ",\"ci\":");
    pair(w, g->lo, g->hi);
    LIT(w, ",\"df\":");
    num(w, g->df);
    LIT(w, ",\"n_up\":");
    i64(w, g->n_up);
    LIT(w, ",\"n_down\":");
    i64(w, g->n_down);
    LIT(w, ",\"status\":");
    str(w, servgap_status_name(g->status));
    if (g->status == SERVGAP_STATUS_UNRESOLVED) {
        LIT(w, ",\"span\":");
        span_name(w, g->span);
    }
    LIT(w, ",\"paired\":");
    boolean(w, g->flags & SERVGAP_GAPFLAG_PAIRED);
    LIT(w, ",\"significant\":");
    boolean(w, g->flags & SERVGAP_GAPFLAG_SIGNIFICANT);
    LIT(w, ",\"sufficient\":");
    boolean(w, g->flags & SERVGAP_GAPFLAG_SUFFICIENT);
    LIT(w, ",\"no_standard\":");
    boolean(w, g->flags & SERVGAP_GAPFLAG_NO_STANDARD);
    LIT(w, "}");
}

static void cell_head(report *w, const servgap_cell *c)
{
    LIT(w, "{");
    where(w, c->scope_kind, c->scope_id, c->touchpoint);
    LIT(w, ",\"metric\":");
    metric(w, c->metric);
    LIT(w, ",\"dimension\":");
    str(w, servgap_dimension_name(c->dimension));
    LIT(w, ",\"scale\":");
    num(w, c->span);
}

static void cell(report *w, const servgap__cellrow *row)
{
    servgap_cell cell;
    servgap__cell_unpack(&row->c, w->r->vn, &cell);
    const servgap_cell *c = &cell;
    cell_head(w, c);
    LIT(w, ",\"n\":");
    vp_ints(w, c->n);
    LIT(w, ",\"means\":");
    vp_nums(w, c->mean);
    LIT(w, ",\"sd\":");
    vp_nums(w, c->sd);
    LIT(w, ",\"negative\":");
    vp_ints(w, c->negative);
    LIT(w, ",\"source\":");
    vp_sources(w, c->source);
    LIT(w, ",\"pairs\":");
    i64(w, c->pairs);
    LIT(w, ",\"pe_correlation\":");
    num(w, c->pe_correlation);
    servgap__gaprec x[SERVGAP_GAP_COUNT];
    servgap__cellrow_all_gaps(w->r, row, x);
    for (int i = 0; i < SERVGAP_GAP_COUNT; i++) {
        put(w, i ? "," : ",\"gaps\":{");
        key(w, servgap_gap_name(i));
        servgap_gap g;
        servgap__gap_unpack(&x[i], i, c->span, &g);
        gap(w, &g);
    }
    LIT(w, "},\"classification\":");
    str(w, servgap_class_name(c->classification));
    if (c->classification == SERVGAP_CLASS_SPAN) {
        LIT(w, ",\"class_span\":");
        span_name(w, c->class_span);
    }
    LIT(w, ",\"class_normalized\":");
    num(w, c->class_normalized);
    LIT(w, "}");
}

/* ---- SERVQUAL and breakdowns ---- */

static const char *weight_source_name(int32_t s)
{
    return s == SERVGAP_WEIGHTS_RESPONDENTS  ? "respondents"
           : s == SERVGAP_WEIGHTS_ALLOCATION ? "allocation"
           : s == SERVGAP_WEIGHTS_NONE       ? "none"
                                             : NULL;
}

static void servqual(report *w, const servgap_servqual *q)
{
    LIT(w, "{");
    where(w, q->scope_kind, q->scope_id, q->touchpoint);
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++) {
        put(w, d ? "," : ",\"dimensions\":{");
        key(w, servgap_dimension_name(d));
        LIT(w, "{\"gap\":");
        num(w, q->dimension_gap[d]);
        LIT(w, ",\"weight\":");
        num(w, q->weight[d]);
        LIT(w, ",\"believed_weight\":");
        num(w, q->believed_weight[d]);
        LIT(w, "}");
    }
    LIT(w, "},\"unweighted\":");
    num(w, q->unweighted);
    LIT(w, ",\"item_mean\":");
    num(w, q->item_mean);
    LIT(w, ",\"weighted\":");
    num(w, q->weighted);
    LIT(w, ",\"weighted_ci\":");
    pair(w, q->weighted_lo, q->weighted_hi);
    LIT(w, ",\"weight_source\":");
    str(w, weight_source_name(q->weight_source));
    LIT(w, ",\"respondents\":");
    i64(w, q->respondents);
    LIT(w, ",\"servperf\":");
    num(w, q->servperf);
    LIT(w, ",\"importance_gap\":");
    num(w, q->importance_gap);
    LIT(w, ",\"most_underweighted\":");
    str(w, servgap_dimension_name(q->most_underweighted));
    LIT(w, "}");
}

/* The cell a row points into: its scope, touchpoint, metric, dimension. */
static void cell_ref(report *w, uint64_t i)
{
    LIT(w, "\"cell\":");
    if (i >= w->r->ncells) {
        LIT(w, "null,\"scope\":null,\"touchpoint\":null,\"metric\":null,\"dimension\":null");
        return;
    }
    const servgap__cellrec *c = &w->r->cells[i].c;
    i64(w, (int64_t)i);
    LIT(w, ",");
    where(w, c->scope_kind, c->scope_id, c->touchpoint);
    LIT(w, ",\"metric\":");
    metric(w, c->metric);
    LIT(w, ",\"dimension\":");
    str(w, servgap_dimension_name(c->dimension));
}

static void breakdown(report *w, const servgap_breakdown *b)
{
    LIT(w, "{");
    cell_ref(w, b->cell);
    if (b->facet == SERVGAP_FACET_TEAM) {
        LIT(w, ",\"facet\":\"team\",\"name\":");
        str(w, lookup(w, &w->ctx->teams, b->facet_id, "team"));
    } else {
        LIT(w, ",\"facet\":\"driver\",\"name\":");
        str(w, servgap_driver_name(b->facet_id));
    }
    LIT(w, ",\"viewpoint\":");
    str(w, servgap_viewpoint_name(b->viewpoint));
    LIT(w, ",\"gap\":");
    str(w, servgap_gap_name(b->gap));
    LIT(w, ",\"n\":");
    i64(w, b->n);
    LIT(w, ",\"mean\":");
    num(w, b->mean);
    LIT(w, ",\"value\":");
    num(w, b->value);
    LIT(w, ",\"normalized\":");
    num(w, b->normalized);
    LIT(w, ",\"ci\":");
    pair(w, b->lo, b->hi);
    LIT(w, ",\"df\":");
    num(w, b->df);
    LIT(w, ",\"status\":");
    str(w, servgap_status_name(b->status));
    LIT(w, ",\"significant\":");
    boolean(w, b->flags & SERVGAP_GAPFLAG_SIGNIFICANT);
    LIT(w, ",\"sufficient\":");
    boolean(w, b->flags & SERVGAP_GAPFLAG_SUFFICIENT);
    LIT(w, "}");
}

/* ---- priorities, IPA, triggers, risk ---- */

static void finding_accounts(report *w, size_t i)
{
    const servgap_result *r = w->r;
    uint64_t first = r->fd_first[i];
    int64_t n = r->fd[i].affected_accounts;
    LIT(w, "[");
    for (int64_t k = 0; k < n && first + (uint64_t)k < r->nfd_acc; k++) {
        if (k)
            LIT(w, ",");
        account(w, r->fd_acc[first + (uint64_t)k]);
    }
    LIT(w, "]");
}

static void finding(report *w, size_t i)
{
    const servgap_finding *f = &w->r->fd[i];
    LIT(w, "{\"rank\":");
    i64(w, f->rank);
    LIT(w, ",\"cell\":");
    i64(w, (int64_t)f->cell);
    LIT(w, ",");
    where(w, f->scope_kind, f->scope_id, f->touchpoint);
    LIT(w, ",\"metric\":");
    metric(w, f->metric);
    LIT(w, ",\"dimension\":");
    str(w, servgap_dimension_name(f->dimension));
    LIT(w, ",\"gap\":");
    str(w, servgap_gap_name(f->gap));
    LIT(w, ",\"value\":");
    num(w, f->value);
    LIT(w, ",\"normalized\":");
    num(w, f->normalized);
    LIT(w, ",\"impact\":");
    num(w, f->impact);
    LIT(w, ",\"effort\":");
    num(w, f->effort);
    LIT(w, ",\"priority\":");
    num(w, f->priority);
    LIT(w, ",\"quadrant\":");
    str(w, servgap_quadrant_name(f->quadrant));
    LIT(w, ",\"size_term\":");
    num(w, f->size_term);
    LIT(w, ",\"value_share\":");
    num(w, f->value_share);
    LIT(w, ",\"frequency\":");
    num(w, f->frequency);
    LIT(w, ",\"affected_value\":");
    num(w, f->affected_value);
    LIT(w, ",\"affected_accounts\":");
    finding_accounts(w, i);
    LIT(w, ",\"persistent\":");
    boolean(w, f->flags & SERVGAP_FINDING_PERSISTENT);
    LIT(w, ",\"windows\":");
    i64(w, f->windows);
    LIT(w, "}");
}

static void ipa(report *w, const servgap_ipa *p)
{
    LIT(w, "{");
    where(w, p->scope_kind, p->scope_id, p->touchpoint);
    LIT(w, ",\"dimension\":");
    str(w, servgap_dimension_name(p->dimension));
    LIT(w, ",\"quadrant\":");
    str(w, servgap_ipa_name(p->quadrant));
    LIT(w, ",\"importance\":");
    num(w, p->importance);
    LIT(w, ",\"performance\":");
    num(w, p->performance);
    LIT(w, ",\"crosshair\":{\"importance\":");
    num(w, p->importance_cross);
    LIT(w, ",\"performance\":");
    num(w, p->performance_cross);
    LIT(w, "}}");
}

static void optional_date(report *w, int64_t t)
{
    if (t == SERVGAP_TIME_NONE)
        LIT(w, "null");
    else
        date(w, t);
}

static void trigger(report *w, size_t i)
{
    const servgap_trigger *t = &w->r->tr[i];
    LIT(w, "{\"account\":");
    account(w, t->account);
    LIT(w, ",\"kind\":");
    str(w, servgap_trigger_name(t->kind));
    LIT(w, ",\"date\":");
    optional_date(w, t->date);
    LIT(w, ",\"detail\":");
    str(w, w->r->tr_detail && w->r->tr_detail[i] < w->r->ntext ? w->r->text + w->r->tr_detail[i]
                                                               : NULL);
    LIT(w, ",\"count\":");
    i64(w, t->count);
    LIT(w, ",\"before\":");
    num(w, t->before);
    LIT(w, ",\"after\":");
    num(w, t->after);
    LIT(w, ",\"statistic\":");
    num(w, t->statistic);
    LIT(w, ",\"ci\":");
    pair(w, t->lo, t->hi);
    LIT(w, ",\"n_before\":");
    i64(w, t->n_before);
    LIT(w, ",\"n_after\":");
    i64(w, t->n_after);
    LIT(w, "}");
}

static void risk(report *w, const servgap_risk *k)
{
    LIT(w, "{\"account\":");
    account(w, k->account);
    LIT(w, ",\"risk\":");
    num(w, k->risk);
    LIT(w, ",\"windows\":");
    i64(w, k->windows);
    LIT(w, ",\"with_shortfall\":");
    i64(w, k->with_shortfall);
    LIT(w, ",\"findings\":");
    i64(w, k->findings);
    LIT(w, ",\"worst_normalized\":");
    num(w, k->worst_normalized);
    LIT(w, ",\"value\":");
    num(w, k->value);
    LIT(w, ",\"churned\":");
    boolean(w, k->churned);
    LIT(w, "}");
}

/* ---- metric definitions ---- */

static void metric_def(report *w, int32_t id)
{
    const servgap__metric *m = &w->ctx->metrics.m[id];
    LIT(w, "{\"name\":");
    str(w, w->ctx->metrics.names.str[id]);
    LIT(w, ",\"dimension\":");
    str(w, servgap_dimension_name(m->dimension));
    LIT(w, ",\"direction\":");
    str(w, m->direction == SERVGAP_HIGHER_IS_BETTER  ? "higher_is_better"
           : m->direction == SERVGAP_LOWER_IS_BETTER ? "lower_is_better"
                                                     : NULL);
    LIT(w, ",\"unit\":");
    str(w, m->unit ? m->unit : "");
    LIT(w, ",\"min\":");
    num(w, m->min);
    LIT(w, ",\"max\":");
    num(w, m->max);
    LIT(w, ",\"span\":");
    num(w, m->span);
    LIT(w, "}");
}

/* The metrics the cells name, in id order, so that a reader knows units
 * and directions. Which ones follows from the result alone, not from what
 * ctx learnt since: the same result gives the same bytes. */
static void metric_defs(report *w)
{
    unsigned char used[(UINT16_MAX + 1) / 8]; /* metric ids are below 65535 */
    memset(used, 0, sizeof used);
    w->table = "cells";
    for (size_t i = 0; i < w->r->ncells; i++) {
        int32_t id = w->r->cells[i].c.metric;
        w->row = i;
        if (id == SERVGAP_ALL)
            continue;
        if (id < 0 || (size_t)id >= w->ctx->metrics.names.count || id > UINT16_MAX)
            remember(w, "metric", id);
        else
            used[id >> 3] |= (unsigned char)(1u << (id & 7));
    }
    LIT(w, ",\"metrics\":[");
    int first = 1;
    for (int32_t id = 0; id <= UINT16_MAX; id++) {
        if (!(used[id >> 3] >> (id & 7) & 1u))
            continue;
        if (!first)
            LIT(w, ",");
        metric_def(w, id);
        first = 0;
    }
    LIT(w, "]");
}

/* ---- the whole ---- */

/* ,"name":[ row, row, ... ] with each row written by one. */
static void table(report *w, const char *name, size_t n, void (*one)(report *w, size_t i))
{
    LIT(w, ",");
    key(w, name);
    LIT(w, "[");
    w->table = name;
    for (size_t i = 0; i < n && !w->s.failed; i++) {
        w->row = i;
        if (i)
            LIT(w, ",");
        one(w, i);
    }
    LIT(w, "]");
}

static void cell_i(report *w, size_t i)
{
    cell(w, &w->r->cells[i]);
}

static void servqual_i(report *w, size_t i)
{
    servqual(w, &w->r->sq[i]);
}

static void breakdown_i(report *w, size_t i)
{
    const servgap__bdrec *row = &w->r->bd[i];
    servgap_breakdown b;
    servgap__bd_unpack(row, w->r->cells[row->cell].c.span, &b);
    breakdown(w, &b);
}

static void ipa_i(report *w, size_t i)
{
    ipa(w, &w->r->ipa[i]);
}

static void risk_i(report *w, size_t i)
{
    risk(w, &w->r->risk[i]);
}

static void head(report *w)
{
    const servgap_result *r = w->r;
    LIT(w, "{\"version\":{\"library\":");
    str(w, servgap_version_string());
    LIT(w, ",\"schema\":1},\"window\":{\"from\":");
    optional_date(w, r->from == SERVGAP_TIME_MIN ? SERVGAP_TIME_NONE : r->from);
    LIT(w, ",\"to\":");
    optional_date(w, r->to == SERVGAP_TIME_MAX ? SERVGAP_TIME_NONE : r->to);
    LIT(w, "},\"now\":");
    optional_date(w, r->now);
}

static void write_report(report *w)
{
    const servgap_result *r = w->r;
    head(w);
    metric_defs(w);
    table(w, "cells", r->ncells, cell_i);
    table(w, "servqual", r->nsq, servqual_i);
    table(w, "breakdowns", r->nbd, breakdown_i);
    table(w, "priorities", r->fd_first ? r->nfd : 0, finding);
    table(w, "ipa", r->nipa, ipa_i);
    table(w, "triggers", r->ntr, trigger);
    table(w, "risk", r->nrisk, risk_i);
    LIT(w, ",\"auc\":{\"value\":");
    num(w, r->auc);
    LIT(w, ",\"churned\":");
    i64(w, r->churned);
    LIT(w, ",\"retained\":");
    i64(w, r->retained);
    LIT(w, "}}\n");
}

/* The checks both public calls make of their common arguments. (The code
 * is returned as a constant, so that the analyzer sees r and len checked.) */
static int check_args(servgap_ctx *ctx, const char *fn, const servgap_result *r, const size_t *len)
{
    if (r && len)
        return SERVGAP_OK;
    servgap__fail(ctx, SERVGAP_EMISUSE, fn, r ? "len is NULL" : "r is NULL");
    return SERVGAP_EMISUSE;
}

static int unknown_id(servgap_ctx *ctx, const char *fn, const report *w)
{
    return servgap__fail(ctx, SERVGAP_ENOTFOUND, fn, "%s[%zu]: unknown %s id %d", w->bad_table,
                         w->bad_row, w->bad_kind, (int)w->bad_id);
}

SERVGAP_API int servgap_result_json(servgap_ctx *ctx, const servgap_result *r, char *buf,
                                    size_t cap, size_t *len)
{
    static const char *const fn = "servgap_result_json";
    if (!ctx)
        return SERVGAP_EMISUSE;
    int rc = check_args(ctx, fn, r, len);
    if (rc != SERVGAP_OK)
        return rc;
    if (!buf && cap)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "buf is NULL but cap is %zu", cap);
    report w = {.ctx = ctx, .r = r, .table = ""};
    servgap__rdlock(ctx);
    write_report(&w);
    size_t need = w.s.len;
    if (!w.bad_kind && buf && need < cap) {
        /* Names only grow, and the lock holds them still: same bytes. */
        report out = {.s = {.buf = buf, .cap = need}, .ctx = ctx, .r = r, .table = ""};
        write_report(&out);
        buf[need] = '\0';
    }
    servgap__unlock(ctx);
    if (w.bad_kind)
        return unknown_id(ctx, fn, &w);
    *len = need;
    if (buf && need >= cap)
        return servgap__fail(ctx, SERVGAP_EBUFSIZE, fn,
                             "buffer of %zu bytes, the report needs %zu and a NUL", cap, need);
    return SERVGAP_OK;
}

/* Pieces of the streamed report: large enough that a callback's cost is
 * nothing beside formatting them, small enough to stay in the caches. */
#define STREAM_PIECE 65536u

SERVGAP_API int servgap_result_json_stream(servgap_ctx *ctx, const servgap_result *r,
                                           servgap_write_fn write, void *user, size_t *len)
{
    static const char *const fn = "servgap_result_json_stream";
    if (!ctx)
        return SERVGAP_EMISUSE;
    int rc = check_args(ctx, fn, r, len);
    if (rc != SERVGAP_OK)
        return rc;
    if (!write)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "write is NULL");
    char *piece = servgap__malloc(&ctx->alloc, STREAM_PIECE, 1);
    if (!piece)
        return servgap__fail(ctx, SERVGAP_ENOMEM, fn, "out of memory");
    report w = {.s = {.buf = piece, .cap = STREAM_PIECE, .flush = write, .user = user},
                .ctx = ctx,
                .r = r,
                .table = ""};
    servgap__rdlock(ctx);
    write_report(&w);
    servgap__sink_finish(&w.s);
    servgap__unlock(ctx);
    servgap__free(&ctx->alloc, piece);
    *len = w.s.sent;
    if (w.s.failed)
        return servgap__fail(ctx, SERVGAP_EIO, fn, "write returned nonzero after %zu bytes",
                             w.s.sent);
    if (w.bad_kind)
        return unknown_id(ctx, fn, &w);
    return SERVGAP_OK;
}
