/*
 * json -- the JSON report of a result (docs/formats.md, "The JSON report"):
 * its rows (cells, SERVQUAL, breakdowns, priorities, IPA, triggers, risk,
 * metric definitions; the plans' rows are jsonplans.c), its tables, and
 * the public calls. Into a caller's
 * buffer the report is written twice through a sink: once to count its
 * bytes, once into the buffer when they fit, so that it needs no memory of
 * its own and a too-small buffer is never touched. Streamed, it is written
 * once, through a small buffer handed to the caller's write function
 * whenever it is full. Relies on jsonvalue for the values and sink for the
 * bytes.
 */
#include "../base/platform.h"

#include "jsonplans.h"
#include "jsonvalue.h"

/* ---- cells ---- */

static void write_vp_ints(servgap__report *w, const int64_t *v)
{
    for (int i = 0; i < SERVGAP_VP_COUNT; i++) {
        servgap__write_text(w, i ? "," : "{");
        servgap__write_key(w, servgap_viewpoint_name(i));
        servgap__write_int(w, v[i]);
    }
    SERVGAP__LIT(w, "}");
}

static void write_vp_nums(servgap__report *w, const double *v)
{
    for (int i = 0; i < SERVGAP_VP_COUNT; i++) {
        servgap__write_text(w, i ? "," : "{");
        servgap__write_key(w, servgap_viewpoint_name(i));
        servgap__write_num(w, v[i]);
    }
    SERVGAP__LIT(w, "}");
}

static void write_vp_sources(servgap__report *w, const uint32_t *v)
{
    static const char *const names[3] = {"\"own\"", "\"tier\"", "\"any_touchpoint\""};
    for (int i = 0; i < SERVGAP_VP_COUNT; i++) {
        servgap__write_text(w, i ? "," : "{");
        servgap__write_key(w, servgap_viewpoint_name(i));
        SERVGAP__LIT(w, "[");
        int first = 1;
        for (int b = 0; b < 3; b++) {
            if (!(v[i] >> b & 1u))
                continue;
            if (!first)
                SERVGAP__LIT(w, ",");
            servgap__sink_put(&w->s, names[b], strlen(names[b]));
            first = 0;
        }
        SERVGAP__LIT(w, "]");
    }
    SERVGAP__LIT(w, "}");
}

/* An unbounded end (SERVGAP_TIME_MIN / _MAX) is null, like the window's. */
static void write_bound(servgap__report *w, int64_t t)
{
    servgap__write_date_or_null(
        w, t == SERVGAP_TIME_MIN || t == SERVGAP_TIME_MAX ? SERVGAP_TIME_NONE : t);
}

/* What each viewpoint with data read: its days, and for a declaration the
 * one in force at the window's end and whether it changed inside it. */
static void write_vp_reads(servgap__report *w, const servgap_cell *c)
{
    int first = 1;
    SERVGAP__LIT(w, "{");
    for (int v = 0; v < SERVGAP_VP_COUNT; v++) {
        if (c->read_to[v] == SERVGAP_TIME_NONE)
            continue;
        servgap__write_text(w, first ? "" : ",");
        first = 0;
        servgap__write_key(w, servgap_viewpoint_name(v));
        SERVGAP__LIT(w, "{\"from\":");
        write_bound(w, c->read_from[v]);
        SERVGAP__LIT(w, ",\"to\":");
        write_bound(w, c->read_to[v]);
        if (c->declared[v] != SERVGAP_TIME_NONE) {
            SERVGAP__LIT(w, ",\"declared\":");
            servgap__write_date_or_null(w, c->declared[v]);
            servgap__write_text(w, c->source[v] & SERVGAP_SOURCE_CHANGED ? ",\"changed\":true"
                                                                         : ",\"changed\":false");
        }
        SERVGAP__LIT(w, "}");
    }
    SERVGAP__LIT(w, "}");
}

