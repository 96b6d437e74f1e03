package servgap

// This file holds the cgo set-up, the version calls, the enumerations of
// servgap.h as typed Go constants (their values come from the C header, so
// they cannot drift), the enumerations' names and the t distribution.

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

// Version of the header this package was compiled against.
const (
	HeaderVersionMajor  = C.SERVGAP_VERSION_MAJOR
	HeaderVersionMinor  = C.SERVGAP_VERSION_MINOR
	HeaderVersionPatch  = C.SERVGAP_VERSION_PATCH
	HeaderVersionNumber = C.SERVGAP_VERSION_NUMBER
	HeaderVersion       = C.SERVGAP_VERSION_STRING
)

// VersionNumber returns the version of the linked library as major * 10000
// + minor * 100 + patch (servgap_version_number).
func VersionNumber() uint32 { return uint32(C.servgap_version_number()) }

// Version returns the version string of the linked library, e.g. "1.2.0"
// (servgap_version_string).
func Version() string { return C.GoString(C.servgap_version_string()) }

// Special ids and times.
const (
	None     = C.SERVGAP_NONE      // no team
	Any      = C.SERVGAP_ANY       // touchpoint: applies to every touchpoint
	All      = C.SERVGAP_ALL       // a roll-up (results) or a wildcard (efforts)
	TimeNone = C.SERVGAP_TIME_NONE // an unset date
	TimeMin  = C.SERVGAP_TIME_MIN  // window start: from the beginning
	TimeMax  = C.SERVGAP_TIME_MAX  // window end: without end
	Day      = C.SERVGAP_DAY       // seconds in a day
)

// Date returns the UTC midnight of a civil date in seconds since 1970, the
// form every time argument takes (month 1..12).
func Date(year int, month time.Month, day int) int64 {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Unix()
}

// Kind is the kind of an interned name.
type Kind int32

// Kinds of names.
const (
	KindTier       Kind = C.SERVGAP_KIND_TIER
	KindTouchpoint Kind = C.SERVGAP_KIND_TOUCHPOINT
	KindTeam       Kind = C.SERVGAP_KIND_TEAM
	KindAccount    Kind = C.SERVGAP_KIND_ACCOUNT
	KindMetric     Kind = C.SERVGAP_KIND_METRIC
)

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

// ScopeKind says whether a scope id is an account or a tier.
type ScopeKind int32

// Scope kinds.
const (
	ScopeAccount ScopeKind = C.SERVGAP_SCOPE_ACCOUNT
	ScopeTier    ScopeKind = C.SERVGAP_SCOPE_TIER
)

func (s ScopeKind) String() string {
	switch s {
	case ScopeAccount:
		return "account"
	case ScopeTier:
		return "tier"
	}
	return fmt.Sprintf("ScopeKind(%d)", int32(s))
}

// Dimension is a SERVQUAL dimension. The five built-in Likert metrics have
// the ids of their dimensions: int32(DimReliability) is the metric
// "reliability".
type Dimension int32

// Dimensions.
const (
	DimTangibles      Dimension = C.SERVGAP_DIM_TANGIBLES
	DimReliability    Dimension = C.SERVGAP_DIM_RELIABILITY
	DimResponsiveness Dimension = C.SERVGAP_DIM_RESPONSIVENESS
	DimAssurance      Dimension = C.SERVGAP_DIM_ASSURANCE
	DimEmpathy        Dimension = C.SERVGAP_DIM_EMPATHY
	DimCount                    = C.SERVGAP_DIM_COUNT
)

// String is servgap_dimension_name, or "Dimension(N)" for an unknown value.
func (d Dimension) String() string {
	return name(C.servgap_dimension_name(C.int32_t(d)), "Dimension", int64(d))
}

// Direction says which way a metric is better.
type Direction int32

// Directions.
const (
	HigherIsBetter Direction = C.SERVGAP_HIGHER_IS_BETTER
	LowerIsBetter  Direction = C.SERVGAP_LOWER_IS_BETTER
)

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

// Viewpoint says who gives a level.
type Viewpoint int32

// Viewpoints.
const (
	VPExpected  Viewpoint = C.SERVGAP_VP_EXPECTED
	VPAdequate  Viewpoint = C.SERVGAP_VP_ADEQUATE
	VPBelieved  Viewpoint = C.SERVGAP_VP_BELIEVED
	VPStandard  Viewpoint = C.SERVGAP_VP_STANDARD
	VPDelivered Viewpoint = C.SERVGAP_VP_DELIVERED
	VPPromised  Viewpoint = C.SERVGAP_VP_PROMISED
	VPPerceived Viewpoint = C.SERVGAP_VP_PERCEIVED
	VPCount               = C.SERVGAP_VP_COUNT
)

