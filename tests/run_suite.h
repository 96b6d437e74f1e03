/*
 * run_suite -- the one main() body every Check suite shares: run, report,
 * exit non-zero on any failure.
 */
#ifndef SERVGAP_TEST_RUN_SUITE_H
#define SERVGAP_TEST_RUN_SUITE_H

#include <check.h>
#include <stdlib.h>

static inline int run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