static void write_gap(servgap__report *w, const servgap_gap *g)
{
    SERVGAP__LIT(w, "{\"value\":");
    servgap__write_num(w, g->value);
    SERVGAP__LIT(w, ",\"normalized\":");
    servgap__write_num(w, g->normalized);
    SERVGAP__LIT(w, ",\"ci\":");
    servgap__write_pair(w, g->lo, g->hi);
    SERVGAP__LIT(w, ",\"df\":");
    servgap__write_num(w, g->df);
    SERVGAP__LIT(w, ",\"n_up\":");
    servgap__write_int(w, g->n_up);
    SERVGAP__LIT(w, ",\"n_down\":");
    servgap__write_int(w, g->n_down);
    SERVGAP__LIT(w, ",\"status\":");
    servgap__write_str(w, servgap_status_name(g->status));
    if (g->status == SERVGAP_STATUS_UNRESOLVED) {
        SERVGAP__LIT(w, ",\"span\":");
        servgap__write_span(w, g->span);
    }
    SERVGAP__LIT(w, ",\"paired\":");
    servgap__write_bool(w, g->flags & SERVGAP_GAPFLAG_PAIRED);
    SERVGAP__LIT(w, ",\"significant\":");
    servgap__write_bool(w, g->flags & SERVGAP_GAPFLAG_SIGNIFICANT);
    SERVGAP__LIT(w, ",\"sufficient\":");
    servgap__write_bool(w, g->flags & SERVGAP_GAPFLAG_SUFFICIENT);
    SERVGAP__LIT(w, ",\"no_standard\":");
    servgap__write_bool(w, g->flags & SERVGAP_GAPFLAG_NO_STANDARD);
    SERVGAP__LIT(w, ",\"declaration_changed\":");
    servgap__write_bool(w, g->flags & SERVGAP_GAPFLAG_CHANGED);
    SERVGAP__LIT(w, "}");
}

/* At the summary level a cell says its index, which the rows of other
 * tables point at it by ("cell"), as the cells written are a subset. */
static void write_cell_head(servgap__report *w, size_t i, const servgap_cell *c)
{
    SERVGAP__LIT(w, "{");
    if (w->r->level == SERVGAP_LEVEL_SUMMARY) {
        SERVGAP__LIT(w, "\"id\":");
        servgap__write_int(w, (int64_t)i);
        SERVGAP__LIT(w, ",");
    }
    servgap__write_where(w, c->scope_kind, c->scope_id, c->touchpoint);
    SERVGAP__LIT(w, ",\"metric\":");
    servgap__write_metric(w, c->metric);
    SERVGAP__LIT(w, ",\"dimension\":");
    servgap__write_str(w, servgap_dimension_name(c->dimension));
    SERVGAP__LIT(w, ",\"scale\":");
    servgap__write_num(w, c->span);
}

static void write_cell(servgap__report *w, size_t i)
{
    const servgap__cellrow *row = &w->r->cells[i];
    servgap_cell cell;
    servgap__result_cell_unpack(w->r, i, &cell);
    const servgap_cell *c = &cell;
    write_cell_head(w, i, c);
    SERVGAP__LIT(w, ",\"n\":");
    write_vp_ints(w, c->n);
    SERVGAP__LIT(w, ",\"means\":");
    write_vp_nums(w, c->mean);
    SERVGAP__LIT(w, ",\"sd\":");
    write_vp_nums(w, c->sd);
    SERVGAP__LIT(w, ",\"negative\":");
    write_vp_ints(w, c->negative);
    SERVGAP__LIT(w, ",\"source\":");
    write_vp_sources(w, c->source);
    SERVGAP__LIT(w, ",\"read\":");
    write_vp_reads(w, c);
    SERVGAP__LIT(w, ",\"pairs\":");
    servgap__write_int(w, c->pairs);
    SERVGAP__LIT(w, ",\"pe_correlation\":");
    servgap__write_num(w, c->pe_correlation);
    servgap__gaprec x[SERVGAP_GAP_COUNT];
    servgap__cellrow_all_gaps(w->r, row, x);
    for (int k = 0; k < SERVGAP_GAP_COUNT; k++) {
        servgap__write_text(w, k ? "," : ",\"gaps\":{");
        servgap__write_key(w, servgap_gap_name(k));
        servgap_gap g;
        servgap__gap_unpack(&x[k], k, c->span, &g);
        write_gap(w, &g);
    }
    SERVGAP__LIT(w, "},\"classification\":");
    servgap__write_str(w, servgap_class_name(c->classification));
    if (c->classification == SERVGAP_CLASS_SPAN) {
        SERVGAP__LIT(w, ",\"class_span\":");
        servgap__write_span(w, c->class_span);
    }
    SERVGAP__LIT(w, ",\"class_normalized\":");
    servgap__write_num(w, c->class_normalized);
    SERVGAP__LIT(w, "}");
}

