// Package servgap is the Go binding of libservgap, SERVQUAL satisfaction-gap
// analysis as a C library. It calls the C library through cgo and finds it
// with pkg-config (`#cgo pkg-config: servgap`); docs/ffi.md says how to build
// against an installed library or a build tree.
//
// The C header include/servgap.h is the contract; this package maps it
// one-to-one onto Go:
//
//   - A Ctx wraps a servgap_ctx handle: New creates it, Close frees it.
//     Query, QueryAt and QueryTrends return a *Result, which Close frees. Both have a
//     finalizer as a safety net, but callers should Close them: the memory
//     lives on the C heap, which the Go garbage collector does not see, so
//     it is not collected promptly.
//   - Every failing call returns an *Error with the C status code and the
//     message the library kept on the handle ("servgap_record: value 9
//     outside [1, 7] of metric 'reliability'"; "obs.csv:17:42: ..." for a CSV
//     import). errors.Is(err, servgap.ErrRange) tests the code.
//   - Strings coming back from C (names, units, owners, trigger details) are
//     copied into Go strings, so they stay valid after Close. Result structs
//     (Cell, Gap, Finding, ...) are plain Go values.
//   - Columns passed to RecordBatch, RecordResponse and the byte slices of
//     ImportCSVBytes and LoadSnapshotBytes go to C without a copy: the
//     binding passes the address of the first element. They are borrowed
//     only for the call.
//   - Times are int64 UTC seconds since 1970-01-01, as in C (Date builds a
//     UTC midnight; t.Unix() converts a time.Time), with C's sentinels
//     TimeNone, TimeMin and TimeMax (a Cell's ReadFrom, ReadTo and
//     Declared keep them; Cell.Read says whether a viewpoint has data).
//     Ids are int32.
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
// A Result is immutable: any number of goroutines may read it at once.
//
// Close may be called at any time, even while other goroutines use the
// object: it waits for the calls in progress, and every later call returns
// an *Error with code ErrMisuse instead of crashing. Close is idempotent.
package servgap // import "example.invalid/libservgap/servgap"
