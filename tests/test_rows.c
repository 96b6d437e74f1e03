/*
 * test_rows -- a result stores the columns of only the viewpoints, and the
 * numbers of only the gaps, that have any (rows.h): every one read back,
 * through the internal readers (one, or all seven of a cell) and the
 * public accessors, is bit for bit what was stored, whichever are empty.
 * Parts built in tables lent from a result (servgap__result_lend, as the
 * cells' threads do) and joined read back as the rows built in one.
 */
#define _POSIX_C_SOURCE 200809L /* the handle's pthread types, under -std=c11 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "measure/result.h"
#include "run_suite.h"

static uint64_t rng = 0x2545f4914f6cdd1du;

static uint32_t draw(uint32_t n)
{
    return test_draw(&rng, n);
}

static uint64_t bits(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

static double from_bits(uint64_t b)
{
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

/* A gap as the builders leave one with no data on a side. */
static servgap__gaprec empty_gap(void)
{
    servgap__gaprec g;
    memset(&g, 0, sizeof g);
    g.value = g.h = g.df = g.se = NAN;
    return g;
}

/* Gaps of every kind a builder makes, and the near misses of an empty
 * one, which must keep their numbers: a NaN with another sign or payload,
 * a count without a value, a value without a count. */
static servgap__gaprec some_gap(void)
{
    servgap__gaprec g = empty_gap();
    switch (draw(8)) {
    case 0:
    case 1:
    case 2:
        break; /* empty */
    case 3:
        g.value = -NAN; /* the sign bit set, as 0.0 / 0.0 gives on x86 */
        break;
    case 4:
        g.n_up = 1 + draw(4); /* insufficient, one side only */
        break;
    case 5:
        g.h = from_bits(bits(NAN) | 1u); /* another payload */
        break;
    default:
        g.value = (double)draw(2001) / 100.0 - 10.0;
        g.h = (double)draw(300) / 100.0;
        g.df = draw(2) ? INFINITY : 1.0 + draw(500);
        g.se = g.h / 1.96;
        g.n_up = draw(900);
        g.n_down = draw(900);
        break;
    }
    g.status = (uint8_t)draw(5);
    g.span = (uint8_t)draw(64);
    g.flags = (uint8_t)draw(32);
    return g;
}

/* Viewpoint columns as the builders leave them: empty (no observations),
 * a roll-up's count without a mean, one observation without an sd, and
 * near misses of empty that must keep their columns. */
static servgap__vpcols some_cols(void)
{
    servgap__vpcols c;
    for (int v = 0; v < SERVGAP_VP_COUNT; v++) {
        c.n[v] = c.negative[v] = 0;
        c.mean[v] = c.sd[v] = NAN;
        switch (draw(7)) {
        case 0:
        case 1:
            break; /* empty */
        case 2:
            c.n[v] = 1 + draw(50); /* a roll-up over different scales */
            break;
        case 3:
            c.mean[v] = -NAN;
            break;
        case 4:
            c.negative[v] = 1;
            break;
        default:
            c.n[v] = 1 + draw(500);
            c.negative[v] = draw((uint32_t)c.n[v] + 1);
            c.mean[v] = (double)draw(700) / 100.0;
            c.sd[v] = c.n[v] >= 2 ? (double)draw(300) / 100.0 : NAN;
            break;
        }
    }
    return c;
}

/* ck_assert_int_eq, ck_assert_uint_eq and ck_assert that call into Check
 * only when they fail. Check records every passing assertion as a
 * checkpoint, a write to a file; the two million comparisons of this suite
 * took seconds of system time that way, beyond Check's per-test timeout on
 * a loaded machine and under TSan. */
#define quiet_int_eq(x, y)                                                                         \
    do {                                                                                           \
        if ((intmax_t)(x) != (intmax_t)(y))                                                        \
            ck_assert_int_eq(x, y);                                                                \
    } while (0)
#define quiet_uint_eq(x, y)                                                                        \
    do {                                                                                           \
        if ((uintmax_t)(x) != (uintmax_t)(y))                                                      \
            ck_assert_uint_eq(x, y);                                                               \
    } while (0)
#define quiet_assert(cond)                                                                         \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ck_assert(cond);                                                                       \
    } while (0)

static void same_cols(const servgap__vpcols *x, const servgap__vpcols *y)
{
    for (int v = 0; v < SERVGAP_VP_COUNT; v++) {
        quiet_int_eq(x->n[v], y->n[v]);
        quiet_int_eq(x->negative[v], y->negative[v]);
        quiet_uint_eq(bits(x->mean[v]), bits(y->mean[v]));
        quiet_uint_eq(bits(x->sd[v]), bits(y->sd[v]));
    }
}

/* The same computed double: bit for bit, or both NaN (which NaN an
 * operation on two NaNs gives depends on the compiler's operand order). */
static void same_result(double got, double want)
{
    if (isnan(want))
        quiet_assert(isnan(got));
    else
        quiet_uint_eq(bits(got), bits(want));
}

static void same_gap(const servgap__gaprec *x, const servgap__gaprec *y)
{
    quiet_uint_eq(bits(x->value), bits(y->value));
    quiet_uint_eq(bits(x->h), bits(y->h));
    quiet_uint_eq(bits(x->df), bits(y->df));
    quiet_uint_eq(bits(x->se), bits(y->se));
    quiet_int_eq(x->n_up, y->n_up);
    quiet_int_eq(x->n_down, y->n_down);
    quiet_uint_eq(x->status, y->status);
    quiet_uint_eq(x->span, y->span);
    quiet_uint_eq(x->flags, y->flags);
}

START_TEST(test_pack_keeps_every_bit)
{
    servgap__gaprec g[SERVGAP_GAP_COUNT], back;
    servgap__gapnum nums[SERVGAP_GAP_COUNT];
    size_t stored[2] = {0, 0};
    for (int round = 0; round < 20000; round++) {
        size_t expect = 0;
        for (int i = 0; i < SERVGAP_GAP_COUNT; i++) {
            g[i] = some_gap();
            servgap__gaprec e = empty_gap();
            expect +=
                memcmp(&g[i].value, &e.value, 4 * sizeof(double)) != 0 || g[i].n_up || g[i].n_down;
        }
        servgap__gapcodes gc;
        gc.first = 0;
        size_t k = servgap__gaps_pack(g, &gc, nums);
        quiet_uint_eq(k, expect); /* the empty ones take no numbers */
        stored[k == SERVGAP_GAP_COUNT] += k;
        for (int i = 0; i < SERVGAP_GAP_COUNT; i++) {
            servgap__gaprec_one(&gc, nums, i, &back);
            same_gap(&back, &g[i]);
        }
    }
    ck_assert_uint_gt(stored[0], 20000); /* both sparse and full cells were seen */
}
END_TEST

START_TEST(test_pack_keeps_every_column)
{
    servgap__vpnum nums[SERVGAP_VP_COUNT];
    size_t total = 0;
    for (int round = 0; round < 20000; round++) {
        servgap__vpcols cols = some_cols(), back;
        size_t expect = 0;
        for (int v = 0; v < SERVGAP_VP_COUNT; v++)
            expect += cols.n[v] || cols.negative[v] || bits(cols.mean[v]) != bits(NAN) ||
                      bits(cols.sd[v]) != bits(NAN);
        servgap__cellrec c;
        memset(&c, 0, sizeof c);
        size_t k = servgap__vpcols_pack(&cols, &c, nums);
        quiet_uint_eq(k, expect);
        total += k;
        servgap__vpcols_all(&c, nums, &back);
        same_cols(&back, &cols);
        for (int v = 0; v < SERVGAP_VP_COUNT; v++) {
            servgap__vpnum one;
            servgap__vpnum_one(&c, nums, v, &one);
            quiet_int_eq(one.n, cols.n[v]);
            quiet_int_eq(one.negative, cols.negative[v]);
            quiet_uint_eq(bits(one.mean), bits(cols.mean[v]));
            quiet_uint_eq(bits(one.sd), bits(cols.sd[v]));
        }
    }
    ck_assert_uint_gt(total, 20000 * 3);
    ck_assert_uint_lt(total, 20000 * 6);
}
END_TEST

/* Cells of a result, each with its gaps; read back through the result,
 * the public accessor included, after all were written. */
START_TEST(test_result_reads_back_every_gap)
{
    servgap__alloc a;
    servgap__alloc_default(&a);
    servgap_result *r = servgap__result_new(&a, 0, SERVGAP_DAY);
    ck_assert_ptr_nonnull(r);
    enum { NCELLS = 3000 };
    ck_assert_int_eq(servgap__result_reserve(r, NCELLS / 2, 0, 0), 0); /* the rest grow */
    servgap__gaprec *want = malloc(NCELLS * SERVGAP_GAP_COUNT * sizeof *want);
    servgap__vpcols *cols = malloc(NCELLS * sizeof *cols);
    servgap__declnum(*days)[2] = malloc(NCELLS * sizeof *days);
    ck_assert(want && cols && days);
    for (size_t i = 0; i < NCELLS; i++) {
        servgap__cellrow *row = servgap__result_add_cell(r);
        ck_assert_ptr_nonnull(row);
        row->c.span = 1.0 + (double)draw(10);
        for (int g = 0; g < SERVGAP_GAP_COUNT; g++)
            want[i * SERVGAP_GAP_COUNT + (size_t)g] = some_gap();
        cols[i] = some_cols();
        for (int k = 0; k < 2; k++) {
            days[i][k].first_day = (int32_t)draw(40000) - 20000;
            days[i][k].last_day = days[i][k].first_day + (int32_t)draw(400);
        }
        ck_assert_int_eq(
            servgap__result_set_cell(r, row, &cols[i], days[i], &want[i * SERVGAP_GAP_COUNT]), 0);
    }
    ck_assert_uint_lt(r->ngn, (size_t)NCELLS * SERVGAP_GAP_COUNT);
    ck_assert_uint_lt(r->nvn, (size_t)NCELLS * SERVGAP_VP_COUNT);
    for (size_t i = 0; i < NCELLS; i++) {
        servgap__vpcols back;
        servgap__cell_vps(r, &r->cells[i].c, &back);
        same_cols(&back, &cols[i]);
        servgap_cell pc = {.size = sizeof pc};
        ck_assert_int_eq(servgap_result_cell(r, i, &pc), SERVGAP_OK);
        for (int v = 0; v < SERVGAP_VP_COUNT; v++) {
            quiet_int_eq(pc.n[v], cols[i].n[v]);
            quiet_int_eq(pc.negative[v], cols[i].negative[v]);
            quiet_uint_eq(bits(pc.mean[v]), bits(cols[i].mean[v]));
            quiet_uint_eq(bits(pc.sd[v]), bits(cols[i].sd[v]));
        }
        /* A declared viewpoint with columns reads from its first
         * declaration's day; its declaration in force is its last one. */
        const int declared[2] = {SERVGAP_VP_STANDARD, SERVGAP_VP_PROMISED};
        for (int k = 0; k < 2; k++) {
            int v = declared[k];
            if (pc.read_to[v] == SERVGAP_TIME_NONE) {
                ck_assert_int_eq(pc.declared[v], SERVGAP_TIME_NONE);
                continue;
            }
            ck_assert_int_eq(pc.read_from[v], (int64_t)days[i][k].first_day * SERVGAP_DAY);
            ck_assert_int_eq(pc.declared[v], (int64_t)days[i][k].last_day * SERVGAP_DAY);
        }
        servgap__gaprec all[SERVGAP_GAP_COUNT];
        servgap__cellrow_all_gaps(r, &r->cells[i], all); /* the seven in one walk */
        for (int g = 0; g < SERVGAP_GAP_COUNT; g++) {
            const servgap__gaprec *w = &want[i * SERVGAP_GAP_COUNT + (size_t)g];
            servgap__gaprec back;
            servgap__cellrow_gap(r, &r->cells[i], g, &back);
            same_gap(&back, w);
            same_gap(&all[g], w);
            servgap_gap pub = {.size = sizeof pub};
            ck_assert_int_eq(servgap_result_gap(r, i, g, &pub), SERVGAP_OK);
            quiet_uint_eq(bits(pub.value), bits(w->value));
            same_result(pub.lo, w->value - w->h);
            same_result(pub.hi, w->value + w->h);
            same_result(pub.normalized, w->value / r->cells[i].c.span);
            quiet_int_eq(pub.n_up, w->n_up);
            quiet_int_eq(pub.status, w->status);
        }
    }
    free(want);
    free(days);
    free(cols);
    servgap_result_free(r);
}
END_TEST

/* The cells of the lent-parts test: cell i has these columns, gaps and
 * days, and i % 3 breakdown rows that name it. */
typedef struct cellsrc {
    servgap__vpcols cols;
    servgap__gaprec gaps[SERVGAP_GAP_COUNT];
    servgap__declnum days[2];
} cellsrc;

static void add_cells(servgap_result *r, const cellsrc *src, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++) {
        servgap__cellrow *row = servgap__result_add_cell(r);
        ck_assert_ptr_nonnull(row);
        row->c.span = 1.0 + (double)(i % 7);
        row->c.scope_id = (int32_t)i;
        ck_assert_int_eq(servgap__result_set_cell(r, row, &src[i].cols, src[i].days, src[i].gaps),
                         0);
        for (size_t k = 0; k < i % 3; k++) {
            servgap__bdrec *bd = servgap__result_add_breakdown(r);
            ck_assert_ptr_nonnull(bd);
            bd->cell = r->ncells - 1;
            bd->facet_id = (int32_t)i;
        }
    }
}

