package servgap

// Queries and their results: the accessors copy each C row into a Go
// struct; JSON returns the library's JSON report.

/*
#include "servgap.h"

// One cell and its seven gaps in one crossing of the cgo boundary.
static int sg_cell_gaps(const servgap_result *r, size_t i, servgap_cell *c, servgap_gap *g)
{
    c->size = sizeof *c;
    int rc = servgap_result_cell(r, i, c);
    if (rc != SERVGAP_OK)
        return rc;
    for (int32_t k = 0; k < SERVGAP_GAP_COUNT; k++) {
        g[k].size = sizeof g[k];
        rc = servgap_result_gap(r, i, k, &g[k]);
        if (rc != SERVGAP_OK)
            return rc;
    }
    return SERVGAP_OK;
}

// The report streamed to the Go writer behind handle h (stream.go).
extern int32_t servgapGoWrite(void *user, char *data, size_t n);
static int32_t sg_go_write(void *user, const char *data, size_t n)
{
    return servgapGoWrite(user, (char *)data, n);
}
static int sg_json_stream(servgap_ctx *c, const servgap_result *r, uintptr_t h, size_t *len)
{
    return servgap_result_json_stream(c, r, sg_go_write, (void *)h, len);
}
*/
import "C"

import (
	"context"
	"fmt"
	"io"
	"math"
	"runtime"
	"runtime/cgo"
	"sync"
	"time"
)

// Result is the immutable outcome of one query (servgap_result): cells,
// gaps, SERVQUAL scores, breakdowns, findings, IPA, triggers, risk,
// trends and plans, as the query's flags asked. It
// owns its data and does not refer to the handle, except that JSON reads
// names from the Ctx that made it. Any number of goroutines may read it at
// once. Close frees it.
type Result struct {
	mu  sync.RWMutex // guards p against Close, as Ctx.mu does
	p   *C.servgap_result
	ctx *Ctx // for the names in JSON
}

// QueryOptions says what QueryContext analyses. The zero value is every
// observation, with every table of QueryAll.
type QueryOptions struct {
	// The window [From, To) of whole UTC days (UTC midnights); a zero
	// From reaches back to the first observation, a zero To has no end.
	From, To time.Time
	// Now is the analysis date, a UTC midnight: the reference of triggers
	// (a renewal within OptRenewalDays of it, ...), of the persistence and
	// risk windows, trends and plan re-measurement. Zero: To when it is
	// set, else the midnight after the latest observation.
	Now   time.Time
	Flags QueryFlag // what to compute; 0 means QueryAll
}

// QueryContext analyses a window (servgap_query_at): every cell, gap,
// SERVQUAL score and breakdown, and the findings, IPA, triggers, risk,
// trends and plans that q.Flags asks for. The Result does not refer to
// the handle, which may change or close meanwhile. ErrRange for an end or
// Now that is not a UTC midnight, or From not before To; ErrInvalid for
// unknown flags.
func (c *Ctx) QueryContext(ctx context.Context, q QueryOptions) (*Result, error) {
	return c.queryAt(ctx, "QueryContext", unixOr(q.From, TimeMin), unixOr(q.To, TimeMax),
		unixOr(q.Now, TimeNone), q.Flags)
}

// Query analyses the window [from, to) (servgap_query): UTC midnights, or
// TimeMin / TimeMax. flags 0 means QueryAll. The analysis date is to when
// to is finite, else the midnight after the latest observation.
//
// Deprecated: use QueryContext, which takes time.Time and a context.
func (c *Ctx) Query(from, to int64, flags QueryFlag) (*Result, error) {
	p, err := c.acquire("Query")
	if err != nil {
		return nil, err
	}
	defer c.release()
	var r *C.servgap_result
	err = c.interruptible(context.Background(), p, "servgap_query", func() C.int {
		return C.servgap_query(p, C.int64_t(from), C.int64_t(to), C.uint32_t(flags), &r)
	})
	if err != nil {
		return nil, err
	}
	return newResult(r, c), nil
}

// QueryAt is Query with an explicit analysis date now, a UTC midnight, or
// TimeNone for Query's default (servgap_query_at). now is the reference for
// triggers and the end of the persistence and risk windows.
//
// Deprecated: use QueryContext, which takes time.Time and a context.
func (c *Ctx) QueryAt(from, to, now int64, flags QueryFlag) (*Result, error) {
	return c.queryAt(context.Background(), "QueryAt", from, to, now, flags)
}

func (c *Ctx) queryAt(ctx context.Context, method string, from, to, now int64, flags QueryFlag) (*Result, error) {
	p, err := c.acquire(method)
	if err != nil {
		return nil, err
	}
	defer c.release()
	var r *C.servgap_result
	err = c.interruptible(ctx, p, "servgap_query_at", func() C.int {
		return C.servgap_query_at(p, C.int64_t(from), C.int64_t(to), C.int64_t(now), C.uint32_t(flags), &r)
	})
	if err != nil {
		return nil, err
	}
	return newResult(r, c), nil
}

func newResult(p *C.servgap_result, c *Ctx) *Result {
	r := &Result{p: p, ctx: c}
	runtime.SetFinalizer(r, (*Result).Close)
	return r
}

// Close frees the result (servgap_result_free). It waits for reads in
// progress; later reads return an *Error with code ErrMisuse. Idempotent;
// always nil. A finalizer calls it for an unreachable Result as a safety
// net only.
func (r *Result) Close() error {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.p != nil {
		C.servgap_result_free(r.p)
		r.p = nil
		runtime.SetFinalizer(r, nil)
	}
	return nil
}

