// Package servgap is the Go binding of libservgap, SERVQUAL satisfaction-gap
// analysis as a C library. It calls the C library through cgo and finds it
// with pkg-config (`#cgo pkg-config: servgap`); docs/ffi.md says how to build
// against an installed library or a build tree, and how a program finds
// libservgap.so.1 when it runs (an rpath, or ldconfig).
//
// The C header include/servgap.h is the contract; this package gives it a
// Go shape:
//
//   - A Ctx wraps a servgap_ctx handle: New creates it, Close frees it.
//     QueryContext and QueryTrendsContext return a *Result, which Close
//     frees. Both have a finalizer as a safety net, but callers should
//     Close them: the memory lives on the C heap, which the Go garbage
//     collector does not see, so it is not collected promptly.
//   - Records are structs: an Observation for RecordObservation(s) and
//     Batch.Append, a Withdrawal, a Response, a Plan, QueryOptions for a
//     query. Metrics are MetricIDs: MetricReliability and the other
//     built-ins, or what DefineMetric returns. The enumerations are
//     distinct types with the header's values, so that a Dimension does
//     not pass for a metric, nor a ScopeKind for a Kind.
//   - Times are time.Time. The zero Time stands for C's sentinels: an
//     unset date, and an unbounded end of a window (Window, QueryOptions).
//     Window ends must be UTC midnights. The positional methods that take
//     int64 UTC seconds (Record, Query, ...) still work and are marked
//     Deprecated.
//   - Every failing call returns an *Error with the C status code and the
//     message the library kept on the handle ("servgap_record: value 9
//     outside [1, 7] of metric 'reliability'"; "obs.csv:17:42: ..." for a
//     CSV import). errors.Is(err, servgap.ErrRange) tests the code. A file
//     that cannot be opened also wraps the operating system's error
//     (errors.Is(err, fs.ErrNotExist)).
//   - The long calls (queries, trend queries, re-measurements, imports,
//     snapshot loads) take a context.Context. When it is done the call
//     stops soon, changes nothing, and returns an *Error with code
//     ErrInterrupted that wraps ctx.Err(): errors.Is(err,
//     context.Canceled) holds.
//   - Strings coming back from C (names, units, owners, trigger details) are
//     copied into Go strings, so they stay valid after Close. Result structs
//     (Cell, Gap, Finding, ...) are plain Go values.
//   - Columns passed to RecordBatch, RecordSurveyResponse and the byte
//     slices of ImportCSVBytes and LoadSnapshotBytes go to C without a
//     copy: the binding passes the address of the first element. They are
//     borrowed only for the call.
//
// # Threads
//
// A Ctx may be shared by any number of goroutines: the C handle locks
// internally, and queries run concurrently with each other. No call needs
// runtime.LockOSThread, because the library keeps the error message on the
// handle, not in thread-local storage; the binding copies it with
// servgap_errmsg_copy right after the failing call. When two goroutines fail
// on the same Ctx at the same moment, one of them may read the other's
// message; its Code is always its own.
//
// The C interrupt stops every long call running on a handle. A call that
// another goroutine's context stopped runs again (it changed nothing), so
// a context stops only its own call; Ctx.Interrupt stops them all.
//
// A Result is immutable: any number of goroutines may read it at once.
//
// Close may be called at any time, even while other goroutines use the
// object: it waits for the calls in progress, and every later call returns
// an *Error with code ErrMisuse instead of crashing. Close is idempotent.
package servgap // import "example.invalid/libservgap/servgap"
