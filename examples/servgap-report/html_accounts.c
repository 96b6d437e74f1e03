/*
 * html_accounts.c -- the accounts section of the HTML page: its first
 * page as static HTML, and what each account's row shows.
 *
 * With 100,000 accounts a table of every account would be a page no
 * browser lays out quickly, so the HTML holds one page of rows, the
 * accounts most at risk first (then by value), and the script
 * (html_page.js) sorts, filters, pages and drills down over the embedded
 * rows of every account (html_data.c). Without JavaScript the first page
 * still reads, and the section says how many accounts there are. At the
 * summary level the page holds only the accounts with something to act
 * on (acc_listed), so that 100,000 quiet accounts cost nothing to write
 * or to load.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>

#include "html.h"

static int load_accounts(const html_doc *d, acc_row *rows)
{
    for (size_t i = 0; i < d->n_accounts; i++) {
        INIT(rows[i].a);
        INIT(rows[i].risk);
        rows[i].risk_row = SIZE_MAX;
        rows[i].review = SERVGAP_TIME_NONE;
        if (servgap_account_info(d->ctx, (int32_t)i, &rows[i].a) != SERVGAP_OK)
            return -1;
    }
    size_t n = servgap_result_count(d->r, SERVGAP_TABLE_RISK);
    for (size_t i = 0; i < n; i++) {
        servgap_risk k;
        INIT(k);
        if (servgap_result_risk(d->r, i, &k) == SERVGAP_OK && k.account >= 0 &&
            (size_t)k.account < d->n_accounts) {
            rows[k.account].risk = k;
            rows[k.account].risk_row = i;
        }
    }
    return 0;
}

/* Each account's own findings, ad-hoc triggers, review date and plans. */
static void count_per_account(const html_doc *d, acc_row *rows)
{
    size_t nt = servgap_result_count(d->r, SERVGAP_TABLE_TRIGGERS);
    size_t np = servgap_result_count(d->r, SERVGAP_TABLE_PLANS);
    for (size_t i = 0; i < d->n_findings; i++) {
        servgap_finding fd;
        INIT(fd);
        if (servgap_result_finding(d->r, i, &fd) == SERVGAP_OK &&
            fd.scope_kind == SERVGAP_SCOPE_ACCOUNT && (size_t)fd.scope_id < d->n_accounts)
            rows[fd.scope_id].findings++;
    }
    for (size_t i = 0; i < nt; i++) {
        servgap_trigger t;
        INIT(t);
        if (servgap_result_trigger(d->r, i, &t) != SERVGAP_OK || t.account < 0 ||
            (size_t)t.account >= d->n_accounts || t.kind < 1 || t.kind > 31)
            continue;
        if (t.kind == SERVGAP_TRIGGER_QUARTERLY_REVIEW)
            rows[t.account].review = t.date;
        else
            rows[t.account].triggers |= 1u << t.kind;
    }
    for (size_t i = 0; i < np; i++) {
        servgap_plan_status p;
        INIT(p);
        if (servgap_result_plan(d->r, i, &p) == SERVGAP_OK &&
            p.scope_kind == SERVGAP_SCOPE_ACCOUNT && (size_t)p.scope_id < d->n_accounts)
            rows[p.scope_id].plans++;
    }
}

int acc_listed(const html_doc *d, const acc_row *x)
{
    return !d->summary || x->findings > 0 || x->triggers != 0 || x->plans > 0 || x->a.at_risk ||
           (x->risk_row != SIZE_MAX && x->risk.with_shortfall > 0);
}

static const acc_row *sort_rows; /* qsort has no user pointer */

