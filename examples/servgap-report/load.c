/*
 * load.c -- importing the CSV tables of the command line into a handle.
 *
 * The order matters: metrics before the observations that use them,
 * accounts before the observations of their accounts (so that tiers and
 * values are known), and importance, efforts and plans last, because they
 * name tiers, touchpoints and metrics that the other tables introduce (a
 * plan must name ones that exist: they have the cell it re-measures).
 * Each import is all or nothing; the first failure stops the load.
 */
#define _POSIX_C_SOURCE 200809L
#include <string.h>

#include "report.h"

/* Import one table; on failure print the library's message, which names
 * FILE:LINE:COLUMN for a bad field, and return EXIT_DATA. A file that
 * cannot be read is also blamed on the option that named it (option NULL:
 * a positional observation file). */
static int import_table(servgap_ctx *ctx, int32_t table, const char *path, const char *option)
{
    servgap_import_report rep;
    memset(&rep, 0, sizeof rep);
    rep.size = sizeof rep;
    int rc = servgap_import_csv(ctx, table, path, 0, &rep);
    if (rc == SERVGAP_EIO && option != NULL) {
        fprintf(stderr, PROG ": %s: %s\n", option, servgap_errmsg(ctx));
        return EXIT_DATA;
    }
    if (rc != SERVGAP_OK) {
        report_error(ctx, rc, path);
        return EXIT_DATA;
    }
    if (rep.unknown_columns > 0) {
        /* The names come from the file's header: printed made visible. */
        fprintf(stderr, PROG ": %s: ignored %u unknown column%s: ", path,
                (unsigned)rep.unknown_columns, rep.unknown_columns == 1 ? "" : "s");
        put_visible(stderr, rep.unknown);
        fputc('\n', stderr);
    }
    return 0;
}

/* The option that named o's table file of slot (report_opts.owned). */
static const char *option_of(const report_opts *o, int slot, const char *option)
{
    return o->owned[slot] != NULL ? "--data" : option;
}

int load_all(servgap_ctx *ctx, const report_opts *o)
{
    if (o->metrics &&
        import_table(ctx, SERVGAP_CSV_METRICS, o->metrics, option_of(o, 0, "--metrics")))
        return EXIT_DATA;
    if (o->accounts &&
        import_table(ctx, SERVGAP_CSV_ACCOUNTS, o->accounts, option_of(o, 1, "--accounts")))
        return EXIT_DATA;
    for (size_t k = 0; k < o->n_observations; k++)
        if (import_table(ctx, SERVGAP_CSV_OBSERVATIONS, o->observations[k],
                         o->observations[k] == o->owned[4] ? "--data" : NULL))
            return EXIT_DATA;
    if (o->importance &&
        import_table(ctx, SERVGAP_CSV_IMPORTANCE, o->importance, option_of(o, 2, "--importance")))
        return EXIT_DATA;
    if (o->efforts &&
        import_table(ctx, SERVGAP_CSV_EFFORTS, o->efforts, option_of(o, 3, "--efforts")))
        return EXIT_DATA;
    if (o->plans && import_table(ctx, SERVGAP_CSV_PLANS, o->plans, option_of(o, 5, "--plans")))
        return EXIT_DATA;
    return 0;
}
