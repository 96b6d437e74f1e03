package servgap

// CSV import (from a file and from bytes, errors naming FILE:LINE:COLUMN,
// skip mode), snapshots (bytes and files, round trips, damaged input) and
// merge (equal to a single run).

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

const csvHeader = "time,account,tier,touchpoint,metric,viewpoint,value\n"

// badCSV has a value outside the metric's range on line 3, in the field
// that starts at byte 56 of the line.
const badCSV = csvHeader +
	"2026-01-01,acme,enterprise,email,reliability,perceived,5\n" +
	"2026-01-02,acme,enterprise,email,reliability,perceived,9\n"

func TestImportCSVBytes(t *testing.T) {
	c := newCtx(t)
	data := []byte(csvHeader +
		"2026-01-01,acme,enterprise,email,reliability,expected,7\n" +
		"2026-01-01,acme,enterprise,email,reliability,perceived,5\n")
	rep, err := c.ImportCSVBytes(CSVObservations, "good.csv", data, 0)
	must(t, err)
	if rep.Rows != 2 || rep.Applied != 2 || rep.Observations != 2 || rep.Skipped != 0 {
		t.Fatalf("report %+v", rep)
	}
	if _, err := c.Lookup(KindAccount, "acme"); err != nil {
		t.Fatal(err)
	}

	// All or nothing: the bad row fails the import, which changes nothing,
	// and the message names FILE:LINE:COLUMN.
	_, err = c.ImportCSVBytes(CSVObservations, "bad.csv", []byte(strings.Replace(badCSV, "acme", "nwco", -1)), 0)
	e := wantError(t, err, ErrRange, "outside [1, 7]")
	if !strings.HasPrefix(e.Msg, "bad.csv:3:56: ") {
		t.Fatalf("message %q does not start with bad.csv:3:56", e.Msg)
	}
	if n, _ := c.ObservationCount(); n != 2 {
		t.Fatalf("a failed import recorded: %d observations", n)
	}
	if _, err := c.Lookup(KindAccount, "nwco"); err == nil {
		t.Fatal("a failed import defined an account")
	}
	// No name: "<buffer>".
	_, err = c.ImportCSVBytes(CSVObservations, "", []byte(badCSV), 0)
	e = wantError(t, err, ErrRange)
	if !strings.HasPrefix(e.Msg, "<buffer>:3:56: ") {
		t.Fatalf("message %q", e.Msg)
	}
	// Malformed CSV, an unknown metric, an empty input.
	_, err = c.ImportCSVBytes(CSVObservations, "q.csv", []byte(csvHeader+"2026-01-01,\"acme,enterprise\n"), 0)
	wantError(t, err, ErrFormat, "q.csv:2:")
	_, err = c.ImportCSVBytes(CSVObservations, "m.csv", []byte(csvHeader+"2026-01-01,acme,enterprise,email,nps,perceived,5\n"), 0)
	wantError(t, err, ErrNotFound, "m.csv:2:", "nps")
	_, err = c.ImportCSVBytes(CSVObservations, "empty.csv", nil, 0)
	wantError(t, err, ErrFormat, "empty.csv")
	_, err = c.ImportCSVBytes(CSVTable(9), "x.csv", data, 0)
	wantError(t, err, ErrInvalid)

	// Skip mode: the good row is applied, the bad one counted and quoted;
	// an unknown column is reported.
	skip := strings.Replace(badCSV, "value\n", "value,note\n", 1)
	skip = strings.Replace(skip, ",5\n", ",5,hi\n", 1)
	skip = strings.Replace(skip, ",9\n", ",9,ho\n", 1)
	rep, err = c.ImportCSVBytes(CSVObservations, "skip.csv", []byte(skip), ImportSkipBadRows)
	must(t, err)
	if rep.Rows != 2 || rep.Applied != 1 || rep.Skipped != 1 || rep.Observations != 1 ||
		rep.UnknownColumns != 1 || rep.Unknown != "note" || !strings.HasPrefix(rep.Skips, "skip.csv:3:56: ") {
		t.Fatalf("skip report %+v", rep)
	}
}