/* Most at risk first, then the largest value, then by id. */
static int by_risk(const void *a, const void *b)
{
    const acc_row *x = &sort_rows[*(const size_t *)a], *y = &sort_rows[*(const size_t *)b];
    double rx = isfinite(x->risk.risk) ? x->risk.risk : -1;
    double ry = isfinite(y->risk.risk) ? y->risk.risk : -1;
    if (rx != ry)
        return rx > ry ? -1 : 1;
    if (x->a.value != y->a.value)
        return x->a.value > y->a.value ? -1 : 1;
    return (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

static void trigger_badges(FILE *f, uint32_t kinds)
{
    for (int32_t k = SERVGAP_TRIGGER_RENEWAL; k < SERVGAP_TRIGGER_QUARTERLY_REVIEW; k++)
        if (kinds & (1u << k))
            fprintf(f, "<span class=\"badge\">%s</span>", servgap_trigger_name(k));
}

static void row_cells(const html_doc *d, const acc_row *x)
{
    FILE *f = d->f;
    size_t k = x->risk_row;
    fputs("<td>", f);
    if (x->a.tier >= 0)
        h_name(f, d->ctx, SERVGAP_KIND_TIER, x->a.tier);
    fputs("</td><td class=\"num\">", f);
    if (k != SIZE_MAX)
        h_num(f, NULL, x->risk.value, "risk.%zu.value", k);
    else
        h_num(f, NULL, x->a.value, NULL);
    fputs("</td><td class=\"num\">", f);
    h_num(f, "%.0f", x->a.health, NULL);
    fputs("</td><td class=\"num\">", f);
    if (k != SIZE_MAX) {
        h_num(f, "%.2f", x->risk.risk, "risk.%zu.risk", k);
        fputs("</td><td class=\"num\">", f);
        h_num(f, "%.0f", (double)x->risk.with_shortfall, "risk.%zu.with_shortfall", k);
        fprintf(f, "/%d</td><td class=\"num\">", (int)x->risk.windows);
        h_num(f, "%+.2f", x->risk.worst_normalized, "risk.%zu.worst_normalized", k);
    } else {
        fputs("&ndash;</td><td></td><td>", f);
    }
    fprintf(f, "</td><td class=\"num\">%d</td><td>", (int)x->findings);
    trigger_badges(f, x->triggers);
    if (x->a.at_risk)
        fputs("<span class=\"badge warn\">at risk</span>", f);
    if (x->a.churned)
        fputs("<span class=\"badge\">churned</span>", f);
    fprintf(f, "</td><td class=\"num\">%d</td></tr>\n", (int)x->plans);
}

static void first_page(const html_doc *d, const acc_row *rows, const size_t *order, size_t n)
{
    FILE *f = d->f;
    fputs("<div class=\"scroll\"><table class=\"grid\" id=\"acc-table\"><thead><tr>"
          "<th data-k=\"name\">account</th><th data-k=\"tier\">tier</th><th data-k=\"value\">"
          "value</th><th data-k=\"health\">health</th><th data-k=\"risk\">risk</th>"
          "<th data-k=\"windows\">windows short</th><th data-k=\"worst\">worst</th>"
          "<th data-k=\"findings\">findings</th><th data-k=\"triggers\">triggers</th>"
          "<th data-k=\"plans\">plans</th></tr></thead><tbody id=\"acc-body\">\n",
          f);
    for (size_t i = 0; i < n; i++) {
        const acc_row *x = &rows[order[i]];
        fprintf(f, "<tr data-a=\"%zu\"><th scope=\"row\">", order[i]);
        h_visible(f, x->a.name);
        fputs("</th>", f);
        row_cells(d, x);
    }
    fputs("</tbody></table></div>\n", f);
}

static void section_head(const html_doc *d, size_t listed, size_t shown)
{
    FILE *f = d->f;
    double auc = NAN;
    int64_t churned = 0, retained = 0;
    fputs("<section id=\"accounts\" aria-labelledby=\"h-accounts\">\n<h2 id=\"h-accounts\">"
          "Accounts</h2>\n<p class=\"note\">",
          f);
    h_count(f, (long long)listed, "accounts");
    if (d->summary)
        fprintf(f,
                " of %zu accounts have something to act on (a finding, a trigger, a plan, "
                "the at-risk flag or a window short) and are listed here; --level full lists "
                "every account. Risk:",
                d->n_accounts);
    else
        fputs(" accounts; risk:", f);
    fprintf(f, " the gap-persistence risk over the last %.0f windows. ", d->windows);
    if (servgap_result_risk_auc(d->r, &auc, &churned, &retained) == SERVGAP_OK && !isnan(auc)) {
        fputs("It ranks the churned against the retained accounts with a ROC AUC of ", f);
        h_num(f, "%.2f", auc, "auc.value");
        fputs(". ", f);
    }
    fprintf(f,
            "<noscript>Shown: the %zu accounts most at risk; with JavaScript the table "
            "sorts, filters, pages and opens each account's findings, triggers and "
            "plans.</noscript></p>\n",
            shown);
    fputs("<div class=\"controls\" id=\"acc-controls\" hidden><input type=\"search\" "
          "id=\"acc-q\" placeholder=\"filter by name\" aria-label=\"filter accounts by name\">"
          "<select id=\"acc-tier\" aria-label=\"tier\"><option value=\"\">every tier</option>"
          "</select><label><input type=\"checkbox\" id=\"acc-trig\"> with triggers</label>"
          "<label><input type=\"checkbox\" id=\"acc-find\"> with findings</label>"
          "<label><input type=\"checkbox\" id=\"acc-risk\"> flagged at risk</label>"
          "<span id=\"acc-count\" aria-live=\"polite\"></span></div>\n",
          f);
}

int html_accounts(const html_doc *d)
{
    acc_row *rows = calloc(d->n_accounts ? d->n_accounts : 1, sizeof *rows);
    size_t *order = calloc(d->n_accounts ? d->n_accounts : 1, sizeof *order);
    size_t listed = 0;
    int rc = -1;
    if (rows == NULL || order == NULL || load_accounts(d, rows) != 0)
        goto done;
    count_per_account(d, rows);
    for (size_t i = 0; i < d->n_accounts; i++)
        if (acc_listed(d, &rows[i]))
            order[listed++] = i;
    sort_rows = rows;
    qsort(order, listed, sizeof *order, by_risk);
    size_t shown = listed < HTML_ACCOUNT_PAGE ? listed : HTML_ACCOUNT_PAGE;
    section_head(d, listed, shown);
    first_page(d, rows, order, shown);
    fputs("<div class=\"pager\" id=\"acc-pager\" hidden></div>\n</section>\n", d->f);
    rc = html_data(d, rows);
done:
    free(rows);
    free(order);
    return rc;
}
