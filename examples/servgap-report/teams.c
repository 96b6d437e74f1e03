/*
 * teams.c -- which teams a delivery or communication gap comes from: the
 * line under such a gap that names each team with how it stands against
 * the standard and against the promise ("squad-apac 4.10 h short of the
 * standard; enterprise-pod 1.08 h better than the standard").
 *
 * A gap of a whole tier can sit on one shift: the pooled number says that
 * the tier falls short, the team rows of the library's breakdown
 * (SERVGAP_TABLE_BREAKDOWN) say who. Those rows compare each team's
 * delivered values with the cell's standard (gap delivery) and, where the
 * cell has a promise, with the promise (gap communication), with the
 * library's interval and status; nothing is recomputed here. Team names
 * are data: they are printed made visible.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>

#include "report.h"

/* The first team row of each cell: the rows come grouped by cell, teams
 * first, so a cell's team rows run from there. */
struct team_rows {
    size_t ncells;
    size_t *first; /* SIZE_MAX: the cell has no team row */
};

/* How one team stands against the standard and against the promise. */
typedef struct stand {
    int32_t team;
    servgap_breakdown row[2]; /* [0]: against the standard, [1]: against the promise */
    int has[2];
    int order;  /* 0: a value on the line's side, 1: a row without one, 2: no row */
    double key; /* that value */
} stand;

/* At most this many teams are named; the line counts the rest. */
#define TEAMS_NAMED 3

team_rows *team_rows_new(const servgap_result *r)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_BREAKDOWN);
    team_rows *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->ncells = servgap_result_count(r, SERVGAP_TABLE_CELLS);
    t->first = malloc((t->ncells ? t->ncells : 1) * sizeof *t->first);
    if (t->first == NULL) {
        free(t);
        return NULL;
    }
    for (size_t c = 0; c < t->ncells; c++)
        t->first[c] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        servgap_breakdown b;
        INIT(b);
        if (servgap_result_breakdown(r, i, &b) == SERVGAP_OK && b.facet == SERVGAP_FACET_TEAM &&
            b.cell < t->ncells && t->first[b.cell] == SIZE_MAX)
            t->first[b.cell] = i;
    }
    return t;
}

void team_rows_free(team_rows *t)
{
    if (t == NULL)
        return;
    free(t->first);
    free(t);
}

/* The team rows of cell into stands (one per team), their number in *n;
 * NULL when there are none (or no memory, which only drops the line). */
static stand *collect(const servgap_result *r, const team_rows *t, size_t cell, size_t *n)
{
    size_t total = servgap_result_count(r, SERVGAP_TABLE_BREAKDOWN), cap = 0;
    stand *s = NULL;
    *n = 0;
    if (cell >= t->ncells || t->first[cell] == SIZE_MAX)
        return NULL;
    for (size_t i = t->first[cell]; i < total; i++) {
        servgap_breakdown b;
        INIT(b);
        if (servgap_result_breakdown(r, i, &b) != SERVGAP_OK || b.cell != cell ||
            b.facet != SERVGAP_FACET_TEAM)
            break;
        if (b.gap != SERVGAP_GAP_DELIVERY && b.gap != SERVGAP_GAP_COMMUNICATION)
            continue;
        if (*n == 0 || s[*n - 1].team != b.facet_id) {
            if (*n == cap) {
                size_t ncap = cap ? 2 * cap : 8;
                stand *ns = realloc(s, ncap * sizeof *ns);
                if (ns == NULL) {
                    free(s);
                    return NULL;
                }
                s = ns;
                cap = ncap;
            }
            s[(*n)++] = (stand){.team = b.facet_id};
        }
        int k = b.gap == SERVGAP_GAP_COMMUNICATION;
        s[*n - 1].row[k] = b;
        s[*n - 1].has[k] = 1;
    }
    return s;
}

/* Most negative first; a team without a value on the line's side last. */
static int cmp_stand(const void *a, const void *b)
{
    const stand *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    if (x->order == 0 && x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->team > y->team) - (x->team < y->team);
}

/* "4.10 h short of the standard": the library's status says whether the
 * team falls short, meets (the interval holds zero) or beats it. */
static void put_stand(FILE *out, const servgap_breakdown *b, const char *against, const char *unit)
{
    const char *sp = *unit ? " " : "";
    switch (b->status) {
    case SERVGAP_STATUS_SHORTFALL:
        fprintf(out, "%.2f%s%s short of the %s", fabs(b->value), sp, unit, against);
        break;
    case SERVGAP_STATUS_EXCEEDS:
        fprintf(out, "%.2f%s%s better than the %s", fabs(b->value), sp, unit, against);
        break;
    case SERVGAP_STATUS_MET:
        fprintf(out, "meets the %s", against);
        break;
    default:
        fprintf(out, "too few to judge against the %s", against);
    }
}

static void put_team(FILE *out, servgap_ctx *ctx, const stand *s, int side, const char *unit)
{
    static const char *const against[2] = {"standard", "promise"};
    char name[LABEL_CAP];
    fputs(kind_name(ctx, SERVGAP_KIND_TEAM, s->team, name, sizeof name), out);
    fputc(' ', out);
    put_stand(out, &s->row[side], against[side], unit);
    if (s->has[!side]) {
        fputs(", ", out);
        put_stand(out, &s->row[!side], against[!side], unit);
    }
}

void teams_line(FILE *out, servgap_ctx *ctx, const servgap_result *r, const team_rows *t,
                size_t cell, int32_t gap, int indent)
{
    servgap_cell c;
    char buf[LABEL_CAP];
    size_t n = 0, with_side = 0;
    int side = gap == SERVGAP_GAP_COMMUNICATION;
    stand *s;
    if (t == NULL || (gap != SERVGAP_GAP_DELIVERY && gap != SERVGAP_GAP_COMMUNICATION))
        return;
    INIT(c);
    if (servgap_result_cell(r, cell, &c) != SERVGAP_OK || (s = collect(r, t, cell, &n)) == NULL)
        return;
    for (size_t k = 0; k < n; k++) {
        s[k].key = s[k].row[side].value;
        s[k].order = !s[k].has[side] ? 2 : isnan(s[k].key) ? 1 : 0;
        with_side += s[k].has[side];
    }
    qsort(s, n, sizeof *s, cmp_stand);
    const char *unit = metric_unit(ctx, c.metric, buf, sizeof buf);
    for (size_t k = 0; k < with_side && k < TEAMS_NAMED; k++) {
        fprintf(out, k ? "; " : "%*steams: ", indent, "");
        put_team(out, ctx, &s[k], side, unit);
    }
    if (with_side > TEAMS_NAMED)
        fprintf(out, "; and %zu more", with_side - TEAMS_NAMED);
    if (with_side > 0)
        fputc('\n', out);
    free(s);
}
