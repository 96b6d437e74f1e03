package servgap

// The constants of consts.go against the C header: each literal equals its
// macro as the C compiler sees it, and every macro of servgap.h has one.

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"example.invalid/libservgap/servgap/internal/cheader"
)

// goInts maps each integer macro of servgap.h to its Go constant.
var goInts = map[string]int64{
	"SERVGAP_VERSION_MAJOR":                 int64(HeaderVersionMajor),
	"SERVGAP_VERSION_MINOR":                 int64(HeaderVersionMinor),
	"SERVGAP_VERSION_PATCH":                 int64(HeaderVersionPatch),
	"SERVGAP_VERSION_NUMBER":                int64(HeaderVersionNumber),
	"SERVGAP_OK":                            int64(OK),
	"SERVGAP_EMISUSE":                       int64(ErrMisuse),
	"SERVGAP_EINVAL":                        int64(ErrInvalid),
	"SERVGAP_ERANGE":                        int64(ErrRange),
	"SERVGAP_ENOTFOUND":                     int64(ErrNotFound),
	"SERVGAP_ECONFLICT":                     int64(ErrConflict),
	"SERVGAP_ENOMEM":                        int64(ErrNoMem),
	"SERVGAP_ELIMIT":                        int64(ErrLimit),
	"SERVGAP_EBUFSIZE":                      int64(ErrBufSize),
	"SERVGAP_EIO":                           int64(ErrIO),
	"SERVGAP_EFORMAT":                       int64(ErrFormat),
	"SERVGAP_ECORRUPT":                      int64(ErrCorrupt),
	"SERVGAP_EINTERRUPTED":                  int64(ErrInterrupted),
	"SERVGAP_DIM_TANGIBLES":                 int64(DimTangibles),
	"SERVGAP_DIM_RELIABILITY":               int64(DimReliability),
	"SERVGAP_DIM_RESPONSIVENESS":            int64(DimResponsiveness),
	"SERVGAP_DIM_ASSURANCE":                 int64(DimAssurance),
	"SERVGAP_DIM_EMPATHY":                   int64(DimEmpathy),
	"SERVGAP_DIM_COUNT":                     int64(DimCount),
	"SERVGAP_HIGHER_IS_BETTER":              int64(HigherIsBetter),
	"SERVGAP_LOWER_IS_BETTER":               int64(LowerIsBetter),
	"SERVGAP_VP_EXPECTED":                   int64(VPExpected),
	"SERVGAP_VP_ADEQUATE":                   int64(VPAdequate),
	"SERVGAP_VP_BELIEVED":                   int64(VPBelieved),
	"SERVGAP_VP_STANDARD":                   int64(VPStandard),
	"SERVGAP_VP_DELIVERED":                  int64(VPDelivered),
	"SERVGAP_VP_PROMISED":                   int64(VPPromised),
	"SERVGAP_VP_PERCEIVED":                  int64(VPPerceived),
	"SERVGAP_VP_COUNT":                      int64(VPCount),
	"SERVGAP_GAP_SERVICE":                   int64(GapService),
	"SERVGAP_GAP_KNOWLEDGE":                 int64(GapKnowledge),
	"SERVGAP_GAP_STANDARDS":                 int64(GapStandards),
	"SERVGAP_GAP_DELIVERY":                  int64(GapDelivery),
	"SERVGAP_GAP_COMMUNICATION":             int64(GapCommunication),
	"SERVGAP_GAP_PERCEPTION":                int64(GapPerception),
	"SERVGAP_GAP_ADEQUACY":                  int64(GapAdequacy),
	"SERVGAP_GAP_COUNT":                     int64(GapCount),
	"SERVGAP_LINK_KNOWLEDGE":                int64(LinkKnowledge),
	"SERVGAP_LINK_STANDARDS":                int64(LinkStandards),
	"SERVGAP_LINK_DELIVERY":                 int64(LinkDelivery),
	"SERVGAP_LINK_PERCEPTION":               int64(LinkPerception),
	"SERVGAP_LINK_COMMUNICATION":            int64(LinkCommunication),
	"SERVGAP_STATUS_MET":                    int64(StatusMet),
	"SERVGAP_STATUS_SHORTFALL":              int64(StatusShortfall),
	"SERVGAP_STATUS_EXCEEDS":                int64(StatusExceeds),
	"SERVGAP_STATUS_INSUFFICIENT":           int64(StatusInsufficient),
	"SERVGAP_STATUS_UNRESOLVED":             int64(StatusUnresolved),
	"SERVGAP_GAPFLAG_PAIRED":                int64(GapFlagPaired),
	"SERVGAP_GAPFLAG_NO_STANDARD":           int64(GapFlagNoStandard),
	"SERVGAP_GAPFLAG_SUFFICIENT":            int64(GapFlagSufficient),
	"SERVGAP_GAPFLAG_SIGNIFICANT":           int64(GapFlagSignificant),
	"SERVGAP_GAPFLAG_CHANGED":               int64(GapFlagChanged),
	"SERVGAP_CLASS_NONE":                    int64(ClassNone),
	"SERVGAP_CLASS_KNOWLEDGE":               int64(ClassKnowledge),
	"SERVGAP_CLASS_STANDARDS":               int64(ClassStandards),
	"SERVGAP_CLASS_DELIVERY":                int64(ClassDelivery),
	"SERVGAP_CLASS_COMMUNICATION":           int64(ClassCommunication),
	"SERVGAP_CLASS_PERCEPTION":              int64(ClassPerception),
	"SERVGAP_CLASS_SPAN":                    int64(ClassSpan),
	"SERVGAP_CLASS_INSUFFICIENT":            int64(ClassInsufficient),
	"SERVGAP_CLASS_HIDDEN":                  int64(ClassHidden),
	"SERVGAP_SCOPE_ACCOUNT":                 int64(ScopeAccount),
	"SERVGAP_SCOPE_TIER":                    int64(ScopeTier),
	"SERVGAP_KIND_TIER":                     int64(KindTier),
	"SERVGAP_KIND_TOUCHPOINT":               int64(KindTouchpoint),
	"SERVGAP_KIND_TEAM":                     int64(KindTeam),
	"SERVGAP_KIND_ACCOUNT":                  int64(KindAccount),
	"SERVGAP_KIND_METRIC":                   int64(KindMetric),
	"SERVGAP_DRIVER_NONE":                   int64(DriverNone),
	"SERVGAP_DRIVER_WORD_OF_MOUTH":          int64(DriverWordOfMouth),
	"SERVGAP_DRIVER_PERSONAL_NEEDS":         int64(DriverPersonalNeeds),
	"SERVGAP_DRIVER_PAST_EXPERIENCE":        int64(DriverPastExperience),
	"SERVGAP_DRIVER_EXTERNAL_COMMUNICATION": int64(DriverExternalCommunication),
	"SERVGAP_WHOSE_CUSTOMER":                int64(WhoseCustomer),
	"SERVGAP_WHOSE_PROVIDER":                int64(WhoseProvider),
	"SERVGAP_ACCOUNT_AT_RISK":               int64(AccountAtRisk),
	"SERVGAP_ACCOUNT_CHURNED":               int64(AccountChurned),
	"SERVGAP_ACCOUNT_RENEWAL":               int64(AccountRenewal),
	"SERVGAP_ACCOUNT_MIGRATION":             int64(AccountMigration),
	"SERVGAP_NONE":                          int64(None),
	"SERVGAP_ANY":                           int64(Any),
	"SERVGAP_ALL":                           int64(All),
	"SERVGAP_TIME_NONE":                     int64(TimeNone),
	"SERVGAP_TIME_MIN":                      int64(TimeMin),
	"SERVGAP_TIME_MAX":                      int64(TimeMax),
	"SERVGAP_DAY":                           int64(Day),
	"SERVGAP_SOURCE_OWN":                    int64(SourceOwn),
	"SERVGAP_SOURCE_TIER":                   int64(SourceTier),
	"SERVGAP_SOURCE_ANYTP":                  int64(SourceAnyTP),
	"SERVGAP_SOURCE_CHANGED":                int64(SourceChanged),
	"SERVGAP_OPT_CONFIDENCE":                int64(OptConfidence),
	"SERVGAP_OPT_MIN_N_CUSTOMER":            int64(OptMinNCustomer),
	"SERVGAP_OPT_MIN_N_PROVIDER":            int64(OptMinNProvider),
	"SERVGAP_OPT_NEGATIVE_SHARE":            int64(OptNegativeShare),
	"SERVGAP_OPT_AT_RISK_HEALTH":            int64(OptAtRiskHealth),
	"SERVGAP_OPT_WEIGHT_SIZE":               int64(OptWeightSize),
	"SERVGAP_OPT_WEIGHT_VALUE":              int64(OptWeightValue),
	"SERVGAP_OPT_WEIGHT_FREQUENCY":          int64(OptWeightFrequency),
	"SERVGAP_OPT_PERSIST_BOOST":             int64(OptPersistBoost),
	"SERVGAP_OPT_WINDOWS":                   int64(OptWindows),
	"SERVGAP_OPT_WINDOW_DAYS":               int64(OptWindowDays),
	"SERVGAP_OPT_IMPACT_CUT":                int64(OptImpactCut),
	"SERVGAP_OPT_EFFORT_CUT":                int64(OptEffortCut),
	"SERVGAP_OPT_RENEWAL_DAYS":              int64(OptRenewalDays),
	"SERVGAP_OPT_MIGRATION_DAYS":            int64(OptMigrationDays),
	"SERVGAP_OPT_SPIKE_RECENT_DAYS":         int64(OptSpikeRecentDays),
	"SERVGAP_OPT_SPIKE_BASELINE_DAYS":       int64(OptSpikeBaselineDays),
	"SERVGAP_OPT_IPA_CROSSHAIR":             int64(OptIPACrosshair),
	"SERVGAP_OPT_IPA_IMPORTANCE":            int64(OptIPAImportance),
	"SERVGAP_OPT_IPA_PERFORMANCE":           int64(OptIPAPerformance),
	"SERVGAP_OPT_LOOKBACK_DAYS":             int64(OptLookbackDays),
	"SERVGAP_OPT_TREND_WINDOWS":             int64(OptTrendWindows),
	"SERVGAP_OPT_DECLARATIONS":              int64(OptDeclarations),
	"SERVGAP_OPT_PRIORITIES":                int64(OptPriorities),
	"SERVGAP_OPT_REPORT_LEVEL":              int64(OptReportLevel),
	"SERVGAP_OPT_THREADS":                   int64(OptThreads),
	"SERVGAP_LEVEL_FULL":                    int64(LevelFull),
	"SERVGAP_LEVEL_SUMMARY":                 int64(LevelSummary),
	"SERVGAP_DECLARE_STANDING":              int64(DeclareStanding),
	"SERVGAP_DECLARE_IN_WINDOW":             int64(DeclareInWindow),
	"SERVGAP_PRIORITIES_GROUPED":            int64(PrioritiesGrouped),
	"SERVGAP_PRIORITIES_1_1":                int64(PrioritiesV1_1),
	"SERVGAP_CROSSHAIR_MIDPOINT":            int64(CrosshairMidpoint),
	"SERVGAP_CROSSHAIR_MEAN":                int64(CrosshairMean),
	"SERVGAP_CROSSHAIR_MEDIAN":              int64(CrosshairMedian),
	"SERVGAP_CROSSHAIR_CUSTOM":              int64(CrosshairCustom),
	"SERVGAP_OUTCOME_NONE":                  int64(OutcomeNone),
	"SERVGAP_OUTCOME_CLOSED":                int64(OutcomeClosed),
	"SERVGAP_OUTCOME_IMPROVED":              int64(OutcomeImproved),
	"SERVGAP_OUTCOME_UNCHANGED":             int64(OutcomeUnchanged),
	"SERVGAP_OUTCOME_WORSENED":              int64(OutcomeWorsened),
	"SERVGAP_OUTCOME_UNKNOWN":               int64(OutcomeUnknown),
	"SERVGAP_QUERY_TIERS":                   int64(QueryTiers),
	"SERVGAP_QUERY_ACCOUNTS":                int64(QueryAccounts),
	"SERVGAP_QUERY_BREAKDOWN":               int64(QueryBreakdown),
	"SERVGAP_QUERY_PRIORITIES":              int64(QueryPriorities),
	"SERVGAP_QUERY_TRIGGERS":                int64(QueryTriggers),
	"SERVGAP_QUERY_ALL":                     int64(QueryAll),
	"SERVGAP_QUERY_TRENDS":                  int64(QueryTrends),
	"SERVGAP_QUERY_PLANS":                   int64(QueryPlans),
	"SERVGAP_TABLE_CELLS":                   int64(TableCells),
	"SERVGAP_TABLE_SERVQUAL":                int64(TableServQual),
	"SERVGAP_TABLE_BREAKDOWN":               int64(TableBreakdown),
	"SERVGAP_TABLE_FINDINGS":                int64(TableFindings),
	"SERVGAP_TABLE_IPA":                     int64(TableIPA),
	"SERVGAP_TABLE_TRIGGERS":                int64(TableTriggers),
	"SERVGAP_TABLE_RISK":                    int64(TableRisk),
	"SERVGAP_TABLE_TRENDS":                  int64(TableTrends),
	"SERVGAP_TABLE_PLANS":                   int64(TablePlans),
	"SERVGAP_WEIGHTS_NONE":                  int64(WeightsNone),
	"SERVGAP_WEIGHTS_RESPONDENTS":           int64(WeightsRespondents),
	"SERVGAP_WEIGHTS_ALLOCATION":            int64(WeightsAllocation),
	"SERVGAP_FACET_TEAM":                    int64(FacetTeam),
	"SERVGAP_FACET_DRIVER":                  int64(FacetDriver),
	"SERVGAP_QUADRANT_QUICK_WIN":            int64(QuadrantQuickWin),
	"SERVGAP_QUADRANT_MAJOR_PROJECT":        int64(QuadrantMajorProject),
	"SERVGAP_QUADRANT_FILL_IN":              int64(QuadrantFillIn),
	"SERVGAP_QUADRANT_THANKLESS":            int64(QuadrantThankless),
	"SERVGAP_FINDING_PERSISTENT":            int64(FindingPersistent),
	"SERVGAP_FINDING_NO_STANDARD":           int64(FindingNoStandard),
	"SERVGAP_IPA_CONCENTRATE":               int64(IPAConcentrate),
	"SERVGAP_IPA_KEEP_UP":                   int64(IPAKeepUp),
	"SERVGAP_IPA_LOW_PRIORITY":              int64(IPALowPriority),
	"SERVGAP_IPA_OVERKILL":                  int64(IPAOverkill),
	"SERVGAP_TRIGGER_RENEWAL":               int64(TriggerRenewal),
	"SERVGAP_TRIGGER_CSAT_SPIKE":            int64(TriggerCSATSpike),
	"SERVGAP_TRIGGER_MIGRATION":             int64(TriggerMigration),
	"SERVGAP_TRIGGER_HIDDEN_GAP":            int64(TriggerHiddenGap),
	"SERVGAP_TRIGGER_QUARTERLY_REVIEW":      int64(TriggerQuarterlyReview),
	"SERVGAP_CSV_OBSERVATIONS":              int64(CSVObservations),
	"SERVGAP_CSV_METRICS":                   int64(CSVMetrics),
	"SERVGAP_CSV_ACCOUNTS":                  int64(CSVAccounts),
	"SERVGAP_CSV_IMPORTANCE":                int64(CSVImportance),
	"SERVGAP_CSV_EFFORTS":                   int64(CSVEfforts),
	"SERVGAP_CSV_PLANS":                     int64(CSVPlans),
	"SERVGAP_IMPORT_SKIP_BAD_ROWS":          int64(ImportSkipBadRows),
}

