package servgap

// The constants of servgap.h, written out as literals. This file has no
// cgo on purpose: `go doc` then shows each value (not C.SERVGAP_...), and
// shows them even where cgo is off. TestConstantsMatchC compares every one
// with its C macro, and TestHeaderFullyBound fails for a macro of the
// header that has no constant here.

// Version of the header this package was written against; Version and
// VersionNumber give the linked library's.
const (
	HeaderVersionMajor  = 1
	HeaderVersionMinor  = 2
	HeaderVersionPatch  = 0
	HeaderVersionNumber = HeaderVersionMajor*10000 + HeaderVersionMinor*100 + HeaderVersionPatch
	HeaderVersion       = "1.2.0"
)

// Errno is a libservgap status code as an error value. The sentinels
// ErrMisuse ... ErrCorrupt are Errnos; test an error with
// errors.Is(err, servgap.ErrRange).
type Errno int

// Status codes (include/servgap.h). OK is not an error.
const (
	OK          Errno = 0
	ErrMisuse   Errno = -1  // NULL handle or pointer; a closed Ctx or Result
	ErrInvalid  Errno = -2  // an argument that is not one of its allowed values
	ErrRange    Errno = -3  // a number outside its valid range, NaN or infinite
	ErrNotFound Errno = -4  // an id or name that the handle does not know
	ErrConflict Errno = -5  // a definition that contradicts an earlier one
	ErrNoMem    Errno = -6  // the allocator failed
	ErrLimit    Errno = -7  // a capacity limit was reached
	ErrBufSize  Errno = -8  // a buffer was too small (the binding retries)
	ErrIO       Errno = -9  // reading or writing a file failed
	ErrFormat   Errno = -10 // malformed input such as CSV
	ErrCorrupt  Errno = -11 // a damaged, truncated or foreign snapshot
	// ErrInterrupted: a context or Ctx.Interrupt stopped the call, which
	// changed nothing. With a context, errors.Is(err, context.Canceled)
	// (or DeadlineExceeded) holds too.
	ErrInterrupted Errno = -12
)

// Special ids and times. None, Any and All are untyped so that they fit
// every id type (int32 ids and MetricID alike).
const (
	None     = -1        // no team
	Any      = -1        // touchpoint: applies to every touchpoint
	All      = -2        // a roll-up (results) or a wildcard (efforts)
	TimeNone = -1 << 63  // an unset date; the zero time.Time where times are time.Time
	TimeMin  = -1 << 63  // window start: from the beginning
	TimeMax  = 1<<63 - 1 // window end: without end
	Day      = 86400     // seconds in a day
)

// Limits on numbers: what a handle accepts at every way in, inclusive.
// Beyond them a call fails with ErrRange (ErrCorrupt in a snapshot).
const (
	ValueMax  = 1e15 // |observation value|, |finite range end|, account value
	SpanMin   = 1e-9 // a metric's span, also when it defaults to max - min
	SpanMax   = 2e15 // the widest range's max - min
	EffortMin = 1e-9 // an effort
	EffortMax = 1e15
)

// Kind is the kind of an interned name.
type Kind int32

// Kinds of names.
const (
	KindTier       Kind = 1
	KindTouchpoint Kind = 2
	KindTeam       Kind = 3
	KindAccount    Kind = 4
	KindMetric     Kind = 5
)

// ScopeKind says whether a scope id is an account or a tier. Its values
// are not those of Kind (ScopeAccount is 1, and so is KindTier): use
// ScopeKind.Kind to look up a scope's name.
type ScopeKind int32

// Scope kinds.
const (
	ScopeAccount ScopeKind = 1
	ScopeTier    ScopeKind = 2
)

// Dimension is a SERVQUAL dimension. Each has a built-in Likert metric of
// the same number, but a Dimension is not a metric: pass MetricReliability
// or DimReliability.Metric() where a MetricID is asked for.
type Dimension int32

// Dimensions.
const (
	DimTangibles      Dimension = 0
	DimReliability    Dimension = 1
	DimResponsiveness Dimension = 2
	DimAssurance      Dimension = 3
	DimEmpathy        Dimension = 4
	DimCount                    = 5
)

// MetricID is the id of a metric: one of the five built-in Likert 1..7
// metrics below, or an id DefineMetric returned. All (a dimension
// roll-up in results, a wildcard in efforts) is a MetricID too.
type MetricID int32

// The built-in metrics every handle knows, named after their dimensions.
const (
	MetricTangibles      MetricID = 0
	MetricReliability    MetricID = 1
	MetricResponsiveness MetricID = 2
	MetricAssurance      MetricID = 3
	MetricEmpathy        MetricID = 4
)

