package servgap

// Helpers shared by the test files: a small fixture, a deterministic
// random batch, and the sample data's location.

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// t0 is 2026-01-01, a UTC midnight, in C's seconds; jan1 the same as a
// time.Time.
var (
	t0   = Date(2026, 1, 1)
	jan1 = day(2026, 1, 1)
)

// day returns the UTC midnight of a date.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// at returns C's UTC seconds as the binding gives them (fromUnix).
func at(s int64) time.Time { return fromUnix(s) }

// newCtx returns a fresh handle that the test closes at its end.
func newCtx(t testing.TB, opts ...CtxOption) *Ctx {
	t.Helper()
	c, err := New(opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// must fails the test on err.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// idOf returns a function that passes an id through, failing the test on
// an error: id := idOf(t); x := id(c.Intern(...)).
func idOf(t testing.TB) func(int32, error) int32 { return idOfType[int32](t) }

// metricOf is idOf for the MetricID of DefineMetric.
func metricOf(t testing.TB) func(MetricID, error) MetricID { return idOfType[MetricID](t) }

func idOfType[T ~int32](t testing.TB) func(T, error) T {
	return func(id T, err error) T {
		t.Helper()
		must(t, err)
		return id
	}
}

// wantError checks that err is an *Error with code and a message that
// contains every one of parts.
func wantError(t testing.TB, err error, code Errno, parts ...string) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", code)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v is not an *Error", err, err)
	}
	if e.Code != int(code) || !errors.Is(err, code) {
		t.Fatalf("code %d (%v), want %d (%v); message %q", e.Code, Errno(e.Code), int(code), code, e.Msg)
	}
	for _, p := range parts {
		if !strings.Contains(e.Msg, p) {
			t.Fatalf("message %q lacks %q", e.Msg, p)
		}
	}
	if e.Error() != e.Msg {
		t.Fatalf("Error() %q differs from Msg %q", e.Error(), e.Msg)
	}
	return e
}

// count is r.Count(table), failing the test on an error.
func count(t testing.TB, r *Result, table Table) int {
	t.Helper()
	n, err := r.Count(table)
	must(t, err)
	return n
}

