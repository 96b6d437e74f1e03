/*
 * servgap-report -- a satisfaction-gap report of helpdesk data, from CSV
 * tables, on top of libservgap's public API.
 *
 *   servgap-report --data examples/data
 *   servgap-report --metrics M --accounts A [--importance I] [--efforts E]
 *                  [--plans P] [--from D] [--to D] [--now D] [--by tier|account]
 *                  [--json] [--level summary|full] [--svg FILE] [--html FILE] OBSERVATIONS.csv...
 *
 * main() only orders the steps: parse the command line, load the tables,
 * run one query over the window, then write the text or JSON report and
 * the optional SVG and HTML page, all from that one result. Exit status:
 * 0 success, 1 a data error, 2 usage.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "report.h"

/* One piece of the streamed report on the FILE user. */
static int32_t to_file(void *user, const char *data, size_t len)
{
    return fwrite(data, 1, len, (FILE *)user) == len ? 0 : 1;
}

/* The JSON report of r on out, streamed: one pass, and no buffer the size
 * of a report that can run to gigabytes. */
static int json_report(FILE *out, servgap_ctx *ctx, const servgap_result *r)
{
    size_t len = 0;
    int rc = servgap_result_json_stream(ctx, r, to_file, out, &len);
    if (rc == SERVGAP_EIO) {
        fprintf(stderr, PROG ": writing the JSON report failed after %zu bytes\n", len);
        return EXIT_DATA;
    }
    if (rc != SERVGAP_OK) {
        report_error(ctx, rc, "JSON report");
        return EXIT_DATA;
    }
    return 0;
}

static int run(const report_opts *o)
{
    servgap_ctx *ctx = NULL;
    servgap_result *res = NULL;
    int rc, status = EXIT_DATA;

    if (servgap_ctx_new(&ctx, NULL) != SERVGAP_OK) {
        fputs(PROG ": out of memory\n", stderr);
        return EXIT_DATA;
    }
    if (servgap_ctx_set_option(ctx, SERVGAP_OPT_THREADS, o->threads) != SERVGAP_OK) {
        report_error(ctx, servgap_errcode(ctx), "--threads");
        goto done;
    }
    status = load_all(ctx, o);
    if (status != 0)
        goto done;
    status = EXIT_DATA;
    rc = servgap_ctx_set_option(ctx, SERVGAP_OPT_REPORT_LEVEL, o->level);
    if (rc != SERVGAP_OK) {
        report_error(ctx, rc, "report level");
        goto done;
    }
    rc = servgap_query_at(ctx, o->from, o->to, o->now,
                          SERVGAP_QUERY_ALL | SERVGAP_QUERY_TRENDS | SERVGAP_QUERY_PLANS, &res);
    if (rc != SERVGAP_OK) {
        report_error(ctx, rc, "query");
        goto done;
    }
    status = o->json ? json_report(stdout, ctx, res) : text_report(stdout, ctx, res, o);
    if (status == 0 && o->svg != NULL)
        status = svg_write(o->svg, ctx, res);
    if (status == 0 && o->html != NULL)
        status = html_write(o->html, ctx, res, o);
    if (status == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
        fputs(PROG ": writing the report failed\n", stderr);
        status = EXIT_DATA;
    }
done:
    servgap_result_free(res);
    servgap_ctx_free(ctx);
    return status;
}

int main(int argc, char **argv)
{
    report_opts o;
    int rc;

    if (servgap_version_number() != SERVGAP_VERSION_NUMBER)
        fprintf(stderr, PROG ": warning: header %s, library %s\n", SERVGAP_VERSION_STRING,
                servgap_version_string());
    rc = args_parse(argc, argv, &o);
    if (rc == 0)
        rc = run(&o);
    else if (rc < 0)
        rc = 0; /* --help or --version */
    args_free(&o);
    return rc;
}