// String is servgap_viewpoint_name.
func (v Viewpoint) String() string {
	return name(C.servgap_viewpoint_name(C.int32_t(v)), "Viewpoint", int64(v))
}

// GapType is one of the seven gaps of a cell.
type GapType int32

// Gap types. GapAll is the wildcard of SetEffort.
const (
	GapService       GapType = C.SERVGAP_GAP_SERVICE
	GapKnowledge     GapType = C.SERVGAP_GAP_KNOWLEDGE
	GapStandards     GapType = C.SERVGAP_GAP_STANDARDS
	GapDelivery      GapType = C.SERVGAP_GAP_DELIVERY
	GapCommunication GapType = C.SERVGAP_GAP_COMMUNICATION
	GapPerception    GapType = C.SERVGAP_GAP_PERCEPTION
	GapAdequacy      GapType = C.SERVGAP_GAP_ADEQUACY
	GapCount                 = C.SERVGAP_GAP_COUNT
	GapAll           GapType = C.SERVGAP_ALL
)

// String is servgap_gap_name.
func (g GapType) String() string {
	if g == GapAll {
		return "*"
	}
	return name(C.servgap_gap_name(C.int32_t(g)), "GapType", int64(g))
}

// Link is a set of links of the chain expected -> believed -> standard ->
// delivered -> perceived, as bits.
type Link uint32

// Links.
const (
	LinkKnowledge     Link = C.SERVGAP_LINK_KNOWLEDGE
	LinkStandards     Link = C.SERVGAP_LINK_STANDARDS
	LinkDelivery      Link = C.SERVGAP_LINK_DELIVERY
	LinkPerception    Link = C.SERVGAP_LINK_PERCEPTION
	LinkCommunication Link = C.SERVGAP_LINK_COMMUNICATION
)

