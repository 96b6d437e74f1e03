package servgap

// The binding's accessors against the C library's JSON report on the
// sample data (examples/data): every field of every table that the report
// holds, read through the Go structs, must equal the report's value, both
// for Result.JSON() and for `servgap-report --json` run on the same data
// ($SERVGAP_REPORT; that half is skipped when the variable is unset, as
// when the tests run by hand without meson).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// decodeReport parses a JSON report, keeping numbers as text so that they
// convert to the exact double.
func decodeReport(t *testing.T, js []byte) map[string]interface{} {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var doc map[string]interface{}
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("the JSON report does not parse: %v", err)
	}
	if dec.More() {
		t.Fatal("text after the JSON report")
	}
	return doc
}

// checker compares JSON values with the accessors' values and reports the
// first mismatches with their path.
type checker struct {
	t     *testing.T
	names map[Kind][]string
	where string
	fails int
	count int // values compared
}

func newChecker(t *testing.T, c *Ctx) *checker {
	k := &checker{t: t, names: map[Kind][]string{}}
	for _, kind := range []Kind{KindTier, KindTouchpoint, KindTeam, KindAccount, KindMetric} {
		n, err := c.Count(kind)
		must(t, err)
		for id := int32(0); id < n; id++ {
			s, err := c.Name(kind, id)
			must(t, err)
			k.names[kind] = append(k.names[kind], s)
		}
	}
	return k
}

func (k *checker) fail(field, format string, args ...interface{}) {
	k.fails++
	if k.fails <= 25 {
		k.t.Errorf("%s.%s: %s", k.where, field, fmt.Sprintf(format, args...))
	}
}

// num: want NaN or an infinity is JSON null; else the exact double.
func (k *checker) num(field string, j interface{}, want float64) {
	k.count++
	if math.IsNaN(want) || math.IsInf(want, 0) {
		if j != nil {
			k.fail(field, "JSON %v, binding %v (null expected)", j, want)
		}
		return
	}
	n, ok := j.(json.Number)
	if !ok {
		k.fail(field, "JSON %v (%T), binding %v", j, j, want)
		return
	}
	got, err := strconv.ParseFloat(string(n), 64)
	if err != nil || got != want {
		k.fail(field, "JSON %s, binding %v", n, want)
	}
}

func (k *checker) integer(field string, j interface{}, want int64) {
	k.count++
	n, ok := j.(json.Number)
	got, err := n.Int64()
	if !ok || err != nil || got != want {
		k.fail(field, "JSON %v, binding %d", j, want)
	}
}

func (k *checker) str(field string, j interface{}, want string) {
	k.count++
	if s, ok := j.(string); !ok || s != want {
		k.fail(field, "JSON %v, binding %q", j, want)
	}
}

func (k *checker) boolean(field string, j interface{}, want bool) {
	k.count++
	if b, ok := j.(bool); !ok || b != want {
		k.fail(field, "JSON %v, binding %v", j, want)
	}
}

func (k *checker) null(field string, j interface{}) {
	k.count++
	if j != nil {
		k.fail(field, "JSON %v, want null", j)
	}
}

// interval compares a [lo, hi] pair.
func (k *checker) interval(field string, j interface{}, lo, hi float64) {
	a, ok := j.([]interface{})
	if !ok || len(a) != 2 {
		k.fail(field, "JSON %v is not a pair", j)
		return
	}
	k.num(field+"[0]", a[0], lo)
	k.num(field+"[1]", a[1], hi)
}

func (k *checker) scope(kind ScopeKind, id int32) string {
	if kind == ScopeTier {
		return "tier:" + k.names[KindTier][id]
	}
	return "account:" + k.names[KindAccount][id]
}

func (k *checker) touchpoint(field string, j interface{}, tp int32) {
	switch tp {
	case All:
		k.str(field, j, "*")
	case Any:
		k.null(field, j)
	default:
		k.str(field, j, k.names[KindTouchpoint][tp])
	}
}

func (k *checker) metric(field string, j interface{}, m MetricID) {
	if m == All {
		k.str(field, j, "*")
	} else {
		k.str(field, j, k.names[KindMetric][m])
	}
}

// date checks a date of the JSON report: null for the zero Time (an
// unset date or an unbounded end), else YYYY-MM-DD.
func (k *checker) date(field string, j interface{}, t time.Time) {
	if t.IsZero() {
		k.null(field, j)
		return
	}
	k.str(field, j, t.Format("2006-01-02"))
}

