/*
 * args.c -- the command line of servgap-report: options, dates and --help.
 * Options take their value as the next argument or after '='
 * (--from 2026-01-01, --from=2026-01-01); "--" ends the options.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"

static const char usage_line[] =
    "usage: " PROG " [--data DIR] [--metrics F] [--accounts F] [--importance F] [--efforts F]\n"
    "       [--plans F] [--from D] [--to D] [--now D] [--by tier|account] [--detail] [--top N]\n"
    "       [--priorities N] [--threads N] [--json] [--level summary|full] [--svg FILE]\n"
    "       [--html FILE] OBSERVATIONS.csv...\n";

static const char help_text[] =
    "Satisfaction-gap analysis (SERVQUAL gaps model) of helpdesk data, with libservgap.\n"
    "\n"
    "Inputs (CSV tables, docs/formats.md):\n"
    "  OBSERVATIONS.csv...  one or more observation files (time, account, tier,\n"
    "                       touchpoint, metric, viewpoint, value[, team, driver, respondent])\n"
    "  --metrics F          metric definitions (the five SERVQUAL Likert items are built in)\n"
    "  --accounts F         accounts: tier, value (ARR), health, at_risk, renewal, ...\n"
    "  --importance F       importance points per scope, customer and provider\n"
    "  --efforts F          effort to fix a gap type at a touchpoint / metric\n"
    "  --plans F            remediation plans: scope, touchpoint, metric, gap, owner,\n"
    "                       deadline, target[, baseline_from, baseline_to]; each is\n"
    "                       re-measured: the last 30 days against its baseline window\n"
    "                       (default: the 30 days before them)\n"
    "  --data DIR           shorthand: DIR/metrics.csv, accounts.csv, importance.csv,\n"
    "                       efforts.csv and plans.csv where they exist, and\n"
    "                       DIR/observations.csv when no observation file is named;\n"
    "                       explicit options win\n"
    "\n"
    "Window and dates (D is YYYY-MM-DD, a UTC day):\n"
    "  --from D             first day analysed (default: the earliest data)\n"
    "  --to D               last day analysed, INCLUSIVE: --from 2026-01-01 --to 2026-12-31\n"
    "                       is the whole of 2026, the window [2026-01-01, 2027-01-01)\n"
    "                       (default: the latest data)\n"
    "  --now D              analysis date for triggers, risk and plans (renewal within 90\n"
    "                       days of it, a deadline before it, ...); default: the day after\n"
    "                       --to, else the day after the latest observation\n"
    "\n"
    "Output:\n"
    "  (default)            the text report on stdout: header, the biggest gaps per scope\n"
    "                       (with the teams behind delivery and communication gaps), the\n"
    "                       ranked priorities (each with its plan when plans are given),\n"
    "                       the remediation plans, review triggers, routine quarterly\n"
    "                       reviews and the accounts at risk\n"
    "  --by tier|account    which scopes the text report lists (default tier)\n"
    "  --top N              gaps listed per scope (default 5)\n"
    "  --priorities N       priorities listed (default 20; 0 lists all)\n"
    "  --threads N          threads the query and the CSV imports use (default 0: every\n"
    "                       core online; the report is the same bytes at any count)\n"
    "  --detail             add the statistical detail to the text: SERVQUAL scores per\n"
    "                       scope, SERVPERF, each gap as a share of its scale, how gaps\n"
    "                       are oriented, the triggers' test statistics, the risk's ROC AUC\n"
    "  --json               the JSON report (docs/formats.md) on stdout instead of text\n"
    "  --level summary|full how much the JSON and HTML reports hold: summary has the tiers'\n"
    "                       rows of cells, SERVQUAL, IPA and breakdowns with every finding,\n"
    "                       trigger, plan and risk, and the HTML lists the accounts with\n"
    "                       something to act on; full has every account. Default: summary\n"
    "                       with --by tier (the default), full with --by account\n"
    "  --svg FILE           also write the impact-versus-effort matrix to FILE, a\n"
    "                       standalone SVG that any browser opens\n"
    "  --html FILE          also write the report as one self-contained HTML page to\n"
    "                       FILE: overview, matrix, gap chains, tiers, trends, teams,\n"
    "                       accounts (sortable, filterable) and plans\n"
    "  --help, --version\n"
    "\n"
    "Exit status: 0 success, 1 a data error (the message names FILE:LINE:COLUMN for a\n"
    "bad CSV field), 2 a usage error.\n";

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static void
usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs(PROG ": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fputs(usage_line, stderr);
    fputs("Try '" PROG " --help' for more information.\n", stderr);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), valid for every year representable here. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int64_t y, int64_t m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return dim[m - 1] + (m == 2 && leap);
}

int date_parse(const char *s, int64_t *out)
{
    int64_t f[3] = {0, 0, 0};
    static const int width[3] = {4, 2, 2};
    const char *p = s;
    for (int k = 0; k < 3; k++) {
        for (int j = 0; j < width[k]; j++, p++) {
            if (*p < '0' || *p > '9')
                return -1;
            f[k] = f[k] * 10 + (*p - '0');
        }
        if (*p != (k < 2 ? '-' : '\0'))
            return -1;
        p++;
    }
    if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > days_in_month(f[0], f[1]))
        return -1;
    *out = days_from_civil(f[0], f[1], f[2]) * SERVGAP_DAY;
    return 0;
}

void date_format(int64_t t, char out[11])
{
    int64_t z = (t >= 0 ? t : t - (SERVGAP_DAY - 1)) / SERVGAP_DAY + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp + (mp < 10 ? 3 : -9);
    int64_t y = yoe + era * 400 + (m <= 2);
    if (y < 0 || y > 9999) {
        snprintf(out, 11, "%s", y < 0 ? "<0000>" : ">9999");
        return;
    }
    snprintf(out, 11, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
}

static int parse_count(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > 1000000)
        return -1;
    *out = (int)v;
    return 0;
}

/* --data DIR must be a directory we can read: a typo in DIR would
 * otherwise look like a directory without the files. 0, or EXIT_DATA
 * after printing what is wrong. */
