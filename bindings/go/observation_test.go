package servgap

// The struct-and-time.Time API: Observation, Withdrawal, QueryOptions and
// Window, against the positional int64 forms they replace, which must keep
// giving the same answers.

import (
	"bytes"
	"context"
	"testing"
	"time"
)

// surveyObservations are surveyBatch's observations as Observations.
func (f *fixture) surveyObservations() []Observation {
	var b Batch
	f.surveyBatch(&b)
	obs := make([]Observation, b.Len())
	for i := range obs {
		obs[i] = Observation{ScopeKind: b.ScopeKind[i], ScopeID: b.ScopeID[i],
			Touchpoint: b.Touchpoint[i], Metric: b.Metric[i], Viewpoint: b.Viewpoint[i],
			Value: b.Value[i], Time: at(b.Time[i]), Driver: b.Driver[i]}
		if b.Team[i] != None {
			team := b.Team[i]
			obs[i].Team = &team
		}
	}
	return obs
}

// TestObservationsRecordAsTheBatch: RecordObservation one by one,
// RecordObservations and Batch.Append give the JSON report of the batch
// built with the positional Batch.Add.
func TestObservationsRecordAsTheBatch(t *testing.T) {
	want := func() []byte {
		f := newFixture(t)
		var b Batch
		f.surveyBatch(&b)
		must(t, f.c.RecordBatch(b))
		return queryJSON(t, f.c)
	}()
	ways := map[string]func(*fixture, []Observation) error{
		"RecordObservation": func(f *fixture, obs []Observation) error {
			for _, o := range obs {
				if err := f.c.RecordObservation(o); err != nil {
					return err
				}
			}
			return nil
		},
		"RecordObservations": func(f *fixture, obs []Observation) error { return f.c.RecordObservations(obs) },
		"Batch.Append": func(f *fixture, obs []Observation) error {
			var b Batch
			for _, o := range obs {
				b.Append(o)
			}
			return f.c.RecordBatch(b)
		},
	}
	for name, record := range ways {
		f := newFixture(t)
		must(t, record(f, f.surveyObservations()))
		if got := queryJSON(t, f.c); !bytes.Equal(got, want) {
			t.Errorf("%s: the report differs from the positional batch's", name)
		}
	}
}

// TestObservationTeam: a nil Team is no team, not team 0.
func TestObservationTeam(t *testing.T) {
	f := newFixture(t)
	o := Observation{ScopeKind: ScopeAccount, ScopeID: f.acme, Touchpoint: f.slack, Metric: f.frh,
		Viewpoint: VPDelivered, Value: 3, Time: jan1}
	for k := 0; k < 3; k++ {
		must(t, f.c.RecordObservation(o))
	}
	o.Team = &f.night
	o.Value = 5
	must(t, f.c.RecordObservation(o))
	r, err := f.c.QueryContext(context.Background(), QueryOptions{Flags: QueryAccounts | QueryBreakdown})
	must(t, err)
	defer r.Close()
	rows, err := r.Breakdowns()
	must(t, err)
	var teams []Breakdown
	for _, x := range rows {
		if x.Facet == FacetTeam && x.Viewpoint == VPDelivered {
			teams = append(teams, x)
		}
	}
	if len(teams) == 0 {
		t.Fatal("no team breakdown")
	}
	for _, x := range teams {
		if x.FacetID != f.night || x.N != 1 || x.Mean != 5 {
			t.Fatalf("team row %+v: the observations without a team went to team %d", x, x.FacetID)
		}
	}
}