// goFloats maps the floating-point macros (the limits on numbers).
var goFloats = map[string]float64{
	"SERVGAP_VALUE_MAX":  ValueMax,
	"SERVGAP_SPAN_MIN":   SpanMin,
	"SERVGAP_SPAN_MAX":   SpanMax,
	"SERVGAP_EFFORT_MIN": EffortMin,
	"SERVGAP_EFFORT_MAX": EffortMax,
}

func TestConstantsMatchC(t *testing.T) {
	for name, c := range cheader.Ints() {
		g, ok := goInts[name]
		if !ok {
			t.Errorf("%s = %d has no Go constant", name, c)
		} else if g != c {
			t.Errorf("%s: Go %d, C %d", name, g, c)
		}
	}
	for name, c := range cheader.Floats() {
		if g, ok := goFloats[name]; !ok || g != c {
			t.Errorf("%s: Go %v (defined %v), C %v", name, g, ok, c)
		}
	}
	if HeaderVersion != cheader.VersionString() {
		t.Errorf("HeaderVersion %q, C %q", HeaderVersion, cheader.VersionString())
	}
}

// TestHeaderFullyBound reads the macros of include/servgap.h, so that one
// the header gains fails here until the binding has a constant for it
// (and internal/cheader reads its C value).
func TestHeaderFullyBound(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("..", "..", "include", "servgap.h"))
	if err != nil {
		t.Fatal(err)
	}
	c := cheader.Ints()
	f := cheader.Floats()
	macros := regexp.MustCompile(`(?m)^#define (SERVGAP_[A-Z0-9_]+)`).FindAllSubmatch(text, -1)
	for _, m := range macros {
		name := string(m[1])
		switch name {
		case "SERVGAP_H", "SERVGAP_API", "SERVGAP_VERSION_STRING":
			continue
		}
		_, gi := goInts[name]
		_, gf := goFloats[name]
		_, ci := c[name]
		_, cf := f[name]
		if !(gi && ci) && !(gf && cf) {
			t.Errorf("%s: Go constant %v, C value read %v", name, gi || gf, ci || cf)
		}
	}
	if len(macros) < 150 {
		t.Fatalf("read only %d macros from servgap.h", len(macros))
	}
}