/* Every cell, number and breakdown row of got is want's. */
static void same_results(const servgap_result *got, const servgap_result *want)
{
    ck_assert_uint_eq(got->ncells, want->ncells);
    ck_assert_uint_eq(got->nbd, want->nbd);
    for (size_t i = 0; i < want->ncells; i++) {
        quiet_int_eq(got->cells[i].c.scope_id, want->cells[i].c.scope_id);
        servgap_cell x = {.size = sizeof x}, y = {.size = sizeof y};
        ck_assert_int_eq(servgap_result_cell(got, i, &x), SERVGAP_OK);
        ck_assert_int_eq(servgap_result_cell(want, i, &y), SERVGAP_OK);
        quiet_assert(memcmp(&x, &y, sizeof x) == 0);
        servgap__gaprec gx[SERVGAP_GAP_COUNT], gy[SERVGAP_GAP_COUNT];
        servgap__cellrow_all_gaps(got, &got->cells[i], gx);
        servgap__cellrow_all_gaps(want, &want->cells[i], gy);
        for (int g = 0; g < SERVGAP_GAP_COUNT; g++)
            same_gap(&gx[g], &gy[g]);
    }
    for (size_t i = 0; i < want->nbd; i++) {
        quiet_uint_eq(got->bd[i].cell, want->bd[i].cell);
        quiet_int_eq(got->bd[i].facet_id, want->bd[i].facet_id);
    }
}

