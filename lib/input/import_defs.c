/*
 * import_defs -- the four CSV tables that define things, a row at a time:
 * metrics, accounts, importance and efforts. A row adds an entry or
 * replaces one; what it replaces goes to the import's undo log first, so
 * that a failed import can restore it. Relies on import_fields for the
 * values and on the handle's registries.
 */
#include "../base/platform.h"

#include <math.h>
#include <string.h>

#include "../model/tables.h"
#include "import.h"
#include "../base/numtext.h"
#include "../model/limits.h"

/* ---------------------------------------------------------------------- */
/* metrics                                                                 */
/* ---------------------------------------------------------------------- */

enum { M_METRIC, M_DIMENSION, M_DIRECTION, M_MIN, M_MAX, M_SPAN, M_UNIT };

/* The range and span checks of servgap_metric_define, with the span
 * defaulted to max - min. */
static int metric_range(servgap__importer *im, servgap__metric *m)
{
    /* max is a required column of the table, so fmax is never NULL; the
     * analyzer cannot see the header check. */
    const servgap__csv_field *fmax = servgap__field(im, M_MAX), *fspan = servgap__field(im, M_SPAN);
    if (!fmax)
        return SERVGAP_EFORMAT;
    if (!(m->min < m->max))
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ERANGE, fmax, "range [%s, %s] is not min < max",
                                   SERVGAP__NUM(m->min), SERVGAP__NUM(m->max));
    int min_ok = servgap__range_end_in_limits(m->min);
    if (!min_ok || !servgap__range_end_in_limits(m->max))
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ERANGE, min_ok ? fmax : servgap__field(im, M_MIN),
                                   "%s %s is beyond +-" SERVGAP__VALUE_MAX_TEXT
                                   " (SERVGAP_VALUE_MAX)",
                                   min_ok ? "max" : "min", SERVGAP__NUM(min_ok ? m->max : m->min));
    int defaulted = m->span == 0.0;
    if (defaulted && (!isfinite(m->min) || !isfinite(m->max)))
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ERANGE, fspan ? fspan : fmax,
                                   "an unbounded range needs a span > 0");
    if (defaulted)
        m->span = m->max - m->min;
    if (!isfinite(m->span) || m->span <= 0.0)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ERANGE, fspan ? fspan : fmax,
                                   "span %s must be positive and finite", SERVGAP__NUM(m->span));
    if (!servgap__span_in_limits(m->span))
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ERANGE, fspan && !defaulted ? fspan : fmax,
                                   "span %s%s is outside " SERVGAP__SPAN_LIMITS_TEXT
                                   " (SERVGAP_SPAN_MIN, SERVGAP_SPAN_MAX)",
                                   SERVGAP__NUM(m->span), defaulted ? " (max - min)" : "");
    return SERVGAP_OK;
}

/* The rule for units of servgap_metric_define. The reader has already
 * refused a field that is not UTF-8 or holds a NUL, so only the length can
 * fail here; the check keeps every way in to the same rule. */
static int metric_unit(servgap__importer *im, const servgap__csv_field *funit)
{
    size_t at = 0;
    const char *why = funit ? servgap__unit_fault(funit->s, funit->len, &at) : NULL;
    const servgap__csv_field *fm = servgap__field(im, M_METRIC);
    if (why)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, funit, "metric '%.*s': %s at byte %zu",
                                   SERVGAP__QUOTE(fm), why, at);
    return SERVGAP_OK;
}

static int parse_metric(servgap__importer *im, servgap__metric *m)
{
    static const char *const dirs[] = {NULL, "higher", "lower"};
    const servgap__csv_field *fdir = servgap__field(im, M_DIRECTION),
                             *funit = servgap__field(im, M_UNIT);
    int rc = servgap__check_field_name(im, servgap__field(im, M_METRIC), "metric");
    if (rc == SERVGAP_OK)
        rc = servgap__parse_field_dimension(im, servgap__field(im, M_DIMENSION), &m->dimension);
    if (rc == SERVGAP_OK && (m->direction = servgap__field_index(fdir, dirs, 3)) < 0)
        rc = SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, fdir,
                                 "direction '%.*s' is not higher or lower", SERVGAP__QUOTE(fdir));
    if (rc == SERVGAP_OK)
        rc = servgap__parse_field_number_or(im, servgap__field(im, M_MIN), "min", -INFINITY,
                                            &m->min);
    if (rc == SERVGAP_OK)
        rc =
            servgap__parse_field_number_or(im, servgap__field(im, M_MAX), "max", INFINITY, &m->max);
    if (rc == SERVGAP_OK)
        rc = servgap__parse_field_number_or(im, servgap__field(im, M_SPAN), "span", 0.0, &m->span);
    if (rc == SERVGAP_OK)
        rc = metric_unit(im, funit);
    m->unit = funit ? (char *)funit->s : (char *)"";
    return rc == SERVGAP_OK ? metric_range(im, m) : rc;
}

