/*
 * report.h -- what the files of servgap-report share: the parsed command
 * line, the load summary, and the entry points of each concern.
 *
 *   args.c  the command line, dates, --help
 *   load.c  importing the CSV tables into a handle
 *   visible.c  text from the data made safe to print (control characters
 *              made visible)
 *   fmt.c   names, labels and number formatting used by text.c and svg.c
 *   text.c  the readable text report
 *   plans.c the remediation plans in it, and the plan of each finding
 *   teams.c the teams behind a delivery or communication gap
 *   account.c  what the result holds for one account: its open shortfalls
 *              and the findings that name it
 *   triggers.c the review triggers and the routine quarterly reviews
 *   svg.c   the impact-versus-effort matrix as a standalone SVG
 *   html*.c the HTML page, one self-contained file (html.h)
 *   main.c  the order of things and the exit codes
 *
 * The program uses only the public header servgap.h and the C library.
 */
#ifndef SERVGAP_REPORT_H
#define SERVGAP_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "servgap.h"

#define PROG "servgap-report"

/* Zero a sized record of the API and set its size member, as every
 * accessor requires. */
#define INIT(var) (memset(&(var), 0, sizeof(var)), (var).size = sizeof(var))

/* Exit codes. */
#define EXIT_DATA  1 /* a data error: bad CSV, unreadable file, failed query */
#define EXIT_USAGE 2 /* a bad command line */

/* Which scopes the text report lists. */
#define BY_TIER    1
#define BY_ACCOUNT 2

typedef struct report_opts {
    const char *metrics, *accounts, *importance, *efforts; /* NULL: not given */
    const char *plans;                                     /* NULL: not given */
    const char **observations;                             /* the positional files */
    size_t n_observations;
    int64_t from, to, now; /* query window [from, to) and analysis date (TIME_NONE: default) */
    int by;                /* BY_TIER or BY_ACCOUNT */
    int detail;            /* 1: the statistical detail too (--detail) */
    int json;              /* 1: the JSON report instead of the text report */
    int level;             /* its SERVGAP_LEVEL_*: --level, else by --by */
    const char *svg;       /* NULL: no plot */
    const char *html;      /* NULL: no HTML page */
    int top;               /* gaps listed per scope */
    int priorities;        /* priority rows listed; 0: all */
    int threads;           /* SERVGAP_OPT_THREADS (--threads); 0: every core */
    char *owned[6];        /* paths built from --data, freed by args_free */
} report_opts;

/* args.c. Parse argv into *o. Returns 0 to go on, EXIT_USAGE after printing
 * the problem and the usage line to stderr, or -1 after printing --help or
 * --version to stdout (exit 0). */
int args_parse(int argc, char **argv, report_opts *o);
void args_free(report_opts *o);

/* Dates: "YYYY-MM-DD" <-> UTC seconds at midnight. date_parse returns 0 or
 * -1; date_format writes 11 bytes ("YYYY-MM-DD" and NUL). */
int date_parse(const char *s, int64_t *out);
void date_format(int64_t t, char out[11]);

/* load.c. Import every table named in o into ctx: metrics, accounts, the
 * observation files, importance, efforts, plans. On failure prints
 * "servgap-report: MESSAGE" and returns EXIT_DATA; 0 on success. */
int load_all(servgap_ctx *ctx, const report_opts *o);

/* visible.c (its comment has the escapes). visible writes s made visible
 * into buf (cap bytes, cut between characters if it must) and returns buf;
 * put_visible writes it to f. control_len is the length of the control
 * character at s: 1 for C0 and DEL, 2 for a C1 control in UTF-8, else 0. */
const char *visible(const char *s, char *buf, size_t cap);
void put_visible(FILE *f, const char *s);
size_t control_len(const char *s);
/* s as text of XML or HTML, its special characters escaped (visible.c). */
void put_markup(FILE *f, const char *s);

/* Room for any label of fmt.c: a name (at most 255 bytes, each printed as
 * at most 4 characters) behind a prefix such as "tier:". */
#define LABEL_CAP (4 * 255 + 16)

/* fmt.c. Names and units are copied into the caller's buffer (LABEL_CAP
 * bytes hold any name) made visible; a name the handle does not know
 * prints as "#ID". Fixed labels ("all", "dim:empathy") may be static. */
const char *kind_name(servgap_ctx *ctx, int32_t kind, int32_t id, char *buf, size_t cap);
const char *scope_label(servgap_ctx *ctx, int32_t scope_kind, int32_t scope_id, char *buf,
                        size_t cap);
const char *touchpoint_label(servgap_ctx *ctx, int32_t touchpoint, char *buf, size_t cap);
const char *metric_label(servgap_ctx *ctx, int32_t metric, int32_t dimension, char *buf,
                         size_t cap);