func obj(j interface{}) map[string]interface{} {
	m, _ := j.(map[string]interface{})
	return m
}

func arr(t *testing.T, doc map[string]interface{}, key string, n int) []interface{} {
	a, ok := doc[key].([]interface{})
	if !ok {
		t.Fatalf("%s is not an array", key)
	}
	if len(a) != n {
		t.Fatalf("%s: %d rows in the JSON, %d through the binding", key, len(a), n)
	}
	return a
}

// compareReport checks every table of the JSON report doc against r's
// accessors.
func compareReport(t *testing.T, c *Ctx, r *Result, doc map[string]interface{}) {
	k := newChecker(t, c)

	k.where = "version"
	k.str("library", obj(doc["version"])["library"], Version())
	k.integer("schema", obj(doc["version"])["schema"], 1)
	w, err := r.Period()
	must(t, err)
	now, err := r.AnalysisDate()
	must(t, err)
	k.where = "window"
	k.date("from", obj(doc["window"])["from"], w.From)
	k.date("to", obj(doc["window"])["to"], w.To)
	k.where = "top"
	k.date("now", doc["now"], now)

	// metrics: the definitions of the metrics that the cells name.
	for i, jm := range doc["metrics"].([]interface{}) {
		m := obj(jm)
		k.where = fmt.Sprintf("metrics[%d]", i)
		name, _ := m["name"].(string)
		id, err := c.Lookup(KindMetric, name)
		if err != nil {
			k.fail("name", "%v", err)
			continue
		}
		info, err := c.MetricInfo(MetricID(id))
		must(t, err)
		k.str("dimension", m["dimension"], info.Dimension.String())
		k.str("direction", m["direction"], info.Direction.String())
		k.str("unit", m["unit"], info.Unit)
		k.num("min", m["min"], info.Min)
		k.num("max", m["max"], info.Max)
		k.num("span", m["span"], info.Span)
	}

	cells, err := r.Cells()
	must(t, err)
	for i, jc := range arr(t, doc, "cells", len(cells)) {
		m, c := obj(jc), cells[i]
		k.where = fmt.Sprintf("cells[%d]", i)
		k.str("scope", m["scope"], k.scope(c.ScopeKind, c.ScopeID))
		k.touchpoint("touchpoint", m["touchpoint"], c.Touchpoint)
		k.metric("metric", m["metric"], c.Metric)
		k.str("dimension", m["dimension"], c.Dimension.String())
		k.num("scale", m["scale"], c.Span)
		for v := 0; v < VPCount; v++ {
			vp := Viewpoint(v).String()
			k.integer("n."+vp, obj(m["n"])[vp], c.N[v])
			k.num("means."+vp, obj(m["means"])[vp], c.Mean[v])
			k.num("sd."+vp, obj(m["sd"])[vp], c.SD[v])
			k.integer("negative."+vp, obj(m["negative"])[vp], c.Negative[v])
			var src []string
			for _, s := range []struct {
				bit  Source
				name string
			}{{SourceOwn, "own"}, {SourceTier, "tier"}, {SourceAnyTP, "any_touchpoint"}} {
				if c.Source[v]&s.bit != 0 {
					src = append(src, s.name)
				}
			}
			k.str("source."+vp, fmt.Sprint(obj(m["source"])[vp]), fmt.Sprint(stringsToAny(src)))
		}
		read := obj(m["read"])
		nread := 0
		for v := 0; v < VPCount; v++ {
			vp := Viewpoint(v).String()
			from, to, ok := c.Read(Viewpoint(v))
			jr, present := read[vp]
			if !ok {
				if present || c.N[v] != 0 || !c.ReadFrom[v].IsZero() || !c.ReadTo[v].IsZero() {
					k.fail("read."+vp, "present %v, n %d, read [%v, %v) for a viewpoint without data",
						present, c.N[v], c.ReadFrom[v], c.ReadTo[v])
				}
				continue
			}
			nread++
			k.date("read."+vp+".from", obj(jr)["from"], from)
			k.date("read."+vp+".to", obj(jr)["to"], to)
			if !c.Declared[v].IsZero() {
				k.date("read."+vp+".declared", obj(jr)["declared"], c.Declared[v])
				k.boolean("read."+vp+".changed", obj(jr)["changed"], c.Source[v]&SourceChanged != 0)
			} else if _, ok := obj(jr)["declared"]; ok {
				k.fail("read."+vp+".declared", "present without a declaration")
			}
		}
		if len(read) != nread {
			k.fail("read", "%d viewpoints in the JSON, %d with data", len(read), nread)
		}
		k.integer("pairs", m["pairs"], c.Pairs)
		k.num("pe_correlation", m["pe_correlation"], c.PECorrelation)
		for g := 0; g < GapCount; g++ {
			gap := c.Gaps[g]
			name := GapType(g).String()
			jg := obj(obj(m["gaps"])[name])
			f := "gaps." + name + "."
			k.num(f+"value", jg["value"], gap.Value)
			k.num(f+"normalized", jg["normalized"], gap.Normalized)
			k.interval(f+"ci", jg["ci"], gap.Lo, gap.Hi)
			k.num(f+"df", jg["df"], gap.DF)
			k.integer(f+"n_up", jg["n_up"], gap.NUp)
			k.integer(f+"n_down", jg["n_down"], gap.NDown)
			k.str(f+"status", jg["status"], gap.Status.String())
			if gap.Status == StatusUnresolved {
				k.str(f+"span", jg["span"], gap.Span.String())
			} else if _, ok := jg["span"]; ok {
				k.fail(f+"span", "present for status %v", gap.Status)
			}
			k.boolean(f+"paired", jg["paired"], gap.Paired())
			k.boolean(f+"significant", jg["significant"], gap.Significant())
			k.boolean(f+"sufficient", jg["sufficient"], gap.Sufficient())
			k.boolean(f+"no_standard", jg["no_standard"], gap.NoStandard())
			k.boolean(f+"declaration_changed", jg["declaration_changed"], gap.DeclarationChanged())
		}
		k.str("classification", m["classification"], c.Classification.String())
		if c.Classification == ClassSpan {
			k.str("class_span", m["class_span"], c.ClassSpan.String())
		} else if _, ok := m["class_span"]; ok {
			k.fail("class_span", "present for %v", c.Classification)
		}
		k.num("class_normalized", m["class_normalized"], c.ClassNormalized)
	}

	sq, err := r.ServQual()
	must(t, err)
	for i, jq := range arr(t, doc, "servqual", len(sq)) {
		m, q := obj(jq), sq[i]
		k.where = fmt.Sprintf("servqual[%d]", i)
		k.str("scope", m["scope"], k.scope(q.ScopeKind, q.ScopeID))
		k.touchpoint("touchpoint", m["touchpoint"], q.Touchpoint)
		for d := 0; d < DimCount; d++ {
			jd := obj(obj(m["dimensions"])[Dimension(d).String()])
			f := "dimensions." + Dimension(d).String() + "."
			k.num(f+"gap", jd["gap"], q.DimensionGap[d])
			k.num(f+"weight", jd["weight"], q.Weight[d])
			k.num(f+"believed_weight", jd["believed_weight"], q.BelievedWeight[d])
		}
		k.num("unweighted", m["unweighted"], q.Unweighted)
		k.num("item_mean", m["item_mean"], q.ItemMean)
		k.num("weighted", m["weighted"], q.Weighted)
		k.interval("weighted_ci", m["weighted_ci"], q.WeightedLo, q.WeightedHi)
		k.str("weight_source", m["weight_source"], q.WeightSource.String())
		k.integer("respondents", m["respondents"], q.Respondents)
		k.num("servperf", m["servperf"], q.ServPerf)
		k.num("importance_gap", m["importance_gap"], q.ImportanceGap)
		if q.MostUnderweighted < 0 {
			k.null("most_underweighted", m["most_underweighted"])
		} else {
			k.str("most_underweighted", m["most_underweighted"], q.MostUnderweighted.String())
		}
	}

	bd, err := r.Breakdowns()
	must(t, err)
	for i, jb := range arr(t, doc, "breakdowns", len(bd)) {
		m, b := obj(jb), bd[i]
		k.where = fmt.Sprintf("breakdowns[%d]", i)
		c := cells[b.Cell]
		k.integer("cell", m["cell"], int64(b.Cell))
		k.str("scope", m["scope"], k.scope(c.ScopeKind, c.ScopeID))
		k.touchpoint("touchpoint", m["touchpoint"], c.Touchpoint)
		k.metric("metric", m["metric"], c.Metric)
		k.str("dimension", m["dimension"], c.Dimension.String())
		k.str("facet", m["facet"], b.Facet.String())
		if b.Facet == FacetTeam {
			k.str("name", m["name"], k.names[KindTeam][b.FacetID])
		} else {
			k.str("name", m["name"], Driver(b.FacetID).String())
		}
		k.str("viewpoint", m["viewpoint"], b.Viewpoint.String())
		k.str("gap", m["gap"], b.Gap.String())
		k.integer("n", m["n"], b.N)
		k.num("mean", m["mean"], b.Mean)
		k.num("value", m["value"], b.Value)
		k.num("normalized", m["normalized"], b.Normalized)
		k.interval("ci", m["ci"], b.Lo, b.Hi)
		k.num("df", m["df"], b.DF)
		k.str("status", m["status"], b.Status.String())
		k.boolean("significant", m["significant"], b.Flags&GapFlagSignificant != 0)
		k.boolean("sufficient", m["sufficient"], b.Flags&GapFlagSufficient != 0)
	}

	fs, err := r.Findings()
	must(t, err)
	for i, jf := range arr(t, doc, "priorities", len(fs)) {
		m, f := obj(jf), fs[i]
		k.where = fmt.Sprintf("priorities[%d]", i)
		k.integer("rank", m["rank"], int64(f.Rank))
		k.integer("cell", m["cell"], int64(f.Cell))
		k.str("scope", m["scope"], k.scope(f.ScopeKind, f.ScopeID))
		k.touchpoint("touchpoint", m["touchpoint"], f.Touchpoint)
		k.metric("metric", m["metric"], f.Metric)
		k.str("dimension", m["dimension"], f.Dimension.String())
		k.str("gap", m["gap"], f.Gap.String())
		k.num("value", m["value"], f.Value)
		k.num("normalized", m["normalized"], f.Normalized)
		k.num("impact", m["impact"], f.Impact)
		k.num("effort", m["effort"], f.Effort)
		k.num("priority", m["priority"], f.Priority)
		k.str("quadrant", m["quadrant"], f.Quadrant.String())
		k.num("size_term", m["size_term"], f.SizeTerm)
		k.num("value_share", m["value_share"], f.ValueShare)
		k.num("frequency", m["frequency"], f.Frequency)
		k.num("affected_value", m["affected_value"], f.AffectedValue)
		var names []string
		for _, id := range f.Accounts {
			names = append(names, k.names[KindAccount][id])
		}
		k.str("affected_accounts", fmt.Sprint(m["affected_accounts"]), fmt.Sprint(stringsToAny(names)))
		k.boolean("persistent", m["persistent"], f.Persistent())
		k.integer("windows", m["windows"], int64(f.Windows))
		k.boolean("no_standard", m["no_standard"], f.NoStandard())
		if f.Root < 0 {
			k.null("root", m["root"])
		} else {
			k.integer("root", m["root"], int64(f.Root)+1) // a rank
		}
		k.integer("members", m["members"], f.Members)
		k.num("members_value", m["members_value"], f.MembersValue)
	}

	ipa, err := r.IPA()
	must(t, err)
	for i, ji := range arr(t, doc, "ipa", len(ipa)) {
		m, a := obj(ji), ipa[i]
		k.where = fmt.Sprintf("ipa[%d]", i)
		k.str("scope", m["scope"], k.scope(a.ScopeKind, a.ScopeID))
		k.touchpoint("touchpoint", m["touchpoint"], a.Touchpoint)
		k.str("dimension", m["dimension"], a.Dimension.String())
		k.str("quadrant", m["quadrant"], a.Quadrant.String())
		k.num("importance", m["importance"], a.Importance)
		k.num("performance", m["performance"], a.Performance)
		k.num("crosshair.importance", obj(m["crosshair"])["importance"], a.ImportanceCross)
		k.num("crosshair.performance", obj(m["crosshair"])["performance"], a.PerformanceCross)
	}

	tr, err := r.Triggers()
	must(t, err)
	for i, jt := range arr(t, doc, "triggers", len(tr)) {
		m, x := obj(jt), tr[i]
		k.where = fmt.Sprintf("triggers[%d]", i)
		k.str("account", m["account"], k.names[KindAccount][x.Account])
		k.str("kind", m["kind"], x.Kind.String())
		k.date("date", m["date"], x.Date)
		k.str("detail", m["detail"], x.Detail)
		k.integer("count", m["count"], x.Count)
		k.num("before", m["before"], x.Before)
		k.num("after", m["after"], x.After)
		k.num("statistic", m["statistic"], x.Statistic)
		k.interval("ci", m["ci"], x.Lo, x.Hi)
		k.integer("n_before", m["n_before"], x.NBefore)
		k.integer("n_after", m["n_after"], x.NAfter)
	}

	rk, err := r.Risk()
	must(t, err)
	for i, jr := range arr(t, doc, "risk", len(rk)) {
		m, x := obj(jr), rk[i]
		k.where = fmt.Sprintf("risk[%d]", i)
		k.str("account", m["account"], k.names[KindAccount][x.Account])
		k.num("risk", m["risk"], x.Risk)
		k.integer("windows", m["windows"], int64(x.Windows))
		k.integer("with_shortfall", m["with_shortfall"], int64(x.WithShortfall))
		k.integer("findings", m["findings"], x.Findings)
		k.num("worst_normalized", m["worst_normalized"], x.WorstNormalized)
		k.num("value", m["value"], x.Value)
		k.boolean("churned", m["churned"], x.Churned)
	}

	auc, err := r.AUC()
	must(t, err)
	k.where = "auc"
	k.num("value", obj(doc["auc"])["value"], auc.Value)
	k.integer("churned", obj(doc["auc"])["churned"], auc.Churned)
	k.integer("retained", obj(doc["auc"])["retained"], auc.Retained)

	// trends: one object per series, its rows in "windows".
	trends, err := r.Trends()
	must(t, err)
	var series [][]Trend
	for _, x := range trends {
		if x.Series == len(series) {
			series = append(series, nil)
		}
		if x.Series != len(series)-1 {
			t.Fatalf("trend rows out of series order at series %d", x.Series)
		}
		series[x.Series] = append(series[x.Series], x)
	}
	for i, js := range arr(t, doc, "trends", len(series)) {
		m, s := obj(js), series[i]
		k.where = fmt.Sprintf("trends[%d]", i)
		if s[0].Finding < 0 {
			k.null("finding", m["finding"])
		} else {
			k.integer("finding", m["finding"], int64(s[0].Finding)+1)
		}
		k.str("scope", m["scope"], k.scope(s[0].ScopeKind, s[0].ScopeID))
		k.touchpoint("touchpoint", m["touchpoint"], s[0].Touchpoint)
		k.metric("metric", m["metric"], s[0].Metric)
		k.str("dimension", m["dimension"], s[0].Dimension.String())
		k.str("gap", m["gap"], s[0].Gap.String())
		windows, _ := m["windows"].([]interface{})
		if len(windows) != len(s) {
			k.fail("windows", "%d in the JSON, %d rows", len(windows), len(s))
			continue
		}
		for w, jw := range windows {
			x, f := s[w], fmt.Sprintf("windows[%d].", w)
			jm := obj(jw)
			k.date(f+"from", jm["from"], x.From)
			k.date(f+"to", jm["to"], x.To)
			k.num(f+"value", jm["value"], x.Value)
			k.num(f+"normalized", jm["normalized"], x.Normalized)
			k.interval(f+"ci", jm["ci"], x.Lo, x.Hi)
			k.integer(f+"n_up", jm["n_up"], x.NUp)
			k.integer(f+"n_down", jm["n_down"], x.NDown)
			k.str(f+"status", jm["status"], x.Status.String())
			k.boolean(f+"significant", jm["significant"], x.Significant())
			k.boolean(f+"declaration_changed", jm["declaration_changed"], x.DeclarationChanged())
		}
	}

	plans := comparePlans(t, k, r, doc)
	if k.fails > 0 {
		t.Fatalf("%d of %d values differ", k.fails, k.count)
	}
	t.Logf("%d values equal: %d cells, %d SERVQUAL rows, %d breakdowns, %d findings, %d IPA rows, %d triggers, %d risk rows, %d trend rows, %d plans",
		k.count, len(cells), len(sq), len(bd), len(fs), len(ipa), len(tr), len(rk), len(trends), plans)
}

