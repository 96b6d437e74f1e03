package servgap

// The time model (docs/concepts.md, section 13) through the binding:
// declarations in force until replaced or withdrawn, what each side of a
// cell read, the look-back of survey viewpoints, and trends, of a query's
// findings (QueryTrends flag) and of named cells (Ctx.QueryTrends). The
// numbers are tests/test_time.c's.

import (
	"context"
	"math"
	"testing"
)

var (
	jul1     = Date(2026, 7, 1)
	jul16    = Date(2026, 7, 16)
	aug1     = Date(2026, 8, 1)
	dec1     = Date(2026, 12, 1)
	nextJan1 = Date(2027, 1, 1)
)

// timeFixture is tests/test_time.c's: tier gold with account acme,
// touchpoint email and first-response hours (0..1000 h, span 24).
type timeFixture struct {
	c                 *Ctx
	gold, acme, email int32
	frh               MetricID
}

func newTimeFixture(t *testing.T) *timeFixture {
	t.Helper()
	c := newCtx(t)
	id := idOf(t)
	f := &timeFixture{c: c}
	f.acme = id(c.DefineAccount("acme", "gold", 1000))
	f.gold = id(c.Lookup(KindTier, "gold"))
	f.email = id(c.Intern(KindTouchpoint, "email"))
	f.frh = metricOf(t)(c.DefineMetric(Metric{Name: "first_response_hours", Dimension: DimResponsiveness,
		Direction: LowerIsBetter, Min: 0, Max: 1000, Span: 24, Unit: "h"}))
	return f
}

func (f *timeFixture) put(t *testing.T, kind ScopeKind, scope int32, vp Viewpoint, v float64, at int64) {
	t.Helper()
	must(t, f.c.Record(kind, scope, f.email, f.frh, vp, v, at, None, DriverNone))
}

// goldCell returns the gold tier's cell at email for first-response hours
// in [from, to).
func (f *timeFixture) goldCell(t *testing.T, from, to int64) Cell {
	t.Helper()
	r, err := f.c.Query(from, to, QueryTiers)
	must(t, err)
	defer r.Close()
	i, err := r.Find(ScopeTier, f.gold, f.email, f.frh, 0)
	must(t, err)
	c, err := r.Cell(i)
	must(t, err)
	return c
}

// TestWithdraw: an SLA stays in force until withdrawn; a withdrawal inside
// a window keeps the days before it and flags the change.
func TestWithdraw(t *testing.T) {
	f := newTimeFixture(t)
	f.put(t, ScopeTier, f.gold, VPStandard, 8, t0)
	f.put(t, ScopeAccount, f.acme, VPDelivered, 9, aug1+1)
	must(t, f.c.WithdrawDeclaration(Withdrawal{ScopeKind: ScopeTier, ScopeID: f.gold, Touchpoint: f.email,
		Metric: f.frh, Viewpoint: VPStandard, Time: at(jul16)}))
	if c := f.goldCell(t, Date(2026, 3, 1), Date(2026, 4, 1)); c.N[VPStandard] != 1 || c.Mean[VPStandard] != 8 ||
		c.Declared[VPStandard] != jan1 {
		t.Fatalf("March: n %d, mean %v, declared %v", c.N[VPStandard], c.Mean[VPStandard], c.Declared[VPStandard])
	}
	c := f.goldCell(t, aug1, Date(2026, 9, 1))
	if _, _, ok := c.Read(VPStandard); ok || c.N[VPStandard] != 0 || !c.Declared[VPStandard].IsZero() {
		t.Fatalf("August: the withdrawn SLA is still read: %+v", c)
	}
	c = f.goldCell(t, jul1, aug1)
	if c.Mean[VPStandard] != 8 || c.Source[VPStandard]&SourceChanged == 0 {
		t.Fatalf("July: mean %v, source %v", c.Mean[VPStandard], c.Source[VPStandard])
	}
	// Only declarations are withdrawn; ids are checked (the deprecated form
	// in seconds too).
	wantError(t, f.c.WithdrawDeclaration(Withdrawal{ScopeKind: ScopeTier, ScopeID: f.gold,
		Touchpoint: f.email, Metric: f.frh, Viewpoint: VPDelivered, Time: at(jul1)}), ErrInvalid,
		"servgap_declaration_withdraw")
	wantError(t, f.c.Withdraw(ScopeTier, 99, f.email, f.frh, VPPromised, jul1), ErrNotFound)
	wantError(t, f.c.Withdraw(ScopeKind(9), f.gold, f.email, f.frh, VPPromised, jul1), ErrInvalid)
	// In CSV, "withdrawn" is the value of a withdrawal.
	csv := "time,account,tier,touchpoint,metric,viewpoint,value\n" +
		"2026-01-01,,gold,email,first_response_hours,promised,2\n" +
		"2026-07-16,,gold,email,first_response_hours,promised,withdrawn\n"
	_, err := f.c.ImportCSVBytes(CSVObservations, "obs.csv", []byte(csv), 0)
	must(t, err)
	if n := f.goldCell(t, aug1, Date(2026, 9, 1)).N[VPPromised]; n != 0 {
		t.Fatalf("promise withdrawn in CSV read %d times", n)
	}
	if n := f.goldCell(t, Date(2026, 3, 1), Date(2026, 4, 1)).N[VPPromised]; n != 1 {
		t.Fatalf("promise before its withdrawal read %d times", n)
	}
}

