package servgap

// Input and output of whole tables and handles: CSV import, snapshots and
// merge.

/*
#include "servgap.h"
*/
import "C"

import "unsafe"

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

// ImportCSV imports a CSV table from the file at path (servgap_import_csv).
// Without ImportSkipBadRows the import is all or nothing, and the error's
// message reads "FILE:LINE:COLUMN: reason".
func (c *Ctx) ImportCSV(table CSVTable, path string, flags ImportFlag) (ImportReport, error) {
	p, err := c.acquire("ImportCSV")
	if err != nil {
		return ImportReport{}, err
	}
	defer c.release()
	cpath, err := cstring(path, "ImportCSV", "path")
	if err != nil {
		return ImportReport{}, err
	}
	defer free(cpath)
	rep := C.servgap_import_report{size: C.sizeof_servgap_import_report}
	rc := C.servgap_import_csv(p, C.int32_t(table), cpath, C.uint32_t(flags), &rep)
	if err := ctxError(p, rc, "servgap_import_csv"); err != nil {
		return ImportReport{}, err
	}
	return importReport(&rep), nil
}

// ImportCSVBytes imports a CSV table from data, which C reads in place for
// the duration of the call (servgap_import_csv_buffer). name stands for the
// file in messages ("" gives "<buffer>").
func (c *Ctx) ImportCSVBytes(table CSVTable, name string, data []byte, flags ImportFlag) (ImportReport, error) {
	p, err := c.acquire("ImportCSVBytes")
	if err != nil {
		return ImportReport{}, err
	}
	defer c.release()
	var cname *C.char
	if name != "" {
		if cname, err = cstring(name, "ImportCSVBytes", "name"); err != nil {
			return ImportReport{}, err
		}
		defer free(cname)
	}
	rep := C.servgap_import_report{size: C.sizeof_servgap_import_report}
	rc := C.servgap_import_csv_buffer(p, C.int32_t(table), cname, bytesPtr(data), C.size_t(len(data)),
		C.uint32_t(flags), &rep)
	if err := ctxError(p, rc, "servgap_import_csv_buffer"); err != nil {
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
	return ctxError(p, C.servgap_snapshot_save(p, cpath), "servgap_snapshot_save")
}

// LoadSnapshot merges the snapshot at path into the handle
// (servgap_snapshot_load); a damaged file gives ErrCorrupt and changes
// nothing.
func (c *Ctx) LoadSnapshot(path string) error {
	p, err := c.acquire("LoadSnapshot")
	if err != nil {
		return err
	}
	defer c.release()
	cpath, err := cstring(path, "LoadSnapshot", "path")
	if err != nil {
		return err
	}
	defer free(cpath)
	return ctxError(p, C.servgap_snapshot_load(p, cpath), "servgap_snapshot_load")
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
	p, err := c.acquire("LoadSnapshotBytes")
	if err != nil {
		return err
	}
	defer c.release()
	rc := C.servgap_snapshot_load_buffer(p, bytesPtr(data), C.size_t(len(data)))
	return ctxError(p, rc, "servgap_snapshot_load_buffer")
}

// SummaryBytes returns the summary of the observations of the whole UTC
// days [from, to) (TimeMin / TimeMax: unbounded) as bytes
// (servgap_summary_write): day-bucketed moments that merge with other
// summaries; docs/scaling.md. If other goroutines grow the handle between
// the size query and the write, it asks again.
func (c *Ctx) SummaryBytes(from, to int64) ([]byte, error) {
	p, err := c.acquire("SummaryBytes")
	if err != nil {
		return nil, err
	}
	defer c.release()
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

// LoadSummaryBytes merges a summary from data, which C reads in place
// (servgap_summary_load_buffer); loading several summaries is their merge.
func (c *Ctx) LoadSummaryBytes(data []byte) error {
	p, err := c.acquire("LoadSummaryBytes")
	if err != nil {
		return err
	}
	defer c.release()
	rc := C.servgap_summary_load_buffer(p, bytesPtr(data), C.size_t(len(data)))
	return ctxError(p, rc, "servgap_summary_load_buffer")
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
