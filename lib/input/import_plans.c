/*
 * import_plans -- the CSV plans table, a row at a time: each row is a
 * remediation plan item as servgap_plan_add adds it (the finding it
 * addresses, owner, deadline, target) with an optional baseline window.
 * A row only appends (an item and perhaps its owner's name), so a failed
 * import or a skipped row is rolled back by the import's mark alone.
 * Names must exist: a plan on a scope, touchpoint or metric the handle
 * does not know has no cell to re-measure. Relies on import_fields for the
 * values and on plans for the window rule and the append.
 */
#include "../base/platform.h"

#include <string.h>

#include "import.h"
#include "plans.h"

enum {
    P_SCOPE,
    P_TOUCHPOINT,
    P_METRIC,
    P_GAP,
    P_OWNER,
    P_DEADLINE,
    P_TARGET,
    P_BASE_FROM,
    P_BASE_TO
};

/* A touchpoint the handle knows, or '*' for the roll-up over touchpoints.
 * Empty is refused: an observation's empty touchpoint means "any", which
 * no cell has. */
static int parse_touchpoint(servgap__importer *im, const servgap__csv_field *f, int32_t *tp)
{
    *tp = SERVGAP_ALL;
    if (servgap__field_equals(f, "*"))
        return SERVGAP_OK;
    if (f->len == 0)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, f,
                                   "touchpoint is empty: name one, or '*' for all");
    *tp = servgap__names_find(&im->ctx->touchpoints, f->s, f->len);
    if (*tp < 0)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ENOTFOUND, f, "unknown touchpoint '%.*s'",
                                   SERVGAP__QUOTE(f));
    return SERVGAP_OK;
}

/* A metric by name, or "dim:NAME" for the roll-up of a dimension (as the
 * text report labels it; the built-in metrics bear the dimensions' own
 * names, so a bare dimension name is the metric). */
static int parse_metric(servgap__importer *im, const servgap__csv_field *f, int32_t *metric,
                        int32_t *dim)
{
    if (f->len > 4 && memcmp(f->s, "dim:", 4) == 0) {
        servgap__csv_field d = {f->s + 4, f->len - 4, f->line, f->col};
        *metric = SERVGAP_ALL;
        for (*dim = 0; *dim < SERVGAP_DIM_COUNT; ++*dim)
            if (servgap__field_equals(&d, servgap_dimension_name(*dim)))
                return SERVGAP_OK;
        return SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, f,
                                   "'%.*s' is not dim: and a dimension (tangibles, reliability, "
                                   "responsiveness, assurance, empathy)",
                                   SERVGAP__QUOTE(f));
    }
    int rc = servgap__find_field_metric(im, f, metric);
    if (rc == SERVGAP_OK)
        *dim = im->ctx->metrics.m[*metric].dimension;
    return rc;
}

static int parse_gap(servgap__importer *im, const servgap__csv_field *f, int32_t *gap)
{
    for (*gap = 0; *gap < SERVGAP_GAP_COUNT; ++*gap)
        if (servgap__field_equals(f, servgap_gap_name(*gap)))
            return SERVGAP_OK;
    return SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, f,
                               "'%.*s' is not a gap type (service, knowledge, standards, "
                               "delivery, communication, perception, adequacy)",
                               SERVGAP__QUOTE(f));
}

/* One end of the baseline window: a date (UTC midnight), or none when the
 * field is empty or the column absent. */
static int parse_bound(servgap__importer *im, int c, const char *what, int64_t *t)
{
    const servgap__csv_field *f = servgap__field(im, c);
    *t = SERVGAP_TIME_NONE;
    if (!f || f->len == 0)
        return SERVGAP_OK;
    int rc = servgap__parse_field_time(im, f, what, t);
    if (rc == SERVGAP_OK && *t % SERVGAP_DAY != 0)
        rc = SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, f,
                                 "%s '%.*s' has a time of day: a window is whole UTC days", what,
                                 SERVGAP__QUOTE(f));
    return rc;
}