// sameFloat is exact equality, NaN equal to NaN.
func sameFloat(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// sameValue compares two values field by field, NaN equal to NaN: %v
// prints floats in their shortest exact form.
func sameValue(a, b interface{}) bool { return fmt.Sprintf("%+v", a) == fmt.Sprintf("%+v", b) }

// fixture is a small handle: tier "enterprise" with accounts acme and
// globex, touchpoints email and slack, team night, and the metric
// first_response_hours (frh).
type fixture struct {
	c                          *Ctx
	enterprise, email, slack   int32
	night, acme, globex        int32
	frh                        MetricID
	acmeName, globexName, tier string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	c := newCtx(t)
	mustID := idOf(t)
	f := &fixture{c: c, acmeName: "acme", globexName: "globex", tier: "enterprise"}
	f.acme = mustID(c.DefineAccount("acme", "enterprise", 250000))
	f.globex = mustID(c.DefineAccount("globex", "enterprise", 50000))
	f.enterprise = mustID(c.Lookup(KindTier, "enterprise"))
	f.email = mustID(c.Intern(KindTouchpoint, "email"))
	f.slack = mustID(c.Intern(KindTouchpoint, "slack"))
	f.night = mustID(c.Intern(KindTeam, "night"))
	f.frh = metricOf(t)(c.DefineMetric(Metric{Name: "first_response_hours", Unit: "h",
		Dimension: DimResponsiveness, Direction: LowerIsBetter, Min: 0, Max: math.Inf(1), Span: 8}))
	return f
}

// surveyBatch fills b with a clear reliability shortfall for acme by email
// (expected about 6.5, perceived about 4.3) plus SLA data on slack, days
// apart from t0.
func (f *fixture) surveyBatch(b *Batch) {
	exp := []float64{7, 6, 7, 7, 6, 6, 7, 6}
	per := []float64{4, 5, 4, 4, 5, 4, 4, 4}
	rel := MetricReliability
	for k := range exp {
		day := t0 + int64(k)*Day
		b.Add(ScopeAccount, f.acme, f.email, rel, VPExpected, exp[k], day, None, DriverPastExperience)
		b.Add(ScopeAccount, f.acme, f.email, rel, VPPerceived, per[k], day, f.night, DriverNone)
		b.Add(ScopeAccount, f.globex, f.email, rel, VPPerceived, per[k]+1, day, None, DriverNone)
		b.Add(ScopeAccount, f.acme, f.slack, f.frh, VPDelivered, 3+float64(k%3), day, f.night, DriverNone)
	}
	b.Add(ScopeTier, f.enterprise, Any, f.frh, VPStandard, 1, t0, None, DriverNone)
}

// rng is a small deterministic generator (xorshift64*).
type rng uint64

func (r *rng) next() uint64 {
	*r ^= *r >> 12
	*r ^= *r << 25
	*r ^= *r >> 27
	return uint64(*r) * 2685821657736338717
}

func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// randomBatch returns n observations over the fixture's names: Likert
// items from both sides, delivered and standard first-response hours.
func (f *fixture) randomBatch(seed uint64, n int) Batch {
	r := rng(seed | 1)
	var b Batch
	accounts := []int32{f.acme, f.globex}
	tps := []int32{f.email, f.slack}
	teams := []int32{None, f.night}
	for i := 0; i < n; i++ {
		day := t0 + int64(r.intn(90))*Day + int64(r.intn(86400))
		acc, tp := accounts[r.intn(2)], tps[r.intn(2)]
		switch r.intn(4) {
		case 0:
			b.Add(ScopeAccount, acc, tp, MetricID(r.intn(5)), VPExpected, float64(4+r.intn(4)), day, None,
				Driver(r.intn(5)))
		case 1:
			b.Add(ScopeAccount, acc, tp, MetricID(r.intn(5)), VPPerceived, float64(1+r.intn(7)), day,
				teams[r.intn(2)], DriverNone)
		case 2:
			b.Add(ScopeAccount, acc, tp, f.frh, VPDelivered, float64(r.intn(1000))/100, day,
				teams[r.intn(2)], DriverNone)
		default:
			b.Add(ScopeTier, f.enterprise, tp, f.frh, VPStandard, float64(1+r.intn(4)), day, None, DriverNone)
		}
	}
	return b
}

// dataDir returns the sample data directory: $SERVGAP_DATA, else
// examples/data of this repository.
func dataDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("SERVGAP_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "examples", "data")
	}
	if _, err := os.Stat(filepath.Join(dir, "observations.csv")); err != nil {
		t.Fatalf("sample data: %v (set SERVGAP_DATA)", err)
	}
	return dir
}

// sampleTables are the six tables in the order servgap-report imports
// them.
var sampleTables = []struct {
	table CSVTable
	file  string
}{
	{CSVMetrics, "metrics.csv"},
	{CSVAccounts, "accounts.csv"},
	{CSVObservations, "observations.csv"},
	{CSVImportance, "importance.csv"},
	{CSVEfforts, "efforts.csv"},
	{CSVPlans, "plans.csv"},
}

// loadSample imports the sample data into a new handle.
func loadSample(t testing.TB) *Ctx {
	t.Helper()
	c := newCtx(t)
	dir := dataDir(t)
	for _, tb := range sampleTables {
		rep, err := c.ImportCSV(tb.table, filepath.Join(dir, tb.file), 0)
		must(t, err)
		if rep.Rows == 0 || rep.Applied != rep.Rows || rep.Skipped != 0 || rep.UnknownColumns != 0 {
			t.Fatalf("%s: report %+v", tb.file, rep)
		}
	}
	return c
}