/* ---- SERVQUAL and breakdowns ---- */

static const char *weight_source_name(int32_t s)
{
    return s == SERVGAP_WEIGHTS_RESPONDENTS  ? "respondents"
           : s == SERVGAP_WEIGHTS_ALLOCATION ? "allocation"
           : s == SERVGAP_WEIGHTS_NONE       ? "none"
                                             : NULL;
}

static void write_servqual(servgap__report *w, size_t i)
{
    const servgap_servqual *q = &w->r->sq[i];
    SERVGAP__LIT(w, "{");
    servgap__write_where(w, q->scope_kind, q->scope_id, q->touchpoint);
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++) {
        servgap__write_text(w, d ? "," : ",\"dimensions\":{");
        servgap__write_key(w, servgap_dimension_name(d));
        SERVGAP__LIT(w, "{\"gap\":");
        servgap__write_num(w, q->dimension_gap[d]);
        SERVGAP__LIT(w, ",\"weight\":");
        servgap__write_num(w, q->weight[d]);
        SERVGAP__LIT(w, ",\"believed_weight\":");
        servgap__write_num(w, q->believed_weight[d]);
        SERVGAP__LIT(w, "}");
    }
    SERVGAP__LIT(w, "},\"unweighted\":");
    servgap__write_num(w, q->unweighted);
    SERVGAP__LIT(w, ",\"item_mean\":");
    servgap__write_num(w, q->item_mean);
    SERVGAP__LIT(w, ",\"weighted\":");
    servgap__write_num(w, q->weighted);
    SERVGAP__LIT(w, ",\"weighted_ci\":");
    servgap__write_pair(w, q->weighted_lo, q->weighted_hi);
    SERVGAP__LIT(w, ",\"weight_source\":");
    servgap__write_str(w, weight_source_name(q->weight_source));
    SERVGAP__LIT(w, ",\"respondents\":");
    servgap__write_int(w, q->respondents);
    SERVGAP__LIT(w, ",\"servperf\":");
    servgap__write_num(w, q->servperf);
    SERVGAP__LIT(w, ",\"importance_gap\":");
    servgap__write_num(w, q->importance_gap);
    SERVGAP__LIT(w, ",\"most_underweighted\":");
    servgap__write_str(w, servgap_dimension_name(q->most_underweighted));
    SERVGAP__LIT(w, "}");
}

/* The cell a row points into: its scope, touchpoint, metric, dimension. */
static void write_cell_ref(servgap__report *w, uint64_t i)
{
    SERVGAP__LIT(w, "\"cell\":");
    if (i >= w->r->ncells) {
        SERVGAP__LIT(w,
                     "null,\"scope\":null,\"touchpoint\":null,\"metric\":null,\"dimension\":null");
        return;
    }
    const servgap__cellrec *c = &w->r->cells[i].c;
    servgap__write_int(w, (int64_t)i);
    SERVGAP__LIT(w, ",");
    servgap__write_where(w, c->scope_kind, c->scope_id, c->touchpoint);
    SERVGAP__LIT(w, ",\"metric\":");
    servgap__write_metric(w, c->metric);
    SERVGAP__LIT(w, ",\"dimension\":");
    servgap__write_str(w, servgap_dimension_name(c->dimension));
}