// comparePlans checks the "plans" rows against Result.Plans; the number
// of plans.
func comparePlans(t *testing.T, k *checker, r *Result, doc map[string]interface{}) int {
	plans, err := r.Plans()
	must(t, err)
	for i, jp := range arr(t, doc, "plans", len(plans)) {
		m, x := obj(jp), plans[i]
		k.where = fmt.Sprintf("plans[%d]", i)
		k.integer("plan", m["plan"], int64(x.Plan))
		k.str("owner", m["owner"], x.Owner)
		if x.Finding < 0 {
			k.null("finding", m["finding"])
		} else {
			k.integer("finding", m["finding"], int64(x.Finding)+1)
		}
		k.str("scope", m["scope"], k.scope(x.ScopeKind, x.ScopeID))
		k.touchpoint("touchpoint", m["touchpoint"], x.Touchpoint)
		k.metric("metric", m["metric"], x.Metric)
		k.str("dimension", m["dimension"], x.Dimension.String())
		k.str("gap", m["gap"], x.Gap.String())
		k.date("deadline", m["deadline"], x.Deadline)
		k.num("target", m["target"], x.Target)
		k.str("outcome", m["outcome"], x.Outcome.String())
		k.boolean("overdue", m["overdue"], x.Overdue)
		k.boolean("own_baseline", m["own_baseline"], x.OwnBaseline)
		k.date("baseline_window.from", obj(m["baseline_window"])["from"], x.BaseFrom)
		k.date("baseline_window.to", obj(m["baseline_window"])["to"], x.BaseTo)
		k.date("followup_window.from", obj(m["followup_window"])["from"], x.FollowFrom)
		k.date("followup_window.to", obj(m["followup_window"])["to"], x.FollowTo)
		k.num("baseline", m["baseline"], x.Baseline)
		k.num("followup", m["followup"], x.Followup)
		k.num("change", m["change"], x.Change)
		k.interval("ci", m["ci"], x.Lo, x.Hi)
		k.date("next_check", m["next_check"], x.NextCheck)
	}
	return len(plans)
}