static int import_metric(servgap__importer *im)
{
    servgap__metric m;
    int rc = parse_metric(im, &m);
    if (rc != SERVGAP_OK)
        return rc;
    const servgap__csv_field *f = servgap__field(im, M_METRIC);
    servgap__metrics *r = &im->ctx->metrics;
    int32_t id = servgap__names_find(&r->names, f->s, f->len);
    if (id >= 0 && !servgap__metric_same(&r->m[id], &m))
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ECONFLICT, f,
                                   "metric '%.*s' is already defined differently",
                                   SERVGAP__QUOTE(f));
    if (id < 0 && r->names.count >= 0xffff)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ELIMIT, f, "more than 65535 metrics");
    if (id < 0 && servgap__metrics_add(r, &im->ctx->alloc, f->s, &m, &id) != 0)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ENOMEM, f, "out of memory defining metric '%.*s'",
                                   SERVGAP__QUOTE(f));
    return SERVGAP_OK;
}

const servgap__import_table servgap__metrics_table = {
    {"metric", "dimension", "direction", "min", "max", "span", "unit"}, 7, 0x1f, import_metric};

/* ---------------------------------------------------------------------- */
/* accounts                                                                */
/* ---------------------------------------------------------------------- */

enum { A_ACCOUNT, A_TIER, A_VALUE, A_HEALTH, A_AT_RISK, A_RENEWAL, A_MIGRATED, A_CHURNED };

/* The attributes of a row over base: a column that is absent leaves an
 * attribute as it is; an empty field sets its unset value. */
static int parse_account(servgap__importer *im, servgap__account *acc)
{
    const servgap__csv_field *f;
    int rc = SERVGAP_OK;
    if ((f = servgap__field(im, A_VALUE)) &&
        (rc = servgap__parse_field_number_or(im, f, "value", 0.0, &acc->value)) == SERVGAP_OK &&
        !(acc->value >= 0.0))
        rc = SERVGAP__FAIL_FIELD(im, SERVGAP_ERANGE, f, "value %s must be >= 0",
                                 SERVGAP__NUM(acc->value));
    else if (rc == SERVGAP_OK && f && !servgap__account_value_in_limits(acc->value))
        rc = SERVGAP__FAIL_FIELD(im, SERVGAP_ERANGE, f,
                                 "value %s is beyond " SERVGAP__VALUE_MAX_TEXT
                                 " (SERVGAP_VALUE_MAX)",
                                 SERVGAP__NUM(acc->value));
    if (rc == SERVGAP_OK && (f = servgap__field(im, A_HEALTH)) &&
        (rc = servgap__parse_field_number_or(im, f, "health", NAN, &acc->health)) == SERVGAP_OK &&
        !isnan(acc->health) && !(acc->health >= 0.0 && acc->health <= 100.0))
        rc = SERVGAP__FAIL_FIELD(im, SERVGAP_ERANGE, f, "health %s outside [0, 100]",
                                 SERVGAP__NUM(acc->health));
    if (rc == SERVGAP_OK && (f = servgap__field(im, A_AT_RISK)))
        rc = servgap__parse_field_boolean(im, f, &acc->at_risk);
    if (rc == SERVGAP_OK && (f = servgap__field(im, A_CHURNED)))
        rc = servgap__parse_field_boolean(im, f, &acc->churned);
    if (rc == SERVGAP_OK && (f = servgap__field(im, A_RENEWAL)))
        rc = servgap__parse_field_date_or_none(im, f, "renewal", &acc->renewal);
    if (rc == SERVGAP_OK && (f = servgap__field(im, A_MIGRATED)))
        rc = servgap__parse_field_date_or_none(im, f, "migrated", &acc->migration);
    return rc;
}