func TestImportCSVFile(t *testing.T) {
	c := newCtx(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "obs.csv")
	must(t, os.WriteFile(path, []byte(badCSV), 0o644))
	_, err := c.ImportCSV(CSVObservations, path, 0)
	e := wantError(t, err, ErrRange, "outside [1, 7]", "reliability")
	if !strings.HasPrefix(e.Msg, path+":3:56: ") {
		t.Fatalf("message %q does not start with %s:3:56", e.Msg, path)
	}
	_, err = c.ImportCSV(CSVObservations, filepath.Join(dir, "missing.csv"), 0)
	wantError(t, err, ErrIO, "missing.csv", "cannot read")

	metrics := filepath.Join(dir, "metrics.csv")
	must(t, os.WriteFile(metrics, []byte("metric,dimension,direction,min,max,span,unit\n"+
		"frh,responsiveness,lower,0,,8,h\n"), 0o644))
	rep, err := c.ImportCSV(CSVMetrics, metrics, 0)
	must(t, err)
	if rep.Rows != 1 || rep.Applied != 1 {
		t.Fatalf("report %+v", rep)
	}
	id, err := c.LookupMetric("frh")
	must(t, err)
	if m, _ := c.MetricInfo(id); m.Span != 8 || m.Unit != "h" || m.Direction != LowerIsBetter {
		t.Fatalf("imported metric %+v", m)
	}
}

// TestMissingFiles: a file C cannot open is ErrIO wrapping the operating
// system's error, so errors.Is(err, fs.ErrNotExist) holds, and the
// message stays the library's.
func TestMissingFiles(t *testing.T) {
	c := newCtx(t)
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.csv")
	bg := context.Background()
	_, importErr := c.ImportCSVContext(bg, CSVObservations, missing, 0)
	_, importOld := c.ImportCSV(CSVObservations, missing, 0)
	for name, err := range map[string]error{
		"ImportCSVContext":    importErr,
		"ImportCSV":           importOld,
		"LoadSnapshotContext": c.LoadSnapshotContext(bg, missing),
		"LoadSnapshot":        c.LoadSnapshot(missing),
		"SaveSnapshot":        c.SaveSnapshot(filepath.Join(dir, "no", "such", "s.snap")),
	} {
		wantError(t, err, ErrIO, dir)
		if !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, ErrIO) {
			t.Errorf("%s: %v: not fs.ErrNotExist and ErrIO", name, err)
		}
		var pe *fs.PathError
		if !errors.As(err, &pe) || !strings.HasPrefix(pe.Path, dir) {
			t.Errorf("%s: %v: no *fs.PathError of the path", name, err)
		}
	}
	// A file that exists and fails for another reason wraps nothing.
	_, err := c.ImportCSV(CSVObservations, dir, 0)
	wantError(t, err, ErrIO)
	if errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a directory read as CSV: %v is fs.ErrNotExist", err)
	}
}

// queryJSON runs the whole-window query and returns its JSON report.
func queryJSON(t *testing.T, c *Ctx) []byte {
	t.Helper()
	r, err := c.Query(TimeMin, TimeMax, QueryAll)
	must(t, err)
	defer r.Close()
	js, err := r.JSON()
	must(t, err)
	return js
}

func TestSummaries(t *testing.T) {
	c := loadSample(t)
	want := queryJSON(t, c)
	cut := time.Unix(t0+150*Day, 0).UTC()
	early, err := c.SummaryBytes(Window{To: cut})
	must(t, err)
	late, err := c.SummaryBytes(Window{From: cut})
	must(t, err)
	// The two halves merged report as the whole: the same structure, the
	// numbers to rounding (test_summary compares them number by number).
	d := newCtx(t)
	must(t, d.LoadSummaryBytes(early))
	must(t, d.LoadSummaryBytes(late))
	if got := queryJSON(t, d); len(got) < len(want)/2 {
		t.Fatalf("merged report of %d bytes, the whole's %d", len(got), len(want))
	}
	whole, err := d.SummaryBytes(Window{})
	must(t, err)
	e := newCtx(t)
	must(t, e.LoadSummaryBytes(early))
	must(t, e.LoadSummaryBytes(late))
	again, err := e.SummaryBytes(Window{})
	must(t, err)
	if !bytes.Equal(whole, again) {
		t.Fatal("one load order gave two summaries")
	}
	if err := d.LoadSummaryBytes(early[:len(early)-1]); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("a truncated summary: %v", err)
	}
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	if err := e.LoadSummaryBytesContext(stopped, early); !errors.Is(err, context.Canceled) {
		t.Fatalf("a load with a done context: %v", err)
	}
	if _, err := d.Snapshot(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("a snapshot of a handle with summaries: %v", err)
	}
}

