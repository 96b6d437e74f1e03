package servgap

// What the compiler accepts: the enumerations and id types of this package
// do not mix, while the built-in metrics and the untyped specials (All,
// Any, None) go wherever a metric or id is asked for. The package is
// type-checked from source (cgo faked: only C's own names stay unknown),
// then each snippet against it.

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"strings"
	"sync"
	"testing"
)

const importPath = "example.invalid/libservgap/servgap"

var (
	apiOnce sync.Once
	apiPkg  *types.Package
	apiErr  error
)

// api type-checks the package's non-test files once.
func api(t *testing.T) *types.Package {
	t.Helper()
	apiOnce.Do(func() {
		fset := token.NewFileSet()
		pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool {
			return !strings.HasSuffix(fi.Name(), "_test.go")
		}, 0)
		if err != nil {
			apiErr = err
			return
		}
		var files []*ast.File
		for _, f := range pkgs["servgap"].Files {
			files = append(files, f)
		}
		conf := types.Config{
			FakeImportC: true,
			Importer:    importer.ForCompiler(fset, "source", nil),
			Error:       func(error) {}, // the uses of C's names; the API is what matters
		}
		apiPkg, _ = conf.Check(importPath, fset, files, nil)
	})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	return apiPkg
}

// check type-checks a function body that uses the package as servgap,
// with c a *Ctx, r a *Result and b a *Batch, and returns the first error.
func check(t *testing.T, body string) error {
	t.Helper()
	src := "package p\nimport servgap \"" + importPath + "\"\n" +
		"func f(c *servgap.Ctx, r *servgap.Result, b *servgap.Batch) {\n" + body + "\n}\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	pkg := api(t)
	conf := types.Config{Importer: importerFunc(func(path string) (*types.Package, error) {
		return pkg, nil
	})}
	_, err = conf.Check("p", fset, []*ast.File{f}, nil)
	return err
}

type importerFunc func(string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func TestBuiltinMetricsNeedNoConversion(t *testing.T) {
	for _, body := range []string{
		`var m servgap.MetricID = servgap.MetricReliability; _ = m`,
		`var m servgap.MetricID = servgap.DimReliability.Metric(); _ = m`,
		`var m servgap.MetricID = servgap.All; _ = m`,
		`m, _ := c.DefineMetric(servgap.Metric{}); _, _ = c.Effort(servgap.GapDelivery, servgap.All, m)`,
		`m, _ := c.LookupMetric("frh"); _, _ = r.Find(servgap.ScopeTier, 0, servgap.All, m, 0)`,
		`_, _ = r.Find(servgap.ScopeTier, 0, servgap.All, servgap.All, servgap.DimEmpathy)`,
		`_, _ = c.Name(servgap.ScopeTier.Kind(), 0)`,
		`_ = c.RecordObservation(servgap.Observation{Metric: servgap.MetricEmpathy, Touchpoint: servgap.Any})`,
		`b.Append(servgap.Observation{Metric: servgap.DimEmpathy.Metric()})`,
	} {
		if err := check(t, body); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
}

func TestEnumerationsDoNotMix(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		// A dimension is not its metric: say which one is meant.
		{`var m servgap.MetricID = servgap.DimReliability; _ = m`, "servgap.Dimension"},
		{`_, _ = c.Effort(servgap.GapDelivery, servgap.All, servgap.DimEmpathy)`, "servgap.Dimension"},
		{`_ = c.RecordObservation(servgap.Observation{Metric: servgap.DimEmpathy})`, "servgap.Dimension"},
		{`_ = c.RecordObservation(servgap.Observation{Viewpoint: servgap.GapService})`, "servgap.GapType"},
		// A time is a time.Time, not C's seconds.
		{`_ = c.RecordObservation(servgap.Observation{Time: servgap.Date(2026, 1, 1)})`, "int64"},
		{`_ = c.RecordSurveyResponse(servgap.Response{Metric: []int32{1}})`, "[]int32"},
		// An int32 from Intern is not a metric id.
		{`id, _ := c.Intern(servgap.KindTeam, "x"); _, _ = c.MetricInfo(id)`, "int32"},
		// ScopeAccount (1) would name a tier (KindTier is 1).
		{`_, _ = c.Name(servgap.ScopeAccount, 0)`, "servgap.ScopeKind"},
		// A result table is not a CSV table, nor the other way round.
		{`_, _ = r.Count(servgap.CSVPlans)`, "servgap.CSVTable"},
		{`_, _ = c.ImportCSV(servgap.TablePlans, "plans.csv", 0)`, "servgap.Table"},
		{`_, _ = c.Query(0, 1, servgap.ImportSkipBadRows)`, "servgap.ImportFlag"},
		{`_ = c.SetOption(servgap.TableCells, 1)`, "servgap.Table"},
		{`_, _ = c.Effort(servgap.StatusShortfall, servgap.All, servgap.All)`, "servgap.Status"},
	} {
		err := check(t, tc.body)
		if err == nil {
			t.Errorf("%s: compiles, want a type error", tc.body)
		} else if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want a mention of %s", tc.body, err, tc.want)
		}
	}
}

// TestBuiltinMetricIDs: each dimension's Metric is the handle's built-in
// metric of that name and dimension, and ScopeKind.Kind names a scope.
func TestBuiltinMetricIDs(t *testing.T) {
	f := newFixture(t)
	builtins := []MetricID{MetricTangibles, MetricReliability, MetricResponsiveness,
		MetricAssurance, MetricEmpathy}
	for d := Dimension(0); d < DimCount; d++ {
		m, err := f.c.MetricInfo(d.Metric())
		must(t, err)
		if d.Metric() != builtins[d] || m.Name != d.String() || m.Dimension != d || m.Min != 1 || m.Max != 7 {
			t.Errorf("%v.Metric() = %d: %+v", d, d.Metric(), m)
		}
	}
	for _, sc := range []struct {
		kind ScopeKind
		id   int32
		name string
	}{{ScopeAccount, f.acme, f.acmeName}, {ScopeTier, f.enterprise, f.tier}} {
		if name, err := f.c.Name(sc.kind.Kind(), sc.id); err != nil || name != sc.name {
			t.Errorf("%v %d: %q %v", sc.kind, sc.id, name, err)
		}
	}
	if ScopeKind(7).Kind() != 0 {
		t.Error("an unknown scope kind names a kind")
	}
}