// Metric returns the built-in Likert metric of dimension d.
func (d Dimension) Metric() MetricID { return MetricID(d) }

// Direction says which way a metric is better.
type Direction int32

// Directions.
const (
	HigherIsBetter Direction = 1
	LowerIsBetter  Direction = 2
)

// Viewpoint says who gives a level.
type Viewpoint int32

// Viewpoints.
const (
	VPExpected  Viewpoint = 0 // what the customer desires
	VPAdequate  Viewpoint = 1 // the minimum the customer accepts
	VPBelieved  Viewpoint = 2 // what the provider thinks the customer expects
	VPStandard  Viewpoint = 3 // the provider's policy or SLA (a declaration)
	VPDelivered Viewpoint = 4 // what was measurably delivered
	VPPromised  Viewpoint = 5 // what sales or marketing promised (a declaration)
	VPPerceived Viewpoint = 6 // what the customer perceives they got
	VPCount               = 7
)

// GapType is one of the seven gaps of a cell, each "downstream minus
// upstream" on oriented means.
type GapType int32

// Gap types. GapAll is the wildcard of SetEffort.
const (
	GapService       GapType = 0 // perceived - expected (SERVQUAL gap 5)
	GapKnowledge     GapType = 1 // believed - expected (gap 1)
	GapStandards     GapType = 2 // standard - believed (gap 2)
	GapDelivery      GapType = 3 // delivered - standard (gap 3)
	GapCommunication GapType = 4 // delivered - promised (gap 4)
	GapPerception    GapType = 5 // perceived - delivered
	GapAdequacy      GapType = 6 // perceived - adequate
	GapCount                 = 7
	GapAll           GapType = All
)

// Link is a set of links of the chain expected -> believed -> standard ->
// delivered -> perceived, as bits.
type Link uint32

// Links.
const (
	LinkKnowledge     Link = 0x1
	LinkStandards     Link = 0x2
	LinkDelivery      Link = 0x4
	LinkPerception    Link = 0x8
	LinkCommunication Link = 0x10
)

// Status is the status of a gap.
type Status int32

// Gap statuses.
const (
	StatusMet          Status = 0 // the interval contains zero
	StatusShortfall    Status = 1 // the whole interval is below zero
	StatusExceeds      Status = 2 // the whole interval is above zero
	StatusInsufficient Status = 3 // fewer than min_n observations on a side
	StatusUnresolved   Status = 4 // a neighbour link has no data: see the span
)

// GapFlag holds the flags of a gap row.
type GapFlag uint32

// Gap flags.
const (
	GapFlagPaired      GapFlag = 0x1 // paired t interval
	GapFlagNoStandard  GapFlag = 0x2 // customers expect, no standard exists
	GapFlagSufficient  GapFlag = 0x4 // every side has at least min_n observations
	GapFlagSignificant GapFlag = 0x8 // sufficient, finite, the interval excludes zero
	// GapFlagChanged: a side is a declaration (standard, promised) that was
	// replaced or withdrawn inside the window (SourceChanged).
	GapFlagChanged GapFlag = 0x10
)

// Class is a cell's classification: where in the chain its largest
// significant shortfall is created.
type Class int32

// Classifications.
const (
	ClassNone          Class = 0 // no significant shortfall
	ClassKnowledge     Class = 1
	ClassStandards     Class = 2
	ClassDelivery      Class = 3
	ClassCommunication Class = 4
	ClassPerception    Class = 5
	ClassSpan          Class = 6 // an unresolved joined span; see Cell.ClassSpan
	ClassInsufficient  Class = 7 // the data cannot tell
	ClassHidden        Class = 8 // an at-risk account with no service shortfall
)

// Driver is an antecedent of expected service.
type Driver int32

// Expectation drivers.
const (
	DriverNone                  Driver = 0
	DriverWordOfMouth           Driver = 1
	DriverPersonalNeeds         Driver = 2
	DriverPastExperience        Driver = 3
	DriverExternalCommunication Driver = 4
)

// Whose says whose importance allocation SetImportance sets.
type Whose int32

// Importance owners.
const (
	WhoseCustomer Whose = 1
	WhoseProvider Whose = 2
)

// AccountFlag is a flag of SetAccountFlag.
type AccountFlag int32

// Account flags.
const (
	AccountAtRisk  AccountFlag = 1
	AccountChurned AccountFlag = 2
)

// AccountDate is a date of SetAccountDate.
type AccountDate int32

// Account dates.
const (
	AccountRenewal   AccountDate = 1
	AccountMigration AccountDate = 2
)

