package servgap

// Input and output of whole tables and handles: CSV import, snapshots and
// merge.

/*
#include "servgap.h"
*/
import "C"

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"unsafe"
)

// ImportReport says what an import did.
type ImportReport struct {
	Rows           uint64 // data rows read
	Applied        uint64 // rows applied
	Skipped        uint64 // bad rows skipped (ImportSkipBadRows only)
	Observations   uint64 // observations recorded
	UnknownColumns uint32 // columns of the header the table does not know
	Unknown        string // their names, comma-separated (truncated by the library)
	Skips          string // the first skipped rows' messages, one per line (truncated)
}

// ImportCSVContext imports a CSV table from the file at path
// (servgap_import_csv). Without ImportSkipBadRows the import is all or
// nothing, and the error's message reads "FILE:LINE:COLUMN: reason". A
// file that cannot be opened gives ErrIO wrapping the operating system's
// error: errors.Is(err, fs.ErrNotExist) holds for a missing one. When ctx
// stops it, the import is rolled back whole.
func (c *Ctx) ImportCSVContext(ctx context.Context, table CSVTable, path string, flags ImportFlag) (ImportReport, error) {
	p, err := c.acquire("ImportCSVContext")
	if err != nil {
		return ImportReport{}, err
	}
	defer c.release()
	cpath, err := cstring(path, "ImportCSVContext", "path")
	if err != nil {
		return ImportReport{}, err
	}
	defer free(cpath)
	rep := C.servgap_import_report{size: C.sizeof_servgap_import_report}
	err = c.interruptible(ctx, p, "servgap_import_csv", func() C.int {
		return C.servgap_import_csv(p, C.int32_t(table), cpath, C.uint32_t(flags), &rep)
	})
	if err != nil {
		return ImportReport{}, withOpenError(err, path)
	}
	return importReport(&rep), nil
}

// ImportCSV is ImportCSVContext without a context.
func (c *Ctx) ImportCSV(table CSVTable, path string, flags ImportFlag) (ImportReport, error) {
	return c.ImportCSVContext(context.Background(), table, path, flags)
}

// ImportCSVFrom imports a CSV table read from r. The library parses a
// buffer, so r is read to its end first (ImportCSVContext reads a file
// without that copy); ctx is checked after reading, not during, as an
// io.Reader cannot be stopped. name stands for the file in messages
// ("" gives "<buffer>"). An error from r is returned as it is.
func (c *Ctx) ImportCSVFrom(ctx context.Context, table CSVTable, name string, r io.Reader, flags ImportFlag) (ImportReport, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return ImportReport{}, err
	}
	return c.importCSVBytes(ctx, "ImportCSVFrom", table, name, data, flags)
}

// ImportCSVBytes imports a CSV table from data, which C reads in place for
// the duration of the call (servgap_import_csv_buffer). name stands for the
// file in messages ("" gives "<buffer>").
func (c *Ctx) ImportCSVBytes(table CSVTable, name string, data []byte, flags ImportFlag) (ImportReport, error) {
	return c.importCSVBytes(context.Background(), "ImportCSVBytes", table, name, data, flags)
}

func (c *Ctx) importCSVBytes(ctx context.Context, method string, table CSVTable, name string, data []byte, flags ImportFlag) (ImportReport, error) {
	p, err := c.acquire(method)
	if err != nil {
		return ImportReport{}, err
	}
	defer c.release()
	var cname *C.char
	if name != "" {
		if cname, err = cstring(name, method, "name"); err != nil {
			return ImportReport{}, err
		}
		defer free(cname)
	}
	rep := C.servgap_import_report{size: C.sizeof_servgap_import_report}
	err = c.interruptible(ctx, p, "servgap_import_csv_buffer", func() C.int {
		return C.servgap_import_csv_buffer(p, C.int32_t(table), cname, bytesPtr(data), C.size_t(len(data)),
			C.uint32_t(flags), &rep)
	})
	if err != nil {
		return ImportReport{}, err
	}
	return importReport(&rep), nil
}

