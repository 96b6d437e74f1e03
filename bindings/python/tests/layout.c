/*
 * layout.c -- the C layout of every sized record struct of servgap.h, as
 * JSON: {"servgap_cell": {"size": N, "align": A, "fields": {"scope_kind": OFF, ...}}, ...}.
 * test_servgap.py compares it with the ctypes.Structure declarations of
 * servgap/_lib.py: a wrong type or order shows as a wrong offset, and a
 * field appended to the header but not to the binding as a wrong size.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>

#include "servgap.h"

#define FIELD(T, f, last) printf("\"%s\": %zu%s", #f, offsetof(T, f), (last) ? "" : ", ")
#define BEGIN(T, first)                                                                            \
    printf("%s\"%s\": {\"size\": %zu, \"align\": %zu, \"fields\": {", (first) ? "" : ",\n", #T,    \
           sizeof(T), alignof(T))
#define END() printf("}}")

int main(void)
{
    printf("{");
    BEGIN(servgap_allocator, 1);
    FIELD(servgap_allocator, size, 0);
    FIELD(servgap_allocator, malloc_fn, 0);
    FIELD(servgap_allocator, realloc_fn, 0);
    FIELD(servgap_allocator, free_fn, 0);
    FIELD(servgap_allocator, user, 1);
    END();
    BEGIN(servgap_metric, 0);
    FIELD(servgap_metric, size, 0);
    FIELD(servgap_metric, name, 0);
    FIELD(servgap_metric, unit, 0);
    FIELD(servgap_metric, dimension, 0);
    FIELD(servgap_metric, direction, 0);
    FIELD(servgap_metric, min, 0);
    FIELD(servgap_metric, max, 0);
    FIELD(servgap_metric, span, 1);
    END();
    BEGIN(servgap_account, 0);
    FIELD(servgap_account, size, 0);
    FIELD(servgap_account, name, 0);
    FIELD(servgap_account, tier, 0);
    FIELD(servgap_account, at_risk, 0);
    FIELD(servgap_account, churned, 0);
    FIELD(servgap_account, reserved, 0);
    FIELD(servgap_account, value, 0);
    FIELD(servgap_account, health, 0);
    FIELD(servgap_account, renewal, 0);
    FIELD(servgap_account, migration, 1);
    END();
    BEGIN(servgap_plan, 0);
    FIELD(servgap_plan, size, 0);
    FIELD(servgap_plan, owner, 0);
    FIELD(servgap_plan, scope_kind, 0);
    FIELD(servgap_plan, scope_id, 0);
    FIELD(servgap_plan, touchpoint, 0);
    FIELD(servgap_plan, metric, 0);
    FIELD(servgap_plan, dimension, 0);
    FIELD(servgap_plan, gap, 0);
    FIELD(servgap_plan, deadline, 0);
    FIELD(servgap_plan, target, 0);
    FIELD(servgap_plan, last_outcome, 0);
    FIELD(servgap_plan, reserved, 0);
    FIELD(servgap_plan, next_check, 1);
    END();
    BEGIN(servgap_remeasure, 0);
    FIELD(servgap_remeasure, size, 0);
    FIELD(servgap_remeasure, outcome, 0);
    FIELD(servgap_remeasure, reserved, 0);
    FIELD(servgap_remeasure, baseline, 0);
    FIELD(servgap_remeasure, followup, 0);
    FIELD(servgap_remeasure, change, 0);
    FIELD(servgap_remeasure, lo, 0);
    FIELD(servgap_remeasure, hi, 0);
    FIELD(servgap_remeasure, next_check, 1);
    END();
    BEGIN(servgap_cell, 0);
    FIELD(servgap_cell, size, 0);
    FIELD(servgap_cell, scope_kind, 0);
    FIELD(servgap_cell, scope_id, 0);
    FIELD(servgap_cell, touchpoint, 0);
    FIELD(servgap_cell, metric, 0);
    FIELD(servgap_cell, dimension, 0);
    FIELD(servgap_cell, classification, 0);
    FIELD(servgap_cell, class_span, 0);
    FIELD(servgap_cell, reserved, 0);
    FIELD(servgap_cell, class_normalized, 0);
    FIELD(servgap_cell, span, 0);
    FIELD(servgap_cell, n, 0);
    FIELD(servgap_cell, mean, 0);
    FIELD(servgap_cell, sd, 0);
    FIELD(servgap_cell, negative, 0);
    FIELD(servgap_cell, source, 0);
    FIELD(servgap_cell, reserved2, 0);
    FIELD(servgap_cell, pairs, 0);
    FIELD(servgap_cell, pe_correlation, 0);
    FIELD(servgap_cell, read_from, 0);
    FIELD(servgap_cell, read_to, 0);
    FIELD(servgap_cell, declared, 1);
    END();
    BEGIN(servgap_gap, 0);
    FIELD(servgap_gap, size, 0);
    FIELD(servgap_gap, gap, 0);
    FIELD(servgap_gap, status, 0);
    FIELD(servgap_gap, span, 0);
    FIELD(servgap_gap, flags, 0);
    FIELD(servgap_gap, value, 0);
    FIELD(servgap_gap, normalized, 0);
    FIELD(servgap_gap, lo, 0);
    FIELD(servgap_gap, hi, 0);
    FIELD(servgap_gap, df, 0);
    FIELD(servgap_gap, n_up, 0);
    FIELD(servgap_gap, n_down, 1);
    END();
    BEGIN(servgap_servqual, 0);
    FIELD(servgap_servqual, size, 0);
    FIELD(servgap_servqual, scope_kind, 0);
    FIELD(servgap_servqual, scope_id, 0);
    FIELD(servgap_servqual, touchpoint, 0);
    FIELD(servgap_servqual, most_underweighted, 0);
    FIELD(servgap_servqual, dimension_gap, 0);
    FIELD(servgap_servqual, weight, 0);
    FIELD(servgap_servqual, believed_weight, 0);
    FIELD(servgap_servqual, unweighted, 0);
    FIELD(servgap_servqual, item_mean, 0);
    FIELD(servgap_servqual, weighted, 0);
    FIELD(servgap_servqual, weighted_lo, 0);
    FIELD(servgap_servqual, weighted_hi, 0);
    FIELD(servgap_servqual, servperf, 0);
    FIELD(servgap_servqual, importance_gap, 0);
    FIELD(servgap_servqual, respondents, 0);
    FIELD(servgap_servqual, weight_source, 0);
    FIELD(servgap_servqual, reserved, 1);
    END();
    BEGIN(servgap_breakdown, 0);
    FIELD(servgap_breakdown, size, 0);
    FIELD(servgap_breakdown, facet, 0);
    FIELD(servgap_breakdown, facet_id, 0);
    FIELD(servgap_breakdown, viewpoint, 0);
    FIELD(servgap_breakdown, gap, 0);
    FIELD(servgap_breakdown, status, 0);
    FIELD(servgap_breakdown, flags, 0);
    FIELD(servgap_breakdown, cell, 0);
    FIELD(servgap_breakdown, n, 0);
    FIELD(servgap_breakdown, mean, 0);
    FIELD(servgap_breakdown, value, 0);
    FIELD(servgap_breakdown, normalized, 0);
    FIELD(servgap_breakdown, lo, 0);
    FIELD(servgap_breakdown, hi, 0);
    FIELD(servgap_breakdown, df, 1);
    END();
    BEGIN(servgap_finding, 0);
    FIELD(servgap_finding, size, 0);
    FIELD(servgap_finding, rank, 0);
    FIELD(servgap_finding, scope_kind, 0);
    FIELD(servgap_finding, scope_id, 0);
    FIELD(servgap_finding, touchpoint, 0);
    FIELD(servgap_finding, metric, 0);
    FIELD(servgap_finding, dimension, 0);
    FIELD(servgap_finding, gap, 0);
    FIELD(servgap_finding, quadrant, 0);
    FIELD(servgap_finding, flags, 0);
    FIELD(servgap_finding, windows, 0);
    FIELD(servgap_finding, cell, 0);
    FIELD(servgap_finding, value, 0);
    FIELD(servgap_finding, normalized, 0);
    FIELD(servgap_finding, size_term, 0);
    FIELD(servgap_finding, value_share, 0);
    FIELD(servgap_finding, frequency, 0);
    FIELD(servgap_finding, affected_value, 0);
    FIELD(servgap_finding, affected_accounts, 0);
    FIELD(servgap_finding, impact, 0);
    FIELD(servgap_finding, effort, 0);
    FIELD(servgap_finding, priority, 1);
    END();
    BEGIN(servgap_ipa, 0);
    FIELD(servgap_ipa, size, 0);
    FIELD(servgap_ipa, scope_kind, 0);
    FIELD(servgap_ipa, scope_id, 0);
    FIELD(servgap_ipa, touchpoint, 0);
    FIELD(servgap_ipa, dimension, 0);
    FIELD(servgap_ipa, quadrant, 0);
    FIELD(servgap_ipa, reserved, 0);
    FIELD(servgap_ipa, importance, 0);
    FIELD(servgap_ipa, performance, 0);
    FIELD(servgap_ipa, importance_cross, 0);
    FIELD(servgap_ipa, performance_cross, 1);
    END();
    BEGIN(servgap_trigger, 0);
    FIELD(servgap_trigger, size, 0);
    FIELD(servgap_trigger, account, 0);
    FIELD(servgap_trigger, kind, 0);
    FIELD(servgap_trigger, date, 0);
    FIELD(servgap_trigger, count, 0);
    FIELD(servgap_trigger, before, 0);
    FIELD(servgap_trigger, after, 0);
    FIELD(servgap_trigger, statistic, 0);
    FIELD(servgap_trigger, lo, 0);
    FIELD(servgap_trigger, hi, 0);
    FIELD(servgap_trigger, n_before, 0);
    FIELD(servgap_trigger, n_after, 0);
    FIELD(servgap_trigger, detail, 1);
    END();
    BEGIN(servgap_risk, 0);
    FIELD(servgap_risk, size, 0);
    FIELD(servgap_risk, account, 0);
    FIELD(servgap_risk, windows, 0);
    FIELD(servgap_risk, with_shortfall, 0);
    FIELD(servgap_risk, churned, 0);
    FIELD(servgap_risk, risk, 0);
    FIELD(servgap_risk, value, 0);
    FIELD(servgap_risk, findings, 0);
    FIELD(servgap_risk, worst_normalized, 1);
    END();
    BEGIN(servgap_import_report, 0);
    FIELD(servgap_import_report, size, 0);
    FIELD(servgap_import_report, rows, 0);
    FIELD(servgap_import_report, applied, 0);
    FIELD(servgap_import_report, skipped, 0);
    FIELD(servgap_import_report, observations, 0);
    FIELD(servgap_import_report, unknown_columns, 0);
    FIELD(servgap_import_report, reserved, 0);
    FIELD(servgap_import_report, unknown, 0);
    FIELD(servgap_import_report, skips, 1);
    END();
    printf("}\n");
    return 0;
}