static void write_breakdown(servgap__report *w, size_t i)
{
    const servgap__bdrec *row = &w->r->bd[i];
    servgap_breakdown unpacked;
    servgap__bd_unpack(row, w->r->cells[row->cell].c.span, &unpacked);
    const servgap_breakdown *b = &unpacked;
    SERVGAP__LIT(w, "{");
    write_cell_ref(w, b->cell);
    if (b->facet == SERVGAP_FACET_TEAM) {
        SERVGAP__LIT(w, ",\"facet\":\"team\",\"name\":");
        servgap__write_str(w, servgap__report_lookup(w, &w->ctx->teams, b->facet_id, "team"));
    } else {
        SERVGAP__LIT(w, ",\"facet\":\"driver\",\"name\":");
        servgap__write_str(w, servgap_driver_name(b->facet_id));
    }
    SERVGAP__LIT(w, ",\"viewpoint\":");
    servgap__write_str(w, servgap_viewpoint_name(b->viewpoint));
    SERVGAP__LIT(w, ",\"gap\":");
    servgap__write_str(w, servgap_gap_name(b->gap));
    SERVGAP__LIT(w, ",\"n\":");
    servgap__write_int(w, b->n);
    SERVGAP__LIT(w, ",\"mean\":");
    servgap__write_num(w, b->mean);
    SERVGAP__LIT(w, ",\"value\":");
    servgap__write_num(w, b->value);
    SERVGAP__LIT(w, ",\"normalized\":");
    servgap__write_num(w, b->normalized);
    SERVGAP__LIT(w, ",\"ci\":");
    servgap__write_pair(w, b->lo, b->hi);
    SERVGAP__LIT(w, ",\"df\":");
    servgap__write_num(w, b->df);
    SERVGAP__LIT(w, ",\"status\":");
    servgap__write_str(w, servgap_status_name(b->status));
    SERVGAP__LIT(w, ",\"significant\":");
    servgap__write_bool(w, b->flags & SERVGAP_GAPFLAG_SIGNIFICANT);
    SERVGAP__LIT(w, ",\"sufficient\":");
    servgap__write_bool(w, b->flags & SERVGAP_GAPFLAG_SUFFICIENT);
    SERVGAP__LIT(w, ",\"declaration_changed\":");
    servgap__write_bool(w, b->flags & SERVGAP_GAPFLAG_CHANGED);
    SERVGAP__LIT(w, "}");
}

/* ---- priorities, IPA, triggers, risk ---- */

static void write_finding_accounts(servgap__report *w, size_t i)
{
    const servgap_result *r = w->r;
    uint64_t first = r->fd_first[i];
    int64_t n = r->fd[i].affected_accounts;
    SERVGAP__LIT(w, "[");
    for (int64_t k = 0; k < n && first + (uint64_t)k < r->nfd_acc; k++) {
        if (k)
            SERVGAP__LIT(w, ",");
        servgap__write_account(w, r->fd_acc[first + (uint64_t)k]);
    }
    SERVGAP__LIT(w, "]");
}

/* Since 1.2: the no-standard flag, and the finding's place in a root
 * cause's group (docs/priorities.md, section 8): its root's rank, or null;
 * the members of its own group and their value. */
static void write_finding_group(servgap__report *w, const servgap_finding *f)
{
    SERVGAP__LIT(w, ",\"no_standard\":");
    servgap__write_bool(w, f->flags & SERVGAP_FINDING_NO_STANDARD);
    SERVGAP__LIT(w, ",\"root\":");
    if (f->root == UINT64_MAX)
        SERVGAP__LIT(w, "null");
    else
        servgap__write_int(w, (int64_t)f->root + 1);
    SERVGAP__LIT(w, ",\"members\":");
    servgap__write_int(w, f->members);
    SERVGAP__LIT(w, ",\"members_value\":");
    servgap__write_num(w, f->members_value);
}

