package servgap

// This file holds the cgo set-up, the version calls, the names of the
// enumerations (consts.go has their values) and the t distribution.

/*
#cgo pkg-config: servgap
#include <stdlib.h>
#include "servgap.h"
*/
import "C"

import (
	"fmt"
	"time"
)

// VersionNumber returns the version of the linked library as major * 10000
// + minor * 100 + patch (servgap_version_number).
func VersionNumber() uint32 { return uint32(C.servgap_version_number()) }

// Version returns the version string of the linked library, e.g. "1.2.0"
// (servgap_version_string).
func Version() string { return C.GoString(C.servgap_version_string()) }

// Date returns the UTC midnight of a civil date in seconds since 1970, the
// form the int64 time arguments take (month 1..12). The time.Time API
// takes time.Date(year, month, day, 0, 0, 0, 0, time.UTC) instead.
func Date(year int, month time.Month, day int) int64 {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Unix()
}

func (k Kind) String() string {
	switch k {
	case KindTier:
		return "tier"
	case KindTouchpoint:
		return "touchpoint"
	case KindTeam:
		return "team"
	case KindAccount:
		return "account"
	case KindMetric:
		return "metric"
	}
	return fmt.Sprintf("Kind(%d)", int32(k))
}

func (s ScopeKind) String() string {
	switch s {
	case ScopeAccount:
		return "account"
	case ScopeTier:
		return "tier"
	}
	return fmt.Sprintf("ScopeKind(%d)", int32(s))
}

// Kind returns the kind of name a scope id is: KindAccount or KindTier,
// for Ctx.Name. It is not a conversion: the two types number differently.
func (s ScopeKind) Kind() Kind {
	switch s {
	case ScopeAccount:
		return KindAccount
	case ScopeTier:
		return KindTier
	}
	return Kind(0)
}

// String is servgap_dimension_name, or "Dimension(N)" for an unknown value.
func (d Dimension) String() string {
	return name(C.servgap_dimension_name(C.int32_t(d)), "Dimension", int64(d))
}

// String gives the names of the JSON report: "higher_is_better",
// "lower_is_better".
func (d Direction) String() string {
	switch d {
	case HigherIsBetter:
		return "higher_is_better"
	case LowerIsBetter:
		return "lower_is_better"
	}
	return fmt.Sprintf("Direction(%d)", int32(d))
}

// String is servgap_viewpoint_name.
func (v Viewpoint) String() string {
	return name(C.servgap_viewpoint_name(C.int32_t(v)), "Viewpoint", int64(v))
}

// String is servgap_gap_name; GapAll is "*".
func (g GapType) String() string {
	if g == GapAll {
		return "*"
	}
	return name(C.servgap_gap_name(C.int32_t(g)), "GapType", int64(g))
}

// String is servgap_span_name ("knowledge+standards"), or "" for 0 and for
// a mask that is not one contiguous run of links.
func (l Link) String() string {
	p := C.servgap_span_name(C.uint32_t(l))
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

// String is servgap_status_name.
func (s Status) String() string {
	return name(C.servgap_status_name(C.int32_t(s)), "Status", int64(s))
}

// String is servgap_class_name.
func (c Class) String() string {
	return name(C.servgap_class_name(C.int32_t(c)), "Class", int64(c))
}

// String is servgap_driver_name.
func (d Driver) String() string {
	return name(C.servgap_driver_name(C.int32_t(d)), "Driver", int64(d))
}

// String gives the names of the JSON report.
func (w WeightSource) String() string {
	switch w {
	case WeightsNone:
		return "none"
	case WeightsRespondents:
		return "respondents"
	case WeightsAllocation:
		return "allocation"
	}
	return fmt.Sprintf("WeightSource(%d)", int32(w))
}

// String gives the names of the JSON report: "team", "driver".
func (f Facet) String() string {
	switch f {
	case FacetTeam:
		return "team"
	case FacetDriver:
		return "driver"
	}
	return fmt.Sprintf("Facet(%d)", int32(f))
}

// String is servgap_quadrant_name.
func (q Quadrant) String() string {
	return name(C.servgap_quadrant_name(C.int32_t(q)), "Quadrant", int64(q))
}

// String is servgap_ipa_name.
func (q IPAQuadrant) String() string {
	return name(C.servgap_ipa_name(C.int32_t(q)), "IPAQuadrant", int64(q))
}

// String is servgap_trigger_name.
func (k TriggerKind) String() string {
	return name(C.servgap_trigger_name(C.int32_t(k)), "TriggerKind", int64(k))
}

// String is servgap_outcome_name.
func (o Outcome) String() string {
	return name(C.servgap_outcome_name(C.int32_t(o)), "Outcome", int64(o))
}

// String is servgap_csv_table_name.
func (t CSVTable) String() string {
	return name(C.servgap_csv_table_name(C.int32_t(t)), "CSVTable", int64(t))
}

// name copies a static enumeration name, or formats an unknown value.
func name(p *C.char, typ string, v int64) string {
	if p == nil {
		return fmt.Sprintf("%s(%d)", typ, v)
	}
	return C.GoString(p)
}

// TCDF returns P(T <= t) for Student's t with df > 0 degrees of freedom
// (math.Inf(1): the normal); NaN for invalid arguments (servgap_t_cdf).
func TCDF(t, df float64) float64 { return float64(C.servgap_t_cdf(C.double(t), C.double(df))) }

// TQuantile is the inverse of TCDF for p in [0, 1] (servgap_t_quantile).
func TQuantile(p, df float64) float64 {
	return float64(C.servgap_t_quantile(C.double(p), C.double(df)))
}
