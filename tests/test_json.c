/* test_json -- placeholder; the suite is being written. */
#include <check.h>

#include "servgap.h"

#include "run_suite.h"

int main(void)
{
    return run_suite(suite_create("json"));
}
