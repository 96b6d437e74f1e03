package servgap

// Recording observations: one at a time, in columnar batches, as paired
// survey responses; importance allocations.

/*
#include "servgap.h"
*/
import "C"

import (
	"fmt"
	"time"
	"unsafe"
)

// Observation is one value of a metric, seen from a viewpoint, for a scope
// at a touchpoint at a time: the argument of RecordObservation.
type Observation struct {
	ScopeKind  ScopeKind // ScopeAccount or ScopeTier
	ScopeID    int32     // the account's or the tier's id
	Touchpoint int32     // a touchpoint id, or Any: wherever the scope has no observation of its own
	Metric     MetricID  // MetricReliability, ..., or an id from DefineMetric
	Viewpoint  Viewpoint
	Value      float64   // within the metric's range; NaN and infinities are ErrRange
	Time       time.Time // when it was observed, or the day a declaration takes effect
	// Team is the team that served, nil for none. A pointer, because team
	// ids start at 0: a zero int32 would name the first team.
	Team   *int32
	Driver Driver // what shaped an expectation; DriverNone
}

// team returns o's team as C takes it.
func (o *Observation) team() int32 {
	if o.Team == nil {
		return None
	}
	return *o.Team
}

// RecordObservation records one observation (servgap_record). Values
// outside the metric's range, NaN and infinities give ErrRange; an unknown
// scope, touchpoint, metric or team ErrNotFound. Many observations go
// faster, and all or nothing, through RecordObservations.
func (c *Ctx) RecordObservation(o Observation) error {
	return c.Record(o.ScopeKind, o.ScopeID, o.Touchpoint, o.Metric, o.Viewpoint, o.Value,
		o.Time.Unix(), o.team(), o.Driver)
}

// RecordObservations records obs in one call (servgap_record_batch, one
// crossing into C): validated whole first, so that on any error nothing
// is recorded and the message names the index at fault. Other goroutines
// see all of them or none.
func (c *Ctx) RecordObservations(obs []Observation) error {
	b := batchFor(len(obs))
	for i := range obs {
		b.Append(obs[i])
	}
	return c.RecordBatch(b)
}

// Record records one observation (servgap_record): value of metric seen
// from viewpoint vp, for a scope (ScopeAccount with an account id, or
// ScopeTier with a tier id) at a touchpoint id (or Any), at time t (UTC
// seconds). team is a team id or None. Values outside the metric's range,
// NaN and infinities give ErrRange.
//
// Deprecated: use RecordObservation, whose Observation names its fields
// and takes a time.Time.
func (c *Ctx) Record(scopeKind ScopeKind, scopeID, touchpoint int32, metric MetricID, vp Viewpoint,
	value float64, t int64, team int32, driver Driver) error {
	p, err := c.acquire("Record")
	if err != nil {
		return err
	}
	defer c.release()
	rc := C.servgap_record(p, C.int32_t(scopeKind), C.int32_t(scopeID), C.int32_t(touchpoint),
		C.int32_t(metric), C.int32_t(vp), C.double(value), C.int64_t(t), C.int32_t(team),
		C.int32_t(driver))
	return ctxError(p, rc, "servgap_record")
}

// Withdrawal ends a declaration: the standard or promise (Viewpoint
// VPStandard or VPPromised) of a scope, touchpoint (or Any) and metric,
// from the day of Time on.
type Withdrawal struct {
	ScopeKind  ScopeKind
	ScopeID    int32
	Touchpoint int32
	Metric     MetricID
	Viewpoint  Viewpoint
	Time       time.Time
}

// WithdrawDeclaration records a withdrawal (servgap_declaration_withdraw).
// Standard and promised observations are declarations: an SLA or a
// promise stays in force from its day until a later day's declaration of
// the same key replaces it, or until it is withdrawn; a later declaration
// starts anew. Withdrawing nothing in force is recorded and changes
// nothing. ErrInvalid for a viewpoint that is not a declaration,
// ErrNotFound for an unknown id.
func (c *Ctx) WithdrawDeclaration(w Withdrawal) error {
	return c.Withdraw(w.ScopeKind, w.ScopeID, w.Touchpoint, w.Metric, w.Viewpoint, w.Time.Unix())
}

// Withdraw is WithdrawDeclaration with positional arguments and t in UTC
// seconds.
//
// Deprecated: use WithdrawDeclaration, which takes a Withdrawal.
func (c *Ctx) Withdraw(scopeKind ScopeKind, scopeID, touchpoint int32, metric MetricID, vp Viewpoint, t int64) error {
	p, err := c.acquire("Withdraw")
	if err != nil {
		return err
	}
	defer c.release()
	rc := C.servgap_declaration_withdraw(p, C.int32_t(scopeKind), C.int32_t(scopeID),
		C.int32_t(touchpoint), C.int32_t(metric), C.int32_t(vp), C.int64_t(t))
	return ctxError(p, rc, "servgap_declaration_withdraw")
}