static int import_account(servgap__importer *im)
{
    servgap_ctx *ctx = im->ctx;
    const servgap__csv_field *fa = servgap__field(im, A_ACCOUNT), *ft = servgap__field(im, A_TIER);
    int32_t id = servgap__names_find(&ctx->accounts.names, fa->s, fa->len), tier = -1;
    servgap__account acc = {-1, 0, 0, 0.0, NAN, SERVGAP_TIME_NONE, SERVGAP_TIME_NONE};
    if (id >= 0)
        acc = ctx->accounts.a[id];
    int rc = servgap__check_field_name(im, fa, "account");
    if (rc == SERVGAP_OK && ft && ft->len > 0)
        rc = servgap__check_field_name(im, ft, "tier");
    if (rc == SERVGAP_OK)
        rc = parse_account(im, &acc);
    if (rc == SERVGAP_OK && ft && ft->len > 0)
        rc = servgap__intern_field(im, SERVGAP_KIND_TIER, ft, &tier);
    int32_t after = servgap__account_tier(acc.tier, tier);
    if (rc == SERVGAP_OK && after == SERVGAP__TIER_CONFLICT)
        rc = SERVGAP__FAIL_FIELD(im, SERVGAP_ECONFLICT, ft,
                                 "account '%.*s' is in tier '%s', not '%.*s'", SERVGAP__QUOTE(fa),
                                 ctx->tiers.str[acc.tier], SERVGAP__QUOTE(ft));
    if (rc != SERVGAP_OK)
        return rc;
    acc.tier = after;
    if (id < 0 &&
        servgap__accounts_add(&ctx->accounts, &ctx->alloc, fa->s, acc.tier, acc.value, &id) != 0)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ENOMEM, fa, "out of memory defining account '%.*s'",
                                   SERVGAP__QUOTE(fa));
    if ((size_t)id < im->known_accounts)
        rc = servgap__import_undo_push(im, SERVGAP__UNDO_ACCOUNT, (size_t)id, &ctx->accounts.a[id],
                                       NULL, 0, fa);
    if (rc == SERVGAP_OK)
        ctx->accounts.a[id] = acc;
    return rc;
}

const servgap__import_table servgap__accounts_table = {
    {"account", "tier", "value", "health", "at_risk", "renewal", "migrated", "churned"},
    8,
    0x1,
    import_account};

/* ---------------------------------------------------------------------- */
/* importance                                                              */
/* ---------------------------------------------------------------------- */

enum { I_SCOPE, I_WHOSE, I_POINTS };

static int parse_points(servgap__importer *im, double *p)
{
    double sum = 0.0;
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++) {
        const servgap__csv_field *f = servgap__field(im, I_POINTS + d);
        int rc = servgap__parse_field_number(im, f, servgap_dimension_name(d), &p[d]);
        if (rc != SERVGAP_OK)
            return rc;
        if (p[d] < 0.0)
            return SERVGAP__FAIL_FIELD(im, SERVGAP_ERANGE, f, "%s points %s must be >= 0",
                                       servgap_dimension_name(d), SERVGAP__NUM(p[d]));
        sum += p[d];
    }
    if (!servgap__points_valid(p))
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ERANGE, servgap__field(im, I_POINTS),
                                   "points sum to %s, not 100 +- 0.5", SERVGAP__NUM(sum));
    return SERVGAP_OK;
}

static int import_importance(servgap__importer *im)
{
    static const char *const whose_names[] = {NULL, "customer", "provider"};
    servgap_ctx *ctx = im->ctx;
    const servgap__csv_field *fw = servgap__field(im, I_WHOSE);
    uint32_t scope = 0;
    double p[SERVGAP_DIM_COUNT];
    int whose = servgap__field_index(fw, whose_names, 3);
    int rc = servgap__parse_field_scope(im, servgap__field(im, I_SCOPE), &scope);
    if (rc == SERVGAP_OK && whose < 0)
        rc = SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, fw,
                                 "whose '%.*s' is not customer or provider", SERVGAP__QUOTE(fw));
    if (rc == SERVGAP_OK)
        rc = parse_points(im, p);
    if (rc != SERVGAP_OK)
        return rc;
    servgap__importance *e = (servgap__importance *)servgap__importance_find(ctx, scope, whose);
    servgap__importance add = {scope, whose, {0}};
    memcpy(add.p, p, sizeof add.p);
    if (!e) {
        if (servgap__importance_reserve(ctx, 1) != 0)
            return SERVGAP__FAIL_FIELD(im, SERVGAP_ENOMEM, fw, "out of memory");
        servgap__importance_append(ctx, &add);
        return SERVGAP_OK;
    }
    rc = servgap__import_undo_push(im, SERVGAP__UNDO_IMPORTANCE, (size_t)(e - ctx->imp), NULL, e->p,
                                   5, fw);
    if (rc == SERVGAP_OK)
        memcpy(e->p, p, sizeof e->p);
    return rc;
}