// TestRecordObservationsAllOrNothing: a bad element records nothing and
// the message names its index; the errors are RecordObservation's.
func TestRecordObservationsAllOrNothing(t *testing.T) {
	f := newFixture(t)
	obs := f.surveyObservations()
	obs[17].Value = 9
	wantError(t, f.c.RecordObservations(obs), ErrRange, "servgap_record_batch", "17", "outside [1, 7]")
	if n, _ := f.c.ObservationCount(); n != 0 {
		t.Fatalf("a failed RecordObservations recorded %d", n)
	}
	wantError(t, f.c.RecordObservation(obs[17]), ErrRange, "servgap_record", "reliability")
	zero := Observation{ScopeID: f.acme, Touchpoint: f.email, Metric: MetricEmpathy, Value: 5, Time: jan1}
	wantError(t, f.c.RecordObservation(zero), ErrInvalid) // no ScopeKind
	must(t, f.c.RecordObservations(nil))
}

// TestTimesAreInstants: a time.Time in any location is the same instant,
// while a window end must be a UTC midnight.
func TestTimesAreInstants(t *testing.T) {
	f := newFixture(t)
	tokyo := time.FixedZone("UTC+9", 9*3600)
	o := Observation{ScopeKind: ScopeAccount, ScopeID: f.acme, Touchpoint: f.slack, Metric: f.frh,
		Viewpoint: VPDelivered, Value: 3, Time: time.Date(2026, 1, 1, 8, 0, 0, 0, tokyo)} // Dec 31, 23:00 UTC
	must(t, f.c.RecordObservation(o))
	bg := context.Background()
	r, err := f.c.QueryContext(bg, QueryOptions{From: day(2025, 12, 31), To: jan1, Flags: QueryAccounts})
	must(t, err)
	defer r.Close()
	i, err := r.Find(ScopeAccount, f.acme, f.slack, f.frh, 0)
	must(t, err)
	c, err := r.Cell(i)
	must(t, err)
	if c.N[VPDelivered] != 1 {
		t.Fatalf("the observation of 2025-12-31 23:00 UTC is not in that day: n %d", c.N[VPDelivered])
	}
	_, err = f.c.QueryContext(bg, QueryOptions{From: time.Date(2025, 12, 31, 0, 0, 0, 0, tokyo)})
	wantError(t, err, ErrRange, "servgap_query")
	_, err = f.c.QueryContext(bg, QueryOptions{Flags: QueryFlag(0x100)})
	wantError(t, err, ErrInvalid)
}

// TestQueryOptions: the zero QueryOptions is every observation with
// QueryAll, as Query(TimeMin, TimeMax, 0); Period and AnalysisDate give
// the window and the analysis date as times, zero for an unbounded end.
func TestQueryOptions(t *testing.T) {
	f := newFixture(t)
	must(t, f.c.RecordObservations(f.surveyObservations()))
	bg := context.Background()
	r, err := f.c.QueryContext(bg, QueryOptions{})
	must(t, err)
	defer r.Close()
	old, err := f.c.Query(TimeMin, TimeMax, 0)
	must(t, err)
	defer old.Close()
	a, err := r.JSON()
	must(t, err)
	b, err := old.JSON()
	must(t, err)
	if !bytes.Equal(a, b) {
		t.Fatal("QueryContext(QueryOptions{}) differs from Query(TimeMin, TimeMax, 0)")
	}
	w, err := r.Period()
	must(t, err)
	now, err := r.AnalysisDate()
	must(t, err)
	if !w.From.IsZero() || !w.To.IsZero() || now != day(2026, 1, 9) { // the midnight after the last day
		t.Fatalf("period %+v, analysis date %v", w, now)
	}
	// An unbounded window's read ranges: a zero end, but data.
	i, err := r.Find(ScopeAccount, f.acme, f.email, MetricReliability, 0)
	must(t, err)
	c, err := r.Cell(i)
	must(t, err)
	if from, to, ok := c.Read(VPPerceived); !ok || !from.IsZero() || !to.IsZero() {
		t.Fatalf("perceived read [%v, %v) %v", from, to, ok)
	}
	if _, _, ok := c.Read(VPBelieved); ok {
		t.Fatal("believed has no data")
	}
	if _, _, ok := c.Read(Viewpoint(-1)); ok {
		t.Fatal("an unknown viewpoint was read")
	}

	feb1 := day(2026, 2, 1)
	r2, err := f.c.QueryContext(bg, QueryOptions{From: jan1, To: feb1, Now: day(2026, 3, 1), Flags: QueryTiers})
	must(t, err)
	defer r2.Close()
	if w, _ := r2.Period(); w != (Window{jan1, feb1}) {
		t.Fatalf("period %+v", w)
	}
	if now, _ := r2.AnalysisDate(); now != day(2026, 3, 1) {
		t.Fatalf("analysis date %v", now)
	}
}