// Batch is a set of observations as parallel columns, the layout
// servgap_record_batch reads in place: element i of the columns is one
// Observation, with Time in UTC seconds and Team a team id or None.
// ScopeID, Touchpoint, Metric, Viewpoint, Value and Time are required;
// ScopeKind (nil: every scope is an account), Team (nil: no team) and
// Driver (nil: none) are optional. Every non-nil column must have the
// length of ScopeID.
//
// RecordBatch hands the columns to C as they are, without a copy: the
// address of each slice's first element. Reset keeps the columns' memory,
// so a Batch filled and recorded again and again allocates nothing.
type Batch struct {
	ScopeKind  []ScopeKind
	ScopeID    []int32
	Touchpoint []int32
	Metric     []MetricID
	Viewpoint  []Viewpoint
	Value      []float64
	Time       []int64
	Team       []int32
	Driver     []Driver
}

// Len returns the number of observations, len(b.ScopeID).
func (b *Batch) Len() int { return len(b.ScopeID) }

// Append appends one observation to every column, the optional ones
// included.
func (b *Batch) Append(o Observation) {
	b.Add(o.ScopeKind, o.ScopeID, o.Touchpoint, o.Metric, o.Viewpoint, o.Value, o.Time.Unix(),
		o.team(), o.Driver)
}

// batchFor returns an empty Batch with room for n observations.
func batchFor(n int) Batch {
	return Batch{
		ScopeKind: make([]ScopeKind, 0, n), ScopeID: make([]int32, 0, n),
		Touchpoint: make([]int32, 0, n), Metric: make([]MetricID, 0, n),
		Viewpoint: make([]Viewpoint, 0, n), Value: make([]float64, 0, n), Time: make([]int64, 0, n),
		Team: make([]int32, 0, n), Driver: make([]Driver, 0, n),
	}
}

// Add appends one observation to every column, the optional ones included.
//
// Deprecated: use Append, whose Observation names its fields.
func (b *Batch) Add(scopeKind ScopeKind, scopeID, touchpoint int32, metric MetricID, vp Viewpoint,
	value float64, t int64, team int32, driver Driver) {
	b.ScopeKind = append(b.ScopeKind, scopeKind)
	b.ScopeID = append(b.ScopeID, scopeID)
	b.Touchpoint = append(b.Touchpoint, touchpoint)
	b.Metric = append(b.Metric, metric)
	b.Viewpoint = append(b.Viewpoint, vp)
	b.Value = append(b.Value, value)
	b.Time = append(b.Time, t)
	b.Team = append(b.Team, team)
	b.Driver = append(b.Driver, driver)
}

// Reset empties every column, keeping the memory for the next batch.
func (b *Batch) Reset() {
	*b = Batch{
		ScopeKind: b.ScopeKind[:0], ScopeID: b.ScopeID[:0], Touchpoint: b.Touchpoint[:0],
		Metric: b.Metric[:0], Viewpoint: b.Viewpoint[:0], Value: b.Value[:0], Time: b.Time[:0],
		Team: b.Team[:0], Driver: b.Driver[:0],
	}
}

// RecordBatch records every observation of b in one call
// (servgap_record_batch). The batch is validated whole first: on any error
// nothing is recorded and the message names the index at fault
// ("servgap_record_batch: observation 17: value 9 outside [1, 7] of metric
// 'reliability'"). Columns of different lengths give ErrMisuse. An empty
// batch succeeds. Other goroutines see all of the batch or none of it.
func (c *Ctx) RecordBatch(b Batch) error {
	p, err := c.acquire("RecordBatch")
	if err != nil {
		return err
	}
	defer c.release()
	n := len(b.ScopeID)
	if err := sameLength("RecordBatch", n, []column{
		{"ScopeKind", len(b.ScopeKind), true}, {"Touchpoint", len(b.Touchpoint), false},
		{"Metric", len(b.Metric), false}, {"Viewpoint", len(b.Viewpoint), false},
		{"Value", len(b.Value), false}, {"Time", len(b.Time), false},
		{"Team", len(b.Team), true}, {"Driver", len(b.Driver), true},
	}); err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	rc := C.servgap_record_batch(p, C.size_t(n), i32(b.ScopeKind), i32(b.ScopeID),
		i32(b.Touchpoint), i32(b.Metric), i32(b.Viewpoint), f64(b.Value), i64(b.Time),
		i32(b.Team), i32(b.Driver))
	return ctxError(p, rc, "servgap_record_batch")
}

