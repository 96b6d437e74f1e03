/*
 * triggers.c -- the accounts to review: the review triggers the library
 * raised (renewal, CSAT spike, migration, hidden gap), each with its
 * evidence and the account's open shortfalls, and apart from them the
 * routine quarterly reviews that every account gets.
 *
 * A quarterly review is a date on the calendar, not news: counted among
 * the triggers it buried the four or five accounts that need a call now
 * under forty that do not. The evidence of each trigger is the library's
 * detail line; the open shortfalls under it are the account's, read from
 * the result's cells (account.c).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

size_t trigger_count(const servgap_result *r, int quarterly)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_TRIGGERS), k = 0;
    for (size_t i = 0; i < n; i++) {
        servgap_trigger t;
        INIT(t);
        if (servgap_result_trigger(r, i, &t) == SERVGAP_OK &&
            (t.kind == SERVGAP_TRIGGER_QUARTERLY_REVIEW) == quarterly)
            k++;
    }
    return k;
}

void section_triggers(FILE *out, servgap_ctx *ctx, const servgap_result *r)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_TRIGGERS), listed = trigger_count(r, 0);
    int64_t now = SERVGAP_TIME_NONE;
    char date[11], acc[LABEL_CAP];
    servgap_result_now(r, &now);
    date_format(now, date);
    fprintf(out, "\n== Review triggers as of %s: %zu, apart from the routine reviews ==\n", date,
            listed);
    if (listed == 0) {
        fputs("  no renewal, CSAT spike, migration or hidden-gap trigger\n", out);
        return;
    }
    fprintf(out, "  %-22s %-12s %-10s  %s\n", "account", "trigger", "date", "detail");
    for (size_t i = 0; i < n; i++) {
        servgap_trigger t;
        INIT(t);
        if (servgap_result_trigger(r, i, &t) != SERVGAP_OK ||
            t.kind == SERVGAP_TRIGGER_QUARTERLY_REVIEW)
            continue;
        const char *kind = servgap_trigger_name(t.kind);
        date_format(t.date, date);
        fprintf(out, "  %-22s %-12s %-10s  ",
                kind_name(ctx, SERVGAP_KIND_ACCOUNT, t.account, acc, sizeof acc), kind ? kind : "?",
                date);
        put_visible(out, t.detail ? t.detail : "");
        fputc('\n', out);
        open_shortfalls_line(out, ctx, r, t.account, 4);
    }
    fputs("  (open shortfalls: the account's significant shortfalls in the window, each metric "
          "and gap once,\n   largest first as a share of the metric's scale)\n",
          out);
}

typedef struct review {
    int64_t date;
    int32_t account;
} review;

static int cmp_review(const void *a, const void *b)
{
    const review *x = a, *y = b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return (x->account > y->account) - (x->account < y->account);
}

/* The quarterly reviews, by date; NULL when there are none (or no memory). */
static review *collect_reviews(const servgap_result *r, size_t *m)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_TRIGGERS);
    review *v = malloc((n ? n : 1) * sizeof *v);
    *m = 0;
    if (v == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        servgap_trigger t;
        INIT(t);
        if (servgap_result_trigger(r, i, &t) == SERVGAP_OK &&
            t.kind == SERVGAP_TRIGGER_QUARTERLY_REVIEW)
            v[(*m)++] = (review){t.date, t.account};
    }
    qsort(v, *m, sizeof *v, cmp_review);
    return v;
}

/* The lines are wrapped at this width, the continuation under the first
 * entry. */
#define REVIEW_WIDTH  100
#define REVIEW_INDENT 16

/* One month's reviews from v[i]: "  2027-01  (14)  01 name, 01 name, ..."
 * wrapped; returns the index after them. */
static size_t review_month(FILE *out, servgap_ctx *ctx, const review *v, size_t m, size_t i)
{
    char day[11], first[11], name[LABEL_CAP];
    size_t end = i, col = REVIEW_INDENT;
    date_format(v[i].date, first);
    while (end < m && (date_format(v[end].date, day), !strncmp(day, first, 7)))
        end++;
    int head = fprintf(out, "  %.7s (%zu)", first, end - i);
    fprintf(out, "%*s", head + 2 < REVIEW_INDENT ? REVIEW_INDENT - head : 2, "");
    for (size_t k = i; k < end; k++) {
        date_format(v[k].date, day);
        const char *who = kind_name(ctx, SERVGAP_KIND_ACCOUNT, v[k].account, name, sizeof name);
        size_t w = strlen(who) + 5;
        if (k > i && col + w > REVIEW_WIDTH) {
            fprintf(out, ",\n%*s", REVIEW_INDENT, "");
            col = REVIEW_INDENT;
        } else if (k > i) {
            fputs(", ", out);
        }
        fprintf(out, "%s %s", day + 8, who);
        col += w;
    }
    fputc('\n', out);
    return end;
}

void section_reviews(FILE *out, servgap_ctx *ctx, const servgap_result *r)
{
    size_t m = 0;
    review *v = collect_reviews(r, &m);
    fprintf(out,
            "\n== Routine quarterly reviews: the next formal review of each account (%zu) ==\n", m);
    if (m == 0)
        fputs("  no account\n", out);
    for (size_t i = 0; i < m;)
        i = review_month(out, ctx, v, m, i);
    if (m > 0)
        fputs("  (by month, each review's day and account; --json has each review's detail)\n",
              out);
    free(v);
}