// TestSamplePlans: the sample data's plans show each outcome, and the
// overdue ones are those whose deadline passed unclosed.
func TestSamplePlans(t *testing.T) {
	c := loadSample(t)
	r, err := c.QueryAt(TimeMin, TimeMax, TimeNone, QueryAll|QueryPlans)
	must(t, err)
	defer r.Close()
	plans, err := r.Plans()
	must(t, err)
	want := []struct {
		owner   string
		outcome Outcome
		overdue bool
	}{
		{"Priya Raman", OutcomeImproved, true},
		{"Marcus Webb", OutcomeWorsened, true},
		{"Dana Okafor", OutcomeUnchanged, true},
		{"Dana Okafor", OutcomeClosed, false},
		{"Sam Ito", OutcomeUnknown, false},
	}
	if len(plans) != len(want) {
		t.Fatalf("%d plans, want %d", len(plans), len(want))
	}
	for i, w := range want {
		x := plans[i]
		if x.Owner != w.owner || x.Outcome != w.outcome || x.Overdue != w.overdue {
			t.Errorf("plan %d: %s %v overdue %v, want %s %v %v", i, x.Owner, x.Outcome, x.Overdue,
				w.owner, w.outcome, w.overdue)
		}
	}
}

func stringsToAny(s []string) []interface{} {
	out := make([]interface{}, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// reportFlags are the flags servgap-report queries with: everything, each
// finding's trend, and the plans re-measured.
const reportFlags = QueryAll | QueryTrends | QueryPlans

// TestSampleDataReport imports the five tables of examples/data, runs the
// query servgap-report runs (whole window, default analysis date), and
// compares the accessors with the JSON report, then with servgap-report's.
func TestSampleDataReport(t *testing.T) {
	c := loadSample(t)
	r, err := c.QueryAt(TimeMin, TimeMax, TimeNone, reportFlags)
	must(t, err)
	defer r.Close()
	if count(t, r, TableCells) < 1000 || count(t, r, TableFindings) < 10 || count(t, r, TableTriggers) == 0 {
		t.Fatalf("the sample data gave %d cells, %d findings", count(t, r, TableCells), count(t, r, TableFindings))
	}
	js, err := r.JSON()
	must(t, err)

	t.Run("Result.JSON", func(t *testing.T) {
		compareReport(t, c, r, decodeReport(t, js))
	})

	t.Run("servgap-report", func(t *testing.T) {
		prog := os.Getenv("SERVGAP_REPORT")
		if prog == "" {
			t.Skip("SERVGAP_REPORT is not set (meson test sets it)")
		}
		out, err := exec.Command(prog, "--data", dataDir(t), "--json", "--level", "full").Output()
		if err != nil {
			t.Fatalf("%s --json: %v", prog, err)
		}
		if !bytes.Equal(out, js) {
			t.Errorf("servgap-report --json (%d bytes) differs from Result.JSON() (%d bytes)", len(out), len(js))
		}
		compareReport(t, c, r, decodeReport(t, out))
	})
}
