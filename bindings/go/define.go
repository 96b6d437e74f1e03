package servgap

// Definitions: names, metrics, accounts, efforts and remediation plans.

/*
#include <stdlib.h>
#include "servgap.h"
*/
import "C"

import (
	"context"
	"time"
)

// Intern returns the id of a tier, touchpoint or team name, adding the name
// if it is new (servgap_intern). Ids are dense from 0 in order of first use.
// ErrInvalid for another kind or an empty, too long (> 255 bytes) or
// invalid UTF-8 name.
func (c *Ctx) Intern(kind Kind, name string) (int32, error) {
	p, err := c.acquire("Intern")
	if err != nil {
		return 0, err
	}
	defer c.release()
	cs, err := cstring(name, "Intern", "name")
	if err != nil {
		return 0, err
	}
	defer free(cs)
	var id C.int32_t
	if err := ctxError(p, C.servgap_intern(p, C.int32_t(kind), cs, &id), "servgap_intern"); err != nil {
		return 0, err
	}
	return int32(id), nil
}

// Lookup returns the id of a known name of any kind without creating it
// (servgap_lookup); ErrNotFound if the handle does not know it.
func (c *Ctx) Lookup(kind Kind, name string) (int32, error) {
	p, err := c.acquire("Lookup")
	if err != nil {
		return 0, err
	}
	defer c.release()
	cs, err := cstring(name, "Lookup", "name")
	if err != nil {
		return 0, err
	}
	defer free(cs)
	var id C.int32_t
	if err := ctxError(p, C.servgap_lookup(p, C.int32_t(kind), cs, &id), "servgap_lookup"); err != nil {
		return 0, err
	}
	return int32(id), nil
}

// LookupMetric returns the id of a metric by name, built-in or defined
// (servgap_lookup with KindMetric, typed); ErrNotFound if the handle does
// not know it.
func (c *Ctx) LookupMetric(name string) (MetricID, error) {
	id, err := c.Lookup(KindMetric, name)
	return MetricID(id), err
}

// Name returns the name of an id of any kind (servgap_name), copied.
func (c *Ctx) Name(kind Kind, id int32) (string, error) {
	p, err := c.acquire("Name")
	if err != nil {
		return "", err
	}
	defer c.release()
	var s *C.char
	if err := ctxError(p, C.servgap_name(p, C.int32_t(kind), C.int32_t(id), &s), "servgap_name"); err != nil {
		return "", err
	}
	return C.GoString(s), nil
}

// Count returns how many names of a kind the handle knows; their ids are
// 0 .. Count-1 (servgap_count).
func (c *Ctx) Count(kind Kind) (int32, error) {
	p, err := c.acquire("Count")
	if err != nil {
		return 0, err
	}
	defer c.release()
	var n C.int32_t
	if err := ctxError(p, C.servgap_count(p, C.int32_t(kind), &n), "servgap_count"); err != nil {
		return 0, err
	}
	return int32(n), nil
}

// Metric is a metric's definition: the argument of DefineMetric and the
// answer of MetricInfo.
type Metric struct {
	Name      string
	Unit      string // may be ""
	Dimension Dimension
	Direction Direction
	Min, Max  float64 // the valid range; math.Inf(-1) / math.Inf(1) for an unbounded end
	Span      float64 // the whole scale for normalized gaps; 0 on definition means Max - Min
}

// DefineMetric defines a metric and returns its id (servgap_metric_define).
// Defining a known name again with identical parameters returns its id;
// with different ones it fails with ErrConflict.
func (c *Ctx) DefineMetric(m Metric) (MetricID, error) {
	p, err := c.acquire("DefineMetric")
	if err != nil {
		return 0, err
	}
	defer c.release()
	name, err := cstring(m.Name, "DefineMetric", "name")
	if err != nil {
		return 0, err
	}
	defer free(name)
	unit, err := cstring(m.Unit, "DefineMetric", "unit")
	if err != nil {
		return 0, err
	}
	defer free(unit)
	var id C.int32_t
	rc := C.servgap_metric_define(p, name, C.int32_t(m.Dimension), C.int32_t(m.Direction),
		C.double(m.Min), C.double(m.Max), C.double(m.Span), unit, &id)
	if err := ctxError(p, rc, "servgap_metric_define"); err != nil {
		return 0, err
	}
	return MetricID(id), nil
}

