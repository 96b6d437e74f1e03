/*
 * triggers.c -- the accounts to review: the review triggers the library
 * raised (renewal, CSAT spike, migration, hidden gap), each said in plain
 * words and with the account's open shortfalls, and apart from them the
 * routine quarterly reviews that every account gets.
 *
 * A quarterly review is a date on the calendar, not news: counted among
 * the triggers it buried the four or five accounts that need a call now
 * under forty that do not. The evidence of each trigger comes from the
 * result's trigger row; its test statistics (z, Fisher's p, intervals) are
 * in the library's detail line, which --detail prints instead.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static long long days_between(int64_t from, int64_t to)
{
    return (long long)((to - from) / SERVGAP_DAY);
}

static void spike_words(FILE *out, servgap_ctx *ctx, const servgap_trigger *t)
{
    double recent = 14, baseline = 180;
    servgap_ctx_get_option(ctx, SERVGAP_OPT_SPIKE_RECENT_DAYS, &recent);
    servgap_ctx_get_option(ctx, SERVGAP_OPT_SPIKE_BASELINE_DAYS, &baseline);
    fprintf(out,
            "%.1f%% of the answers negative in the last %.0f days (%lld of %lld), against "
            "%.1f%% (%lld of %lld) in the %.0f days before",
            t->after * 100, recent, (long long)t->count, (long long)t->n_after, t->before * 100,
            (long long)llround(t->before * (double)t->n_before), (long long)t->n_before, baseline);
}

/* Scores are shares of the best answer, so metrics of any scale compare;
 * the interval of the change says whether it is a change at all. */
static void migration_words(FILE *out, const servgap_trigger *t, int64_t now)
{
    fprintf(out, "migrated %lld days ago; ", days_between(t->date, now));
    if (isnan(t->lo) || isnan(t->hi) || isnan(t->after)) {
        fprintf(out, "too few answers to compare (%lld before, %lld after)", (long long)t->n_before,
                (long long)t->n_after);
        return;
    }
    fprintf(out, "scores %.0f%% of the best before (%lld answers), %.0f%% after (%lld): %s",
            t->before * 100, (long long)t->n_before, t->after * 100, (long long)t->n_after,
            t->hi < 0   ? "a clear drop"
            : t->lo > 0 ? "a clear rise"
                        : "no clear change yet");
}

/* What the trigger says, in a support leader's words; the library's own
 * line with --detail, and for a hidden gap, whose line already says it so. */
static void trigger_words(FILE *out, servgap_ctx *ctx, const servgap_trigger *t, int64_t now,
                          int detail)
{
    if (!detail && t->kind == SERVGAP_TRIGGER_RENEWAL)
        fprintf(out, "renews in %lld days", days_between(now, t->date));
    else if (!detail && t->kind == SERVGAP_TRIGGER_CSAT_SPIKE)
        spike_words(out, ctx, t);
    else if (!detail && t->kind == SERVGAP_TRIGGER_MIGRATION)
        migration_words(out, t, now);
    else /* --detail, a hidden gap, or a kind newer than this program */
        put_visible(out, t->detail ? t->detail : "");
    fputc('\n', out);
}

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

void section_triggers(FILE *out, servgap_ctx *ctx, const servgap_result *r, const report_opts *o)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_TRIGGERS), listed = trigger_count(r, 0);
    int64_t now = SERVGAP_TIME_NONE;
    char date[11], acc[LABEL_CAP];
    servgap_result_now(r, &now);
    date_format(now, date);
    fprintf(out, "\n== Review triggers as of %s: %zu to act on now ==\n", date, listed);
    if (listed == 0) {
        fputs("  no renewal, CSAT spike, migration or hidden-gap trigger\n", out);
        return;
    }
    fprintf(out, "  %-22s %-12s %-10s  %s\n", "account", "trigger", "date", "why");
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
        trigger_words(out, ctx, &t, now, o->detail);
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
