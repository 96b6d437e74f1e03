package servgap

// Goroutines sharing one Ctx: batches, queries, trends, reports, snapshots
// and failing calls at once (run with -race); Close while others use a Ctx or
// a Result.

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestConcurrentUse(t *testing.T) {
	const workers, rounds, per = 8, 12, 250
	f := newFixture(t)
	c := f.c
	batches := make([][]Batch, workers)
	for w := range batches {
		for k := 0; k < rounds; k++ {
			batches[w] = append(batches[w], f.randomBatch(uint64(1000*w+k+1), per))
		}
	}

	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*4)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for k, b := range batches[w] {
				if err := c.RecordBatch(b); err != nil {
					errs <- fmt.Errorf("worker %d batch %d: %w", w, k, err)
					return
				}
				switch k % 4 {
				case 0: // a failing batch: its own code, nothing recorded
					bad := b
					bad.Value = append([]float64(nil), b.Value...)
					bad.Metric = append([]MetricID(nil), b.Metric...)
					bad.Viewpoint = append([]Viewpoint(nil), b.Viewpoint...)
					bad.Metric[7], bad.Viewpoint[7], bad.Value[7] = MetricEmpathy, VPPerceived, -3
					err := c.RecordBatch(bad)
					var e *Error
					if !errors.As(err, &e) || e.Code != int(ErrRange) || !strings.Contains(e.Msg, "servgap_record_batch") {
						errs <- fmt.Errorf("worker %d: bad batch gave %v", w, err)
					}
				case 1: // a query read whole
					r, err := c.Query(TimeMin, TimeMax, QueryAll)
					if err != nil {
						errs <- err
						continue
					}
					if _, err := r.Cells(); err != nil {
						errs <- err
					}
					if _, err := r.Findings(); err != nil {
						errs <- err
					}
					if _, err := r.JSON(); err != nil {
						errs <- err
					}
					r.Close()
				case 2:
					if _, err := c.Snapshot(); err != nil {
						errs <- err
					}
				case 3:
					if _, err := c.Intern(KindTeam, fmt.Sprintf("team-%d", w)); err != nil {
						errs <- err
					}
					if _, err := c.ObservationCount(); err != nil {
						errs <- err
					}
					// Trends of a named cell: six columns into C at once.
					r, err := c.QueryTrends(TimeNone, []TrendCell{{ScopeKind: ScopeTier, ScopeID: f.enterprise,
						Touchpoint: f.slack, Metric: f.frh, Gap: GapDelivery}})
					if err != nil {
						errs <- err
						continue
					}
					if trends, err := r.Trends(); err != nil || len(trends) != 12 {
						errs <- fmt.Errorf("worker %d: %d trend rows, %v", w, len(trends), err)
					}
					r.Close()
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	n, err := c.ObservationCount()
	must(t, err)
	if n != workers*rounds*per {
		t.Fatalf("%d observations, want %d", n, workers*rounds*per)
	}

	// The same batches fed in order on one goroutine give the same cells:
	// equal counts, and means equal up to the order of summation.
	g := newFixture(t)
	for w := range batches {
		for _, b := range batches[w] {
			must(t, g.c.RecordBatch(b))
		}
	}
	ra, err := c.Query(TimeMin, TimeMax, QueryAll)
	must(t, err)
	defer ra.Close()
	rb, err := g.c.Query(TimeMin, TimeMax, QueryAll)
	must(t, err)
	defer rb.Close()
	ca, err := ra.Cells()
	must(t, err)
	cb, err := rb.Cells()
	must(t, err)
	if len(ca) != len(cb) {
		t.Fatalf("%d cells, sequentially %d", len(ca), len(cb))
	}
	for i := range ca {
		if ca[i].N != cb[i].N || ca[i].ScopeID != cb[i].ScopeID || ca[i].Metric != cb[i].Metric {
			t.Fatalf("cell %d: %v against %v", i, ca[i].N, cb[i].N)
		}
		for v := 0; v < VPCount; v++ {
			x, y := ca[i].Mean[v], cb[i].Mean[v]
			if !sameFloat(x, y) && math.Abs(x-y) > 1e-9*math.Max(1, math.Abs(y)) {
				t.Fatalf("cell %d viewpoint %d: mean %v against %v", i, v, x, y)
			}
		}
	}
}

// TestCloseWhileInUse closes a Ctx and a Result while goroutines use them:
// their calls succeed until Close and then return ErrMisuse, never crash.
func TestCloseWhileInUse(t *testing.T) {
	f := newFixture(t)
	c := f.c
	b := f.randomBatch(5, 200)
	must(t, c.RecordBatch(b))
	r, err := c.Query(TimeMin, TimeMax, QueryAll)
	must(t, err)

	var wg sync.WaitGroup
	results := make(chan error, 16)
	started := make(chan struct{}, 16)
	for w := 0; w < 4; w++ {
		wg.Add(2)
		go func() { // handle user
			defer wg.Done()
			started <- struct{}{}
			for {
				err := c.RecordBatch(b)
				if err == nil {
					_, err = c.Query(TimeMin, TimeMax, QueryTiers)
				}
				if err != nil {
					results <- err
					return
				}
			}
		}()
		go func() { // result reader
			defer wg.Done()
			started <- struct{}{}
			for {
				_, err := r.Cells()
				if err != nil {
					results <- err
					return
				}
			}
		}()
	}
	for k := 0; k < 8; k++ {
		<-started
	}
	time.Sleep(20 * time.Millisecond)
	must(t, r.Close())
	must(t, c.Close())
	wg.Wait()
	close(results)
	count := 0
	for err := range results {
		count++
		if !errors.Is(err, ErrMisuse) || !strings.Contains(err.Error(), "closed") {
			t.Errorf("after Close: %v", err)
		}
	}
	if count != 8 {
		t.Fatalf("%d goroutines ended", count)
	}
}