// MetricInfo returns metric id's definition (servgap_metric_info).
func (c *Ctx) MetricInfo(id MetricID) (Metric, error) {
	p, err := c.acquire("MetricInfo")
	if err != nil {
		return Metric{}, err
	}
	defer c.release()
	m := C.servgap_metric{size: C.sizeof_servgap_metric}
	if err := ctxError(p, C.servgap_metric_info(p, C.int32_t(id), &m), "servgap_metric_info"); err != nil {
		return Metric{}, err
	}
	return Metric{
		Name: C.GoString(m.name), Unit: C.GoString(m.unit),
		Dimension: Dimension(m.dimension), Direction: Direction(m.direction),
		Min: float64(m.min), Max: float64(m.max), Span: float64(m.span),
	}, nil
}

// Account is an account's state, as AccountInfo returns it.
type Account struct {
	Name      string
	Tier      int32 // tier id, or None
	AtRisk    bool  // the flag as set
	Churned   bool
	Value     float64
	Health    float64   // NaN if unknown
	Renewal   time.Time // zero if unset
	Migration time.Time // zero if unset
}

// DefineAccount defines an account, or updates the value of a known one,
// and returns its id (servgap_account_define). tier "" names no tier. The
// first tier named for an account is its tier for good: another one is a
// conflict (docs/formats.md, "An account's tier"). value must be finite
// and >= 0.
func (c *Ctx) DefineAccount(name, tier string, value float64) (int32, error) {
	p, err := c.acquire("DefineAccount")
	if err != nil {
		return 0, err
	}
	defer c.release()
	cn, err := cstring(name, "DefineAccount", "name")
	if err != nil {
		return 0, err
	}
	defer free(cn)
	var ct *C.char
	if tier != "" {
		if ct, err = cstring(tier, "DefineAccount", "tier"); err != nil {
			return 0, err
		}
		defer free(ct)
	}
	var id C.int32_t
	rc := C.servgap_account_define(p, cn, ct, C.double(value), &id)
	if err := ctxError(p, rc, "servgap_account_define"); err != nil {
		return 0, err
	}
	return int32(id), nil
}

// SetHealth sets an account's health score, 0..100, or NaN for unknown
// (servgap_account_set_health).
func (c *Ctx) SetHealth(account int32, health float64) error {
	p, err := c.acquire("SetHealth")
	if err != nil {
		return err
	}
	defer c.release()
	rc := C.servgap_account_set_health(p, C.int32_t(account), C.double(health))
	return ctxError(p, rc, "servgap_account_set_health")
}

// SetAccountFlag sets or clears AccountAtRisk or AccountChurned
// (servgap_account_set_flag).
func (c *Ctx) SetAccountFlag(account int32, flag AccountFlag, on bool) error {
	p, err := c.acquire("SetAccountFlag")
	if err != nil {
		return err
	}
	defer c.release()
	var v C.int32_t
	if on {
		v = 1
	}
	rc := C.servgap_account_set_flag(p, C.int32_t(account), C.int32_t(flag), v)
	return ctxError(p, rc, "servgap_account_set_flag")
}

// SetRenewal sets an account's renewal date, or clears it with the zero
// Time (servgap_account_set_date with AccountRenewal).
func (c *Ctx) SetRenewal(account int32, t time.Time) error {
	return c.SetAccountDate(account, AccountRenewal, unixOr(t, TimeNone))
}

// SetMigration sets the date an account migrated, or clears it with the
// zero Time (servgap_account_set_date with AccountMigration).
func (c *Ctx) SetMigration(account int32, t time.Time) error {
	return c.SetAccountDate(account, AccountMigration, unixOr(t, TimeNone))
}

// SetAccountDate sets AccountRenewal or AccountMigration to t (UTC seconds),
// or clears it with TimeNone (servgap_account_set_date).
//
// Deprecated: use SetRenewal or SetMigration, which take a time.Time.
func (c *Ctx) SetAccountDate(account int32, which AccountDate, t int64) error {
	p, err := c.acquire("SetAccountDate")
	if err != nil {
		return err
	}
	defer c.release()
	rc := C.servgap_account_set_date(p, C.int32_t(account), C.int32_t(which), C.int64_t(t))
	return ctxError(p, rc, "servgap_account_set_date")
}