static void write_finding(servgap__report *w, size_t i)
{
    const servgap_finding *f = &w->r->fd[i];
    SERVGAP__LIT(w, "{\"rank\":");
    servgap__write_int(w, f->rank);
    SERVGAP__LIT(w, ",\"cell\":");
    servgap__write_int(w, (int64_t)f->cell);
    SERVGAP__LIT(w, ",");
    servgap__write_where(w, f->scope_kind, f->scope_id, f->touchpoint);
    SERVGAP__LIT(w, ",\"metric\":");
    servgap__write_metric(w, f->metric);
    SERVGAP__LIT(w, ",\"dimension\":");
    servgap__write_str(w, servgap_dimension_name(f->dimension));
    SERVGAP__LIT(w, ",\"gap\":");
    servgap__write_str(w, servgap_gap_name(f->gap));
    SERVGAP__LIT(w, ",\"value\":");
    servgap__write_num(w, f->value);
    SERVGAP__LIT(w, ",\"normalized\":");
    servgap__write_num(w, f->normalized);
    SERVGAP__LIT(w, ",\"impact\":");
    servgap__write_num(w, f->impact);
    SERVGAP__LIT(w, ",\"effort\":");
    servgap__write_num(w, f->effort);
    SERVGAP__LIT(w, ",\"priority\":");
    servgap__write_num(w, f->priority);
    SERVGAP__LIT(w, ",\"quadrant\":");
    servgap__write_str(w, servgap_quadrant_name(f->quadrant));
    SERVGAP__LIT(w, ",\"size_term\":");
    servgap__write_num(w, f->size_term);
    SERVGAP__LIT(w, ",\"value_share\":");
    servgap__write_num(w, f->value_share);
    SERVGAP__LIT(w, ",\"frequency\":");
    servgap__write_num(w, f->frequency);
    SERVGAP__LIT(w, ",\"affected_value\":");
    servgap__write_num(w, f->affected_value);
    SERVGAP__LIT(w, ",\"affected_accounts\":");
    write_finding_accounts(w, i);
    SERVGAP__LIT(w, ",\"persistent\":");
    servgap__write_bool(w, f->flags & SERVGAP_FINDING_PERSISTENT);
    SERVGAP__LIT(w, ",\"windows\":");
    servgap__write_int(w, f->windows);
    write_finding_group(w, f);
    SERVGAP__LIT(w, "}");
}

static void write_ipa(servgap__report *w, size_t i)
{
    const servgap_ipa *p = &w->r->ipa[i];
    SERVGAP__LIT(w, "{");
    servgap__write_where(w, p->scope_kind, p->scope_id, p->touchpoint);
    SERVGAP__LIT(w, ",\"dimension\":");
    servgap__write_str(w, servgap_dimension_name(p->dimension));
    SERVGAP__LIT(w, ",\"quadrant\":");
    servgap__write_str(w, servgap_ipa_name(p->quadrant));
    SERVGAP__LIT(w, ",\"importance\":");
    servgap__write_num(w, p->importance);
    SERVGAP__LIT(w, ",\"performance\":");
    servgap__write_num(w, p->performance);
    SERVGAP__LIT(w, ",\"crosshair\":{\"importance\":");
    servgap__write_num(w, p->importance_cross);
    SERVGAP__LIT(w, ",\"performance\":");
    servgap__write_num(w, p->performance_cross);
    SERVGAP__LIT(w, "}}");
}