const servgap__import_table servgap__importance_table = {
    {"scope", "whose", "tangibles", "reliability", "responsiveness", "assurance", "empathy"},
    7,
    0x7f,
    import_importance};

/* ---------------------------------------------------------------------- */
/* efforts                                                                 */
/* ---------------------------------------------------------------------- */

enum { E_GAP, E_TP, E_METRIC, E_EFFORT };

/* The gap and metric of a row's key; the touchpoint is only checked here,
 * as it is added last. */
static int parse_effort_key(servgap__importer *im, int32_t *gap, int32_t *metric)
{
    static const char *const gaps[] = {"service",       "knowledge",  "standards", "delivery",
                                       "communication", "perception", "adequacy"};
    const servgap__csv_field *fg = servgap__field(im, E_GAP), *ft = servgap__field(im, E_TP),
                             *fm = servgap__field(im, E_METRIC);
    *gap = servgap__field_equals(fg, "*") ? SERVGAP_ALL
                                          : servgap__field_index(fg, gaps, SERVGAP_GAP_COUNT);
    if (*gap == -1)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, fg, "'%.*s' is not a gap type or '*'",
                                   SERVGAP__QUOTE(fg));
    *metric = SERVGAP_ALL;
    int rc =
        servgap__field_equals(fm, "*") ? SERVGAP_OK : servgap__find_field_metric(im, fm, metric);
    if (rc == SERVGAP_OK && !servgap__field_equals(ft, "*"))
        rc = servgap__check_field_name(im, ft, "touchpoint");
    return rc;
}

static int import_effort(servgap__importer *im)
{
    servgap_ctx *ctx = im->ctx;
    const servgap__csv_field *fe = servgap__field(im, E_EFFORT), *ft = servgap__field(im, E_TP);
    int32_t gap, tp = SERVGAP_ALL, metric = SERVGAP_ALL;
    double effort;
    int rc = parse_effort_key(im, &gap, &metric);
    if (rc == SERVGAP_OK &&
        (rc = servgap__parse_field_number(im, fe, "effort", &effort)) == SERVGAP_OK &&
        !(effort > 0))
        rc = SERVGAP__FAIL_FIELD(im, SERVGAP_ERANGE, fe, "effort %s must be > 0",
                                 SERVGAP__NUM(effort));
    else if (rc == SERVGAP_OK && !servgap__effort_in_limits(effort))
        rc = SERVGAP__FAIL_FIELD(im, SERVGAP_ERANGE, fe,
                                 "effort %s is outside " SERVGAP__EFFORT_LIMITS_TEXT
                                 " (SERVGAP_EFFORT_MIN, SERVGAP_EFFORT_MAX)",
                                 SERVGAP__NUM(effort));
    if (rc == SERVGAP_OK && !servgap__field_equals(ft, "*"))
        rc = servgap__intern_field(im, SERVGAP_KIND_TOUCHPOINT, ft, &tp);
    if (rc != SERVGAP_OK)
        return rc;
    servgap__effort *e = (servgap__effort *)servgap__effort_find(ctx, gap, tp, metric);
    servgap__effort add = {gap, tp, metric, effort};
    if (!e) {
        if (servgap__effort_reserve(ctx, 1) != 0)
            return SERVGAP__FAIL_FIELD(im, SERVGAP_ENOMEM, fe, "out of memory");
        servgap__effort_append(ctx, &add);
        return SERVGAP_OK;
    }
    rc = servgap__import_undo_push(im, SERVGAP__UNDO_EFFORT, (size_t)(e - ctx->eff), NULL,
                                   &e->effort, 1, fe);
    if (rc == SERVGAP_OK)
        e->effort = effort;
    return rc;
}

const servgap__import_table servgap__efforts_table = {
    {"gap", "touchpoint", "metric", "effort"}, 4, 0xf, import_effort};