// AccountInfo returns account id's state (servgap_account_info).
func (c *Ctx) AccountInfo(id int32) (Account, error) {
	p, err := c.acquire("AccountInfo")
	if err != nil {
		return Account{}, err
	}
	defer c.release()
	a := C.servgap_account{size: C.sizeof_servgap_account}
	if err := ctxError(p, C.servgap_account_info(p, C.int32_t(id), &a), "servgap_account_info"); err != nil {
		return Account{}, err
	}
	return Account{
		Name: C.GoString(a.name), Tier: int32(a.tier),
		AtRisk: a.at_risk != 0, Churned: a.churned != 0,
		Value: float64(a.value), Health: float64(a.health),
		Renewal: fromUnix(int64(a.renewal)), Migration: fromUnix(int64(a.migration)),
	}, nil
}

// SetEffort sets the effort to fix gap at a touchpoint for a metric
// (servgap_effort_set); gap may be GapAll, touchpoint and metric All, as
// wildcards. effort must be finite and > 0.
func (c *Ctx) SetEffort(gap GapType, touchpoint int32, metric MetricID, effort float64) error {
	p, err := c.acquire("SetEffort")
	if err != nil {
		return err
	}
	defer c.release()
	rc := C.servgap_effort_set(p, C.int32_t(gap), C.int32_t(touchpoint), C.int32_t(metric), C.double(effort))
	return ctxError(p, rc, "servgap_effort_set")
}

// Effort returns the effort a finding of (gap, touchpoint, metric) would
// get (servgap_effort_get); metric All for a dimension roll-up, touchpoint
// All for the roll-up over touchpoints.
func (c *Ctx) Effort(gap GapType, touchpoint int32, metric MetricID) (float64, error) {
	p, err := c.acquire("Effort")
	if err != nil {
		return 0, err
	}
	defer c.release()
	var e C.double
	rc := C.servgap_effort_get(p, C.int32_t(gap), C.int32_t(touchpoint), C.int32_t(metric), &e)
	if err := ctxError(p, rc, "servgap_effort_get"); err != nil {
		return 0, err
	}
	return float64(e), nil
}

// Plan is a remediation plan item: the finding it addresses, an owner, a
// deadline and the target gap value at or above which the gap counts as
// closed, and the baseline window a query with QueryPlans re-measures it
// against. LastOutcome and NextCheck are outputs (PlanInfo); AddPlan
// ignores them.
type Plan struct {
	Owner       string // 1..255 bytes of UTF-8
	ScopeKind   ScopeKind
	ScopeID     int32
	Touchpoint  int32     // a touchpoint id or All
	Metric      MetricID  // a metric id, or All with Dimension for a roll-up
	Dimension   Dimension // used when Metric is All
	Gap         GapType
	Deadline    time.Time // zero: none
	Target      float64
	LastOutcome Outcome   // output only
	NextCheck   time.Time // output only: zero until re-measured
	// The baseline window [BaselineFrom, BaselineTo), UTC midnights, that
	// a query with QueryPlans re-measures the gap against; both zero for
	// none (the query's default window then applies).
	BaselineFrom, BaselineTo time.Time
}

// AddPlan adds a plan item and returns its id, dense from 0
// (servgap_plan_add).
func (c *Ctx) AddPlan(plan Plan) (int32, error) {
	p, err := c.acquire("AddPlan")
	if err != nil {
		return 0, err
	}
	defer c.release()
	owner, err := cstring(plan.Owner, "AddPlan", "owner")
	if err != nil {
		return 0, err
	}
	defer free(owner)
	cp := C.servgap_plan{
		size: C.sizeof_servgap_plan, owner: owner,
		scope_kind: C.int32_t(plan.ScopeKind), scope_id: C.int32_t(plan.ScopeID),
		touchpoint: C.int32_t(plan.Touchpoint), metric: C.int32_t(plan.Metric),
		dimension: C.int32_t(plan.Dimension), gap: C.int32_t(plan.Gap),
		deadline: C.int64_t(unixOr(plan.Deadline, TimeNone)), target: C.double(plan.Target),
	}
	// C's "none" is an empty window; one zero end stays TimeNone, which C
	// rejects with ErrRange rather than reading a window from 1970.
	if !plan.BaselineFrom.IsZero() || !plan.BaselineTo.IsZero() {
		cp.baseline_from = C.int64_t(unixOr(plan.BaselineFrom, TimeNone))
		cp.baseline_to = C.int64_t(unixOr(plan.BaselineTo, TimeNone))
	}
	var id C.int32_t
	if err := ctxError(p, C.servgap_plan_add(p, &cp, &id), "servgap_plan_add"); err != nil {
		return 0, err
	}
	return int32(id), nil
}