static void write_trigger(servgap__report *w, size_t i)
{
    const servgap_trigger *t = &w->r->tr[i];
    SERVGAP__LIT(w, "{\"account\":");
    servgap__write_account(w, t->account);
    SERVGAP__LIT(w, ",\"kind\":");
    servgap__write_str(w, servgap_trigger_name(t->kind));
    SERVGAP__LIT(w, ",\"date\":");
    servgap__write_date_or_null(w, t->date);
    SERVGAP__LIT(w, ",\"detail\":");
    servgap__write_str(w, w->r->tr_detail && w->r->tr_detail[i] < w->r->ntext
                              ? w->r->text + w->r->tr_detail[i]
                              : NULL);
    SERVGAP__LIT(w, ",\"count\":");
    servgap__write_int(w, t->count);
    SERVGAP__LIT(w, ",\"before\":");
    servgap__write_num(w, t->before);
    SERVGAP__LIT(w, ",\"after\":");
    servgap__write_num(w, t->after);
    SERVGAP__LIT(w, ",\"statistic\":");
    servgap__write_num(w, t->statistic);
    SERVGAP__LIT(w, ",\"ci\":");
    servgap__write_pair(w, t->lo, t->hi);
    SERVGAP__LIT(w, ",\"n_before\":");
    servgap__write_int(w, t->n_before);
    SERVGAP__LIT(w, ",\"n_after\":");
    servgap__write_int(w, t->n_after);
    SERVGAP__LIT(w, "}");
}

static void write_risk(servgap__report *w, size_t i)
{
    const servgap_risk *k = &w->r->risk[i];
    SERVGAP__LIT(w, "{\"account\":");
    servgap__write_account(w, k->account);
    SERVGAP__LIT(w, ",\"risk\":");
    servgap__write_num(w, k->risk);
    SERVGAP__LIT(w, ",\"windows\":");
    servgap__write_int(w, k->windows);
    SERVGAP__LIT(w, ",\"with_shortfall\":");
    servgap__write_int(w, k->with_shortfall);
    SERVGAP__LIT(w, ",\"findings\":");
    servgap__write_int(w, k->findings);
    SERVGAP__LIT(w, ",\"worst_normalized\":");
    servgap__write_num(w, k->worst_normalized);
    SERVGAP__LIT(w, ",\"value\":");
    servgap__write_num(w, k->value);
    SERVGAP__LIT(w, ",\"churned\":");
    servgap__write_bool(w, k->churned);
    SERVGAP__LIT(w, "}");
}

/* ---- metric definitions ---- */

static void write_metric_def(servgap__report *w, int32_t id)
{
    const servgap__metric *m = &w->ctx->metrics.m[id];
    SERVGAP__LIT(w, "{\"name\":");
    servgap__write_str(w, w->ctx->metrics.names.str[id]);
    SERVGAP__LIT(w, ",\"dimension\":");
    servgap__write_str(w, servgap_dimension_name(m->dimension));
    SERVGAP__LIT(w, ",\"direction\":");
    servgap__write_str(w, m->direction == SERVGAP_HIGHER_IS_BETTER  ? "higher_is_better"
                          : m->direction == SERVGAP_LOWER_IS_BETTER ? "lower_is_better"
                                                                    : NULL);
    SERVGAP__LIT(w, ",\"unit\":");
    servgap__write_str(w, m->unit ? m->unit : "");
    SERVGAP__LIT(w, ",\"min\":");
    servgap__write_num(w, m->min);
    SERVGAP__LIT(w, ",\"max\":");
    servgap__write_num(w, m->max);
    SERVGAP__LIT(w, ",\"span\":");
    servgap__write_num(w, m->span);
    SERVGAP__LIT(w, "}");
}

/* The metrics the cells name, in id order, so that a reader knows units
 * and directions. Which ones follows from the result alone, not from what
 * ctx learnt since: the same result gives the same bytes. */
