/*
 * html.h -- what the files of the HTML page (--html FILE) share.
 *
 *   html.c          the document: head, navigation, the overview, the order
 *                   of the sections, the file
 *   html_out.c      text, attributes, numbers and embedded JSON made safe
 *                   for HTML; the numbers tagged with the JSON report's path
 *   html_matrix.c   the impact-versus-effort matrix and its list of points
 *   html_chain.c    the chain of one cell: the picture of the five gaps
 *   html_tiers.c    per tier: dimension gaps and the zone of tolerance
 *   html_trends.c   the top findings' gap per window
 *   html_teams.c    where delivery and communication gaps concentrate
 *   html_accounts.c the accounts table's first page
 *   html_data.c     the JSON the page's script pages, sorts and drills down
 *   html_plans.c    the plans table
 *   html_assets.c   (generated at build time from html_page.css and
 *                   html_page.js by embed_assets.py)
 *
 * Every section reads the one result the JSON report is written from,
 * through the public accessors, and computes nothing the library did not:
 * it counts, sorts and draws. A number shown carries data-j="PATH", its
 * place in the JSON report ("priorities.0.impact"), so that a test can
 * compare what the page shows with the report; a count the page derives
 * carries data-c="WHAT" instead.
 */
#ifndef SERVGAP_HTML_H
#define SERVGAP_HTML_H

#include "report.h"

/* Gap types, quadrants and outcomes by their JSON names. */
#define GAP_NAME(g) (servgap_gap_name(g) ? servgap_gap_name(g) : "?")

/* The charts: at most this many findings in the matrix and the trends,
 * cells in the chain pictures, and accounts on the table's static page. */
#define HTML_MATRIX_MAX   250
#define HTML_TRENDS_MAX   6
#define HTML_CHAINS_MAX   6
#define HTML_ACCOUNT_PAGE 50

/* What the sections share, read once from the handle and the result. */
typedef struct html_doc {
    FILE *f;
    servgap_ctx *ctx;
    const servgap_result *r;
    const report_opts *o;
    size_t n_findings, n_accounts;
    int summary; /* the summary level (--level): only accounts with something to act on */
    int32_t n_tiers;
    double confidence, windows, impact_cut, effort_cut;
} html_doc;

/* html_out.c. Text made visible already goes out through put_markup
 * (report.h): & < > " ' escaped, fit for text and for quoted attributes.
 * h_visible makes raw text visible first; h_name and the others write a
 * fmt.c label the same way. */
void h_visible(FILE *f, const char *raw);
void h_name(FILE *f, servgap_ctx *ctx, int32_t kind, int32_t id);
void h_scope(FILE *f, servgap_ctx *ctx, int32_t scope_kind, int32_t scope_id);
void h_touchpoint(FILE *f, servgap_ctx *ctx, int32_t touchpoint);
void h_metric(FILE *f, servgap_ctx *ctx, int32_t metric, int32_t dimension);
/* A number as printf spec formats it, in a span tagged with the JSON path
 * that path_fmt builds (NULL: untagged); NaN shows as an en dash. */
void h_num(FILE *f, const char *spec, double v, const char *path_fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* A date of the result, as the JSON report writes it, tagged likewise. */
void h_date(FILE *f, int64_t t, const char *path_fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* A count the page derives, tagged data-c="what". */
void h_count(FILE *f, long long n, const char *what);
/* Embedded JSON: a string with everything that could end a <script>
 * element escaped, and a number that reads back as the same double
 * (null for NaN and infinities). */
void j_str(FILE *f, const char *raw);
void j_visible(FILE *f, const char *raw);
void j_num(FILE *f, double v);
/* A finding's "scope / touchpoint / metric / gap" title text. */
void h_finding_name(FILE *f, servgap_ctx *ctx, const servgap_finding *fd);
/* The colour class of a gap type: "g0" .. "g6" (html_page.css). */
const char *gap_class(int32_t gap);
/* A round axis step giving at most about target intervals up to span. */
double axis_step(double span, int target);

/* The sections, in page order. */
void html_overview(const html_doc *d);
int html_matrix(const html_doc *d);
int html_chains(const html_doc *d);
void html_tiers(const html_doc *d);
int html_trends(const html_doc *d);
int html_teams(const html_doc *d);
int html_accounts(const html_doc *d);
void html_plans(const html_doc *d);
/* html_chain.c: the picture of one cell (index cell) and its table. */
void html_chain_figure(const html_doc *d, size_t cell, const char *caption);

/* What the accounts table shows of one account (html_accounts.c), also
 * embedded for the script (html_data.c). */
typedef struct acc_row {
    servgap_account a; /* name borrowed from the handle */
    size_t risk_row;   /* its row of the risk table; SIZE_MAX: none */
    servgap_risk risk;
    int32_t findings;  /* findings of the account's own scope */
    uint32_t triggers; /* bit k: a trigger of kind k, other than quarterly */
    int64_t review;    /* the quarterly review date; SERVGAP_TIME_NONE: none */
    int32_t plans;     /* plans of the account's own scope */
} acc_row;

/* html_accounts.c: whether the page lists account x. At the summary
 * level an account is listed only when it has something to act on: a
 * finding, an ad-hoc trigger, a plan, the at-risk flag or a window short;
 * the full level lists every account. */
int acc_listed(const html_doc *d, const acc_row *x);

/* html_data.c: the <script type="application/json"> element. */
int html_data(const html_doc *d, const acc_row *rows);

/* html_assets.c (generated). */
extern const char html_css[], html_js[];
extern const size_t html_css_len, html_js_len;

#endif /* SERVGAP_HTML_H */
