package servgap

// Benchmarks of the boundary crossing (not run by `go test` without
// -bench): one observation per cgo call against a columnar batch, whose
// slices C reads in place.
//
//	go test -run - -bench . -benchtime 200000x

import "testing"

func BenchmarkRecord(b *testing.B) {
	f := newFixture(b)
	batch := f.randomBatch(3, 4096)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % batch.Len()
		if err := f.c.Record(batch.ScopeKind[k], batch.ScopeID[k], batch.Touchpoint[k], batch.Metric[k],
			batch.Viewpoint[k], batch.Value[k], batch.Time[k], batch.Team[k], batch.Driver[k]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecordBatch reports the cost per observation of 4096-element
// batches.
func BenchmarkRecordBatch(b *testing.B) {
	f := newFixture(b)
	batch := f.randomBatch(3, 4096)
	b.ResetTimer()
	for i := 0; i < b.N; i += batch.Len() {
		if err := f.c.RecordBatch(batch); err != nil {
			b.Fatal(err)
		}
	}
}
