/*
 * account.c -- what the result holds for one account, so that every part
 * of the report that speaks of an account says the same: its open
 * shortfalls (the ones its renewal trigger counts) and the findings of the
 * priorities that name it.
 *
 * Open shortfalls follow the library's own rule (docs/remediation.md,
 * "Open shortfalls"): a gap row with status shortfall, of any gap type, in
 * a metric cell of the account at a touchpoint or over all of them, each
 * (metric, gap type) once at the place where it is largest, dimension
 * roll-ups left out; the largest first by normalized value, a tie to the
 * lower metric id, then the lower gap type. So a renewal line names the
 * shortfalls the library counted, and another trigger's line names them
 * the same way. The findings that name an account are its own (a finding
 * that repeats its tier's counts as that tier finding, its root cause) and
 * those of its tier that list it among their affected accounts.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>

#include "report.h"

/* The rank of a cell's scope in the order of the cells: tiers first. */
static int scope_order(int32_t kind, int32_t id, int32_t other_kind, int32_t other_id)
{
    int a = kind == SERVGAP_SCOPE_TIER ? 0 : 1, b = other_kind == SERVGAP_SCOPE_TIER ? 0 : 1;
    if (a != b)
        return a < b ? -1 : 1;
    return (id > other_id) - (id < other_id);
}

/* The first cell of account, or the cell count when it has none: cells
 * come sorted by scope, so a binary search finds its run. */