const char *metric_unit(servgap_ctx *ctx, int32_t metric, char *buf, size_t cap);
/* "delivery", or a joined span's "knowledge+standards" for an unresolved row. */
const char *gap_label(int32_t gap, int32_t status, uint32_t span);
/* The gap column of a finding: its gap, or "no standard" for a
 * no-standard finding (whose gap type is standards). */
const char *finding_gap_label(const servgap_finding *f);
/* The cell's classification: "delivery", a span name, "none", ... */
const char *class_label(const servgap_cell *c);
/* "quick win", "major project", "fill-in", "thankless". */
const char *quadrant_label(int32_t quadrant);
/* A number with thousands separators, rounded to a whole number. */
const char *fmt_money(double v, char *buf, size_t cap);
/* "%+.2f", or "-" for NaN. */
const char *fmt_num(double v, const char *spec, char *buf, size_t cap);
/* Print "servgap-report: " and the handle's message (or the code's text),
 * made visible: it may quote names from the data. */
void report_error(servgap_ctx *ctx, int rc, const char *what);

/* text.c. Write the text report of r; returns 0 or EXIT_DATA. */
int text_report(FILE *out, servgap_ctx *ctx, const servgap_result *r, const report_opts *o);

/* plans.c. The plan row of r that addresses finding i (the first, by plan
 * id) into *out: 1, or 0 when none does. finding_plan_label is what the
 * priorities print beside finding i: "  plan: OWNER, due DATE[, OVERDUE]",
 * "  no plan", or "" when r has no plan rows at all. section_plans writes
 * the plans section: each plan, its terms and its re-measurement. */
int plan_of_finding(const servgap_result *r, size_t finding, servgap_plan_status *out);
const char *finding_plan_label(const servgap_result *r, size_t finding, char *buf, size_t cap);
void section_plans(FILE *out, servgap_ctx *ctx, const servgap_result *r, double confidence);

/* teams.c. team_rows finds a cell's team breakdown rows (NULL: out of
 * memory). teams_line writes, under a delivery or communication gap of
 * cell, indented, "teams: " and how each team stands against the
 * standard and the promise, the worst on the gap first, at most three;
 * nothing for another gap or a cell without team rows. */
typedef struct team_rows team_rows;
team_rows *team_rows_new(const servgap_result *r);
void team_rows_free(team_rows *t);
void teams_line(FILE *out, servgap_ctx *ctx, const servgap_result *r, const team_rows *t,
                size_t cell, int32_t gap, int indent);

/* account.c. An open shortfall of an account, as its renewal trigger
 * counts them (docs/remediation.md). open_shortfalls returns them all,
 * largest first, their number in *n (free the array; NULL: out of
 * memory); open_shortfalls_line writes their number and the largest
 * three, indented. account_findings lists per account the findings of the
 * priorities that name it (a member by its root); account_findings_line
 * writes how many and the first three, indented. */
typedef struct open_shortfall {
    int32_t touchpoint, metric, gap;
    double value, normalized;
} open_shortfall;
open_shortfall *open_shortfalls(const servgap_result *r, int32_t account, size_t *n);
void open_shortfalls_line(FILE *out, servgap_ctx *ctx, const servgap_result *r, int32_t account,
                          int indent);
typedef struct account_findings account_findings;
account_findings *account_findings_new(servgap_ctx *ctx, const servgap_result *r);
void account_findings_free(account_findings *a);
size_t account_findings_count(const account_findings *a, int32_t account);
void account_findings_line(FILE *out, servgap_ctx *ctx, const servgap_result *r,
                           const account_findings *a, int32_t account, int indent);

/* triggers.c. The review triggers (renewal, CSAT spike, migration, hidden
 * gap), each with the account's open shortfalls; and the routine
 * quarterly reviews apart, by month. */
void section_triggers(FILE *out, servgap_ctx *ctx, const servgap_result *r, const report_opts *o);
/* The number of triggers of r: the routine quarterly reviews (quarterly
 * 1), or all the others (0). */
size_t trigger_count(const servgap_result *r, int quarterly);
void section_reviews(FILE *out, servgap_ctx *ctx, const servgap_result *r);

/* svg.c. Write the impact-versus-effort matrix of r's findings to path;
 * returns 0 or EXIT_DATA (message printed). */
int svg_write(const char *path, servgap_ctx *ctx, const servgap_result *r);

/* html.c. Write the HTML page of r to path; returns 0 or EXIT_DATA
 * (message printed). */
int html_write(const char *path, servgap_ctx *ctx, const servgap_result *r, const report_opts *o);

#endif /* SERVGAP_REPORT_H */