// TestReadRanges is tests/test_time.c's replaced_inside_the_window: an SLA
// of 8 h from 2026-01-01 replaced by 4 h on 2026-07-16 is, for July, 8 h
// on 15 days and 4 h on 16: (15 x 8 + 16 x 4) / 31 = 184 / 31 h.
func TestReadRanges(t *testing.T) {
	f := newTimeFixture(t)
	f.put(t, ScopeTier, f.gold, VPStandard, 8, t0)
	f.put(t, ScopeTier, f.gold, VPStandard, 4, jul16)
	f.put(t, ScopeAccount, f.acme, VPDelivered, 6, jul1+2*Day)
	f.put(t, ScopeAccount, f.acme, VPExpected, 3, jul1-30*Day) // a survey a month before
	r, err := f.c.Query(jul1, aug1, QueryTiers)
	must(t, err)
	defer r.Close()
	i, err := r.Find(ScopeTier, f.gold, f.email, f.frh, 0)
	must(t, err)
	c, err := r.Cell(i)
	must(t, err)
	if math.Abs(c.Mean[VPStandard]-184.0/31.0) > 1e-15 || c.N[VPStandard] != 2 ||
		c.Source[VPStandard]&SourceChanged == 0 || c.Source[VPDelivered]&SourceChanged != 0 {
		t.Fatalf("standard: mean %v, n %d, source %v", c.Mean[VPStandard], c.N[VPStandard], c.Source[VPStandard])
	}
	// The standard read from the earliest declaration in force during the
	// window to its end; the one in force at the end is July 16's.
	if from, to, ok := c.Read(VPStandard); !ok || from != jan1 || to != at(aug1) || c.Declared[VPStandard] != at(jul16) {
		t.Fatalf("standard read [%v, %v) %v, declared %v", from, to, ok, c.Declared[VPStandard])
	}
	// Events read the window; surveys the look-back (365 days) before its
	// end; a viewpoint without data nothing.
	if from, to, ok := c.Read(VPDelivered); !ok || from != at(jul1) || to != at(aug1) || !c.Declared[VPDelivered].IsZero() {
		t.Fatalf("delivered read [%v, %v) %v", from, to, ok)
	}
	if from, to, ok := c.Read(VPExpected); !ok || from != at(aug1-365*Day) || to != at(aug1) || c.N[VPExpected] != 1 {
		t.Fatalf("expected read [%v, %v) %v, n %d", from, to, ok, c.N[VPExpected])
	}
	if _, _, ok := c.Read(VPPerceived); ok || !c.ReadFrom[VPPerceived].IsZero() || !c.ReadTo[VPPerceived].IsZero() {
		t.Fatalf("perceived read [%v, %v)", c.ReadFrom[VPPerceived], c.ReadTo[VPPerceived])
	}
	d := c.Gaps[GapDelivery]
	if math.Abs(d.Value-(-6+184.0/31.0)) > 1e-14 || !d.DeclarationChanged() || d.Flags&GapFlagChanged == 0 {
		t.Fatalf("delivery gap %+v", d)
	}
	if c.Gaps[GapPerception].DeclarationChanged() {
		t.Fatal("the perception gap has no declaration side")
	}
	js, err := r.JSON()
	must(t, err)
	compareReport(t, f.c, r, decodeReport(t, js))

	// A look-back shorter than the window: the window; a longer one from
	// its start.
	must(t, f.c.SetOption(OptLookbackDays, 20))
	if c := f.goldCell(t, jul1, aug1); c.N[VPExpected] != 0 {
		t.Fatalf("look-back 20 days read %d expected", c.N[VPExpected])
	}
	must(t, f.c.SetOption(OptLookbackDays, 61))
	if from, _, ok := f.goldCell(t, jul1, aug1).Read(VPExpected); !ok || from != at(jul1-30*Day) {
		t.Fatalf("look-back 61 days read from %v (%v)", from, ok)
	}
}