static size_t first_cell(const servgap_result *r, int32_t account)
{
    size_t lo = 0, hi = servgap_result_count(r, SERVGAP_TABLE_CELLS);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        servgap_cell c;
        INIT(c);
        if (servgap_result_cell(r, mid, &c) != SERVGAP_OK)
            return servgap_result_count(r, SERVGAP_TABLE_CELLS);
        if (scope_order(c.scope_kind, c.scope_id, SERVGAP_SCOPE_ACCOUNT, account) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int before(const open_shortfall *a, const open_shortfall *b)
{
    if (a->normalized != b->normalized)
        return a->normalized < b->normalized;
    if (a->metric != b->metric)
        return a->metric < b->metric;
    return a->gap < b->gap;
}

/* x into the list of distinct (metric, gap), its larger instance kept and
 * the list in order; returns the new length. */
static size_t keep(open_shortfall *list, size_t n, const open_shortfall *x)
{
    size_t k = 0;
    while (k < n && !(list[k].metric == x->metric && list[k].gap == x->gap))
        k++;
    if (k < n && !before(x, &list[k]))
        return n;
    if (k == n)
        n++;
    for (; k > 0 && before(x, &list[k - 1]); k--)
        list[k] = list[k - 1];
    list[k] = *x;
    return n;
}

/* The shortfalls of cell i of account into list (room for every distinct
 * (metric, gap) of the account: SERVGAP_GAP_COUNT per metric cell). */
static size_t cell_shortfalls(const servgap_result *r, size_t i, const servgap_cell *c,
                              open_shortfall *list, size_t n)
{
    for (int32_t g = 0; g < SERVGAP_GAP_COUNT; g++) {
        servgap_gap gap;
        INIT(gap);
        if (servgap_result_gap(r, i, g, &gap) != SERVGAP_OK ||
            gap.status != SERVGAP_STATUS_SHORTFALL)
            continue;
        open_shortfall x = {c->touchpoint, c->metric, g, gap.value, gap.normalized};
        n = keep(list, n, &x);
    }
    return n;
}

/* The end of the run of cells of account that starts at i. */
static size_t run_end(const servgap_result *r, int32_t account, size_t i, size_t *metric_cells)
{
    size_t cells = servgap_result_count(r, SERVGAP_TABLE_CELLS);
    *metric_cells = 0;
    for (; i < cells; i++) {
        servgap_cell c;
        INIT(c);
        if (servgap_result_cell(r, i, &c) != SERVGAP_OK || c.scope_kind != SERVGAP_SCOPE_ACCOUNT ||
            c.scope_id != account)
            break;
        *metric_cells += c.metric != SERVGAP_ALL;
    }
    return i;
}

open_shortfall *open_shortfalls(const servgap_result *r, int32_t account, size_t *n)
{
    size_t metric_cells, i = first_cell(r, account), end = run_end(r, account, i, &metric_cells);
    open_shortfall *list =
        malloc((metric_cells ? metric_cells : 1) * SERVGAP_GAP_COUNT * sizeof *list);
    *n = 0;
    if (list == NULL)
        return NULL;
    for (; i < end; i++) {
        servgap_cell c;
        INIT(c);
        if (servgap_result_cell(r, i, &c) == SERVGAP_OK && c.metric != SERVGAP_ALL)
            *n = cell_shortfalls(r, i, &c, list, *n);
    }
    return list;
}

void open_shortfalls_line(FILE *out, servgap_ctx *ctx, const servgap_result *r, int32_t account,
                          int indent)
{
    size_t n = 0;
    open_shortfall *list = open_shortfalls(r, account, &n);
    if (list == NULL)
        return;
    if (n == 0)
        fprintf(out, "%*sno open shortfall in this window\n", indent, "");
    for (size_t k = 0; k < n && k < 3; k++) {
        char tp[LABEL_CAP], metric[LABEL_CAP], unit[LABEL_CAP];
        const char *u = metric_unit(ctx, list[k].metric, unit, sizeof unit);
        fprintf(out, k ? "; " : "%*s%zu open shortfall%s: ", indent, "", n, n == 1 ? "" : "s");
        fprintf(out, "%s %s %s %+.2f%s%s",
                list[k].touchpoint == SERVGAP_ALL
                    ? "all touchpoints"
                    : touchpoint_label(ctx, list[k].touchpoint, tp, sizeof tp),
                metric_label(ctx, list[k].metric, SERVGAP_DIM_COUNT, metric, sizeof metric),
                gap_label(list[k].gap, SERVGAP_STATUS_SHORTFALL, 0), list[k].value, *u ? " " : "",
                u);
    }
    if (n > 3)
        fprintf(out, "; and %zu more", n - 3);
    if (n > 0)
        fputc('\n', out);
    free(list);
}

/* Per account, the findings that name it (indices, ascending, once):
 * account a's run idx[start[a]] .. idx[start[a + 1]). */
struct account_findings {
    size_t naccounts;
    size_t *start;
    size_t *idx;
};

/* The accounts finding f names, into *ids (grown as needed): the account
 * of an account finding, a tier finding's affected accounts. */
static size_t named_accounts(const servgap_result *r, size_t i, const servgap_finding *f,
                             int32_t **ids, size_t *cap)
{
    size_t n = 0;
    if (f->scope_kind == SERVGAP_SCOPE_ACCOUNT) {
        (*ids)[0] = f->scope_id;
        return 1;
    }
    if (servgap_result_finding_accounts(r, i, NULL, 0, &n) != SERVGAP_OK)
        return 0;
    if (n > *cap) {
        int32_t *grown = realloc(*ids, n * sizeof *grown);
        if (grown == NULL)
            return 0;
        *ids = grown;
        *cap = n;
    }
    if (servgap_result_finding_accounts(r, i, *ids, *cap, &n) != SERVGAP_OK)
        return 0;
    return n;
}

/* One pass over the findings: count (fill 0) or place (fill 1) each
 * finding's root under every account it names. */
static int each_named(const servgap_result *r, account_findings *a, size_t *at, int fill)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_FINDINGS), cap = 1;
    int32_t *ids = malloc(sizeof *ids);
    if (ids == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        servgap_finding f;
        INIT(f);
        if (servgap_result_finding(r, i, &f) != SERVGAP_OK)
            continue;
        size_t m = named_accounts(r, i, &f, &ids, &cap);
        for (size_t k = 0; k < m; k++) {
            if (ids[k] < 0 || (size_t)ids[k] >= a->naccounts)
                continue;
            if (fill)
                a->idx[at[ids[k]]++] = f.root != UINT64_MAX ? (size_t)f.root : i;
            else
                at[ids[k]]++;
        }
    }
    free(ids);
    return 0;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Sort each account's run and drop repeats (a member's root is also the
 * tier finding that lists the account), closing the gaps. */