// Source says where a cell's viewpoint data came from (bits).
type Source uint32

// Sources.
const (
	SourceOwn   Source = 0x1 // the scope's own observations
	SourceTier  Source = 0x2 // an account fell back to its tier
	SourceAnyTP Source = 0x4 // observations recorded for any touchpoint
	// SourceChanged: a declaration (standard, promised) was replaced or
	// withdrawn inside the window; the side is the mean over the window's
	// days of the value then in force.
	SourceChanged Source = 0x8
)

// Option is a handle option, set with Ctx.SetOption.
type Option int32

// Options; include/servgap.h gives each one's range and default. The
// values of OptDeclarations, OptPriorities, OptReportLevel and
// OptIPACrosshair are the untyped constants after them, so that they pass
// as SetOption's float64.
const (
	OptConfidence        Option = 1  // interval level, (0.5, 1); 0.95
	OptMinNCustomer      Option = 2  // min n for expected, adequate, perceived; 5
	OptMinNProvider      Option = 3  // min n for believed, standard, delivered, promised; 1
	OptNegativeShare     Option = 4  // bottom share of a metric's range that is negative, (0, 1); 0.4
	OptAtRiskHealth      Option = 5  // health below this is at risk, [0, 100]; 50
	OptWeightSize        Option = 6  // priority weight of the shortfall size; 1
	OptWeightValue       Option = 7  // priority weight of the affected value share; 1
	OptWeightFrequency   Option = 8  // priority weight of the interactions affected; 1
	OptPersistBoost      Option = 9  // impact multiplier - 1 of a persistent communication gap; 1
	OptWindows           Option = 10 // K windows for persistence and risk, 1..52; 3
	OptWindowDays        Option = 11 // their length and the re-check interval, 1..366; 30
	OptImpactCut         Option = 12 // impact at or above this is high, [0, 100]; 25
	OptEffortCut         Option = 13 // effort at or above this is high, > 0; 3
	OptRenewalDays       Option = 14 // renewal trigger horizon, 1..3660; 90
	OptMigrationDays     Option = 15 // migration trigger look-back, 1..3660; 60
	OptSpikeRecentDays   Option = 16 // CSAT spike: recent window, 1..366; 14
	OptSpikeBaselineDays Option = 17 // CSAT spike: baseline before it, 1..3660; 180
	OptIPACrosshair      Option = 18 // Crosshair*; CrosshairMidpoint
	OptIPAImportance     Option = 19 // custom crosshair: importance points, [0, 100]; 20
	OptIPAPerformance    Option = 20 // custom crosshair: performance, finite; 4
	OptLookbackDays      Option = 21 // survey viewpoints' look-back, 1..3660; 365
	OptTrendWindows      Option = 22 // windows of a trend, 1..52; 12
	OptDeclarations      Option = 23 // how standard and promised are read: Declare*; DeclareStanding
	OptPriorities        Option = 24 // how findings are raised and ranked: Priorities*; PrioritiesGrouped
	OptReportLevel       Option = 25 // what a result's JSON report holds: Level*; LevelFull
	OptThreads           Option = 26 // threads a query builds its cells on, 0..256 (0: every core); 1

	DeclareStanding   = 1 // OptDeclarations: declarations in force until replaced or withdrawn
	DeclareInWindow   = 2 // OptDeclarations: observations of the window only, as 1.1
	PrioritiesGrouped = 1 // OptPriorities: quadrant order, account findings grouped under their tier's
	PrioritiesV1_1    = 2 // OptPriorities: as 1.1: quick wins first, no grouping
	LevelFull         = 1 // OptReportLevel: every row
	LevelSummary      = 2 // OptReportLevel: the tiers' rows, every finding, trigger, risk row, trend and plan
	CrosshairMidpoint = 1 // OptIPACrosshair: the scale's midpoint
	CrosshairMean     = 2 // OptIPACrosshair: means over the scope's dimensions
	CrosshairMedian   = 3 // OptIPACrosshair: medians over the scope's dimensions
	CrosshairCustom   = 4 // OptIPACrosshair: OptIPAImportance and OptIPAPerformance
)

// QueryFlag selects what a query computes (bits; 0 means QueryAll).
type QueryFlag uint32