/* Both ends or neither, the start before the end. The fault is blamed on
 * baseline_to, or on the end that is there when the other is not. */
static int parse_window(servgap__importer *im, servgap__plan *p)
{
    int rc = parse_bound(im, P_BASE_FROM, "baseline_from", &p->base_from);
    if (rc == SERVGAP_OK)
        rc = parse_bound(im, P_BASE_TO, "baseline_to", &p->base_to);
    if (rc != SERVGAP_OK || !servgap__plan_window_fault(p->base_from, p->base_to))
        return rc;
    int from_only = p->base_to == SERVGAP_TIME_NONE;
    const servgap__csv_field *f = servgap__field(im, from_only ? P_BASE_FROM : P_BASE_TO);
    if (p->base_from == SERVGAP_TIME_NONE || from_only)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, f,
                                   "a baseline window needs both baseline_from and baseline_to "
                                   "(or neither)");
    return SERVGAP__FAIL_FIELD(im, SERVGAP_ERANGE, f,
                               "baseline_to '%.*s' is not after baseline_from: the window "
                               "[baseline_from, baseline_to) is empty",
                               SERVGAP__QUOTE(f));
}

/* The row's plan item, its ids checked against the handle. */
static int parse_plan(servgap__importer *im, servgap__plan *p)
{
    uint32_t scope = 0;
    int rc = servgap__parse_field_scope(im, servgap__field(im, P_SCOPE), &scope);
    p->scope_kind = scope & SERVGAP__SCOPE_TIER ? SERVGAP_SCOPE_TIER : SERVGAP_SCOPE_ACCOUNT;
    p->scope_id = (int32_t)(scope & ~SERVGAP__SCOPE_TIER);
    if (rc == SERVGAP_OK)
        rc = parse_touchpoint(im, servgap__field(im, P_TOUCHPOINT), &p->tp);
    if (rc == SERVGAP_OK)
        rc = parse_metric(im, servgap__field(im, P_METRIC), &p->metric, &p->dimension);
    if (rc == SERVGAP_OK)
        rc = parse_gap(im, servgap__field(im, P_GAP), &p->gap);
    if (rc == SERVGAP_OK)
        rc = servgap__check_field_name(im, servgap__field(im, P_OWNER), "owner");
    if (rc == SERVGAP_OK)
        rc = servgap__parse_field_date_or_none(im, servgap__field(im, P_DEADLINE), "deadline",
                                               &p->deadline);
    if (rc == SERVGAP_OK)
        rc = servgap__parse_field_number(im, servgap__field(im, P_TARGET), "target", &p->target);
    return rc == SERVGAP_OK ? parse_window(im, p) : rc;
}

static int import_plan(servgap__importer *im)
{
    servgap__plan p = {-1,
                       0,
                       0,
                       0,
                       0,
                       0,
                       0,
                       SERVGAP_OUTCOME_NONE,
                       SERVGAP_TIME_NONE,
                       SERVGAP_TIME_NONE,
                       0.0,
                       SERVGAP_TIME_NONE,
                       SERVGAP_TIME_NONE};
    int rc = parse_plan(im, &p);
    if (rc != SERVGAP_OK)
        return rc;
    const servgap__csv_field *fo = servgap__field(im, P_OWNER);
    if (im->ctx->nplans >= INT32_MAX)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ELIMIT, fo, "more than 2^31-1 plan items");
    int32_t id;
    if (servgap__plan_append(im->ctx, p, fo->s, fo->len, &id) != 0)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ENOMEM, fo, "out of memory");
    return SERVGAP_OK;
}

const servgap__import_table servgap__plans_table = {{"scope", "touchpoint", "metric", "gap",
                                                     "owner", "deadline", "target", "baseline_from",
                                                     "baseline_to"},
                                                    9,
                                                    0x7f,
                                                    import_plan};