func importReport(r *C.servgap_import_report) ImportReport {
	return ImportReport{
		Rows: uint64(r.rows), Applied: uint64(r.applied), Skipped: uint64(r.skipped),
		Observations: uint64(r.observations), UnknownColumns: uint32(r.unknown_columns),
		Unknown: C.GoString(&r.unknown[0]), Skips: C.GoString(&r.skips[0]),
	}
}

// SaveSnapshot saves everything the handle knows (not its options) to path
// atomically (servgap_snapshot_save).
func (c *Ctx) SaveSnapshot(path string) error {
	p, err := c.acquire("SaveSnapshot")
	if err != nil {
		return err
	}
	defer c.release()
	cpath, err := cstring(path, "SaveSnapshot", "path")
	if err != nil {
		return err
	}
	defer free(cpath)
	err = ctxError(p, C.servgap_snapshot_save(p, cpath), "servgap_snapshot_save")
	return withDirError(err, path)
}

// LoadSnapshotContext merges the snapshot at path into the handle
// (servgap_snapshot_load); a damaged file gives ErrCorrupt and changes
// nothing, and so does a load that ctx stops. A file that cannot be
// opened gives ErrIO wrapping the operating system's error:
// errors.Is(err, fs.ErrNotExist) holds for a missing one.
func (c *Ctx) LoadSnapshotContext(ctx context.Context, path string) error {
	p, err := c.acquire("LoadSnapshotContext")
	if err != nil {
		return err
	}
	defer c.release()
	cpath, err := cstring(path, "LoadSnapshotContext", "path")
	if err != nil {
		return err
	}
	defer free(cpath)
	err = c.interruptible(ctx, p, "servgap_snapshot_load", func() C.int {
		return C.servgap_snapshot_load(p, cpath)
	})
	return withOpenError(err, path)
}

// LoadSnapshot is LoadSnapshotContext without a context.
func (c *Ctx) LoadSnapshot(path string) error {
	return c.LoadSnapshotContext(context.Background(), path)
}

// LoadSnapshotFrom merges a snapshot read from r to its end
// (servgap_snapshot_load_buffer); ctx is checked after reading. An error
// from r is returned as it is.
func (c *Ctx) LoadSnapshotFrom(ctx context.Context, r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return c.loadSnapshotBytes(ctx, "LoadSnapshotFrom", data)
}

// WriteSnapshot writes the handle's snapshot (Snapshot's bytes) to w and
// returns the number of bytes written.
func (c *Ctx) WriteSnapshot(w io.Writer) (int64, error) {
	data, err := c.Snapshot()
	if err != nil {
		return 0, err
	}
	n, err := w.Write(data)
	return int64(n), err
}

// Snapshot returns the handle's snapshot as bytes (servgap_snapshot_write:
// a size query, then the bytes, written by C straight into the returned
// slice). If other goroutines grow the handle in between, it asks again.
func (c *Ctx) Snapshot() ([]byte, error) {
	p, err := c.acquire("Snapshot")
	if err != nil {
		return nil, err
	}
	defer c.release()
	for {
		var n C.size_t
		if err := ctxError(p, C.servgap_snapshot_write(p, nil, 0, &n), "servgap_snapshot_write"); err != nil {
			return nil, err
		}
		buf := make([]byte, int(n))
		var got C.size_t
		rc := C.servgap_snapshot_write(p, bytesPtr(buf), n, &got)
		if rc == C.SERVGAP_EBUFSIZE {
			continue
		}
		if err := ctxError(p, rc, "servgap_snapshot_write"); err != nil {
			return nil, err
		}
		return buf[:int(got)], nil
	}
}

// LoadSnapshotBytes merges a snapshot from data, which C reads in place
// (servgap_snapshot_load_buffer).
func (c *Ctx) LoadSnapshotBytes(data []byte) error {
	return c.loadSnapshotBytes(context.Background(), "LoadSnapshotBytes", data)
}

func (c *Ctx) loadSnapshotBytes(ctx context.Context, method string, data []byte) error {
	p, err := c.acquire(method)
	if err != nil {
		return err
	}
	defer c.release()
	return c.interruptible(ctx, p, "servgap_snapshot_load_buffer", func() C.int {
		return C.servgap_snapshot_load_buffer(p, bytesPtr(data), C.size_t(len(data)))
	})
}