func TestSnapshots(t *testing.T) {
	c := loadSample(t)
	// A plan and an effort too.
	must(t, c.SetEffort(GapPerception, All, All, 2.5))
	_, err := c.AddPlan(Plan{Owner: "ops", ScopeKind: ScopeTier, ScopeID: 0, Touchpoint: All, Metric: All,
		Dimension: DimEmpathy, Gap: GapService, Deadline: jan1, Target: 0})
	must(t, err)

	snap, err := c.Snapshot()
	must(t, err)
	if len(snap) < 1000 {
		t.Fatalf("snapshot of %d bytes", len(snap))
	}
	want := queryJSON(t, c)

	// Bytes: load into a new handle, which then saves identical bytes and
	// reports identically.
	d := newCtx(t)
	must(t, d.LoadSnapshotBytes(snap))
	again, err := d.Snapshot()
	must(t, err)
	if !bytes.Equal(again, snap) {
		t.Fatalf("snapshot round trip: %d bytes, then %d", len(snap), len(again))
	}
	if !bytes.Equal(queryJSON(t, d), want) {
		t.Fatal("the loaded handle reports differently")
	}
	if n, _ := d.PlanCount(); n != 6 { // the sample's five (with their windows) and this one
		t.Fatalf("plans after load: %d", n)
	}
	if e, _ := d.Effort(GapPerception, 0, 0); e != 2.5 {
		t.Fatalf("effort after load: %v", e)
	}

	// Streams: WriteSnapshot writes the same bytes, LoadSnapshotFrom
	// reads them back.
	var buf bytes.Buffer
	if n, err := c.WriteSnapshot(&buf); err != nil || n != int64(len(snap)) || !bytes.Equal(buf.Bytes(), snap) {
		t.Fatalf("WriteSnapshot: %d bytes, %v", n, err)
	}
	s := newCtx(t)
	must(t, s.LoadSnapshotFrom(context.Background(), &buf))
	if !bytes.Equal(queryJSON(t, s), want) {
		t.Fatal("the handle loaded from a reader reports differently")
	}
	if _, err := c.WriteSnapshot(&failAfter{}); !errors.Is(err, errDiskFull) {
		t.Fatalf("WriteSnapshot to a failing writer: %v", err)
	}
	if err := s.LoadSnapshotFrom(context.Background(), iotest.ErrReader(errDiskFull)); !errors.Is(err, errDiskFull) {
		t.Fatalf("LoadSnapshotFrom a failing reader: %v", err)
	}
	if _, err := s.ImportCSVFrom(context.Background(), CSVObservations, "x", iotest.ErrReader(errDiskFull), 0); !errors.Is(err, errDiskFull) {
		t.Fatalf("ImportCSVFrom a failing reader: %v", err)
	}

	// Files: the saved file holds the same bytes, and loads the same.
	path := filepath.Join(t.TempDir(), "handle.sgs")
	must(t, c.SaveSnapshot(path))
	disk, err := os.ReadFile(path)
	must(t, err)
	if !bytes.Equal(disk, snap) {
		t.Fatal("the saved file differs from Snapshot()")
	}
	e := newCtx(t)
	must(t, e.LoadSnapshot(path))
	if got, _ := e.Snapshot(); !bytes.Equal(got, snap) {
		t.Fatal("LoadSnapshot differs from LoadSnapshotBytes")
	}

	// Damaged input is refused and changes nothing.
	empty := newCtx(t)
	before, err := empty.Snapshot()
	must(t, err)
	bad := append([]byte(nil), snap...)
	bad[len(bad)/2] ^= 0x40
	wantError(t, empty.LoadSnapshotBytes(bad), ErrCorrupt)
	wantError(t, empty.LoadSnapshotBytes(snap[:len(snap)-7]), ErrCorrupt)
	wantError(t, empty.LoadSnapshotBytes([]byte("not a snapshot at all, not at all")), ErrCorrupt)
	wantError(t, empty.LoadSnapshotBytes(nil), ErrCorrupt)
	wantError(t, empty.LoadSnapshot(filepath.Join(t.TempDir(), "none.sgs")), ErrIO, "none.sgs")
	wantError(t, empty.SaveSnapshot(filepath.Join(t.TempDir(), "no", "such", "dir", "x.sgs")), ErrIO)
	if after, _ := empty.Snapshot(); !bytes.Equal(after, before) {
		t.Fatal("a failed load changed the handle")
	}
}

