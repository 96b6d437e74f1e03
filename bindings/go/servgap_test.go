package servgap

// The binding function by function: version, names of enumerations, the t
// distribution, the handle and its options, definitions, recording,
// queries and every result accessor, and the error paths.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"time"
)

func TestVersion(t *testing.T) {
	if Version() != HeaderVersion {
		t.Fatalf("library %q, header %q", Version(), HeaderVersion)
	}
	if VersionNumber() != HeaderVersionNumber {
		t.Fatalf("library %d, header %d", VersionNumber(), HeaderVersionNumber)
	}
	if HeaderVersionNumber != HeaderVersionMajor*10000+HeaderVersionMinor*100+HeaderVersionPatch {
		t.Fatal("version macros disagree")
	}
}

func TestStrerrorAndErrno(t *testing.T) {
	codes := []Errno{ErrMisuse, ErrInvalid, ErrRange, ErrNotFound, ErrConflict, ErrNoMem, ErrLimit,
		ErrBufSize, ErrIO, ErrFormat, ErrCorrupt, ErrInterrupted}
	seen := map[string]bool{}
	for k, code := range codes {
		if int(code) != -(k + 1) {
			t.Fatalf("%v = %d", code, int(code))
		}
		s := Strerror(int(code))
		if s == "" || s == "unknown error" || seen[s] || code.Error() != s {
			t.Fatalf("Strerror(%d) = %q", int(code), s)
		}
		seen[s] = true
	}
	if Strerror(-99) != "unknown error" {
		t.Fatalf("Strerror(-99) = %q", Strerror(-99))
	}
	e := &Error{Code: int(ErrRange)}
	if e.Error() != Strerror(int(ErrRange)) || !errors.Is(e, ErrRange) || errors.Is(e, ErrInvalid) {
		t.Fatalf("Error without message: %q", e.Error())
	}
}

