package servgap

// Stopping long calls: a context stops its own call with ErrInterrupted
// wrapping ctx.Err() and nothing changed; another goroutine's call on the
// same handle runs again; Ctx.Interrupt stops every running call.

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// bigFixture is a handle whose QueryAll|QueryTrends takes a while (some
// 300 ms here), and how long that query takes uninterrupted.
func bigFixture(t *testing.T) (*fixture, time.Duration) {
	t.Helper()
	f := newFixture(t)
	for k := uint64(1); k <= 3; k++ {
		must(t, f.c.RecordBatch(f.randomBatch(k, 100000)))
	}
	start := time.Now()
	r, err := f.c.QueryContext(context.Background(), QueryOptions{Flags: QueryAll | QueryTrends})
	must(t, err)
	r.Close()
	return f, time.Since(start)
}

// wantInterrupted checks the error of a call that ctx stopped.
func wantInterrupted(t *testing.T, err error, cause error, fn string) {
	t.Helper()
	e := wantError(t, err, ErrInterrupted, fn, "nothing was changed")
	if !errors.Is(err, cause) {
		t.Fatalf("%q does not wrap %v", e.Msg, cause)
	}
	var code Errno
	if !errors.As(err, &code) || code != ErrInterrupted {
		t.Fatalf("errors.As gave Errno %d", code)
	}
}

func TestContextDoneBeforeTheCall(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.c.QueryContext(ctx, QueryOptions{})
	wantInterrupted(t, err, context.Canceled, "servgap_query_at")
	_, err = f.c.ImportCSVFrom(ctx, CSVObservations, "obs.csv", strings.NewReader("time,account\n"), 0)
	wantInterrupted(t, err, context.Canceled, "servgap_import_csv_buffer")
	if n, _ := f.c.ObservationCount(); n != 0 {
		t.Fatalf("%d observations", n)
	}
	past, cancel2 := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel2()
	_, err = f.c.QueryTrendsContext(past, time.Time{}, nil)
	wantInterrupted(t, err, context.DeadlineExceeded, "servgap_query_trends")
}

func TestContextStopsARunningQuery(t *testing.T) {
	f, full := bigFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), full/20)
	defer cancel()
	start := time.Now()
	r, err := f.c.QueryContext(ctx, QueryOptions{Flags: QueryAll | QueryTrends})
	took := time.Since(start)
	if r != nil {
		t.Fatal("a stopped query returned a result")
	}
	// No result and ErrInterrupted say the call stopped before its end;
	// how soon is not asserted, since a loaded machine stretches any time.
	wantInterrupted(t, err, context.DeadlineExceeded, "servgap_query_at")
	t.Logf("stopped after %v; uninterrupted it took %v", took, full)
	// The handle is as before: the next query runs whole.
	r, err = f.c.QueryContext(context.Background(), QueryOptions{Flags: QueryTiers})
	must(t, err)
	r.Close()
}

// cancelAfterEOF is a reader that, once read to its end, cancels its
// context after a delay: ImportCSVFrom reads before it calls C, so the
// cancel lands in the import.
type cancelAfterEOF struct {
	r      *strings.Reader
	delay  time.Duration
	cancel context.CancelFunc
	once   sync.Once
}

func (c *cancelAfterEOF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil {
		c.once.Do(func() {
			if c.delay == 0 {
				c.cancel() // before the C call: it is stopped, or never starts
			} else {
				time.AfterFunc(c.delay, c.cancel)
			}
		})
	}
	return n, err
}

// TestContextStopsAnImport: an import stopped part way is rolled back
// whole.
func TestContextStopsAnImport(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("time,account,tier,touchpoint,metric,viewpoint,value\n")
	for k := 0; k < 400000; k++ {
		csv.WriteString("2026-01-02,acme,,email,reliability,perceived,5\n")
	}
	data := csv.String()
	start := time.Now()
	rep, err := newFixture(t).c.ImportCSVFrom(context.Background(), CSVObservations, "big.csv",
		strings.NewReader(data), 0)
	must(t, err)
	full := time.Since(start)
	if rep.Observations != 400000 {
		t.Fatalf("report %+v", rep)
	}

	// A tenth of the first import's time in, if this import is still
	// running; a warm process may import faster than that, so a run that
	// finishes first tries again with a quarter of the delay, down to a
	// cancel at the end of the input, which always stops the call.
	for delay := full / 10; ; delay /= 4 {
		f := newFixture(t)
		ctx, cancel := context.WithCancel(context.Background())
		r := &cancelAfterEOF{r: strings.NewReader(data), delay: delay, cancel: cancel}
		_, err = f.c.ImportCSVFrom(ctx, CSVObservations, "big.csv", r, 0)
		cancel()
		if err == nil && delay > 0 {
			continue
		}
		wantInterrupted(t, err, context.Canceled, "servgap_import_csv_buffer")
		if n, _ := f.c.ObservationCount(); n != 0 {
			t.Fatalf("a stopped import left %d observations", n)
		}
		return
	}
}

// TestOneContextStopsOneCall: the C interrupt stops every call running on
// the handle; a call whose own context is live runs again and answers
// as if nothing had happened.
func TestOneContextStopsOneCall(t *testing.T) {
	f, full := bigFixture(t)
	want, err := f.c.QueryContext(context.Background(), QueryOptions{Flags: QueryAll | QueryTrends})
	must(t, err)
	wantJSON, err := want.JSON()
	must(t, err)
	want.Close()

	var wg sync.WaitGroup
	var longErr error
	var longJSON []byte
	var longEnd time.Time
	started := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		close(started)
		r, err := f.c.QueryContext(context.Background(), QueryOptions{Flags: QueryAll | QueryTrends})
		longEnd = time.Now()
		if longErr = err; err == nil {
			longJSON, longErr = r.JSON()
			r.Close()
		}
	}()
	<-started
	time.Sleep(full / 10)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(full / 20)
		cancel()
	}()
	_, err = f.c.QueryContext(ctx, QueryOptions{Flags: QueryAll | QueryTrends})
	cancelled := time.Now()
	wantInterrupted(t, err, context.Canceled, "servgap_query_at")
	wg.Wait()
	must(t, longErr)
	if string(longJSON) != string(wantJSON) {
		t.Fatal("the query that ran again answered differently")
	}
	if longEnd.Before(cancelled) {
		t.Fatalf("the long query ended before the other was cancelled: the test proved nothing (full %v)", full)
	}
}

// TestInterrupt: Ctx.Interrupt stops the running call, with ErrInterrupted
// and no context error, and not the calls after it.
func TestInterrupt(t *testing.T) {
	f, full := bigFixture(t)
	go func() {
		time.Sleep(full / 10)
		f.c.Interrupt()
	}()
	_, err := f.c.Query(TimeMin, TimeMax, QueryAll|QueryTrends)
	wantError(t, err, ErrInterrupted, "servgap_query", "interrupted")
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%v wraps a context error", err)
	}
	r, err := f.c.Query(TimeMin, TimeMax, QueryTiers)
	must(t, err)
	r.Close()
	f.c.Close()
	f.c.Interrupt() // a closed Ctx: nothing to stop, and no crash
}