// TestMergeSampleData splits the sample observations at 2026-07-01 into
// two handles, merges them, and compares with one handle fed both halves
// in order: the snapshots and the JSON reports are identical.
func TestMergeSampleData(t *testing.T) {
	dir := dataDir(t)
	obs, err := os.ReadFile(filepath.Join(dir, "observations.csv"))
	must(t, err)
	lines := strings.SplitAfter(string(obs), "\n")
	var first, second strings.Builder
	first.WriteString(lines[0])
	second.WriteString(lines[0])
	for _, l := range lines[1:] {
		if l == "" {
			continue
		}
		if l[:10] < "2026-07-01" {
			first.WriteString(l)
		} else {
			second.WriteString(l)
		}
	}
	half1, half2 := []byte(first.String()), []byte(second.String())

	load := func(c *Ctx, table CSVTable, file string) {
		t.Helper()
		_, err := c.ImportCSV(table, filepath.Join(dir, file), 0)
		must(t, err)
	}
	loadBytes := func(c *Ctx, name string, data []byte) {
		t.Helper()
		_, err := c.ImportCSVBytes(CSVObservations, name, data, 0)
		must(t, err)
	}
	all, a, b := newCtx(t), newCtx(t), newCtx(t)
	for _, c := range []*Ctx{all, a, b} {
		load(c, CSVMetrics, "metrics.csv")
		load(c, CSVAccounts, "accounts.csv")
	}
	loadBytes(all, "first", half1)
	loadBytes(all, "second", half2)
	loadBytes(a, "first", half1)
	loadBytes(b, "second", half2)
	for _, c := range []*Ctx{all, a} {
		load(c, CSVImportance, "importance.csv")
		load(c, CSVEfforts, "efforts.csv")
	}
	bBefore, err := b.Snapshot()
	must(t, err)

	must(t, a.Merge(b))
	na, _ := a.ObservationCount()
	nall, _ := all.ObservationCount()
	if na != nall || na < 10000 {
		t.Fatalf("merged %d observations, single run %d", na, nall)
	}
	if got, _ := b.Snapshot(); !bytes.Equal(got, bBefore) {
		t.Fatal("Merge changed its source")
	}
	sa, err := a.Snapshot()
	must(t, err)
	sall, err := all.Snapshot()
	must(t, err)
	if !bytes.Equal(sa, sall) {
		t.Errorf("merged snapshot (%d bytes) differs from the single run's (%d bytes)", len(sa), len(sall))
	}
	if !bytes.Equal(queryJSON(t, a), queryJSON(t, all)) {
		t.Fatal("the merged handle reports differently from the single run")
	}
	// Loading both halves' snapshots merges the same way.
	m := newCtx(t)
	must(t, m.LoadSnapshotBytes(sa))
	if !bytes.Equal(queryJSON(t, m), queryJSON(t, all)) {
		t.Fatal("snapshot of the merge reports differently")
	}
}

// TestMergeBatches: random batches recorded into two handles and merged
// equal one handle fed both; merge errors.
func TestMergeBatches(t *testing.T) {
	fa, fb, fall := newFixture(t), newFixture(t), newFixture(t)
	b1, b2 := fa.randomBatch(11, 3000), fa.randomBatch(12, 2000)
	must(t, fa.c.RecordBatch(b1))
	must(t, fb.c.RecordBatch(b2))
	must(t, fall.c.RecordBatch(b1))
	must(t, fall.c.RecordBatch(b2))
	must(t, fa.c.Merge(fb.c))
	sa, _ := fa.c.Snapshot()
	sall, _ := fall.c.Snapshot()
	if !bytes.Equal(sa, sall) || !bytes.Equal(queryJSON(t, fa.c), queryJSON(t, fall.c)) {
		t.Fatal("merge differs from a single run")
	}

	wantError(t, fa.c.Merge(fa.c), ErrInvalid, "servgap_ctx_merge")
	other := newCtx(t)
	_, err := other.DefineMetric(Metric{Name: "first_response_hours", Dimension: DimResponsiveness,
		Direction: LowerIsBetter, Min: 0, Max: 100})
	must(t, err)
	wantError(t, fa.c.Merge(other), ErrConflict, "first_response_hours")
}

// failAfter accepts its first k pieces, then fails.
type failAfter struct {
	k, calls int
	got      bytes.Buffer
}

var errDiskFull = errors.New("disk full")

func (f *failAfter) Write(p []byte) (int, error) {
	f.calls++
	if f.calls > f.k {
		return 0, errDiskFull
	}
	return f.got.Write(p)
}

func TestWriteJSONStreamsTheSameBytes(t *testing.T) {
	c := loadSample(t)
	r, err := c.Query(TimeMin, TimeMax, QueryAll)
	must(t, err)
	defer r.Close()
	want, err := r.JSON()
	must(t, err)
	var got bytes.Buffer
	n, err := r.WriteJSON(&got)
	must(t, err)
	if n != int64(len(want)) || !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("streamed %d bytes (%d), JSON gives %d: not the same bytes", n, got.Len(), len(want))
	}
	// A writer that fails stops the report: its error comes back as it is,
	// and it is not called again.
	f := &failAfter{k: 2}
	n, err = r.WriteJSON(f)
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("error %v, want %v", err, errDiskFull)
	}
	if f.calls != 3 || n != int64(f.got.Len()) || !bytes.HasPrefix(want, f.got.Bytes()) {
		t.Fatalf("calls %d, n %d, kept %d bytes", f.calls, n, f.got.Len())
	}
}