static int check_data_dir(const char *dir)
{
    struct stat st;
    int err = stat(dir, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
    DIR *d = err ? NULL : opendir(dir);
    if (!err && d == NULL)
        err = errno;
    if (d != NULL)
        closedir(d);
    if (!err)
        return 0;
    fprintf(stderr, PROG ": --data %s: %s (%s)\n", dir,
            err == ENOENT    ? "the directory does not exist"
            : err == ENOTDIR ? "not a directory"
                             : "the directory cannot be read",
            strerror(err));
    return EXIT_DATA;
}

/* --data DIR: name DIR/FILE if it exists (and the option is unset). A file
 * that may exist but cannot be looked at is an error, not an absent file.
 * 0, or EXIT_DATA after printing the problem. */
static int data_file(report_opts *o, int slot, const char *dir, const char *file,
                     const char **target)
{
    struct stat st;
    size_t n = strlen(dir) + strlen(file) + 2;
    char *path = malloc(n);
    if (path == NULL) {
        fputs(PROG ": out of memory\n", stderr);
        return EXIT_DATA;
    }
    snprintf(path, n, "%s/%s", dir, file);
    int err = *target == NULL && stat(path, &st) != 0 ? errno : 0;
    if (*target == NULL && !err) {
        *target = path;
        o->owned[slot] = path;
        return 0;
    }
    if (err && err != ENOENT)
        fprintf(stderr, PROG ": --data %s: %s cannot be read (%s)\n", dir, path, strerror(err));
    free(path);
    return err && err != ENOENT ? EXIT_DATA : 0;
}

static int apply_data_dir(report_opts *o, const char *dir)
{
    static const char *files[4] = {"metrics.csv", "accounts.csv", "importance.csv", "efforts.csv"};
    const char **targets[4] = {&o->metrics, &o->accounts, &o->importance, &o->efforts};
    int rc = check_data_dir(dir);
    for (int k = 0; k < 4 && rc == 0; k++)
        rc = data_file(o, k, dir, files[k], targets[k]);
    if (rc == 0)
        rc = data_file(o, 5, dir, "plans.csv", &o->plans);
    if (rc == 0 && o->n_observations == 0) {
        const char *obs = NULL;
        rc = data_file(o, 4, dir, "observations.csv", &obs);
        if (obs != NULL) {
            o->observations[0] = obs;
            o->n_observations = 1;
        }
    }
    return rc;
}

/* The value of option argv[*i]: after '=' or the next argument. */
static const char *option_value(int argc, char **argv, int *i, const char *eq)
{
    if (eq != NULL)
        return eq + 1;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

static int set_date(const char *name, const char *v, int64_t *out)
{
    if (date_parse(v, out)) {
        usage_error("%s: bad date '%s' (expected YYYY-MM-DD)", name, v);
        return -1;
    }
    return 0;
}

/* One option; returns 0, 1 when --help or --version was printed, or -1 on
 * a usage error (printed). */
/* The options that take a value, in the order of option_name. */
enum valued {
    O_DATA,
    O_METRICS,
    O_ACCOUNTS,
    O_IMPORTANCE,
    O_EFFORTS,
    O_FROM,
    O_TO,
    O_NOW,
    O_BY,
    O_TOP,
    O_PRIORITIES,
    O_SVG,
    O_PLANS,
    O_HTML,
    O_LEVEL,
    O_THREADS,
    O_COUNT
};

static const char *const option_name[O_COUNT] = {
    "--data",  "--metrics", "--accounts", "--importance", "--efforts",    "--from",
    "--to",    "--now",     "--by",       "--top",        "--priorities", "--svg",
    "--plans", "--html",    "--level",    "--threads"};

/* What the options said beyond report_opts, for args_parse's checks. */
typedef struct seen {
    const char *data_dir;
    int have_from, have_to;
} seen;

static int named(const char *arg, size_t len, const char *name)
{
    return strlen(name) == len && !strncmp(arg, name, len);
}

/* An option without a value: 1 when the program should stop (help or
 * version printed), 0 when it was one and is set, -2 when it is not one. */
static int flag_option(const char *arg, size_t len, int has_value, report_opts *o)
{
    if (named(arg, len, "--help") || named(arg, len, "-h")) {
        fputs(usage_line, stdout);
        fputs("\n", stdout);
        fputs(help_text, stdout);
        return 1;
    }
    if (named(arg, len, "--version")) {
        printf(PROG " (libservgap %s)\n", servgap_version_string());
        return 1;
    }
    if (named(arg, len, "--json") && !has_value) {
        o->json = 1;
        return 0;
    }
    if (named(arg, len, "--detail") && !has_value) {
        o->detail = 1;
        return 0;
    }
    return -2;
}

/* A value of --by or --level: its code from codes[] by the name at the
 * same place in names[] (two of each), or -1 after a usage error. */
static int set_choice(const char *option, const char *v, const char *const names[2],
                      const int codes[2], int *out)
{
    for (int k = 0; k < 2; k++)
        if (!strcmp(v, names[k])) {
            *out = codes[k];
            return 0;
        }
    usage_error("%s: '%s' is not '%s' or '%s'", option, v, names[0], names[1]);
    return -1;
}

/* Option k's value v into o or st: 0, or -1 after a usage error. */
static int set_valued(enum valued k, const char *v, report_opts *o, seen *st)
{
    const char **path[O_COUNT] = {
        [O_METRICS] = &o->metrics, [O_ACCOUNTS] = &o->accounts, [O_IMPORTANCE] = &o->importance,
        [O_EFFORTS] = &o->efforts, [O_SVG] = &o->svg,           [O_PLANS] = &o->plans,
        [O_HTML] = &o->html,       [O_DATA] = &st->data_dir};
    if (path[k]) {
        *path[k] = v;
        return 0;
    }
    st->have_from |= k == O_FROM;
    st->have_to |= k == O_TO;
    if (k == O_FROM || k == O_TO || k == O_NOW)
        return set_date(option_name[k], v, k == O_FROM ? &o->from : k == O_TO ? &o->to : &o->now);
    if (k == O_BY) {
        static const char *const by[2] = {"tier", "account"};
        static const int code[2] = {BY_TIER, BY_ACCOUNT};
        return set_choice("--by", v, by, code, &o->by);
    }
    if (k == O_LEVEL) {
        static const char *const level[2] = {"summary", "full"};
        static const int code[2] = {SERVGAP_LEVEL_SUMMARY, SERVGAP_LEVEL_FULL};
        return set_choice("--level", v, level, code, &o->level);
    }
    int *count = k == O_TOP ? &o->top : k == O_THREADS ? &o->threads : &o->priorities;
    if (parse_count(v, count)) {
        usage_error("bad count '%s' (expected a whole number >= 0)", v);
        return -1;
    }
    if (k == O_THREADS && *count > 256) {
        usage_error("--threads: %s is more than 256", v);
        return -1;
    }
    return 0;
}

/* argv[*i], an option, and its value if it takes one (advancing *i past
 * a separate value): 0, 1 to stop (help, version), -1 after a usage error. */
static int parse_option(int argc, char **argv, int *i, report_opts *o, seen *st)
{
    const char *arg = argv[*i], *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    int rc = flag_option(arg, len, eq != NULL, o);
    if (rc != -2)
        return rc;
    int known = -1;
    for (int k = 0; k < O_COUNT; k++)
        if (named(arg, len, option_name[k]))
            known = k;
    if (known < 0) {
        usage_error("unknown option '%s'", arg);
        return -1;
    }
    const char *v = option_value(argc, argv, i, eq);
    if (v == NULL || *v == '\0') {
        usage_error("option '%s' needs a value", option_name[known]);
        return -1;
    }
    return set_valued((enum valued)known, v, o, st);
}

/* The checks that need every option read: the window, --data, files. */
static int check_parsed(report_opts *o, const seen *st)
{
    if (o->level == 0) /* the JSON of what the text of --by would read */
        o->level = o->by == BY_TIER ? SERVGAP_LEVEL_SUMMARY : SERVGAP_LEVEL_FULL;
    if (st->have_to)
        o->to += SERVGAP_DAY; /* inclusive last day -> exclusive window end */
    if (st->have_from && st->have_to && o->from >= o->to) {
        usage_error("--from is after --to");
        return EXIT_USAGE;
    }
    if (st->data_dir != NULL && apply_data_dir(o, st->data_dir))
        return EXIT_DATA;
    if (o->n_observations == 0 && st->data_dir != NULL) {
        usage_error("--data %s has no observations.csv, and no observation file is named",
                    st->data_dir);
        return EXIT_USAGE;
    }
    if (o->n_observations == 0) {
        usage_error("no observation file");
        return EXIT_USAGE;
    }
    return 0;
}

int args_parse(int argc, char **argv, report_opts *o)
{
    seen st = {NULL, 0, 0};
    int options_done = 0;

    memset(o, 0, sizeof *o);
    o->from = SERVGAP_TIME_MIN;
    o->to = SERVGAP_TIME_MAX;
    o->now = SERVGAP_TIME_NONE;
    o->by = BY_TIER;
    o->top = 5;
    o->priorities = 20;
    o->threads = 0; /* every core */
    /* At most argc - 1 positional files, plus one from --data. */
    o->observations = calloc((size_t)argc + 1, sizeof *o->observations);
    if (o->observations == NULL) {
        fputs(PROG ": out of memory\n", stderr);
        return EXIT_DATA;
    }
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!options_done && !strcmp(arg, "--")) {
            options_done = 1;
        } else if (!options_done && arg[0] == '-' && arg[1] != '\0') {
            int rc = parse_option(argc, argv, &i, o, &st);
            if (rc)
                return rc > 0 ? -1 : EXIT_USAGE;
        } else {
            o->observations[o->n_observations++] = arg;
        }
    }
    return check_parsed(o, &st);
}

void args_free(report_opts *o)
{
    for (size_t k = 0; k < sizeof o->owned / sizeof o->owned[0]; k++)
        free(o->owned[k]);
    free((void *)o->observations);
    o->observations = NULL;
}