// Query flags. QueryTrends is not part of QueryAll and needs
// QueryPriorities: QueryAll | QueryTrends adds each finding's gap per
// window of the trend (Result.Trends). Ctx.QueryTrendsContext gives the
// trends of named cells instead. QueryPlans is not part of QueryAll
// either: QueryAll | QueryPlans re-measures every plan item as of the
// analysis date (Result.Plans).
const (
	QueryTiers      QueryFlag = 0x1  // tier cells (pooling their accounts)
	QueryAccounts   QueryFlag = 0x2  // account cells (with tier fallback)
	QueryBreakdown  QueryFlag = 0x4  // team and driver breakdowns
	QueryPriorities QueryFlag = 0x8  // findings, priorities and IPA
	QueryTriggers   QueryFlag = 0x10 // review triggers and persistence risk
	QueryAll        QueryFlag = 0x1f
	QueryTrends     QueryFlag = 0x20 // each finding's trend (Result.Trends)
	QueryPlans      QueryFlag = 0x40 // every plan item re-measured (Result.Plans)
)

// Table is a result table, for Result.Count.
type Table int32

// Result tables.
const (
	TableCells     Table = 1
	TableServQual  Table = 2
	TableBreakdown Table = 3
	TableFindings  Table = 4 // in rank order
	TableIPA       Table = 5
	TableTriggers  Table = 6
	TableRisk      Table = 7
	TableTrends    Table = 8 // series by series, oldest window first
	TablePlans     Table = 9 // one row per plan item, by id
)

// WeightSource says where a SERVQUAL row's customer weights came from.
type WeightSource int32

// Weight sources.
const (
	WeightsNone        WeightSource = 0
	WeightsRespondents WeightSource = 1 // respondents' own importance points
	WeightsAllocation  WeightSource = 2 // the scope's (or its tier's) allocation
)

// Facet says whether a breakdown row is a team's or a driver's.
type Facet int32

// Breakdown facets.
const (
	FacetTeam   Facet = 1
	FacetDriver Facet = 2
)

// Quadrant is a finding's impact-versus-effort quadrant.
type Quadrant int32

// Impact-versus-effort quadrants; boundary values go to the high side.
const (
	QuadrantQuickWin     Quadrant = 1 // high impact, low effort
	QuadrantMajorProject Quadrant = 2 // high impact, high effort
	QuadrantFillIn       Quadrant = 3 // low impact, low effort
	QuadrantThankless    Quadrant = 4 // low impact, high effort
)

// FindingFlag holds the flags of a finding.
type FindingFlag uint32

// Finding flags.
const (
	FindingPersistent FindingFlag = 0x1 // a shortfall in each of the last K windows
	// FindingNoStandard: customers expect a level that no standard defines.
	FindingNoStandard FindingFlag = 0x2
)

// IPAQuadrant is an Importance-Performance Analysis quadrant.
type IPAQuadrant int32

// IPA quadrants.
const (
	IPAConcentrate IPAQuadrant = 1 // important, performing below the crosshair
	IPAKeepUp      IPAQuadrant = 2 // important, performing well
	IPALowPriority IPAQuadrant = 3 // unimportant, performing below
	IPAOverkill    IPAQuadrant = 4 // unimportant, performing well
)

// TriggerKind is the kind of a review trigger.
type TriggerKind int32

// Trigger kinds.
const (
	TriggerRenewal         TriggerKind = 1 // renewal soon with open shortfalls
	TriggerCSATSpike       TriggerKind = 2 // negative perceived scores above baseline
	TriggerMigration       TriggerKind = 3 // migrated recently
	TriggerHiddenGap       TriggerKind = 4 // at risk with no measured service gap
	TriggerQuarterlyReview TriggerKind = 5 // the next formal review date
)

// Outcome is the outcome of a re-measurement.
type Outcome int32

// Re-measurement outcomes.
const (
	OutcomeNone      Outcome = 0 // not re-measured yet
	OutcomeClosed    Outcome = 1 // the follow-up gap meets the target
	OutcomeImproved  Outcome = 2 // significantly smaller shortfall, target not met
	OutcomeUnchanged Outcome = 3 // no significant change
	OutcomeWorsened  Outcome = 4 // significantly larger shortfall
	OutcomeUnknown   Outcome = 5 // a window has too little data to tell
)

// CSVTable is a CSV table of the import calls.
type CSVTable int32

// CSV tables (docs/formats.md has their columns).
const (
	CSVObservations CSVTable = 1
	CSVMetrics      CSVTable = 2
	CSVAccounts     CSVTable = 3
	CSVImportance   CSVTable = 4
	CSVEfforts      CSVTable = 5
	CSVPlans        CSVTable = 6
)

// ImportFlag holds the flags of the import calls.
type ImportFlag uint32

// Import flags.
const (
	ImportSkipBadRows ImportFlag = 0x1 // skip and count bad rows instead of failing
)