// String is servgap_span_name ("knowledge+standards"), or "" for 0 and for
// a mask that is not one contiguous run of links.
func (l Link) String() string {
	p := C.servgap_span_name(C.uint32_t(l))
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

// Status is the status of a gap.
type Status int32

// Gap statuses.
const (
	StatusMet          Status = C.SERVGAP_STATUS_MET
	StatusShortfall    Status = C.SERVGAP_STATUS_SHORTFALL
	StatusExceeds      Status = C.SERVGAP_STATUS_EXCEEDS
	StatusInsufficient Status = C.SERVGAP_STATUS_INSUFFICIENT
	StatusUnresolved   Status = C.SERVGAP_STATUS_UNRESOLVED
)

// String is servgap_status_name.
func (s Status) String() string {
	return name(C.servgap_status_name(C.int32_t(s)), "Status", int64(s))
}

// GapFlag holds the flags of a gap row.
type GapFlag uint32

// Gap flags.
const (
	GapFlagPaired      GapFlag = C.SERVGAP_GAPFLAG_PAIRED
	GapFlagNoStandard  GapFlag = C.SERVGAP_GAPFLAG_NO_STANDARD
	GapFlagSufficient  GapFlag = C.SERVGAP_GAPFLAG_SUFFICIENT
	GapFlagSignificant GapFlag = C.SERVGAP_GAPFLAG_SIGNIFICANT
	// GapFlagChanged: a side is a declaration (standard, promised) that was
	// replaced or withdrawn inside the window (SourceChanged).
	GapFlagChanged GapFlag = C.SERVGAP_GAPFLAG_CHANGED
)

// Class is a cell's classification: where in the chain its largest
// significant shortfall is created.
type Class int32

// Classifications.
const (
	ClassNone          Class = C.SERVGAP_CLASS_NONE
	ClassKnowledge     Class = C.SERVGAP_CLASS_KNOWLEDGE
	ClassStandards     Class = C.SERVGAP_CLASS_STANDARDS
	ClassDelivery      Class = C.SERVGAP_CLASS_DELIVERY
	ClassCommunication Class = C.SERVGAP_CLASS_COMMUNICATION
	ClassPerception    Class = C.SERVGAP_CLASS_PERCEPTION
	ClassSpan          Class = C.SERVGAP_CLASS_SPAN
	ClassInsufficient  Class = C.SERVGAP_CLASS_INSUFFICIENT
	ClassHidden        Class = C.SERVGAP_CLASS_HIDDEN
)

// String is servgap_class_name.
func (c Class) String() string {
	return name(C.servgap_class_name(C.int32_t(c)), "Class", int64(c))
}

// Driver is an antecedent of expected service.
type Driver int32

// Expectation drivers.
const (
	DriverNone                  Driver = C.SERVGAP_DRIVER_NONE
	DriverWordOfMouth           Driver = C.SERVGAP_DRIVER_WORD_OF_MOUTH
	DriverPersonalNeeds         Driver = C.SERVGAP_DRIVER_PERSONAL_NEEDS
	DriverPastExperience        Driver = C.SERVGAP_DRIVER_PAST_EXPERIENCE
	DriverExternalCommunication Driver = C.SERVGAP_DRIVER_EXTERNAL_COMMUNICATION
)

// String is servgap_driver_name.
func (d Driver) String() string {
	return name(C.servgap_driver_name(C.int32_t(d)), "Driver", int64(d))
}

// Whose says whose importance allocation SetImportance sets.
type Whose int32

// Importance owners.
const (
	WhoseCustomer Whose = C.SERVGAP_WHOSE_CUSTOMER
	WhoseProvider Whose = C.SERVGAP_WHOSE_PROVIDER
)

// AccountFlag is a flag of SetAccountFlag.
type AccountFlag int32

// Account flags.
const (
	AccountAtRisk  AccountFlag = C.SERVGAP_ACCOUNT_AT_RISK
	AccountChurned AccountFlag = C.SERVGAP_ACCOUNT_CHURNED
)

// AccountDate is a date of SetAccountDate.
type AccountDate int32

// Account dates.
const (
	AccountRenewal   AccountDate = C.SERVGAP_ACCOUNT_RENEWAL
	AccountMigration AccountDate = C.SERVGAP_ACCOUNT_MIGRATION
)

// Source says where a cell's viewpoint data came from (bits).
type Source uint32

// Sources.
const (
	SourceOwn   Source = C.SERVGAP_SOURCE_OWN
	SourceTier  Source = C.SERVGAP_SOURCE_TIER
	SourceAnyTP Source = C.SERVGAP_SOURCE_ANYTP
	// SourceChanged: a declaration (standard, promised) was replaced or
	// withdrawn inside the window; the side is the mean over the window's
	// days of the value then in force.
	SourceChanged Source = C.SERVGAP_SOURCE_CHANGED
)

// Option is a handle option, set with Ctx.SetOption.
type Option int32

// Options; include/servgap.h gives each one's range and default.
const (
	OptConfidence        Option = C.SERVGAP_OPT_CONFIDENCE
	OptMinNCustomer      Option = C.SERVGAP_OPT_MIN_N_CUSTOMER
	OptMinNProvider      Option = C.SERVGAP_OPT_MIN_N_PROVIDER
	OptNegativeShare     Option = C.SERVGAP_OPT_NEGATIVE_SHARE
	OptAtRiskHealth      Option = C.SERVGAP_OPT_AT_RISK_HEALTH
	OptWeightSize        Option = C.SERVGAP_OPT_WEIGHT_SIZE
	OptWeightValue       Option = C.SERVGAP_OPT_WEIGHT_VALUE
	OptWeightFrequency   Option = C.SERVGAP_OPT_WEIGHT_FREQUENCY
	OptPersistBoost      Option = C.SERVGAP_OPT_PERSIST_BOOST
	OptWindows           Option = C.SERVGAP_OPT_WINDOWS
	OptWindowDays        Option = C.SERVGAP_OPT_WINDOW_DAYS
	OptImpactCut         Option = C.SERVGAP_OPT_IMPACT_CUT
	OptEffortCut         Option = C.SERVGAP_OPT_EFFORT_CUT
	OptRenewalDays       Option = C.SERVGAP_OPT_RENEWAL_DAYS
	OptMigrationDays     Option = C.SERVGAP_OPT_MIGRATION_DAYS
	OptSpikeRecentDays   Option = C.SERVGAP_OPT_SPIKE_RECENT_DAYS
	OptSpikeBaselineDays Option = C.SERVGAP_OPT_SPIKE_BASELINE_DAYS
	OptIPACrosshair      Option = C.SERVGAP_OPT_IPA_CROSSHAIR
	OptIPAImportance     Option = C.SERVGAP_OPT_IPA_IMPORTANCE
	OptIPAPerformance    Option = C.SERVGAP_OPT_IPA_PERFORMANCE
	OptLookbackDays      Option = C.SERVGAP_OPT_LOOKBACK_DAYS // survey viewpoints' look-back
	OptTrendWindows      Option = C.SERVGAP_OPT_TREND_WINDOWS // windows of a trend
	OptDeclarations      Option = C.SERVGAP_OPT_DECLARATIONS  // how standard and promised are read
	DeclareStanding             = C.SERVGAP_DECLARE_STANDING  // values of OptDeclarations
	DeclareInWindow             = C.SERVGAP_DECLARE_IN_WINDOW
	OptPriorities        Option = C.SERVGAP_OPT_PRIORITIES     // how findings are raised and ranked
	PrioritiesGrouped           = C.SERVGAP_PRIORITIES_GROUPED // values of OptPriorities
	PrioritiesV1_1              = C.SERVGAP_PRIORITIES_1_1     // as 1.1: quick wins first, no grouping
	OptReportLevel       Option = C.SERVGAP_OPT_REPORT_LEVEL   // what a result's JSON report holds
	LevelFull                   = C.SERVGAP_LEVEL_FULL         // values of OptReportLevel
	LevelSummary                = C.SERVGAP_LEVEL_SUMMARY
	CrosshairMidpoint           = C.SERVGAP_CROSSHAIR_MIDPOINT // values of OptIPACrosshair
	CrosshairMean               = C.SERVGAP_CROSSHAIR_MEAN
	CrosshairMedian             = C.SERVGAP_CROSSHAIR_MEDIAN
	CrosshairCustom             = C.SERVGAP_CROSSHAIR_CUSTOM
)

// QueryFlag selects what a query computes (bits; 0 means QueryAll).
type QueryFlag uint32

// Query flags. QueryTrends is not part of QueryAll and needs
// QueryPriorities: QueryAll | QueryTrends adds each finding's gap per
// window of the trend (Result.Trends). Ctx.QueryTrends, the method, gives
// the trends of named cells instead. QueryPlans is not part of QueryAll
// either: QueryAll | QueryPlans re-measures every plan item as of the
// analysis date (Result.Plans).
const (
	QueryTiers      QueryFlag = C.SERVGAP_QUERY_TIERS
	QueryAccounts   QueryFlag = C.SERVGAP_QUERY_ACCOUNTS
	QueryBreakdown  QueryFlag = C.SERVGAP_QUERY_BREAKDOWN
	QueryPriorities QueryFlag = C.SERVGAP_QUERY_PRIORITIES
	QueryTriggers   QueryFlag = C.SERVGAP_QUERY_TRIGGERS
	QueryAll        QueryFlag = C.SERVGAP_QUERY_ALL
	QueryTrends     QueryFlag = C.SERVGAP_QUERY_TRENDS
	QueryPlans      QueryFlag = C.SERVGAP_QUERY_PLANS // every plan item re-measured (Result.Plans)
)

// Table is a result table, for Result.Count.
type Table int32

// Result tables.
const (
	TableCells     Table = C.SERVGAP_TABLE_CELLS
	TableServQual  Table = C.SERVGAP_TABLE_SERVQUAL
	TableBreakdown Table = C.SERVGAP_TABLE_BREAKDOWN
	TableFindings  Table = C.SERVGAP_TABLE_FINDINGS
	TableIPA       Table = C.SERVGAP_TABLE_IPA
	TableTriggers  Table = C.SERVGAP_TABLE_TRIGGERS
	TableRisk      Table = C.SERVGAP_TABLE_RISK
	TableTrends    Table = C.SERVGAP_TABLE_TRENDS // series by series, oldest window first
	TablePlans     Table = C.SERVGAP_TABLE_PLANS  // one row per plan item, by id
)

// WeightSource says where a SERVQUAL row's customer weights came from.
type WeightSource int32

// Weight sources.
const (
	WeightsNone        WeightSource = C.SERVGAP_WEIGHTS_NONE
	WeightsRespondents WeightSource = C.SERVGAP_WEIGHTS_RESPONDENTS
	WeightsAllocation  WeightSource = C.SERVGAP_WEIGHTS_ALLOCATION
)

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

// Facet says whether a breakdown row is a team's or a driver's.
type Facet int32

// Breakdown facets.
const (
	FacetTeam   Facet = C.SERVGAP_FACET_TEAM
	FacetDriver Facet = C.SERVGAP_FACET_DRIVER
)

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

// Quadrant is a finding's impact-versus-effort quadrant.
type Quadrant int32

// Impact-versus-effort quadrants.
const (
	QuadrantQuickWin     Quadrant = C.SERVGAP_QUADRANT_QUICK_WIN
	QuadrantMajorProject Quadrant = C.SERVGAP_QUADRANT_MAJOR_PROJECT
	QuadrantFillIn       Quadrant = C.SERVGAP_QUADRANT_FILL_IN
	QuadrantThankless    Quadrant = C.SERVGAP_QUADRANT_THANKLESS
)

// String is servgap_quadrant_name.
func (q Quadrant) String() string {
	return name(C.servgap_quadrant_name(C.int32_t(q)), "Quadrant", int64(q))
}

// FindingFlag holds the flags of a finding.
type FindingFlag uint32

// Finding flags.
const (
	FindingPersistent FindingFlag = C.SERVGAP_FINDING_PERSISTENT
	// FindingNoStandard: customers expect a level that no standard defines.
	FindingNoStandard FindingFlag = C.SERVGAP_FINDING_NO_STANDARD
)

// IPAQuadrant is an Importance-Performance Analysis quadrant.
type IPAQuadrant int32

// IPA quadrants.
const (
	IPAConcentrate IPAQuadrant = C.SERVGAP_IPA_CONCENTRATE
	IPAKeepUp      IPAQuadrant = C.SERVGAP_IPA_KEEP_UP
	IPALowPriority IPAQuadrant = C.SERVGAP_IPA_LOW_PRIORITY
	IPAOverkill    IPAQuadrant = C.SERVGAP_IPA_OVERKILL
)

// String is servgap_ipa_name.
func (q IPAQuadrant) String() string {
	return name(C.servgap_ipa_name(C.int32_t(q)), "IPAQuadrant", int64(q))
}

// TriggerKind is the kind of a review trigger.
type TriggerKind int32

// Trigger kinds.
const (
	TriggerRenewal         TriggerKind = C.SERVGAP_TRIGGER_RENEWAL
	TriggerCSATSpike       TriggerKind = C.SERVGAP_TRIGGER_CSAT_SPIKE
	TriggerMigration       TriggerKind = C.SERVGAP_TRIGGER_MIGRATION
	TriggerHiddenGap       TriggerKind = C.SERVGAP_TRIGGER_HIDDEN_GAP
	TriggerQuarterlyReview TriggerKind = C.SERVGAP_TRIGGER_QUARTERLY_REVIEW
)

// String is servgap_trigger_name.
func (k TriggerKind) String() string {
	return name(C.servgap_trigger_name(C.int32_t(k)), "TriggerKind", int64(k))
}

// Outcome is the outcome of a re-measurement.
type Outcome int32

// Re-measurement outcomes.
const (
	OutcomeNone      Outcome = C.SERVGAP_OUTCOME_NONE
	OutcomeClosed    Outcome = C.SERVGAP_OUTCOME_CLOSED
	OutcomeImproved  Outcome = C.SERVGAP_OUTCOME_IMPROVED
	OutcomeUnchanged Outcome = C.SERVGAP_OUTCOME_UNCHANGED
	OutcomeWorsened  Outcome = C.SERVGAP_OUTCOME_WORSENED
	OutcomeUnknown   Outcome = C.SERVGAP_OUTCOME_UNKNOWN
)

// String is servgap_outcome_name.
func (o Outcome) String() string {
	return name(C.servgap_outcome_name(C.int32_t(o)), "Outcome", int64(o))
}

// CSVTable is a CSV table of ImportCSV.
type CSVTable int32

// CSV tables (docs/formats.md has their columns).
const (
	CSVObservations CSVTable = C.SERVGAP_CSV_OBSERVATIONS
	CSVMetrics      CSVTable = C.SERVGAP_CSV_METRICS
	CSVAccounts     CSVTable = C.SERVGAP_CSV_ACCOUNTS
	CSVImportance   CSVTable = C.SERVGAP_CSV_IMPORTANCE
	CSVEfforts      CSVTable = C.SERVGAP_CSV_EFFORTS
	CSVPlans        CSVTable = C.SERVGAP_CSV_PLANS
)

// String is servgap_csv_table_name.
func (t CSVTable) String() string {
	return name(C.servgap_csv_table_name(C.int32_t(t)), "CSVTable", int64(t))
}

// ImportFlag holds the flags of ImportCSV.
type ImportFlag uint32

// Import flags.
const (
	ImportSkipBadRows ImportFlag = C.SERVGAP_IMPORT_SKIP_BAD_ROWS
)

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