func (r *Result) acquire(method string) (*C.servgap_result, error) {
	if r == nil {
		return nil, newError(ErrMisuse, "servgap: Result."+method+" on a nil Result")
	}
	r.mu.RLock()
	if r.p == nil {
		r.mu.RUnlock()
		return nil, newError(ErrMisuse, "servgap: Result."+method+" on a closed Result")
	}
	return r.p, nil
}

func (r *Result) release() { r.mu.RUnlock() }

// rowError is the *Error of a failed result accessor. Result calls have no
// handle, so the code is all C says; the message adds the row.
func rowError(rc C.int, fn string, i int) error {
	if rc == C.SERVGAP_OK {
		return nil
	}
	return newError(Errno(rc), fmt.Sprintf("%s: row %d: %s", fn, i, Strerror(int(rc))))
}

// row checks a row index before it becomes a size_t.
func row(i int, fn string) error {
	if i < 0 {
		return newError(ErrRange, fmt.Sprintf("%s: row %d: negative index", fn, i))
	}
	return nil
}

// Count returns the number of rows of a result table
// (servgap_result_count). A closed Result is ErrMisuse and an unknown table
// ErrInvalid: C answers 0 to both, which would read as an empty table.
func (r *Result) Count(t Table) (int, error) {
	p, err := r.acquire("Count")
	if err != nil {
		return 0, err
	}
	defer r.release()
	if t < TableCells || t > TablePlans {
		return 0, newError(ErrInvalid, fmt.Sprintf("servgap: Result.Count: unknown table %d", int32(t)))
	}
	return int(C.servgap_result_count(p, C.int32_t(t))), nil
}

// Gap is one gap of a cell (servgap_gap).
type Gap struct {
	Gap        GapType
	Status     Status
	Span       Link    // the links the value covers (0: service, adequacy)
	Flags      GapFlag // GapFlag* bits
	Value      float64 // oriented downstream - upstream; NaN if not computable
	Normalized float64 // Value / the cell's span
	Lo, Hi     float64 // confidence interval of Value (NaN if none)
	DF         float64 // degrees of freedom (+Inf when both sides are exact)
	NUp, NDown int64   // observations on each side (pairs when paired)
}

// Paired reports a paired t interval.
func (g Gap) Paired() bool { return g.Flags&GapFlagPaired != 0 }

// NoStandard reports that customers expect a level for which no standard
// exists.
func (g Gap) NoStandard() bool { return g.Flags&GapFlagNoStandard != 0 }

// Sufficient reports that every side has at least min_n observations.
func (g Gap) Sufficient() bool { return g.Flags&GapFlagSufficient != 0 }

// Significant reports sufficient data and an interval that excludes zero.
func (g Gap) Significant() bool { return g.Flags&GapFlagSignificant != 0 }

// DeclarationChanged reports that a side is a declaration (standard,
// promised) replaced or withdrawn inside the window.
func (g Gap) DeclarationChanged() bool { return g.Flags&GapFlagChanged != 0 }

func goGap(g *C.servgap_gap) Gap {
	return Gap{
		Gap: GapType(g.gap), Status: Status(g.status), Span: Link(g.span), Flags: GapFlag(g.flags),
		Value: float64(g.value), Normalized: float64(g.normalized),
		Lo: float64(g.lo), Hi: float64(g.hi), DF: float64(g.df),
		NUp: int64(g.n_up), NDown: int64(g.n_down),
	}
}

// Cell is a scope at a touchpoint for a metric, or a roll-up
// (servgap_cell), with its seven gaps indexed by GapType.
type Cell struct {
	ScopeKind       ScopeKind
	ScopeID         int32    // account or tier id
	Touchpoint      int32    // touchpoint id, or All
	Metric          MetricID // metric id, or All for a dimension roll-up
	Dimension       Dimension
	Classification  Class
	ClassSpan       Link    // links of the winning gap
	ClassNormalized float64 // normalized value of the winning shortfall, else NaN
	Span            float64 // the cell's scale
	N               [VPCount]int64
	Mean            [VPCount]float64 // in the metric's unit; NaN if none
	SD              [VPCount]float64 // NaN if n < 2
	Negative        [VPCount]int64
	Source          [VPCount]Source
	Pairs           int64
	PECorrelation   float64
	Gaps            [GapCount]Gap
	// What each viewpoint's side read (docs/concepts.md, section 13):
	// [ReadFrom, ReadTo), a zero end unbounded (a window from the beginning
	// or without end). Both are zero for a viewpoint with no data too:
	// Read tells the two apart. Events (delivered, perceived) read the
	// window; survey viewpoints (expected, adequate, believed) the window
	// or the look-back (OptLookbackDays) before its end, whichever is
	// longer; a declaration (standard, promised) from the day of the
	// earliest one in force during the window to the window's end.
	ReadFrom [VPCount]time.Time
	ReadTo   [VPCount]time.Time
	// Declared is, for a declaration, the day of the one in force at the
	// window's end; zero for other viewpoints and without one. Source has
	// SourceChanged when it was replaced or withdrawn inside the window.
	Declared [VPCount]time.Time
	// read says which viewpoints have data: C's read_to is TimeNone
	// without, TimeMax for an unbounded end, and both are a zero ReadTo.
	read [VPCount]bool
}

// Read returns what viewpoint v's side read, [from, to) with a zero end
// unbounded, and false when the cell has no data of v.
func (c Cell) Read(v Viewpoint) (from, to time.Time, ok bool) {
	if v < 0 || v >= VPCount || !c.read[v] {
		return time.Time{}, time.Time{}, false
	}
	return c.ReadFrom[v], c.ReadTo[v], true
}

// Cell returns cell i with its gaps (servgap_result_cell and
// servgap_result_gap, in one cgo call).
func (r *Result) Cell(i int) (Cell, error) {
	p, err := r.acquire("Cell")
	if err != nil {
		return Cell{}, err
	}
	defer r.release()
	return cell(p, i)
}