// promiseKeptShort is tests/test_time.c's fixture with the promise changed
// in July: 6 h promised on 2026-01-01, 4 h from 2026-07-16, and 5 to 5.2 h
// delivered every day of 2026. The communication gap exceeds in the first
// half of the year and is a small shortfall (-1.1 h) in the second.
func promiseKeptShort(t *testing.T) *timeFixture {
	f := newTimeFixture(t)
	f.put(t, ScopeTier, f.gold, VPPromised, 6, t0)
	f.put(t, ScopeTier, f.gold, VPPromised, 4, jul16)
	var b Batch
	for d := int64(0); d < 365; d++ {
		b.Add(ScopeAccount, f.acme, f.email, f.frh, VPDelivered, 5+float64(d%3)*0.1, t0+d*Day, None, DriverNone)
	}
	must(t, f.c.RecordBatch(b))
	return f
}

// TestTrendsOfFindings: each finding gets a series of 12 windows of 30
// days ending at now, and each window equals a query of that window alone.
func TestTrendsOfFindings(t *testing.T) {
	f := promiseKeptShort(t)
	r, err := f.c.Query(dec1, nextJan1, QueryAll|QueryTrends)
	must(t, err)
	defer r.Close()
	fs, err := r.Findings()
	must(t, err)
	trends, err := r.Trends()
	must(t, err)
	if len(fs) == 0 || len(trends) != 12*len(fs) || count(t, r, TableTrends) != len(trends) {
		t.Fatalf("%d findings, %d trend rows", len(fs), len(trends))
	}
	var comm []Trend
	for k, x := range trends {
		fd := fs[k/12]
		if x.Series != k/12 || x.Finding != k/12 || x.Window != int32(k%12) ||
			x.To != at(nextJan1-int64(11-k%12)*30*Day) || x.From != x.To.AddDate(0, 0, -30) {
			t.Fatalf("row %d: %+v", k, x)
		}
		if x.TrendCell() != fd.TrendCell() {
			t.Fatalf("row %d follows %+v, not finding %+v", k, x, fd)
		}
		if x.ScopeKind == ScopeTier && x.Gap == GapCommunication {
			comm = append(comm, x)
		}
		if y, err := r.Trend(k); err != nil || !sameValue(x, y) {
			t.Fatalf("Trend(%d) %+v %v", k, y, err)
		}
	}
	if len(comm) != 12 {
		t.Fatalf("the tier's communication series has %d rows", len(comm))
	}
	changed := 0
	for _, x := range comm {
		alone, err := f.c.QueryContext(context.Background(), QueryOptions{From: x.From, To: x.To,
			Flags: QueryTiers | QueryAccounts})
		must(t, err)
		i, err := alone.Find(x.ScopeKind, x.ScopeID, x.Touchpoint, x.Metric, x.Dimension)
		must(t, err)
		g, err := alone.Gap(i, x.Gap)
		must(t, err)
		alone.Close()
		if !sameFloat(x.Value, g.Value) || x.Status != g.Status || !sameFloat(x.Lo, g.Lo) || !sameFloat(x.Hi, g.Hi) ||
			!sameFloat(x.Normalized, g.Normalized) || x.Flags != g.Flags || x.Span != g.Span ||
			x.NUp != g.NUp || x.NDown != g.NDown {
			t.Fatalf("window %d: trend %+v, its own query %+v", x.Window, x, g)
		}
		if x.DeclarationChanged() {
			changed++
			if x.From.After(at(jul16)) || !x.To.After(at(jul16)) {
				t.Fatalf("window %d flagged, does not hold July 16", x.Window)
			}
		}
	}
	first, last := comm[0], comm[11]
	if first.Status != StatusExceeds || last.Status != StatusShortfall || math.Abs(last.Value+1.1) > 0.1 ||
		!last.Significant() || changed != 1 {
		t.Fatalf("first %+v, last %+v, %d windows changed", first, last, changed)
	}
	js, err := r.JSON()
	must(t, err)
	compareReport(t, f.c, r, decodeReport(t, js))

	// The trends of the findings as named cells are the same rows.
	cells := make([]TrendCell, len(fs))
	for i, fd := range fs {
		cells[i] = fd.TrendCell()
	}
	now, err := r.Now()
	must(t, err)
	named, err := f.c.QueryTrends(now, cells)
	must(t, err)
	defer named.Close()
	got, err := named.Trends()
	must(t, err)
	if len(got) != len(trends) {
		t.Fatalf("QueryTrends of the findings: %d rows, the query %d", len(got), len(trends))
	}
	for k := range got {
		want := trends[k]
		want.Finding = -1
		if !sameValue(got[k], want) {
			t.Fatalf("row %d: QueryTrends %+v, query %+v", k, got[k], want)
		}
	}
}