// SummaryBytes returns the summary of the observations of the whole UTC
// days of w (the zero Window: all of them) as bytes
// (servgap_summary_write): day-bucketed moments that merge with other
// summaries; docs/scaling.md. If other goroutines grow the handle between
// the size query and the write, it asks again.
func (c *Ctx) SummaryBytes(w Window) ([]byte, error) {
	p, err := c.acquire("SummaryBytes")
	if err != nil {
		return nil, err
	}
	defer c.release()
	from, to := w.bounds()
	for {
		var n C.size_t
		rc := C.servgap_summary_write(p, C.int64_t(from), C.int64_t(to), nil, 0, &n)
		if err := ctxError(p, rc, "servgap_summary_write"); err != nil {
			return nil, err
		}
		buf := make([]byte, int(n))
		var got C.size_t
		rc = C.servgap_summary_write(p, C.int64_t(from), C.int64_t(to), bytesPtr(buf), n, &got)
		if rc == C.SERVGAP_EBUFSIZE {
			continue
		}
		if err := ctxError(p, rc, "servgap_summary_write"); err != nil {
			return nil, err
		}
		return buf[:int(got)], nil
	}
}

// LoadSummaryBytesContext merges a summary from data, which C reads in
// place (servgap_summary_load_buffer); loading several summaries is their
// merge. All or nothing: a damaged summary gives ErrCorrupt and changes
// nothing; so does a stop by ctx (ErrInterrupted wrapping ctx.Err()).
func (c *Ctx) LoadSummaryBytesContext(ctx context.Context, data []byte) error {
	p, err := c.acquire("LoadSummaryBytesContext")
	if err != nil {
		return err
	}
	defer c.release()
	return c.interruptible(ctx, p, "servgap_summary_load_buffer", func() C.int {
		return C.servgap_summary_load_buffer(p, bytesPtr(data), C.size_t(len(data)))
	})
}

// LoadSummaryBytes is LoadSummaryBytesContext without a context.
func (c *Ctx) LoadSummaryBytes(data []byte) error {
	return c.LoadSummaryBytesContext(context.Background(), data)
}

// Merge merges everything src knows into c (servgap_ctx_merge): names,
// metrics, accounts, importance, observations, efforts and plan items, as
// if c had been fed src's observations after its own. src is not changed.
// All or nothing; ErrConflict for a metric defined differently or an
// account in another tier; ErrInvalid when src is c.
func (c *Ctx) Merge(src *Ctx) error {
	p, err := c.acquire("Merge")
	if err != nil {
		return err
	}
	defer c.release()
	q := p
	if src != c {
		if q, err = src.acquire("Merge (source)"); err != nil {
			return err
		}
		defer src.release()
	}
	return ctxError(p, C.servgap_ctx_merge(p, q), "servgap_ctx_merge")
}

// bytesPtr is the address of data's first byte, passed to C without a copy,
// or NULL when data is empty.
func bytesPtr(data []byte) unsafe.Pointer {
	if len(data) == 0 {
		return nil
	}
	return unsafe.Pointer(&data[0])
}

// withOpenError adds to an ErrIO of a file read by C the error Go gets
// opening it: C's message names the reason in words, and Go callers test
// errors.Is(err, fs.ErrNotExist) or fs.ErrPermission. A file that opens
// (C failed later, reading it) adds nothing.
func withOpenError(err error, path string) error {
	var e *Error
	if !errors.As(err, &e) || e.Code != int(ErrIO) || e.cause != nil {
		return err
	}
	f, oerr := os.Open(path)
	if oerr != nil {
		e.cause = oerr
		return e
	}
	f.Close()
	return err
}

// withDirError adds to an ErrIO of a snapshot save the error Go gets
// looking at its directory, where C writes a temporary file first.
func withDirError(err error, path string) error {
	var e *Error
	if !errors.As(err, &e) || e.Code != int(ErrIO) || e.cause != nil {
		return err
	}
	if _, serr := os.Stat(filepath.Dir(path)); serr != nil {
		e.cause = serr
	}
	return e
}