// Cells returns every cell, in the order of the C API and of the JSON
// report's "cells".
func (r *Result) Cells() ([]Cell, error) {
	p, err := r.acquire("Cells")
	if err != nil {
		return nil, err
	}
	defer r.release()
	out := make([]Cell, int(C.servgap_result_count(p, C.SERVGAP_TABLE_CELLS)))
	for i := range out {
		if out[i], err = cell(p, i); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func cell(p *C.servgap_result, i int) (Cell, error) {
	if err := row(i, "servgap_result_cell"); err != nil {
		return Cell{}, err
	}
	var c C.servgap_cell
	var g [GapCount]C.servgap_gap
	if err := rowError(C.sg_cell_gaps(p, C.size_t(i), &c, &g[0]), "servgap_result_cell", i); err != nil {
		return Cell{}, err
	}
	out := Cell{
		ScopeKind: ScopeKind(c.scope_kind), ScopeID: int32(c.scope_id),
		Touchpoint: int32(c.touchpoint), Metric: MetricID(c.metric), Dimension: Dimension(c.dimension),
		Classification: Class(c.classification), ClassSpan: Link(c.class_span),
		ClassNormalized: float64(c.class_normalized), Span: float64(c.span),
		Pairs: int64(c.pairs), PECorrelation: float64(c.pe_correlation),
	}
	for v := 0; v < VPCount; v++ {
		out.N[v] = int64(c.n[v])
		out.Mean[v] = float64(c.mean[v])
		out.SD[v] = float64(c.sd[v])
		out.Negative[v] = int64(c.negative[v])
		out.Source[v] = Source(c.source[v])
		out.ReadFrom[v] = fromUnix(int64(c.read_from[v]))
		out.ReadTo[v] = fromUnix(int64(c.read_to[v]))
		out.Declared[v] = fromUnix(int64(c.declared[v]))
		out.read[v] = c.read_to[v] != TimeNone
	}
	for k := range g {
		out.Gaps[k] = goGap(&g[k])
	}
	return out, nil
}

// Gap returns gap g of cell i (servgap_result_gap).
func (r *Result) Gap(i int, g GapType) (Gap, error) {
	p, err := r.acquire("Gap")
	if err != nil {
		return Gap{}, err
	}
	defer r.release()
	if err := row(i, "servgap_result_gap"); err != nil {
		return Gap{}, err
	}
	cg := C.servgap_gap{size: C.sizeof_servgap_gap}
	if err := rowError(C.servgap_result_gap(p, C.size_t(i), C.int32_t(g), &cg), "servgap_result_gap", i); err != nil {
		return Gap{}, err
	}
	return goGap(&cg), nil
}

// Find returns the index of the cell of (scope, touchpoint, metric)
// (servgap_result_find). touchpoint and metric may be All; for a dimension
// roll-up pass metric All and the dimension, else dim is ignored.
// ErrNotFound when the result has no such cell.
func (r *Result) Find(scopeKind ScopeKind, scopeID, touchpoint int32, metric MetricID, dim Dimension) (int, error) {
	p, err := r.acquire("Find")
	if err != nil {
		return 0, err
	}
	defer r.release()
	var i C.size_t
	rc := C.servgap_result_find(p, C.int32_t(scopeKind), C.int32_t(scopeID), C.int32_t(touchpoint),
		C.int32_t(metric), C.int32_t(dim), &i)
	if rc != C.SERVGAP_OK {
		return 0, newError(Errno(rc), fmt.Sprintf("servgap_result_find: %s %d, touchpoint %d, metric %d, dimension %d: %s",
			scopeKind, scopeID, touchpoint, metric, dim, Strerror(int(rc))))
	}
	return int(i), nil
}

// ServQual is the SERVQUAL scores of a scope at a touchpoint or All
// (servgap_servqual). Arrays are indexed by Dimension.
type ServQual struct {
	ScopeKind         ScopeKind
	ScopeID           int32
	Touchpoint        int32
	MostUnderweighted Dimension         // the dimension the provider under-weights most, or -1
	DimensionGap      [DimCount]float64 // service gap per dimension (NaN: no data)
	Weight            [DimCount]float64 // customer importance / 100 (NaN: none)
	BelievedWeight    [DimCount]float64 // provider's belief / 100 (NaN: none)
	Unweighted        float64
	ItemMean          float64
	Weighted          float64 // NaN without weights
	WeightedLo        float64
	WeightedHi        float64
	ServPerf          float64
	ImportanceGap     float64
	Respondents       int64
	WeightSource      WeightSource
}

// ServQualRow returns SERVQUAL row i (servgap_result_servqual).
func (r *Result) ServQualRow(i int) (ServQual, error) {
	p, err := r.acquire("ServQualRow")
	if err != nil {
		return ServQual{}, err
	}
	defer r.release()
	return servqual(p, i)
}

// ServQual returns every SERVQUAL row.
func (r *Result) ServQual() ([]ServQual, error) {
	p, err := r.acquire("ServQual")
	if err != nil {
		return nil, err
	}
	defer r.release()
	out := make([]ServQual, int(C.servgap_result_count(p, C.SERVGAP_TABLE_SERVQUAL)))
	for i := range out {
		if out[i], err = servqual(p, i); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func servqual(p *C.servgap_result, i int) (ServQual, error) {
	const fn = "servgap_result_servqual"
	if err := row(i, fn); err != nil {
		return ServQual{}, err
	}
	q := C.servgap_servqual{size: C.sizeof_servgap_servqual}
	if err := rowError(C.servgap_result_servqual(p, C.size_t(i), &q), fn, i); err != nil {
		return ServQual{}, err
	}
	out := ServQual{
		ScopeKind: ScopeKind(q.scope_kind), ScopeID: int32(q.scope_id), Touchpoint: int32(q.touchpoint),
		MostUnderweighted: Dimension(q.most_underweighted),
		Unweighted:        float64(q.unweighted), ItemMean: float64(q.item_mean),
		Weighted: float64(q.weighted), WeightedLo: float64(q.weighted_lo), WeightedHi: float64(q.weighted_hi),
		ServPerf: float64(q.servperf), ImportanceGap: float64(q.importance_gap),
		Respondents: int64(q.respondents), WeightSource: WeightSource(q.weight_source),
	}
	for d := 0; d < DimCount; d++ {
		out.DimensionGap[d] = float64(q.dimension_gap[d])
		out.Weight[d] = float64(q.weight[d])
		out.BelievedWeight[d] = float64(q.believed_weight[d])
	}
	return out, nil
}

// Breakdown is one team's or one driver's part of a cell
// (servgap_breakdown).
type Breakdown struct {
	Facet      Facet
	FacetID    int32     // team id or Driver value
	Viewpoint  Viewpoint // the viewpoint split by the facet
	Gap        GapType   // GapDelivery or GapService
	Status     Status
	Flags      GapFlag
	Cell       int // index of its cell
	N          int64
	Mean       float64
	Value      float64
	Normalized float64
	Lo, Hi     float64
	DF         float64
}

// Breakdown returns breakdown row i (servgap_result_breakdown).
func (r *Result) Breakdown(i int) (Breakdown, error) {
	p, err := r.acquire("Breakdown")
	if err != nil {
		return Breakdown{}, err
	}
	defer r.release()
	return breakdown(p, i)
}

// Breakdowns returns every breakdown row, grouped by cell, teams first.
func (r *Result) Breakdowns() ([]Breakdown, error) {
	p, err := r.acquire("Breakdowns")
	if err != nil {
		return nil, err
	}
	defer r.release()
	out := make([]Breakdown, int(C.servgap_result_count(p, C.SERVGAP_TABLE_BREAKDOWN)))
	for i := range out {
		if out[i], err = breakdown(p, i); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func breakdown(p *C.servgap_result, i int) (Breakdown, error) {
	const fn = "servgap_result_breakdown"
	if err := row(i, fn); err != nil {
		return Breakdown{}, err
	}
	b := C.servgap_breakdown{size: C.sizeof_servgap_breakdown}
	if err := rowError(C.servgap_result_breakdown(p, C.size_t(i), &b), fn, i); err != nil {
		return Breakdown{}, err
	}
	return Breakdown{
		Facet: Facet(b.facet), FacetID: int32(b.facet_id), Viewpoint: Viewpoint(b.viewpoint),
		Gap: GapType(b.gap), Status: Status(b.status), Flags: GapFlag(b.flags), Cell: int(b.cell),
		N: int64(b.n), Mean: float64(b.mean), Value: float64(b.value), Normalized: float64(b.normalized),
		Lo: float64(b.lo), Hi: float64(b.hi), DF: float64(b.df),
	}, nil
}

// Finding is a significant shortfall of one gap type in one cell, with its
// impact, effort and rank (servgap_finding), and its affected accounts.
type Finding struct {
	Rank             int32 // 1 = first
	ScopeKind        ScopeKind
	ScopeID          int32
	Touchpoint       int32
	Metric           MetricID
	Dimension        Dimension
	Gap              GapType
	Quadrant         Quadrant
	Flags            FindingFlag
	Windows          int32 // of the last K windows, how many held this shortfall
	Cell             int   // index of its cell
	Value            float64
	Normalized       float64
	SizeTerm         float64
	ValueShare       float64
	Frequency        float64
	AffectedValue    float64
	AffectedAccounts int64
	Impact           float64 // 0..100
	Effort           float64
	Priority         float64 // Impact / Effort
	// Root is the index (Rank - 1) of the tier finding this account
	// finding repeats, its root cause, or -1 when it repeats none.
	Root         int
	Members      int64   // a root: how many account findings repeat it
	MembersValue float64 // a root: those accounts' total value
	Accounts     []int32 // the affected accounts' ids, ascending
}

// Persistent reports a shortfall in each of the last K windows.
func (f Finding) Persistent() bool { return f.Flags&FindingPersistent != 0 }

// NoStandard reports a standards finding where customers expect a level
// that no standard defines (docs/priorities.md, section 1).
func (f Finding) NoStandard() bool { return f.Flags&FindingNoStandard != 0 }

// Finding returns finding i, rank i + 1, with its accounts
// (servgap_result_finding and servgap_result_finding_accounts).
func (r *Result) Finding(i int) (Finding, error) {
	p, err := r.acquire("Finding")
	if err != nil {
		return Finding{}, err
	}
	defer r.release()
	return finding(p, i)
}

// Findings returns every finding in rank order.
func (r *Result) Findings() ([]Finding, error) {
	p, err := r.acquire("Findings")
	if err != nil {
		return nil, err
	}
	defer r.release()
	out := make([]Finding, int(C.servgap_result_count(p, C.SERVGAP_TABLE_FINDINGS)))
	for i := range out {
		if out[i], err = finding(p, i); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func finding(p *C.servgap_result, i int) (Finding, error) {
	const fn = "servgap_result_finding"
	if err := row(i, fn); err != nil {
		return Finding{}, err
	}
	f := C.servgap_finding{size: C.sizeof_servgap_finding}
	if err := rowError(C.servgap_result_finding(p, C.size_t(i), &f), fn, i); err != nil {
		return Finding{}, err
	}
	accounts, err := findingAccounts(p, i)
	if err != nil {
		return Finding{}, err
	}
	root := -1
	if uint64(f.root) != math.MaxUint64 {
		root = int(f.root)
	}
	return Finding{
		Rank: int32(f.rank), ScopeKind: ScopeKind(f.scope_kind), ScopeID: int32(f.scope_id),
		Touchpoint: int32(f.touchpoint), Metric: MetricID(f.metric), Dimension: Dimension(f.dimension),
		Gap: GapType(f.gap), Quadrant: Quadrant(f.quadrant), Flags: FindingFlag(f.flags),
		Windows: int32(f.windows), Cell: int(f.cell), Value: float64(f.value),
		Normalized: float64(f.normalized), SizeTerm: float64(f.size_term),
		ValueShare: float64(f.value_share), Frequency: float64(f.frequency),
		AffectedValue: float64(f.affected_value), AffectedAccounts: int64(f.affected_accounts),
		Impact: float64(f.impact), Effort: float64(f.effort), Priority: float64(f.priority),
		Root: root, Members: int64(f.members), MembersValue: float64(f.members_value),
		Accounts: accounts,
	}, nil
}

// FindingAccounts returns the ids of finding i's affected accounts,
// ascending (servgap_result_finding_accounts: a size query, then the ids,
// written by C straight into the returned slice).
func (r *Result) FindingAccounts(i int) ([]int32, error) {
	p, err := r.acquire("FindingAccounts")
	if err != nil {
		return nil, err
	}
	defer r.release()
	return findingAccounts(p, i)
}

func findingAccounts(p *C.servgap_result, i int) ([]int32, error) {
	const fn = "servgap_result_finding_accounts"
	if err := row(i, fn); err != nil {
		return nil, err
	}
	var n C.size_t
	if err := rowError(C.servgap_result_finding_accounts(p, C.size_t(i), nil, 0, &n), fn, i); err != nil {
		return nil, err
	}
	ids := make([]int32, int(n))
	if n > 0 {
		rc := C.servgap_result_finding_accounts(p, C.size_t(i), i32(ids), n, &n)
		if err := rowError(rc, fn, i); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// IPA is one dimension of a scope at a touchpoint on the
// Importance-Performance grid (servgap_ipa).
type IPA struct {
	ScopeKind        ScopeKind
	ScopeID          int32
	Touchpoint       int32
	Dimension        Dimension
	Quadrant         IPAQuadrant
	Importance       float64 // customer importance points, 0..100
	Performance      float64 // perceived mean on the dimension's scale
	ImportanceCross  float64 // the crosshair used
	PerformanceCross float64
}

// IPARow returns IPA row i (servgap_result_ipa).
func (r *Result) IPARow(i int) (IPA, error) {
	p, err := r.acquire("IPARow")
	if err != nil {
		return IPA{}, err
	}
	defer r.release()
	return ipa(p, i)
}

// IPA returns every IPA row.
func (r *Result) IPA() ([]IPA, error) {
	p, err := r.acquire("IPA")
	if err != nil {
		return nil, err
	}
	defer r.release()
	out := make([]IPA, int(C.servgap_result_count(p, C.SERVGAP_TABLE_IPA)))
	for i := range out {
		if out[i], err = ipa(p, i); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func ipa(p *C.servgap_result, i int) (IPA, error) {
	const fn = "servgap_result_ipa"
	if err := row(i, fn); err != nil {
		return IPA{}, err
	}
	a := C.servgap_ipa{size: C.sizeof_servgap_ipa}
	if err := rowError(C.servgap_result_ipa(p, C.size_t(i), &a), fn, i); err != nil {
		return IPA{}, err
	}
	return IPA{
		ScopeKind: ScopeKind(a.scope_kind), ScopeID: int32(a.scope_id), Touchpoint: int32(a.touchpoint),
		Dimension: Dimension(a.dimension), Quadrant: IPAQuadrant(a.quadrant),
		Importance: float64(a.importance), Performance: float64(a.performance),
		ImportanceCross: float64(a.importance_cross), PerformanceCross: float64(a.performance_cross),
	}, nil
}

// Trigger is a review trigger of one account, with its evidence
// (servgap_trigger); Detail is copied from the result.
type Trigger struct {
	Account         int32
	Kind            TriggerKind
	Date            time.Time // the renewal, migration or review date; else the analysis date
	Count           int64
	Before, After   float64
	Statistic       float64 // NaN if none
	Lo, Hi          float64 // interval of After - Before, NaN if none
	NBefore, NAfter int64
	Detail          string // one line of English evidence
}

// Trigger returns trigger i (servgap_result_trigger).
func (r *Result) Trigger(i int) (Trigger, error) {
	p, err := r.acquire("Trigger")
	if err != nil {
		return Trigger{}, err
	}
	defer r.release()
	return trigger(p, i)
}

// Triggers returns every trigger, by account id, then kind.
func (r *Result) Triggers() ([]Trigger, error) {
	p, err := r.acquire("Triggers")
	if err != nil {
		return nil, err
	}
	defer r.release()
	out := make([]Trigger, int(C.servgap_result_count(p, C.SERVGAP_TABLE_TRIGGERS)))
	for i := range out {
		if out[i], err = trigger(p, i); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func trigger(p *C.servgap_result, i int) (Trigger, error) {
	const fn = "servgap_result_trigger"
	if err := row(i, fn); err != nil {
		return Trigger{}, err
	}
	t := C.servgap_trigger{size: C.sizeof_servgap_trigger}
	if err := rowError(C.servgap_result_trigger(p, C.size_t(i), &t), fn, i); err != nil {
		return Trigger{}, err
	}
	return Trigger{
		Account: int32(t.account), Kind: TriggerKind(t.kind), Date: fromUnix(int64(t.date)), Count: int64(t.count),
		Before: float64(t.before), After: float64(t.after), Statistic: float64(t.statistic),
		Lo: float64(t.lo), Hi: float64(t.hi), NBefore: int64(t.n_before), NAfter: int64(t.n_after),
		Detail: C.GoString(t.detail),
	}, nil
}

// Risk is the gap-persistence risk of one account (servgap_risk).
type Risk struct {
	Account         int32
	Windows         int32 // K
	WithShortfall   int32 // windows holding a significant shortfall
	Churned         bool
	Risk            float64 // 0..1
	Value           float64 // account value
	Findings        int64
	WorstNormalized float64 // NaN if none
}

// RiskRow returns risk row i (servgap_result_risk).
func (r *Result) RiskRow(i int) (Risk, error) {
	p, err := r.acquire("RiskRow")
	if err != nil {
		return Risk{}, err
	}
	defer r.release()
	return risk(p, i)
}

// Risk returns every risk row, one per account, by id.
func (r *Result) Risk() ([]Risk, error) {
	p, err := r.acquire("Risk")
	if err != nil {
		return nil, err
	}
	defer r.release()
	out := make([]Risk, int(C.servgap_result_count(p, C.SERVGAP_TABLE_RISK)))
	for i := range out {
		if out[i], err = risk(p, i); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func risk(p *C.servgap_result, i int) (Risk, error) {
	const fn = "servgap_result_risk"
	if err := row(i, fn); err != nil {
		return Risk{}, err
	}
	k := C.servgap_risk{size: C.sizeof_servgap_risk}
	if err := rowError(C.servgap_result_risk(p, C.size_t(i), &k), fn, i); err != nil {
		return Risk{}, err
	}
	return Risk{
		Account: int32(k.account), Windows: int32(k.windows), WithShortfall: int32(k.with_shortfall),
		Churned: k.churned != 0, Risk: float64(k.risk), Value: float64(k.value),
		Findings: int64(k.findings), WorstNormalized: float64(k.worst_normalized),
	}, nil
}

// Trend is one window of a trend (servgap_trend): a cell's gap in one of
// OptTrendWindows consecutive windows of OptWindowDays days, the last
// ending at the analysis date. Its numbers are those a query of that
// window alone gives the cell. A series' rows are consecutive, oldest
// window first.
type Trend struct {
	Series     int // the series
	Finding    int // index (rank - 1) of the finding it follows; -1 from Ctx.QueryTrendsContext
	ScopeKind  ScopeKind
	ScopeID    int32
	Touchpoint int32    // touchpoint id, or All
	Metric     MetricID // metric id, or All for a dimension roll-up
	Dimension  Dimension
	Gap        GapType
	Window     int32  // 0 = the oldest
	Status     Status // StatusInsufficient where the window has no such cell
	Span       Link
	Flags      GapFlag
	From, To   time.Time // the window [From, To)
	Value      float64   // as Gap.Value; NaN without a value
	Normalized float64
	Lo, Hi     float64
	NUp, NDown int64
}

// Significant reports sufficient data and an interval that excludes zero.
func (t Trend) Significant() bool { return t.Flags&GapFlagSignificant != 0 }

// DeclarationChanged reports that a side is a declaration replaced or
// withdrawn inside the window.
func (t Trend) DeclarationChanged() bool { return t.Flags&GapFlagChanged != 0 }

// Trend returns trend row i (servgap_result_trend).
func (r *Result) Trend(i int) (Trend, error) {
	p, err := r.acquire("Trend")
	if err != nil {
		return Trend{}, err
	}
	defer r.release()
	return trend(p, i)
}

// Trends returns every trend row, series by series, oldest window first:
// each finding's series from a query with QueryTrends, or one series per
// named cell from Ctx.QueryTrendsContext.
func (r *Result) Trends() ([]Trend, error) {
	p, err := r.acquire("Trends")
	if err != nil {
		return nil, err
	}
	defer r.release()
	out := make([]Trend, int(C.servgap_result_count(p, C.SERVGAP_TABLE_TRENDS)))
	for i := range out {
		if out[i], err = trend(p, i); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func trend(p *C.servgap_result, i int) (Trend, error) {
	const fn = "servgap_result_trend"
	if err := row(i, fn); err != nil {
		return Trend{}, err
	}
	t := C.servgap_trend{size: C.sizeof_servgap_trend}
	if err := rowError(C.servgap_result_trend(p, C.size_t(i), &t), fn, i); err != nil {
		return Trend{}, err
	}
	finding := -1
	if uint64(t.finding) != math.MaxUint64 {
		finding = int(t.finding)
	}
	return Trend{
		Series: int(t.series), Finding: finding, ScopeKind: ScopeKind(t.scope_kind),
		ScopeID: int32(t.scope_id), Touchpoint: int32(t.touchpoint), Metric: MetricID(t.metric),
		Dimension: Dimension(t.dimension), Gap: GapType(t.gap), Window: int32(t.window),
		Status: Status(t.status), Span: Link(t.span), Flags: GapFlag(t.flags),
		From: fromUnix(int64(t.from)), To: fromUnix(int64(t.to)), Value: float64(t.value),
		Normalized: float64(t.normalized), Lo: float64(t.lo), Hi: float64(t.hi),
		NUp: int64(t.n_up), NDown: int64(t.n_down),
	}, nil
}

// PlanStatus is a plan item re-measured by a query with QueryPlans
// (servgap_plan_status): the follow-up is the OptWindowDays days ending at
// the analysis date, the baseline the plan's own window or the window
// before the follow-up (docs/remediation.md, section 2).
type PlanStatus struct {
	Plan        int32  // the plan item's id
	Owner       string // copied from the result
	ScopeKind   ScopeKind
	ScopeID     int32
	Touchpoint  int32    // touchpoint id, or All
	Metric      MetricID // metric id, or All for a dimension roll-up
	Dimension   Dimension
	Gap         GapType
	Outcome     Outcome   // OutcomeNone when nothing has followed the baseline yet
	Overdue     bool      // a deadline before the analysis date, and not closed
	OwnBaseline bool      // the plan's own baseline window (else the default)
	Deadline    time.Time // zero: none
	Target      float64
	BaseFrom    time.Time // the baseline window [BaseFrom, BaseTo)
	BaseTo      time.Time
	FollowFrom  time.Time // the follow-up window; zero for OutcomeNone
	FollowTo    time.Time
	Baseline    float64 // the gap value in each window (NaN: no data)
	Followup    float64
	Change      float64   // Followup - Baseline
	Lo, Hi      float64   // interval of the change
	NextCheck   time.Time // the follow-up's end + OptWindowDays
	Finding     int       // index (rank - 1) of the finding it addresses, or -1
}

// PlanRow returns plan row i (servgap_result_plan).
func (r *Result) PlanRow(i int) (PlanStatus, error) {
	p, err := r.acquire("PlanRow")
	if err != nil {
		return PlanStatus{}, err
	}
	defer r.release()
	return planStatus(p, i)
}

// Plans returns every plan row of a query with QueryPlans, by plan id.
func (r *Result) Plans() ([]PlanStatus, error) {
	p, err := r.acquire("Plans")
	if err != nil {
		return nil, err
	}
	defer r.release()
	out := make([]PlanStatus, int(C.servgap_result_count(p, C.SERVGAP_TABLE_PLANS)))
	for i := range out {
		if out[i], err = planStatus(p, i); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func planStatus(p *C.servgap_result, i int) (PlanStatus, error) {
	const fn = "servgap_result_plan"
	if err := row(i, fn); err != nil {
		return PlanStatus{}, err
	}
	s := C.servgap_plan_status{size: C.sizeof_servgap_plan_status}
	if err := rowError(C.servgap_result_plan(p, C.size_t(i), &s), fn, i); err != nil {
		return PlanStatus{}, err
	}
	finding := -1
	if uint64(s.finding) != math.MaxUint64 {
		finding = int(s.finding)
	}
	return PlanStatus{
		Plan: int32(s.plan), Owner: C.GoString(s.owner), ScopeKind: ScopeKind(s.scope_kind),
		ScopeID: int32(s.scope_id), Touchpoint: int32(s.touchpoint), Metric: MetricID(s.metric),
		Dimension: Dimension(s.dimension), Gap: GapType(s.gap), Outcome: Outcome(s.outcome),
		Overdue: s.overdue != 0, OwnBaseline: s.own_baseline != 0, Deadline: fromUnix(int64(s.deadline)),
		Target: float64(s.target), BaseFrom: fromUnix(int64(s.base_from)), BaseTo: fromUnix(int64(s.base_to)),
		FollowFrom: fromUnix(int64(s.follow_from)), FollowTo: fromUnix(int64(s.follow_to)),
		Baseline: float64(s.baseline), Followup: float64(s.followup), Change: float64(s.change),
		Lo: float64(s.lo), Hi: float64(s.hi), NextCheck: fromUnix(int64(s.next_check)), Finding: finding,
	}, nil
}

// TrendCell names a cell and one of its gaps for Ctx.QueryTrendsContext:
// a scope, a touchpoint id or All, a metric id or All with Dimension for a
// dimension roll-up (else Dimension is ignored), and the gap.
type TrendCell struct {
	ScopeKind  ScopeKind
	ScopeID    int32
	Touchpoint int32
	Metric     MetricID
	Dimension  Dimension
	Gap        GapType
}

// TrendCell returns the cell and gap of a finding, to follow it with
// Ctx.QueryTrendsContext.
func (f Finding) TrendCell() TrendCell {
	return TrendCell{ScopeKind: f.ScopeKind, ScopeID: f.ScopeID, Touchpoint: f.Touchpoint,
		Metric: f.Metric, Dimension: f.Dimension, Gap: f.Gap}
}

// TrendCell returns the cell and gap a trend row follows.
func (t Trend) TrendCell() TrendCell {
	return TrendCell{ScopeKind: t.ScopeKind, ScopeID: t.ScopeID, Touchpoint: t.Touchpoint,
		Metric: t.Metric, Dimension: t.Dimension, Gap: t.Gap}
}

// QueryTrendsContext returns the trends of named cells
// (servgap_query_trends): one series per cell, in order, each the cell's
// gap over OptTrendWindows windows of OptWindowDays days, the last ending
// at now (a UTC midnight, or the zero Time: the midnight after the latest
// observation). The cells go to C as six columns in one call. The result
// holds only TableTrends (read it with Trends); its Period is [the first
// window's start, now). A window that lacks a cell gives a row with
// StatusInsufficient. An unknown id is ErrNotFound and a bad scope kind,
// dimension or gap ErrInvalid, with a message that names the cell's index
// ("cell 1: ...").
func (c *Ctx) QueryTrendsContext(ctx context.Context, now time.Time, cells []TrendCell) (*Result, error) {
	return c.queryTrends(ctx, "QueryTrendsContext", unixOr(now, TimeNone), cells)
}

// QueryTrends is QueryTrendsContext with now in UTC seconds (TimeNone:
// the midnight after the latest observation).
//
// Deprecated: use QueryTrendsContext, which takes a time.Time and a context.
func (c *Ctx) QueryTrends(now int64, cells []TrendCell) (*Result, error) {
	return c.queryTrends(context.Background(), "QueryTrends", now, cells)
}

func (c *Ctx) queryTrends(ctx context.Context, method string, now int64, cells []TrendCell) (*Result, error) {
	p, err := c.acquire(method)
	if err != nil {
		return nil, err
	}
	defer c.release()
	n := len(cells)
	col := make([]int32, 6*n) // six columns, one allocation
	for i, x := range cells {
		col[i], col[n+i], col[2*n+i] = int32(x.ScopeKind), x.ScopeID, x.Touchpoint
		col[3*n+i], col[4*n+i], col[5*n+i] = int32(x.Metric), int32(x.Dimension), int32(x.Gap)
	}
	var r *C.servgap_result
	err = c.interruptible(ctx, p, "servgap_query_trends", func() C.int {
		return C.servgap_query_trends(p, C.int64_t(now), C.size_t(n), i32(col[:n]), i32(col[n:2*n]),
			i32(col[2*n:3*n]), i32(col[3*n:4*n]), i32(col[4*n:5*n]), i32(col[5*n:]), &r)
	})
	if err != nil {
		return nil, err
	}
	return newResult(r, c), nil
}

// AUC is how well the risk ranks churned against retained accounts.
type AUC struct {
	Value    float64 // ROC AUC; NaN when either group is empty
	Churned  int64
	Retained int64
}

// AUC returns the ROC AUC of the risk (servgap_result_risk_auc).
func (r *Result) AUC() (AUC, error) {
	p, err := r.acquire("AUC")
	if err != nil {
		return AUC{}, err
	}
	defer r.release()
	var auc C.double
	var churned, retained C.int64_t
	if rc := C.servgap_result_risk_auc(p, &auc, &churned, &retained); rc != C.SERVGAP_OK {
		return AUC{}, newError(Errno(rc), "servgap_result_risk_auc: "+Strerror(int(rc)))
	}
	return AUC{Value: float64(auc), Churned: int64(churned), Retained: int64(retained)}, nil
}

// Period returns the window the result analysed (servgap_result_window):
// for Ctx.QueryTrendsContext, from the first trend window's start to the
// analysis date.
func (r *Result) Period() (Window, error) {
	from, to, err := r.Window()
	if err != nil {
		return Window{}, err
	}
	return windowOf(from, to), nil
}

// Window returns the result's window [from, to) in UTC seconds
// (servgap_result_window).
//
// Deprecated: use Period, which gives a Window of time.Time.
func (r *Result) Window() (from, to int64, err error) {
	p, err := r.acquire("Window")
	if err != nil {
		return 0, 0, err
	}
	defer r.release()
	var f, t C.int64_t
	if rc := C.servgap_result_window(p, &f, &t); rc != C.SERVGAP_OK {
		return 0, 0, newError(Errno(rc), "servgap_result_window: "+Strerror(int(rc)))
	}
	return int64(f), int64(t), nil
}

// AnalysisDate returns the date triggers, risk and plans were computed
// as of (servgap_result_now).
func (r *Result) AnalysisDate() (time.Time, error) {
	now, err := r.Now()
	if err != nil {
		return time.Time{}, err
	}
	return fromUnix(now), nil
}

// Now returns the result's analysis date in UTC seconds
// (servgap_result_now).
//
// Deprecated: use AnalysisDate, which gives a time.Time.
func (r *Result) Now() (int64, error) {
	p, err := r.acquire("Now")
	if err != nil {
		return 0, err
	}
	defer r.release()
	var now C.int64_t
	if rc := C.servgap_result_now(p, &now); rc != C.SERVGAP_OK {
		return 0, newError(Errno(rc), "servgap_result_now: "+Strerror(int(rc)))
	}
	return int64(now), nil
}

// JSON returns the result as the JSON report of docs/formats.md
// (servgap_result_json: a size query, then the bytes, written by C straight
// into the returned slice; it ends with a newline). The names come from the
// Ctx that ran the query, which must still be open.
func (r *Result) JSON() ([]byte, error) {
	p, err := r.acquire("JSON")
	if err != nil {
		return nil, err
	}
	defer r.release()
	cp, err := r.ctx.acquire("JSON (via Result)")
	if err != nil {
		return nil, err
	}
	defer r.ctx.release()
	for {
		var n C.size_t
		if err := ctxError(cp, C.servgap_result_json(cp, p, nil, 0, &n), "servgap_result_json"); err != nil {
			return nil, err
		}
		buf := make([]byte, int(n)+1) // + 1 for the NUL
		rc := C.servgap_result_json(cp, p, (*C.char)(bytesPtr(buf)), C.size_t(len(buf)), &n)
		if rc == C.SERVGAP_EBUFSIZE {
			continue
		}
		if err := ctxError(cp, rc, "servgap_result_json"); err != nil {
			return nil, err
		}
		return buf[:int(n)], nil
	}
}

// WriteJSON streams the JSON report to w: the bytes JSON returns, in one
// pass and in pieces of at most 64 KiB (servgap_result_json_stream), so a
// report of any size needs no buffer of its size. It returns the number
// of bytes w accepted. An error from w stops the report and is returned
// as it is. The names come from the Ctx that ran the query, which must
// still be open; w must not use that Ctx (its read lock is held).
func (r *Result) WriteJSON(w io.Writer) (int64, error) {
	p, err := r.acquire("WriteJSON")
	if err != nil {
		return 0, err
	}
	defer r.release()
	cp, err := r.ctx.acquire("WriteJSON (via Result)")
	if err != nil {
		return 0, err
	}
	defer r.ctx.release()
	s := &jsonStream{w: w}
	h := cgo.NewHandle(s)
	defer h.Delete()
	var n C.size_t
	rc := C.sg_json_stream(cp, p, C.uintptr_t(h), &n)
	if s.err != nil {
		return s.n, s.err
	}
	return s.n, ctxError(cp, rc, "servgap_result_json_stream")
}