// TestQueryTrends: named cells get their series, in order; errors name the
// cell's index.
func TestQueryTrends(t *testing.T) {
	f := promiseKeptShort(t)
	c := f.c
	must(t, c.SetOption(OptTrendWindows, 4))
	cells := []TrendCell{
		{ScopeKind: ScopeTier, ScopeID: f.gold, Touchpoint: f.email, Metric: f.frh, Gap: GapCommunication},
		{ScopeKind: ScopeAccount, ScopeID: f.acme, Touchpoint: All, Metric: f.frh, Gap: GapDelivery},
		{ScopeKind: ScopeTier, ScopeID: f.gold, Touchpoint: All, Metric: All, Dimension: DimResponsiveness,
			Gap: GapCommunication},
	}
	r, err := c.QueryTrends(nextJan1, cells)
	must(t, err)
	defer r.Close()
	if from, to, err := r.Window(); err != nil || from != nextJan1-120*Day || to != nextJan1 {
		t.Fatalf("window [%d, %d) %v", from, to, err)
	}
	if count(t, r, TableCells) != 0 || count(t, r, TableFindings) != 0 || count(t, r, TableTrends) != 12 {
		t.Fatalf("%d cells, %d findings, %d trends", count(t, r, TableCells), count(t, r, TableFindings), count(t, r, TableTrends))
	}
	trends, err := r.Trends()
	must(t, err)
	for k, x := range trends {
		cell := cells[k/4]
		if x.Series != k/4 || x.Window != int32(k%4) || x.Finding != -1 || x.ScopeKind != cell.ScopeKind ||
			x.ScopeID != cell.ScopeID || x.Touchpoint != cell.Touchpoint || x.Metric != cell.Metric || x.Gap != cell.Gap {
			t.Fatalf("row %d: %+v for cell %+v", k, x, cell)
		}
		// A metric cell's dimension is its metric's, whatever was passed.
		if x.Dimension != DimResponsiveness {
			t.Fatalf("row %d: dimension %v", k, x.Dimension)
		}
	}
	for _, x := range trends[:4] { // 4 h promised, 5 to 5.2 h delivered
		if math.Abs(x.Value+1.1) > 0.1 || x.Status != StatusShortfall {
			t.Fatalf("communication gap %+v", x)
		}
	}
	if !sameFloat(trends[8].Value, trends[0].Value) { // the dimension's only metric
		t.Fatalf("dimension roll-up %v, metric %v", trends[8].Value, trends[0].Value)
	}
	js, err := r.JSON()
	must(t, err)
	compareReport(t, c, r, decodeReport(t, js))

	// No cells, and TimeNone: the midnight after the latest observation.
	empty, err := c.QueryTrends(TimeNone, nil)
	must(t, err)
	if now, err := empty.Now(); err != nil || now != nextJan1 || count(t, empty, TableTrends) != 0 {
		t.Fatalf("empty: now %d %v, %d rows", now, err, count(t, empty, TableTrends))
	}
	empty.Close()

	// Errors name the cell.
	bad := append([]TrendCell(nil), cells...)
	bad[1].ScopeID = 77
	_, err = c.QueryTrends(nextJan1, bad)
	wantError(t, err, ErrNotFound, "servgap_query_trends", "cell 1")
	bad = append([]TrendCell(nil), cells...)
	bad[2].Touchpoint = 99
	_, err = c.QueryTrends(nextJan1, bad)
	wantError(t, err, ErrNotFound, "cell 2: unknown touchpoint id 99")
	bad = append([]TrendCell(nil), cells...)
	bad[0].Gap = GapType(7)
	_, err = c.QueryTrends(nextJan1, bad)
	wantError(t, err, ErrInvalid, "cell 0")
	bad = append([]TrendCell(nil), cells...)
	bad[2].Dimension = Dimension(9)
	_, err = c.QueryTrends(nextJan1, bad)
	wantError(t, err, ErrInvalid, "cell 2")
	_, err = c.QueryTrends(nextJan1+1, cells)
	wantError(t, err, ErrRange, "not a UTC midnight")
	_, err = r.Trend(12)
	wantError(t, err, ErrRange, "servgap_result_trend")
	_, err = r.Trend(-1)
	wantError(t, err, ErrRange)

	// Trends follow findings: the flag needs QueryPriorities.
	_, err = c.Query(TimeMin, TimeMax, QueryTiers|QueryTrends)
	wantError(t, err, ErrInvalid, "SERVGAP_QUERY_PRIORITIES")
	r2, err := c.Query(dec1, nextJan1, QueryTiers|QueryPriorities|QueryTrends)
	must(t, err)
	defer r2.Close()
	if count(t, r2, TableTrends) != 4*count(t, r2, TableFindings) || count(t, r2, TableFindings) == 0 {
		t.Fatalf("%d trend rows for %d findings", count(t, r2, TableTrends), count(t, r2, TableFindings))
	}
}