// TestQueryTrendsContext equals the deprecated QueryTrends.
func TestQueryTrendsContext(t *testing.T) {
	f := promiseKeptShort(t)
	cells := []TrendCell{{ScopeKind: ScopeTier, ScopeID: f.gold, Touchpoint: f.email, Metric: f.frh,
		Gap: GapCommunication}}
	r, err := f.c.QueryTrendsContext(context.Background(), at(nextJan1), cells)
	must(t, err)
	defer r.Close()
	old, err := f.c.QueryTrends(nextJan1, cells)
	must(t, err)
	defer old.Close()
	a, err := r.Trends()
	must(t, err)
	b, err := old.Trends()
	must(t, err)
	if len(a) != 12 || !sameValue(a, b) || a[11].To != at(nextJan1) {
		t.Fatalf("QueryTrendsContext %+v, QueryTrends %+v", a, b)
	}
	if w, _ := r.Period(); w.From != a[0].From || w.To != at(nextJan1) {
		t.Fatalf("period %+v", w)
	}
}

// TestRecordSurveyResponse gives the report of the positional
// RecordResponse, and its errors.
func TestRecordSurveyResponse(t *testing.T) {
	items := []MetricID{MetricReliability, MetricEmpathy}
	points := []float64{10, 40, 30, 10, 10}
	old := newFixture(t)
	must(t, old.c.RecordResponse(ScopeAccount, old.acme, old.email, t0, old.night, DriverWordOfMouth,
		items, []float64{7, 6}, []float64{5, 4}, []float64{4, 6}, points))
	must(t, old.c.RecordResponse(ScopeAccount, old.globex, old.email, t0+Day, None, DriverNone,
		items, []float64{6, 6}, nil, []float64{5, 5}, nil))
	f := newFixture(t)
	must(t, f.c.RecordSurveyResponse(Response{ScopeKind: ScopeAccount, ScopeID: f.acme, Touchpoint: f.email,
		Time: jan1, Team: &f.night, Driver: DriverWordOfMouth, Metric: items,
		Expected: []float64{7, 6}, Adequate: []float64{5, 4}, Perceived: []float64{4, 6}, Importance: points}))
	must(t, f.c.RecordSurveyResponse(Response{ScopeKind: ScopeAccount, ScopeID: f.globex, Touchpoint: f.email,
		Time: day(2026, 1, 2), Metric: items, Expected: []float64{6, 6}, Perceived: []float64{5, 5}}))
	if !bytes.Equal(queryJSON(t, f.c), queryJSON(t, old.c)) {
		t.Fatal("RecordSurveyResponse reports differently from RecordResponse")
	}
	err := f.c.RecordSurveyResponse(Response{ScopeKind: ScopeAccount, ScopeID: f.acme, Touchpoint: f.email,
		Time: jan1, Metric: items, Expected: []float64{7}, Perceived: []float64{4, 6}})
	wantError(t, err, ErrMisuse, "expected")
	err = f.c.RecordSurveyResponse(Response{ScopeKind: ScopeAccount, ScopeID: f.acme, Touchpoint: f.email,
		Time: jan1, Metric: []MetricID{1, 1}, Expected: []float64{7, 6}, Perceived: []float64{4, 6}})
	wantError(t, err, ErrInvalid, "servgap_record_response")
}