func TestEnumerationNames(t *testing.T) {
	cases := []struct {
		got, want string
	}{
		{DimEmpathy.String(), "empathy"},
		{DimTangibles.String(), "tangibles"},
		{Dimension(9).String(), "Dimension(9)"},
		{VPPerceived.String(), "perceived"},
		{VPExpected.String(), "expected"},
		{GapService.String(), "service"},
		{GapAdequacy.String(), "adequacy"},
		{GapAll.String(), "*"},
		{StatusShortfall.String(), "shortfall"},
		{StatusUnresolved.String(), "unresolved"},
		{ClassDelivery.String(), "delivery"},
		{ClassHidden.String(), "hidden_gap"},
		{(LinkKnowledge | LinkStandards).String(), "knowledge+standards"},
		{(LinkKnowledge | LinkDelivery).String(), ""},
		{DriverWordOfMouth.String(), "word_of_mouth"},
		{QuadrantQuickWin.String(), "quick_win"},
		{IPAConcentrate.String(), "concentrate_here"},
		{TriggerHiddenGap.String(), "hidden_gap"},
		{OutcomeClosed.String(), "closed"},
		{CSVAccounts.String(), "accounts"},
		{KindTier.String(), "tier"},
		{KindTouchpoint.String(), "touchpoint"},
		{KindTeam.String(), "team"},
		{KindAccount.String(), "account"},
		{KindMetric.String(), "metric"},
		{Kind(0).String(), "Kind(0)"},
		{ScopeAccount.String(), "account"},
		{ScopeKind(0).String(), "ScopeKind(0)"},
		{HigherIsBetter.String(), "higher_is_better"},
		{Direction(0).String(), "Direction(0)"},
		{WeightsNone.String(), "none"},
		{WeightsRespondents.String(), "respondents"},
		{WeightSource(7).String(), "WeightSource(7)"},
		{FacetTeam.String(), "team"},
		{Facet(0).String(), "Facet(0)"},
		{ScopeTier.String(), "tier"},
		{LowerIsBetter.String(), "lower_is_better"},
		{WeightsAllocation.String(), "allocation"},
		{FacetDriver.String(), "driver"},
		{Quadrant(0).String(), "Quadrant(0)"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestTDistribution(t *testing.T) {
	if q := TQuantile(0.975, 12); math.Abs(q-2.178813) > 1e-6 {
		t.Fatalf("TQuantile(0.975, 12) = %v", q)
	}
	if z := TQuantile(0.975, math.Inf(1)); math.Abs(z-1.959963984540054) > 1e-12 {
		t.Fatalf("normal quantile %v", z)
	}
	if p := TCDF(0, 5); p != 0.5 {
		t.Fatalf("TCDF(0, 5) = %v", p)
	}
	if p := TCDF(TQuantile(0.9, 7), 7); math.Abs(p-0.9) > 1e-12 {
		t.Fatalf("TCDF(TQuantile(0.9)) = %v", p)
	}
	if !math.IsNaN(TCDF(1, 0)) || !math.IsNaN(TQuantile(2, 3)) {
		t.Fatal("invalid arguments should give NaN")
	}
}

func TestDate(t *testing.T) {
	if Date(2026, 1, 1) != 1767225600 || Date(1970, 1, 2) != Day {
		t.Fatal("Date")
	}
}

func TestOptions(t *testing.T) {
	c := newCtx(t, WithOption(OptConfidence, 0.9), WithOption(OptMinNCustomer, 3))
	if v, err := c.GetOption(OptConfidence); err != nil || v != 0.9 {
		t.Fatalf("confidence %v %v", v, err)
	}
	if v, err := c.GetOption(OptMinNCustomer); err != nil || v != 3 {
		t.Fatalf("min_n %v %v", v, err)
	}
	if v, err := c.GetOption(OptWindows); err != nil || v != 3 {
		t.Fatalf("windows default %v %v", v, err)
	}
	if v, err := c.GetOption(OptLookbackDays); err != nil || v != 365 {
		t.Fatalf("look-back default %v %v", v, err)
	}
	if v, err := c.GetOption(OptTrendWindows); err != nil || v != 12 {
		t.Fatalf("trend windows default %v %v", v, err)
	}
	must(t, c.SetOption(OptTrendWindows, 4))
	wantError(t, c.SetOption(OptTrendWindows, 53), ErrRange)
	wantError(t, c.SetOption(OptLookbackDays, 0), ErrRange)
	must(t, c.SetOption(OptIPACrosshair, CrosshairMedian))
	if v, _ := c.GetOption(OptIPACrosshair); v != CrosshairMedian {
		t.Fatalf("crosshair %v", v)
	}
	wantError(t, c.SetOption(OptConfidence, 1.5), ErrRange, "servgap_ctx_set_option")
	wantError(t, c.SetOption(OptMinNCustomer, 2.5), ErrRange)
	wantError(t, c.SetOption(Option(999), 1), ErrInvalid)
	_, err := c.GetOption(Option(999))
	wantError(t, err, ErrInvalid)
	if c.LastCode() != int(ErrInvalid) || c.LastMessage() == "" {
		t.Fatalf("last error %d %q", c.LastCode(), c.LastMessage())
	}
	// An invalid option in New fails New.
	if _, err := New(WithOption(OptConfidence, 2)); !errors.Is(err, ErrRange) {
		t.Fatalf("New with a bad option: %v", err)
	}
}

func TestNames(t *testing.T) {
	mustID := idOf(t)
	c := newCtx(t)
	if c.LastCode() != 0 || c.LastMessage() != "" {
		t.Fatalf("fresh handle has an error: %d %q", c.LastCode(), c.LastMessage())
	}
	email := mustID(c.Intern(KindTouchpoint, "email"))
	chat := mustID(c.Intern(KindTouchpoint, "chat"))
	if email != 0 || chat != 1 || mustID(c.Intern(KindTouchpoint, "email")) != 0 {
		t.Fatalf("ids %d %d", email, chat)
	}
	tier := mustID(c.Intern(KindTier, "gold"))
	team := mustID(c.Intern(KindTeam, "nacht-schicht ü"))
	if id, err := c.Lookup(KindTeam, "nacht-schicht ü"); err != nil || id != team {
		t.Fatalf("Lookup team: %d %v", id, err)
	}
	if id, err := c.LookupMetric("empathy"); err != nil || id != MetricEmpathy {
		t.Fatalf("Lookup built-in metric: %d %v", id, err)
	}
	if s, err := c.Name(KindTier, tier); err != nil || s != "gold" {
		t.Fatalf("Name: %q %v", s, err)
	}
	if n, err := c.Count(KindTouchpoint); err != nil || n != 2 {
		t.Fatalf("Count touchpoints: %d %v", n, err)
	}
	if n, err := c.Count(KindMetric); err != nil || n != 5 {
		t.Fatalf("Count metrics: %d %v", n, err)
	}
	_, err := c.Lookup(KindTouchpoint, "phone")
	wantError(t, err, ErrNotFound, "phone")
	_, err = c.Name(KindTouchpoint, 7)
	wantError(t, err, ErrNotFound)
	_, err = c.Intern(KindAccount, "acme") // accounts come from DefineAccount
	wantError(t, err, ErrInvalid)
	_, err = c.Intern(KindTier, "")
	wantError(t, err, ErrInvalid)
	_, err = c.Intern(KindTier, strings.Repeat("x", 256))
	wantError(t, err, ErrInvalid)
	_, err = c.Intern(KindTier, "bad\xff")
	wantError(t, err, ErrInvalid)
	_, err = c.Intern(KindTier, "nul\x00byte")
	wantError(t, err, ErrInvalid, "NUL")
	_, err = c.Count(Kind(42))
	wantError(t, err, ErrInvalid)
}

func TestMetrics(t *testing.T) {
	c := newCtx(t)
	m := Metric{Name: "resolution_hours", Unit: "h", Dimension: DimResponsiveness,
		Direction: LowerIsBetter, Min: 0, Max: math.Inf(1), Span: 48}
	id := metricOf(t)(c.DefineMetric(m))
	if id != 5 {
		t.Fatalf("id %d", id)
	}
	if again := metricOf(t)(c.DefineMetric(m)); again != id {
		t.Fatalf("redefinition gave %d", again)
	}
	got, err := c.MetricInfo(id)
	must(t, err)
	if got != m {
		t.Fatalf("MetricInfo %+v, want %+v", got, m)
	}
	csat, err := c.DefineMetric(Metric{Name: "csat", Dimension: DimAssurance, Direction: HigherIsBetter, Min: 1, Max: 5})
	must(t, err)
	if info, _ := c.MetricInfo(csat); info.Span != 4 || info.Unit != "" {
		t.Fatalf("default span: %+v", info)
	}
	if info, _ := c.MetricInfo(MetricReliability); info.Name != "reliability" || info.Min != 1 || info.Max != 7 {
		t.Fatalf("built-in: %+v", info)
	}
	m.Span = 24
	_, err = c.DefineMetric(m)
	wantError(t, err, ErrConflict, "resolution_hours")
	_, err = c.DefineMetric(Metric{Name: "open", Dimension: DimEmpathy, Direction: HigherIsBetter,
		Min: 0, Max: math.Inf(1)})
	wantError(t, err, ErrRange)
	_, err = c.DefineMetric(Metric{Name: "dir", Dimension: DimEmpathy, Direction: 7, Min: 0, Max: 1})
	wantError(t, err, ErrInvalid)
	_, err = c.MetricInfo(99)
	wantError(t, err, ErrNotFound)
}

func TestAccounts(t *testing.T) {
	mustID := idOf(t)
	c := newCtx(t)
	acme := mustID(c.DefineAccount("acme", "enterprise", 1000))
	solo := mustID(c.DefineAccount("solo", "", 5))
	must(t, c.SetHealth(acme, 42))
	must(t, c.SetAccountFlag(acme, AccountAtRisk, true))
	must(t, c.SetAccountFlag(acme, AccountChurned, true))
	must(t, c.SetAccountFlag(acme, AccountChurned, false))
	renewal := day(2026, 5, 1)
	must(t, c.SetRenewal(acme, renewal))
	must(t, c.SetMigration(acme, jan1))
	must(t, c.SetMigration(acme, time.Time{}))
	a, err := c.AccountInfo(acme)
	must(t, err)
	tier := mustID(c.Lookup(KindTier, "enterprise"))
	want := Account{Name: "acme", Tier: tier, AtRisk: true, Value: 1000, Health: 42,
		Renewal: renewal}
	if a != want {
		t.Fatalf("AccountInfo %+v, want %+v", a, want)
	}
	s, err := c.AccountInfo(solo)
	must(t, err)
	if s.Tier != None || !math.IsNaN(s.Health) || !s.Renewal.IsZero() {
		t.Fatalf("solo %+v", s)
	}
	if n, _ := c.Count(KindAccount); n != 2 {
		t.Fatalf("accounts %d", n)
	}
	wantError(t, c.SetHealth(acme, 101), ErrRange)
	wantError(t, c.SetHealth(99, 1), ErrNotFound)
	wantError(t, c.SetAccountFlag(acme, 9, true), ErrInvalid)
	wantError(t, c.SetAccountDate(acme, 9, t0), ErrInvalid)
	_, err = c.DefineAccount("neg", "", -1)
	wantError(t, err, ErrRange)
	_, err = c.AccountInfo(77)
	wantError(t, err, ErrNotFound)
}

func TestRecordAndErrors(t *testing.T) {
	f := newFixture(t)
	c := f.c
	rel := MetricReliability
	must(t, c.Record(ScopeAccount, f.acme, f.email, rel, VPPerceived, 5, t0, None, DriverNone))
	must(t, c.Record(ScopeTier, f.enterprise, Any, f.frh, VPStandard, 4, t0, None, DriverNone))
	// The error path: an out-of-range value is an *Error with
	// code ERANGE and the library's message.
	err := c.Record(ScopeAccount, f.acme, f.email, rel, VPPerceived, 9, t0, None, DriverNone)
	e := wantError(t, err, ErrRange, "servgap_record", "9", "outside [1, 7]", "reliability")
	if e.Code != -3 || c.LastCode() != -3 || c.LastMessage() != e.Msg {
		t.Fatalf("code %d, last %d %q", e.Code, c.LastCode(), c.LastMessage())
	}
	wantError(t, c.Record(ScopeAccount, f.acme, f.email, rel, VPPerceived, math.NaN(), t0, None, DriverNone), ErrRange)
	wantError(t, c.Record(ScopeAccount, 99, f.email, rel, VPPerceived, 5, t0, None, DriverNone), ErrNotFound)
	wantError(t, c.Record(ScopeAccount, f.acme, f.email, rel, Viewpoint(12), 5, t0, None, DriverNone), ErrInvalid)
	wantError(t, c.Record(ScopeKind(7), f.acme, f.email, rel, VPPerceived, 5, t0, None, DriverNone), ErrInvalid)
	if n, err := c.ObservationCount(); err != nil || n != 2 {
		t.Fatalf("ObservationCount %d %v", n, err)
	}
}

func TestRecordBatch(t *testing.T) {
	f := newFixture(t)
	c := f.c
	var b Batch
	f.surveyBatch(&b)
	must(t, c.RecordBatch(b))
	if n, _ := c.ObservationCount(); n != uint64(b.Len()) {
		t.Fatalf("count %d, batch %d", n, b.Len())
	}
	// Required columns only: the optional ones nil.
	plain := Batch{ScopeID: []int32{f.globex, f.globex}, Touchpoint: []int32{f.slack, f.slack},
		Metric: []MetricID{f.frh, f.frh}, Viewpoint: []Viewpoint{VPDelivered, VPDelivered},
		Value: []float64{2.5, 3.5}, Time: []int64{t0, t0 + Day}}
	must(t, c.RecordBatch(plain))
	before, _ := c.ObservationCount()
	// A bad element: nothing is recorded and the message names the index.
	bad := b
	bad.Value = append([]float64(nil), b.Value...)
	bad.Value[17] = 9
	wantError(t, c.RecordBatch(bad), ErrRange, "servgap_record_batch", "17", "outside [1, 7]")
	// Columns of different lengths are refused before C sees them.
	short := plain
	short.Time = short.Time[:1]
	wantError(t, c.RecordBatch(short), ErrMisuse, "Time")
	short = plain
	short.Team = []int32{None}
	wantError(t, c.RecordBatch(short), ErrMisuse, "Team")
	if after, _ := c.ObservationCount(); after != before {
		t.Fatalf("failed batches recorded %d observations", after-before)
	}
	must(t, c.RecordBatch(Batch{})) // empty
	b.Reset()
	if b.Len() != 0 || cap(b.Value) == 0 {
		t.Fatal("Reset")
	}
}

func TestRecordResponseAndImportance(t *testing.T) {
	f := newFixture(t)
	c := f.c
	items := []MetricID{MetricReliability, MetricResponsiveness, MetricEmpathy}
	points := []float64{10, 40, 30, 10, 10}
	for k := 0; k < 6; k++ {
		e := []float64{7, 6, 5}
		a := []float64{5, 4, math.NaN()}
		p := []float64{float64(3 + k%3), 4, 5}
		must(t, c.RecordResponse(ScopeAccount, f.acme, f.email, t0+int64(k)*Day, None, DriverNone,
			items, e, a, p, points))
	}
	must(t, c.RecordResponse(ScopeAccount, f.globex, f.email, t0, f.night, DriverWordOfMouth,
		items[:1], []float64{6}, nil, []float64{5}, nil))
	err := c.RecordResponse(ScopeAccount, f.acme, f.email, t0, None, DriverNone,
		items, []float64{7, 6, 5}, nil, []float64{5, 4, 5}, []float64{10, 40, 30, 10, 5})
	wantError(t, err, ErrRange, "servgap_record_response")
	err = c.RecordResponse(ScopeAccount, f.acme, f.email, t0, None, DriverNone,
		[]MetricID{1, 1}, []float64{7, 6}, nil, []float64{5, 4}, nil)
	wantError(t, err, ErrInvalid)
	err = c.RecordResponse(ScopeAccount, f.acme, f.email, t0, None, DriverNone,
		items, []float64{7}, nil, []float64{5, 4, 5}, nil)
	wantError(t, err, ErrMisuse, "expected")
	err = c.RecordResponse(ScopeAccount, f.acme, f.email, t0, None, DriverNone,
		items, []float64{7, 6, 5}, nil, []float64{5, 4, 5}, []float64{50, 50})
	wantError(t, err, ErrMisuse, "importance")
	if n, _ := c.ObservationCount(); n != 6*8+2 {
		t.Fatalf("observations %d", n)
	}

	must(t, c.SetImportance(ScopeTier, f.enterprise, WhoseCustomer, [DimCount]float64{5, 35, 30, 20, 10}))
	must(t, c.SetImportance(ScopeTier, f.enterprise, WhoseProvider, [DimCount]float64{5, 15, 50, 20, 10}))
	wantError(t, c.SetImportance(ScopeTier, f.enterprise, WhoseProvider, [DimCount]float64{5, 15, 50, 20, 20}),
		ErrRange, "servgap_set_importance")
	wantError(t, c.SetImportance(ScopeTier, f.enterprise, Whose(5), [DimCount]float64{20, 20, 20, 20, 20}), ErrInvalid)

	r, err := c.Query(TimeMin, TimeMax, QueryAll)
	must(t, err)
	defer r.Close()
	i, err := r.Find(ScopeAccount, f.acme, f.email, MetricReliability, 0)
	must(t, err)
	cell, err := r.Cell(i)
	must(t, err)
	if cell.Pairs != 6 || !cell.Gaps[GapService].Paired() || cell.N[VPAdequate] != 6 {
		t.Fatalf("paired cell %+v", cell)
	}
	sq, err := r.ServQual()
	must(t, err)
	found := false
	for _, q := range sq {
		if q.ScopeKind == ScopeAccount && q.ScopeID == f.acme && q.Touchpoint == f.email {
			found = true
			if q.WeightSource != WeightsRespondents || q.Respondents != 6 || math.IsNaN(q.Weighted) {
				t.Fatalf("servqual %+v", q)
			}
		}
	}
	if !found {
		t.Fatal("no SERVQUAL row for acme by email")
	}
}

func TestEffortsAndPlans(t *testing.T) {
	mustID := idOf(t)
	f := newFixture(t)
	c := f.c
	def, err := c.Effort(GapDelivery, f.slack, f.frh)
	must(t, err)
	must(t, c.SetEffort(GapDelivery, f.slack, All, 5))
	must(t, c.SetEffort(GapAll, All, All, 1.25))
	if e, _ := c.Effort(GapDelivery, f.slack, f.frh); e != 5 {
		t.Fatalf("specific effort %v (default was %v)", e, def)
	}
	if e, _ := c.Effort(GapKnowledge, f.email, MetricEmpathy); e != 1.25 {
		t.Fatalf("wildcard effort %v", e)
	}
	wantError(t, c.SetEffort(GapDelivery, f.slack, All, 0), ErrRange, "servgap_effort_set")
	wantError(t, c.SetEffort(GapDelivery, 55, All, 1), ErrNotFound)
	_, err = c.Effort(GapType(40), All, All)
	wantError(t, err, ErrInvalid)

	// Two months of delivered first-response hours against a 1 h standard:
	// slow in January, fast in February.
	var b Batch
	b.Add(ScopeTier, f.enterprise, Any, f.frh, VPStandard, 1, t0, None, DriverNone)
	b.Add(ScopeTier, f.enterprise, Any, f.frh, VPStandard, 1, Date(2026, 2, 1), None, DriverNone)
	for k := 0; k < 20; k++ {
		b.Add(ScopeAccount, f.acme, f.slack, f.frh, VPDelivered, 4+float64(k%3)*0.5, t0+int64(k)*Day, None, DriverNone)
		b.Add(ScopeAccount, f.acme, f.slack, f.frh, VPDelivered, 0.5+float64(k%3)*0.1, Date(2026, 2, 1)+int64(k)*Day, None, DriverNone)
	}
	must(t, c.RecordBatch(b))
	plan := Plan{Owner: "support-ops", ScopeKind: ScopeAccount, ScopeID: f.acme, Touchpoint: f.slack,
		Metric: f.frh, Gap: GapDelivery, Deadline: day(2026, 3, 1), Target: -0.5,
		LastOutcome: OutcomeWorsened, NextCheck: jan1} // output fields are ignored
	id := mustID(c.AddPlan(plan))
	if n, err := c.PlanCount(); err != nil || n != 1 || id != 0 {
		t.Fatalf("PlanCount %d %v, id %d", n, err, id)
	}
	got, err := c.PlanInfo(id)
	must(t, err)
	plan.LastOutcome, plan.NextCheck = OutcomeNone, time.Time{}
	plan.Dimension = DimResponsiveness // the metric's
	if got != plan {
		t.Fatalf("PlanInfo %+v, want %+v", got, plan)
	}
	jan, feb := Window{jan1, day(2026, 2, 1)}, Window{day(2026, 2, 1), day(2026, 3, 1)}
	m, err := c.RemeasurePlan(context.Background(), id, jan, feb)
	must(t, err)
	if m.Outcome != OutcomeClosed || !(m.Baseline < -2) || !(m.Followup > -0.5) ||
		m.Change != m.Followup-m.Baseline || !(m.Lo <= m.Change && m.Change <= m.Hi) {
		t.Fatalf("Remeasure %+v", m)
	}
	if m.NextCheck != day(2026, 3, 31) {
		t.Fatalf("next check %v", m.NextCheck)
	}
	// The deprecated form in seconds gives the same.
	if old, err := c.Remeasure(id, t0, Date(2026, 2, 1), Date(2026, 2, 1), Date(2026, 3, 1)); err != nil || !sameValue(old, m) {
		t.Fatalf("Remeasure %+v %v, RemeasurePlan %+v", old, err, m)
	}
	got, _ = c.PlanInfo(id)
	if got.LastOutcome != OutcomeClosed || got.NextCheck != m.NextCheck {
		t.Fatalf("plan after remeasure %+v", got)
	}
	_, err = c.RemeasurePlan(context.Background(), id, feb, jan)
	wantError(t, err, ErrRange, "servgap_plan_remeasure")
	_, err = c.RemeasurePlan(context.Background(), 9, jan, feb)
	wantError(t, err, ErrNotFound)
	_, err = c.PlanInfo(9)
	wantError(t, err, ErrNotFound)
	bad := plan
	bad.Owner = ""
	_, err = c.AddPlan(bad)
	wantError(t, err, ErrInvalid)
	bad = plan
	bad.Target = math.Inf(-1)
	_, err = c.AddPlan(bad)
	wantError(t, err, ErrRange)
	bad = plan
	bad.BaselineFrom, bad.BaselineTo = jan1.Add(time.Hour), day(2026, 2, 1)
	_, err = c.AddPlan(bad)
	wantError(t, err, ErrRange, "baseline window")
	bad.BaselineFrom = time.Time{} // one end only is not "none"
	_, err = c.AddPlan(bad)
	wantError(t, err, ErrRange, "baseline window")

	// The same plan with January as its baseline window: a query with
	// QueryPlans at 2026-03-01 follows it up over the 30 days before, which
	// start after January ends, so from 2026-02-01: Remeasure's windows.
	withBase := plan
	withBase.BaselineFrom, withBase.BaselineTo = jan.From, jan.To
	id2 := mustID(c.AddPlan(withBase))
	if got, _ := c.PlanInfo(id2); got.BaselineFrom != jan.From || got.BaselineTo != jan.To {
		t.Fatalf("PlanInfo baseline %+v", got)
	}
	now := day(2026, 3, 1)
	r, err := c.QueryContext(context.Background(), QueryOptions{To: now, Now: now, Flags: QueryAll | QueryPlans})
	must(t, err)
	defer r.Close()
	rows, err := r.Plans()
	must(t, err)
	if len(rows) != 2 || count(t, r, TablePlans) != 2 {
		t.Fatalf("plan rows %d", len(rows))
	}
	x := rows[1]
	if x.Plan != id2 || x.Owner != "support-ops" || !x.OwnBaseline || x.BaseFrom != jan1 ||
		x.FollowFrom != feb.From || x.FollowTo != now || x.Outcome != m.Outcome ||
		x.Change != m.Change || x.Lo != m.Lo || x.Hi != m.Hi || x.NextCheck != m.NextCheck {
		t.Fatalf("plan row %+v, Remeasure %+v", x, m)
	}
	if x.Overdue || rows[0].OwnBaseline || rows[0].FollowFrom != now.AddDate(0, 0, -30) {
		t.Fatalf("plan rows %+v", rows)
	}
	if row, err := r.PlanRow(1); err != nil || !sameValue(row, x) {
		t.Fatalf("PlanRow(1) %+v %v", row, err)
	}
	_, err = r.PlanRow(2)
	wantError(t, err, ErrRange, "servgap_result_plan")
}

// TestQueryAccessors reads every result table of a small analysis through
// the accessors, one row and all rows, and checks the error paths.
func TestQueryAccessors(t *testing.T) {
	f := newFixture(t)
	c := f.c
	var b Batch
	f.surveyBatch(&b)
	must(t, c.RecordBatch(b))
	must(t, c.SetImportance(ScopeTier, f.enterprise, WhoseCustomer, [DimCount]float64{10, 40, 20, 15, 15}))
	must(t, c.SetHealth(f.globex, 20))
	must(t, c.SetAccountDate(f.acme, AccountRenewal, Date(2026, 2, 20)))
	must(t, c.SetAccountFlag(f.globex, AccountChurned, true))

	from, to := t0, Date(2026, 2, 1)
	r, err := c.QueryAt(from, to, to, QueryAll)
	must(t, err)
	defer r.Close()
	if wf, wt, err := r.Window(); err != nil || wf != from || wt != to {
		t.Fatalf("Window %d %d %v", wf, wt, err)
	}
	if now, err := r.Now(); err != nil || now != to {
		t.Fatalf("Now %d %v", now, err)
	}

	cells, err := r.Cells()
	must(t, err)
	if len(cells) == 0 || len(cells) != count(t, r, TableCells) {
		t.Fatalf("%d cells, Count %d", len(cells), count(t, r, TableCells))
	}
	i, err := r.Find(ScopeAccount, f.acme, f.email, MetricReliability, 0)
	must(t, err)
	c1, err := r.Cell(i)
	must(t, err)
	if !sameValue(c1, cells[i]) {
		t.Fatal("Cell(i) differs from Cells()[i]")
	}
	if c1.ScopeKind != ScopeAccount || c1.ScopeID != f.acme || c1.Touchpoint != f.email ||
		c1.Metric != MetricReliability || c1.Dimension != DimReliability {
		t.Fatalf("found the wrong cell %+v", c1)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
	if c1.N[VPExpected] != 8 || c1.N[VPPerceived] != 8 || !near(c1.Mean[VPExpected], 6.5) ||
		!near(c1.Mean[VPPerceived], 4.25) || c1.Source[VPExpected] != SourceOwn || !math.IsNaN(c1.Mean[VPBelieved]) {
		t.Fatalf("cell %+v", c1)
	}
	service := c1.Gaps[GapService]
	if service.Gap != GapService || !near(service.Value, -2.25) || service.Status != StatusShortfall ||
		!service.Significant() || !service.Sufficient() || service.Paired() || service.NUp != 8 ||
		!(service.Lo < service.Value && service.Value < service.Hi) || service.DF <= 0 {
		t.Fatalf("service gap %+v", service)
	}
	if g, err := r.Gap(i, GapService); err != nil || !sameValue(g, service) {
		t.Fatalf("Gap %+v %v", g, err)
	}
	if c1.Gaps[GapStandards].NoStandard() != false && c1.Gaps[GapStandards].Status == StatusMet {
		t.Fatal("flags")
	}
	// The roll-ups exist: over touchpoints, and over a dimension's metrics.
	if _, err := r.Find(ScopeTier, f.enterprise, All, All, DimReliability); err != nil {
		t.Fatalf("tier roll-up: %v", err)
	}
	_, err = r.Find(ScopeAccount, f.acme, f.email, 77, 0)
	wantError(t, err, ErrNotFound, "servgap_result_find")
	_, err = r.Cell(len(cells))
	wantError(t, err, ErrRange, "servgap_result_cell")
	_, err = r.Cell(-1)
	wantError(t, err, ErrRange)
	_, err = r.Gap(i, GapType(9))
	wantError(t, err, ErrInvalid)

	sq, err := r.ServQual()
	must(t, err)
	if len(sq) == 0 || len(sq) != count(t, r, TableServQual) {
		t.Fatalf("servqual rows %d", len(sq))
	}
	if q, err := r.ServQualRow(0); err != nil || !sameValue(q, sq[0]) {
		t.Fatalf("ServQualRow %+v %v", q, err)
	}

	bd, err := r.Breakdowns()
	must(t, err)
	if len(bd) == 0 || len(bd) != count(t, r, TableBreakdown) {
		t.Fatalf("breakdowns %d", len(bd))
	}
	teams, drivers := 0, 0
	for k, row := range bd {
		if row.Cell < 0 || row.Cell >= len(cells) {
			t.Fatalf("breakdown %d cell %d", k, row.Cell)
		}
		switch row.Facet {
		case FacetTeam:
			teams++
		case FacetDriver:
			drivers++
			if Driver(row.FacetID) != DriverPastExperience || row.Viewpoint != VPExpected {
				t.Fatalf("driver row %+v", row)
			}
		}
	}
	if teams == 0 || drivers == 0 {
		t.Fatalf("teams %d, drivers %d", teams, drivers)
	}
	if row, err := r.Breakdown(0); err != nil || !sameValue(row, bd[0]) {
		t.Fatalf("Breakdown(0) %+v %v", row, err)
	}

	fs, err := r.Findings()
	must(t, err)
	if len(fs) == 0 || len(fs) != count(t, r, TableFindings) {
		t.Fatalf("findings %d", len(fs))
	}
	for k, fd := range fs {
		if fd.Rank != int32(k+1) || fd.Value >= 0 || fd.Impact < 0 || fd.Impact > 100 || fd.Effort <= 0 ||
			int64(len(fd.Accounts)) != fd.AffectedAccounts || fd.Cell >= len(cells) {
			t.Fatalf("finding %d: %+v", k, fd)
		}
		ids, err := r.FindingAccounts(k)
		must(t, err)
		if len(ids) != len(fd.Accounts) {
			t.Fatalf("FindingAccounts %v, finding %v", ids, fd.Accounts)
		}
		_ = fd.Persistent()
	}
	if fd, err := r.Finding(0); err != nil || fd.Rank != 1 || !sameValue(fd, fs[0]) {
		t.Fatalf("Finding(0) %+v %v", fd, err)
	}
	_, err = r.FindingAccounts(len(fs))
	wantError(t, err, ErrRange)

	ipa, err := r.IPA()
	must(t, err)
	if len(ipa) == 0 || len(ipa) != count(t, r, TableIPA) {
		t.Fatalf("ipa %d", len(ipa))
	}
	if row, err := r.IPARow(0); err != nil || !sameValue(row, ipa[0]) || row.ImportanceCross != 20 {
		t.Fatalf("IPARow %+v %v", row, err)
	}

	tr, err := r.Triggers()
	must(t, err)
	if len(tr) != count(t, r, TableTriggers) {
		t.Fatalf("triggers %d", len(tr))
	}
	renewal := false
	for _, x := range tr {
		if x.Kind == TriggerRenewal && x.Account == f.acme {
			renewal = x.Date == day(2026, 2, 20) && strings.Contains(x.Detail, "renewal")
		}
	}
	if !renewal {
		t.Fatalf("no renewal trigger for acme in %+v", tr)
	}
	if x, err := r.Trigger(0); err != nil || !sameValue(x, tr[0]) {
		t.Fatalf("Trigger(0) %+v %v", x, err)
	}

	rk, err := r.Risk()
	must(t, err)
	if len(rk) != 2 || rk[0].Account != f.acme || !rk[1].Churned || rk[1].Value != 50000 {
		t.Fatalf("risk %+v", rk)
	}
	if row, err := r.RiskRow(1); err != nil || !sameValue(row, rk[1]) {
		t.Fatalf("RiskRow %+v %v", row, err)
	}
	auc, err := r.AUC()
	must(t, err)
	if auc.Churned != 1 || auc.Retained != 1 || math.IsNaN(auc.Value) {
		t.Fatalf("AUC %+v", auc)
	}
	if trends, err := r.Trends(); err != nil || len(trends) != 0 || count(t, r, TableTrends) != 0 {
		t.Fatalf("trends without QueryTrends: %d %v", len(trends), err)
	}

	// Every row accessor refuses a row past the end with ErrRange.
	beyond := map[string]error{}
	_, beyond["servgap_result_servqual"] = r.ServQualRow(len(sq))
	_, beyond["servgap_result_breakdown"] = r.Breakdown(len(bd))
	_, beyond["servgap_result_finding"] = r.Finding(len(fs))
	_, beyond["servgap_result_ipa"] = r.IPARow(len(ipa))
	_, beyond["servgap_result_trigger"] = r.Trigger(len(tr))
	_, beyond["servgap_result_risk"] = r.RiskRow(len(rk))
	_, beyond["servgap_result_gap"] = r.Gap(len(cells), GapService)
	_, beyond["servgap_result_trend"] = r.Trend(0)  // QueryAll leaves trends out
	_, beyond["servgap_result_plan"] = r.PlanRow(0) // and plans
	for fn, err := range beyond {
		wantError(t, err, ErrRange, fn)
	}

	js, err := r.JSON()
	must(t, err)
	if len(js) == 0 || js[0] != '{' || js[len(js)-1] != '\n' {
		t.Fatalf("JSON starts %q", js[:10])
	}

	// A query that asks only for tier cells.
	r2, err := c.Query(TimeMin, TimeMax, QueryTiers)
	must(t, err)
	defer r2.Close()
	if count(t, r2, TableFindings) != 0 || count(t, r2, TableCells) == 0 {
		t.Fatal("flags not honoured")
	}
	// An unknown table is an error, not an empty table.
	for _, bad := range []Table{0, TablePlans + 1, -1} {
		_, err := r2.Count(bad)
		wantError(t, err, ErrInvalid, "unknown table")
	}
	// Query errors.
	_, err = c.Query(t0+1, TimeMax, QueryAll)
	wantError(t, err, ErrRange, "servgap_query")
	_, err = c.Query(TimeMin, TimeMax, QueryFlag(0x100))
	wantError(t, err, ErrInvalid)
	_, err = c.QueryAt(TimeMin, TimeMax, t0+5, QueryAll)
	wantError(t, err, ErrRange, "not a UTC midnight")
}

// TestClosed: every method of a closed (or nil) Ctx or Result returns an
// *Error with code ErrMisuse instead of crashing; Close is idempotent.
func TestClosed(t *testing.T) {
	f := newFixture(t)
	c := f.c
	var b Batch
	f.surveyBatch(&b)
	must(t, c.RecordBatch(b))
	r, err := c.Query(TimeMin, TimeMax, QueryAll)
	must(t, err)
	must(t, c.Close())
	must(t, c.Close())

	// The result outlives the handle, except for JSON, which needs names.
	if cells, err := r.Cells(); err != nil || len(cells) == 0 {
		t.Fatalf("result after Ctx.Close: %d cells, %v", len(cells), err)
	}
	_, err = r.JSON()
	wantError(t, err, ErrMisuse, "closed Ctx")

	other := newCtx(t)
	calls := map[string]error{}
	_, calls["Intern"] = c.Intern(KindTier, "x")
	_, calls["Lookup"] = c.Lookup(KindTier, "x")
	_, calls["Name"] = c.Name(KindTier, 0)
	_, calls["Count"] = c.Count(KindTier)
	_, calls["DefineMetric"] = c.DefineMetric(Metric{Name: "m"})
	_, calls["MetricInfo"] = c.MetricInfo(0)
	_, calls["DefineAccount"] = c.DefineAccount("a", "", 0)
	calls["SetHealth"] = c.SetHealth(0, 1)
	calls["SetAccountFlag"] = c.SetAccountFlag(0, AccountAtRisk, true)
	calls["SetAccountDate"] = c.SetAccountDate(0, AccountRenewal, t0)
	_, calls["AccountInfo"] = c.AccountInfo(0)
	calls["SetEffort"] = c.SetEffort(GapAll, All, All, 1)
	_, calls["Effort"] = c.Effort(GapAll, All, All)
	_, calls["AddPlan"] = c.AddPlan(Plan{Owner: "x"})
	_, calls["PlanCount"] = c.PlanCount()
	_, calls["PlanInfo"] = c.PlanInfo(0)
	_, calls["Remeasure"] = c.Remeasure(0, t0, t0+Day, t0+Day, t0+2*Day)
	calls["Record"] = c.Record(ScopeAccount, 0, 0, 0, VPPerceived, 5, t0, None, DriverNone)
	calls["RecordBatch"] = c.RecordBatch(b)
	calls["RecordResponse"] = c.RecordResponse(ScopeAccount, 0, 0, t0, None, DriverNone,
		[]MetricID{0}, []float64{5}, nil, []float64{5}, nil)
	calls["SetImportance"] = c.SetImportance(ScopeTier, 0, WhoseCustomer, [DimCount]float64{20, 20, 20, 20, 20})
	_, calls["ObservationCount"] = c.ObservationCount()
	_, calls["ImportCSV"] = c.ImportCSV(CSVObservations, "x.csv", 0)
	_, calls["ImportCSVBytes"] = c.ImportCSVBytes(CSVObservations, "x", []byte("a"), 0)
	calls["SaveSnapshot"] = c.SaveSnapshot(t.TempDir() + "/s")
	calls["LoadSnapshot"] = c.LoadSnapshot("s")
	_, calls["Snapshot"] = c.Snapshot()
	calls["LoadSnapshotBytes"] = c.LoadSnapshotBytes([]byte("x"))
	calls["Merge"] = c.Merge(other)
	calls["Merge (closed source)"] = other.Merge(c)
	_, calls["Query"] = c.Query(TimeMin, TimeMax, 0)
	_, calls["QueryAt"] = c.QueryAt(TimeMin, TimeMax, TimeNone, 0)
	_, calls["QueryTrends"] = c.QueryTrends(TimeNone, nil)
	calls["Withdraw"] = c.Withdraw(ScopeTier, 0, Any, 0, VPStandard, t0)
	calls["SetOption"] = c.SetOption(OptConfidence, 0.9)
	bg := context.Background()
	_, calls["LookupMetric"] = c.LookupMetric("empathy")
	calls["SetRenewal"] = c.SetRenewal(0, jan1)
	calls["SetMigration"] = c.SetMigration(0, jan1)
	_, calls["RemeasurePlan"] = c.RemeasurePlan(bg, 0, Window{}, Window{})
	calls["RecordObservation"] = c.RecordObservation(Observation{ScopeKind: ScopeAccount, Time: jan1})
	calls["RecordObservations"] = c.RecordObservations(nil)
	calls["RecordSurveyResponse"] = c.RecordSurveyResponse(Response{Metric: []MetricID{0}, Expected: []float64{5},
		Perceived: []float64{5}})
	calls["WithdrawDeclaration"] = c.WithdrawDeclaration(Withdrawal{ScopeKind: ScopeTier, Time: jan1})
	_, calls["QueryContext"] = c.QueryContext(bg, QueryOptions{})
	_, calls["QueryTrendsContext"] = c.QueryTrendsContext(bg, time.Time{}, nil)
	_, calls["ImportCSVContext"] = c.ImportCSVContext(bg, CSVObservations, "x.csv", 0)
	_, calls["ImportCSVFrom"] = c.ImportCSVFrom(bg, CSVObservations, "x", strings.NewReader("a"), 0)
	calls["LoadSnapshotContext"] = c.LoadSnapshotContext(bg, "s")
	calls["LoadSnapshotFrom"] = c.LoadSnapshotFrom(bg, strings.NewReader("x"))
	_, calls["WriteSnapshot"] = c.WriteSnapshot(io.Discard)
	_, calls["GetOption"] = c.GetOption(OptConfidence)
	for name, err := range calls {
		if !errors.Is(err, ErrMisuse) || !strings.Contains(err.Error(), "closed Ctx") {
			t.Errorf("%s on a closed Ctx: %v", name, err)
		}
	}
	if c.LastCode() != int(ErrMisuse) || c.LastMessage() != "" {
		t.Error("LastCode/LastMessage on a closed Ctx")
	}

	must(t, r.Close())
	must(t, r.Close())
	rcalls := map[string]error{}
	_, rcalls["Cell"] = r.Cell(0)
	_, rcalls["Cells"] = r.Cells()
	_, rcalls["Gap"] = r.Gap(0, GapService)
	_, rcalls["Find"] = r.Find(ScopeTier, 0, All, All, 0)
	_, rcalls["ServQualRow"] = r.ServQualRow(0)
	_, rcalls["ServQual"] = r.ServQual()
	_, rcalls["Breakdown"] = r.Breakdown(0)
	_, rcalls["Breakdowns"] = r.Breakdowns()
	_, rcalls["Finding"] = r.Finding(0)
	_, rcalls["Findings"] = r.Findings()
	_, rcalls["FindingAccounts"] = r.FindingAccounts(0)
	_, rcalls["IPARow"] = r.IPARow(0)
	_, rcalls["IPA"] = r.IPA()
	_, rcalls["Trigger"] = r.Trigger(0)
	_, rcalls["Triggers"] = r.Triggers()
	_, rcalls["RiskRow"] = r.RiskRow(0)
	_, rcalls["Risk"] = r.Risk()
	_, rcalls["AUC"] = r.AUC()
	_, rcalls["Trend"] = r.Trend(0)
	_, rcalls["Trends"] = r.Trends()
	_, rcalls["PlanRow"] = r.PlanRow(0)
	_, rcalls["Plans"] = r.Plans()
	_, _, rcalls["Window"] = r.Window()
	_, rcalls["Now"] = r.Now()
	_, rcalls["JSON"] = r.JSON()
	_, rcalls["Count"] = r.Count(TableCells)
	_, rcalls["Period"] = r.Period()
	_, rcalls["AnalysisDate"] = r.AnalysisDate()
	for name, err := range rcalls {
		if !errors.Is(err, ErrMisuse) || !strings.Contains(err.Error(), "closed Result") {
			t.Errorf("%s on a closed Result: %v", name, err)
		}
	}

	// nil receivers.
	var nc *Ctx
	if _, err := nc.Intern(KindTier, "x"); !errors.Is(err, ErrMisuse) {
		t.Errorf("nil Ctx: %v", err)
	}
	if nc.Close() != nil {
		t.Error("nil Ctx Close")
	}
	var nr *Result
	if _, err := nr.Cells(); !errors.Is(err, ErrMisuse) || nr.Close() != nil {
		t.Errorf("nil Result: %v", err)
	}
	if err := other.Merge(nil); !errors.Is(err, ErrMisuse) {
		t.Errorf("Merge(nil): %v", err)
	}
}

// TestRootCauses is tests/test_priorities.c's test_no_standard_defined:
// customers of tier gold expect 6 on onboarding, the provider believes 6,
// no SLA defines it, 4 is delivered and 3.6 perceived. The tier's
// perception gap is a quick win; its no-standard finding (4 - 6 = -2) a
// major project, which each account's own no-standard finding repeats.
func TestRootCauses(t *testing.T) {
	mustID := idOf(t)
	c := newCtx(t)
	gold := mustID(c.Intern(KindTier, "gold"))
	email := mustID(c.Intern(KindTouchpoint, "email"))
	m := metricOf(t)(c.DefineMetric(Metric{Name: "onboarding", Dimension: DimEmpathy,
		Direction: HigherIsBetter, Min: 1, Max: 7}))
	must(t, c.Record(ScopeTier, gold, email, m, VPBelieved, 6, t0, None, DriverNone))
	var acc []int32
	for i := 1; i <= 4; i++ {
		a := mustID(c.DefineAccount(fmt.Sprintf("a%d", i), "gold", float64(100*i)))
		acc = append(acc, a)
		for k, p := range []float64{3, 4, 4, 4, 3} {
			ts := t0 + int64(k+1)*Day
			must(t, c.Record(ScopeAccount, a, email, m, VPExpected, 6, ts, None, DriverNone))
			must(t, c.Record(ScopeAccount, a, email, m, VPDelivered, 4, ts, None, DriverNone))
			must(t, c.Record(ScopeAccount, a, email, m, VPPerceived, p, ts, None, DriverNone))
		}
	}
	findings := func() []Finding {
		r, err := c.Query(TimeMin, TimeMax, QueryAll)
		must(t, err)
		defer r.Close()
		fs, err := r.Findings()
		must(t, err)
		return fs
	}
	fs := findings()
	if len(fs) != 6 || fs[0].Gap != GapPerception || fs[0].Root != -1 || fs[0].NoStandard() {
		t.Fatalf("findings %+v", fs)
	}
	root := fs[1]
	if root.ScopeKind != ScopeTier || root.Gap != GapStandards || !root.NoStandard() ||
		root.Flags != FindingNoStandard || root.Value != -2 || root.Root != -1 ||
		root.Members != 4 || root.MembersValue != 1000 {
		t.Fatalf("no-standard root %+v", root)
	}
	for i, f := range fs[2:] {
		if f.ScopeID != acc[3-i] || !f.NoStandard() || f.Root != 1 || f.Members != 0 {
			t.Fatalf("member %d: %+v", i, f)
		}
	}
	// As 1.1: no no-standard finding; each account's gap is unexplained.
	must(t, c.SetOption(OptPriorities, PrioritiesV1_1))
	fs = findings()
	if len(fs) != 5 || fs[0].Gap != GapPerception {
		t.Fatalf("1.1 findings %+v", fs)
	}
	for _, f := range fs[1:] {
		if f.Gap != GapService || f.NoStandard() || f.Root != -1 {
			t.Fatalf("1.1 finding %+v", f)
		}
	}
	wantError(t, c.SetOption(OptPriorities, 3), ErrRange)
}