/* A result builds its first cells itself while two parts build the rest
 * in room it lent them, more room than they use, as a part whose runs
 * make fewer cells than their bound does; joined in order, the result is
 * the one built alone, and its own tables never moved. */
START_TEST(test_lent_parts_join)
{
    servgap__alloc a;
    servgap__alloc_default(&a);
    enum { N = 900, ROOM = 1000 };
    cellsrc *src = malloc(N * sizeof *src);
    ck_assert_ptr_nonnull(src);
    for (size_t i = 0; i < N; i++) {
        src[i].cols = some_cols();
        for (int g = 0; g < SERVGAP_GAP_COUNT; g++)
            src[i].gaps[g] = some_gap();
        for (int k = 0; k < 2; k++)
            src[i].days[k] = (servgap__declnum){(int32_t)i - 500, (int32_t)i + k};
    }
    servgap_result *alone = servgap__result_new(&a, 0, SERVGAP_DAY);
    servgap_result *r = servgap__result_new(&a, 0, SERVGAP_DAY);
    servgap_result *part[2] = {servgap__result_new(&a, 0, SERVGAP_DAY),
                               servgap__result_new(&a, 0, SERVGAP_DAY)};
    ck_assert(alone && r && part[0] && part[1]);
    add_cells(alone, src, 0, N);
    ck_assert_int_eq(servgap__result_reserve(r, ROOM, 0, 0), 0);
    const servgap__cellrow *cells = r->cells;
    const size_t at[2] = {350, 700}, end[3] = {300, 600, N};
    servgap__result_lend(part[0], r, at[0], at[1] - at[0]);
    servgap__result_lend(part[1], r, at[1], ROOM - at[1]);
    add_cells(part[1], src, end[1], end[2]);
    add_cells(r, src, 0, end[0]);
    add_cells(part[0], src, end[0], end[1]);
    for (int k = 0; k < 2; k++) {
        ck_assert_int_eq(servgap__result_join(r, part[k], at[k]), 0);
        ck_assert_ptr_null(part[k]->cells);
        servgap_result_free(part[k]);
    }
    ck_assert_ptr_eq(r->cells, cells);
    same_results(r, alone);
    servgap__result_trim(r);
    same_results(r, alone);
    servgap_result_free(r);
    servgap_result_free(alone);
    free(src);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rows");
    TCase *tc = tcase_create("rows");
    tcase_add_test(tc, test_pack_keeps_every_bit);
    tcase_add_test(tc, test_pack_keeps_every_column);
    tcase_add_test(tc, test_result_reads_back_every_gap);
    tcase_add_test(tc, test_lent_parts_join);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