static void write_metric_defs(servgap__report *w)
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
            servgap__report_unknown(w, "metric", id);
        else
            used[id >> 3] |= (unsigned char)(1u << (id & 7));
    }
    SERVGAP__LIT(w, ",\"metrics\":[");
    int first = 1;
    for (int32_t id = 0; id <= UINT16_MAX; id++) {
        if (!(used[id >> 3] >> (id & 7) & 1u))
            continue;
        if (!first)
            SERVGAP__LIT(w, ",");
        write_metric_def(w, id);
        first = 0;
    }
    SERVGAP__LIT(w, "]");
}

/* ---- the whole ---- */

/* Which rows of a table the report's level writes: at the summary level
 * the rows of accounts are left out (of cells, SERVQUAL, IPA and
 * breakdowns), as they grow with accounts times touchpoints times metrics
 * and the findings already carry what a reader needs of them. */
typedef int (*row_kept)(const servgap_result *r, size_t i);

static int cell_kept(const servgap_result *r, size_t i)
{
    return r->cells[i].c.scope_kind != SERVGAP_SCOPE_ACCOUNT;
}

static int servqual_kept(const servgap_result *r, size_t i)
{
    return r->sq[i].scope_kind != SERVGAP_SCOPE_ACCOUNT;
}

static int ipa_kept(const servgap_result *r, size_t i)
{
    return r->ipa[i].scope_kind != SERVGAP_SCOPE_ACCOUNT;
}

static int breakdown_kept(const servgap_result *r, size_t i)
{
    return cell_kept(r, r->bd[i].cell);
}

/* ,"name":[ row, row, ... ] with each row that kept keeps (NULL: all)
 * written by one. */
static void write_rows(servgap__report *w, const char *name, size_t n,
                       void (*one)(servgap__report *w, size_t i), row_kept kept)
{
    SERVGAP__LIT(w, ",");
    servgap__write_key(w, name);
    SERVGAP__LIT(w, "[");
    w->table = name;
    int first = 1;
    for (size_t i = 0; i < n && !w->s.failed; i++) {
        if (kept && !kept(w->r, i))
            continue;
        w->row = i;
        if (!first)
            SERVGAP__LIT(w, ",");
        first = 0;
        one(w, i);
    }
    SERVGAP__LIT(w, "]");
}

static void write_table(servgap__report *w, const char *name, size_t n,
                        void (*one)(servgap__report *w, size_t i))
{
    write_rows(w, name, n, one, NULL);
}

/* One window of a trend. */
static void write_trend_point(servgap__report *w, const servgap_trend *t)
{
    SERVGAP__LIT(w, "{\"from\":");
    write_bound(w, t->from);
    SERVGAP__LIT(w, ",\"to\":");
    write_bound(w, t->to);
    SERVGAP__LIT(w, ",\"value\":");
    servgap__write_num(w, t->value);
    SERVGAP__LIT(w, ",\"normalized\":");
    servgap__write_num(w, t->normalized);
    SERVGAP__LIT(w, ",\"ci\":");
    servgap__write_pair(w, t->lo, t->hi);
    SERVGAP__LIT(w, ",\"n_up\":");
    servgap__write_int(w, t->n_up);
    SERVGAP__LIT(w, ",\"n_down\":");
    servgap__write_int(w, t->n_down);
    SERVGAP__LIT(w, ",\"status\":");
    servgap__write_str(w, servgap_status_name(t->status));
    SERVGAP__LIT(w, ",\"significant\":");
    servgap__write_bool(w, t->flags & SERVGAP_GAPFLAG_SIGNIFICANT);
    SERVGAP__LIT(w, ",\"declaration_changed\":");
    servgap__write_bool(w, t->flags & SERVGAP_GAPFLAG_CHANGED);
    SERVGAP__LIT(w, "}");
}

