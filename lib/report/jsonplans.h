/*
 * jsonplans -- the JSON report's "plans" rows (docs/formats.md, section
 * 15): each plan item of the result with its re-measurement and whether
 * it is overdue. json.c writes the table. Relies on jsonvalue.
 */
#ifndef SERVGAP_JSONPLANS_H
#define SERVGAP_JSONPLANS_H

#include "jsonvalue.h"

/* Plan row i of w's result as one JSON object. */
void servgap__write_plan(servgap__report *w, size_t i);

#endif