// Response is one respondent's paired SERVQUAL answers: item i is
// Metric[i] with Expected[i], Adequate[i] and Perceived[i] (NaN: not
// answered). The columns go to C in place.
type Response struct {
	ScopeKind  ScopeKind
	ScopeID    int32
	Touchpoint int32 // a touchpoint id, or Any
	Time       time.Time
	Team       *int32 // nil: no team (as Observation.Team)
	Driver     Driver
	Metric     []MetricID // each metric once
	Expected   []float64
	Adequate   []float64 // nil when the survey does not ask
	Perceived  []float64
	// Importance is nil, or the respondent's 100 points over the five
	// dimensions, indexed by Dimension, for respondent-level weighted
	// SERVQUAL.
	Importance []float64
}

// RecordSurveyResponse records one respondent's answers
// (servgap_record_response): their values become observations of the
// three viewpoints, and their pairing gives paired intervals. All or
// nothing; ErrInvalid for a repeated metric or an empty response,
// ErrMisuse for columns of different lengths.
func (c *Ctx) RecordSurveyResponse(r Response) error {
	team := int32(None)
	if r.Team != nil {
		team = *r.Team
	}
	return c.RecordResponse(r.ScopeKind, r.ScopeID, r.Touchpoint, r.Time.Unix(), team, r.Driver,
		r.Metric, r.Expected, r.Adequate, r.Perceived, r.Importance)
}

// RecordResponse is RecordSurveyResponse with positional arguments, t in
// UTC seconds and team an id or None.
//
// Deprecated: use RecordSurveyResponse, whose Response names its fields
// and takes a time.Time.
func (c *Ctx) RecordResponse(scopeKind ScopeKind, scopeID, touchpoint int32, t int64, team int32,
	driver Driver, metric []MetricID, expected, adequate, perceived, importance []float64) error {
	p, err := c.acquire("RecordResponse")
	if err != nil {
		return err
	}
	defer c.release()
	n := len(metric)
	if err := sameLength("RecordResponse", n, []column{
		{"expected", len(expected), false}, {"adequate", len(adequate), true},
		{"perceived", len(perceived), false},
	}); err != nil {
		return err
	}
	if importance != nil && len(importance) != DimCount {
		return newError(ErrMisuse, fmt.Sprintf(
			"servgap: RecordResponse: importance has %d values, not %d", len(importance), DimCount))
	}
	rc := C.servgap_record_response(p, C.int32_t(scopeKind), C.int32_t(scopeID),
		C.int32_t(touchpoint), C.int64_t(t), C.int32_t(team), C.int32_t(driver), C.size_t(n),
		i32(metric), f64(expected), f64(adequate), f64(perceived), f64(importance))
	return ctxError(p, rc, "servgap_record_response")
}

// SetImportance sets the importance allocation of a scope as whose sees it
// (servgap_set_importance): five points in Dim order, each >= 0, summing to
// 100 +- 0.5. It replaces an earlier allocation.
func (c *Ctx) SetImportance(scopeKind ScopeKind, scopeID int32, whose Whose, points [DimCount]float64) error {
	p, err := c.acquire("SetImportance")
	if err != nil {
		return err
	}
	defer c.release()
	rc := C.servgap_set_importance(p, C.int32_t(scopeKind), C.int32_t(scopeID), C.int32_t(whose),
		(*C.double)(unsafe.Pointer(&points[0])))
	return ctxError(p, rc, "servgap_set_importance")
}

// ObservationCount returns how many observations the handle holds
// (servgap_observation_count).
func (c *Ctx) ObservationCount() (uint64, error) {
	p, err := c.acquire("ObservationCount")
	if err != nil {
		return 0, err
	}
	defer c.release()
	var n C.uint64_t
	if err := ctxError(p, C.servgap_observation_count(p, &n), "servgap_observation_count"); err != nil {
		return 0, err
	}
	return uint64(n), nil
}

// column describes one column for sameLength.
type column struct {
	name     string
	n        int
	optional bool // nil (length 0) is allowed
}

// sameLength checks that every column has n elements (an optional one may
// also be empty, which passes NULL to C).
func sameLength(method string, n int, cols []column) error {
	for _, col := range cols {
		if col.n == n || (col.optional && col.n == 0) {
			continue
		}
		return newError(ErrMisuse, fmt.Sprintf("servgap: %s: column %s has %d elements, expected %d",
			method, col.name, col.n, n))
	}
	return nil
}

// The column pointers: the address of a slice's first element, passed to C
// without a copy (the elements hold no Go pointers, as cgo requires), or
// NULL for an empty slice.

func i32[T ~int32](s []T) *C.int32_t {
	if len(s) == 0 {
		return nil
	}
	return (*C.int32_t)(unsafe.Pointer(&s[0]))
}

func i64(s []int64) *C.int64_t {
	if len(s) == 0 {
		return nil
	}
	return (*C.int64_t)(unsafe.Pointer(&s[0]))
}

func f64(s []float64) *C.double {
	if len(s) == 0 {
		return nil
	}
	return (*C.double)(unsafe.Pointer(&s[0]))
}