/* Series i of the trends: its cell, gap and finding, then its windows. */
static void write_trend(servgap__report *w, size_t i)
{
    const servgap_trend *t = &w->r->trend[i * w->r->trend_windows];
    SERVGAP__LIT(w, "{\"finding\":");
    if (t->finding == UINT64_MAX)
        SERVGAP__LIT(w, "null");
    else
        servgap__write_int(w, (int64_t)t->finding + 1);
    SERVGAP__LIT(w, ",");
    servgap__write_where(w, t->scope_kind, t->scope_id, t->touchpoint);
    SERVGAP__LIT(w, ",\"metric\":");
    servgap__write_metric(w, t->metric);
    SERVGAP__LIT(w, ",\"dimension\":");
    servgap__write_str(w, servgap_dimension_name(t->dimension));
    SERVGAP__LIT(w, ",\"gap\":");
    servgap__write_str(w, servgap_gap_name(t->gap));
    for (size_t k = 0; k < w->r->trend_windows; k++) {
        servgap__write_text(w, k ? "," : ",\"windows\":[");
        write_trend_point(w, &t[k]);
    }
    SERVGAP__LIT(w, "]}");
}

static void write_head(servgap__report *w)
{
    const servgap_result *r = w->r;
    SERVGAP__LIT(w, "{\"version\":{\"library\":");
    servgap__write_str(w, servgap_version_string());
    SERVGAP__LIT(w, ",\"schema\":1},\"window\":{\"from\":");
    servgap__write_date_or_null(w, r->from == SERVGAP_TIME_MIN ? SERVGAP_TIME_NONE : r->from);
    SERVGAP__LIT(w, ",\"to\":");
    servgap__write_date_or_null(w, r->to == SERVGAP_TIME_MAX ? SERVGAP_TIME_NONE : r->to);
    SERVGAP__LIT(w, "},\"now\":");
    servgap__write_date_or_null(w, r->now);
    if (r->level == SERVGAP_LEVEL_SUMMARY)
        SERVGAP__LIT(w, ",\"level\":\"summary\"");
}

static void write_report(servgap__report *w)
{
    const servgap_result *r = w->r;
    write_head(w);
    write_metric_defs(w);
    int sum = r->level == SERVGAP_LEVEL_SUMMARY;
    write_rows(w, "cells", r->ncells, write_cell, sum ? cell_kept : NULL);
    write_rows(w, "servqual", r->nsq, write_servqual, sum ? servqual_kept : NULL);
    write_rows(w, "breakdowns", r->nbd, write_breakdown, sum ? breakdown_kept : NULL);
    write_table(w, "priorities", r->fd_first ? r->nfd : 0, write_finding);
    write_rows(w, "ipa", r->nipa, write_ipa, sum ? ipa_kept : NULL);
    write_table(w, "triggers", r->ntr, write_trigger);
    write_table(w, "risk", r->nrisk, write_risk);
    SERVGAP__LIT(w, ",\"auc\":{\"value\":");
    servgap__write_num(w, r->auc);
    SERVGAP__LIT(w, ",\"churned\":");
    servgap__write_int(w, r->churned);
    SERVGAP__LIT(w, ",\"retained\":");
    servgap__write_int(w, r->retained);
    SERVGAP__LIT(w, "}");
    write_table(w, "trends", r->trend_windows ? r->ntrend / r->trend_windows : 0, write_trend);
    write_table(w, "plans", r->nplan, servgap__write_plan);
    SERVGAP__LIT(w, "}\n");
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

static int unknown_id(servgap_ctx *ctx, const char *fn, const servgap__report *w)
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
    servgap__report w = {.ctx = ctx, .r = r, .table = ""};
    servgap__rdlock(ctx);
    write_report(&w);
    size_t need = w.s.len;
    if (!w.bad_kind && buf && need < cap) {
        /* Names only grow, and the lock holds them still: same bytes. */
        servgap__report out = {.s = {.buf = buf, .cap = need}, .ctx = ctx, .r = r, .table = ""};
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
    servgap__report w = {.s = {.buf = piece, .cap = STREAM_PIECE, .flush = write, .user = user},
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