static void sort_runs(account_findings *a)
{
    size_t out = 0;
    for (size_t acc = 0; acc < a->naccounts; acc++) {
        size_t from = a->start[acc], to = a->start[acc + 1];
        qsort(a->idx + from, to - from, sizeof *a->idx, cmp_size);
        a->start[acc] = out;
        for (size_t k = from; k < to; k++)
            if (k == from || a->idx[k] != a->idx[k - 1])
                a->idx[out++] = a->idx[k];
    }
    a->start[a->naccounts] = out;
}

account_findings *account_findings_new(servgap_ctx *ctx, const servgap_result *r)
{
    int32_t accounts = 0;
    account_findings *a = calloc(1, sizeof *a);
    size_t *at = NULL;
    if (a == NULL || servgap_count(ctx, SERVGAP_KIND_ACCOUNT, &accounts) != SERVGAP_OK)
        goto fail;
    a->naccounts = (size_t)accounts;
    a->start = calloc(a->naccounts + 1, sizeof *a->start);
    at = calloc(a->naccounts + 1, sizeof *at);
    if (a->start == NULL || at == NULL || each_named(r, a, at, 0) != 0)
        goto fail;
    for (size_t acc = 0; acc < a->naccounts; acc++)
        a->start[acc + 1] = a->start[acc] + at[acc];
    for (size_t acc = 0; acc < a->naccounts; acc++)
        at[acc] = a->start[acc];
    a->idx = malloc((a->start[a->naccounts] ? a->start[a->naccounts] : 1) * sizeof *a->idx);
    if (a->idx == NULL || each_named(r, a, at, 1) != 0)
        goto fail;
    sort_runs(a);
    free(at);
    return a;
fail:
    free(at);
    account_findings_free(a);
    return NULL;
}

void account_findings_free(account_findings *a)
{
    if (a == NULL)
        return;
    free(a->start);
    free(a->idx);
    free(a);
}

size_t account_findings_count(const account_findings *a, int32_t account)
{
    if (a == NULL || account < 0 || (size_t)account >= a->naccounts)
        return 0;
    return a->start[account + 1] - a->start[account];
}

/* "#3 tier:growth email first_response_hours communication"; an
 * account's own finding without its scope, which the heading names. */
static void put_finding(FILE *out, servgap_ctx *ctx, const servgap_result *r, size_t i)
{
    servgap_finding f;
    char scope[LABEL_CAP], tp[LABEL_CAP], metric[LABEL_CAP];
    INIT(f);
    if (servgap_result_finding(r, i, &f) != SERVGAP_OK)
        return;
    fprintf(out, "#%d ", (int)f.rank);
    if (f.scope_kind == SERVGAP_SCOPE_TIER)
        fprintf(out, "%s ", scope_label(ctx, f.scope_kind, f.scope_id, scope, sizeof scope));
    fprintf(out, "%s %s %s", touchpoint_label(ctx, f.touchpoint, tp, sizeof tp),
            metric_label(ctx, f.metric, f.dimension, metric, sizeof metric), finding_gap_label(&f));
}

void account_findings_line(FILE *out, servgap_ctx *ctx, const servgap_result *r,
                           const account_findings *a, int32_t account, int indent)
{
    size_t n = account_findings_count(a, account);
    if (n == 0) {
        fprintf(out, "%*sno finding of the priorities names it\n", indent, "");
        return;
    }
    fprintf(out, "%*sin the priorities: %zu finding%s", indent, "", n, n == 1 ? "" : "s");
    for (size_t k = 0; k < n && k < 3; k++) {
        fputs(k ? "; " : n > 3 ? ", the first: " : ": ", out);
        put_finding(out, ctx, r, a->idx[a->start[account] + k]);
    }
    if (n > 3)
        fprintf(out, "; and %zu more", n - 3);
    fputc('\n', out);
}