// PlanCount returns how many plan items the handle holds
// (servgap_plan_count).
func (c *Ctx) PlanCount() (int32, error) {
	p, err := c.acquire("PlanCount")
	if err != nil {
		return 0, err
	}
	defer c.release()
	var n C.int32_t
	if err := ctxError(p, C.servgap_plan_count(p, &n), "servgap_plan_count"); err != nil {
		return 0, err
	}
	return int32(n), nil
}

// PlanInfo returns plan item id (servgap_plan_info).
func (c *Ctx) PlanInfo(id int32) (Plan, error) {
	p, err := c.acquire("PlanInfo")
	if err != nil {
		return Plan{}, err
	}
	defer c.release()
	cp := C.servgap_plan{size: C.sizeof_servgap_plan}
	if err := ctxError(p, C.servgap_plan_info(p, C.int32_t(id), &cp), "servgap_plan_info"); err != nil {
		return Plan{}, err
	}
	return Plan{
		Owner: C.GoString(cp.owner), ScopeKind: ScopeKind(cp.scope_kind), ScopeID: int32(cp.scope_id),
		Touchpoint: int32(cp.touchpoint), Metric: MetricID(cp.metric),
		Dimension: Dimension(cp.dimension), Gap: GapType(cp.gap),
		Deadline: fromUnix(int64(cp.deadline)), Target: float64(cp.target),
		LastOutcome: Outcome(cp.last_outcome), NextCheck: fromUnix(int64(cp.next_check)),
		BaselineFrom: fromUnix(int64(cp.baseline_from)), BaselineTo: fromUnix(int64(cp.baseline_to)),
	}, nil
}

// Remeasure is the comparison of a plan's gap between two windows.
type Remeasure struct {
	Outcome            Outcome
	Baseline, Followup float64   // the gap value in each window (NaN: no data)
	Change             float64   // Followup - Baseline
	Lo, Hi             float64   // interval of the change
	NextCheck          time.Time // follow-up end + OptWindowDays
}

// RemeasurePlan compares plan item id's gap in the baseline window with
// the follow-up window, which must not start before the baseline ends,
// and stores the outcome and next check date on the plan item
// (servgap_plan_remeasure). A follow-up without end (a zero To) ends, for
// NextCheck, at the midnight after the latest observation. When ctx stops
// it, nothing is stored.
func (c *Ctx) RemeasurePlan(ctx context.Context, id int32, baseline, followup Window) (Remeasure, error) {
	baseFrom, baseTo := baseline.bounds()
	followFrom, followTo := followup.bounds()
	return c.remeasure(ctx, "RemeasurePlan", id, baseFrom, baseTo, followFrom, followTo)
}

// Remeasure is RemeasurePlan with windows in UTC seconds.
//
// Deprecated: use RemeasurePlan, which takes Windows of time.Time and a
// context.
func (c *Ctx) Remeasure(id int32, baseFrom, baseTo, followFrom, followTo int64) (Remeasure, error) {
	return c.remeasure(context.Background(), "Remeasure", id, baseFrom, baseTo, followFrom, followTo)
}

func (c *Ctx) remeasure(ctx context.Context, method string, id int32, baseFrom, baseTo, followFrom, followTo int64) (Remeasure, error) {
	p, err := c.acquire(method)
	if err != nil {
		return Remeasure{}, err
	}
	defer c.release()
	m := C.servgap_remeasure{size: C.sizeof_servgap_remeasure}
	err = c.interruptible(ctx, p, "servgap_plan_remeasure", func() C.int {
		return C.servgap_plan_remeasure(p, C.int32_t(id), C.int64_t(baseFrom), C.int64_t(baseTo),
			C.int64_t(followFrom), C.int64_t(followTo), &m)
	})
	if err != nil {
		return Remeasure{}, err
	}
	return Remeasure{
		Outcome: Outcome(m.outcome), Baseline: float64(m.baseline), Followup: float64(m.followup),
		Change: float64(m.change), Lo: float64(m.lo), Hi: float64(m.hi),
		NextCheck: fromUnix(int64(m.next_check)),
	}, nil
}
