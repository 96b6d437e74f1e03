// Command servgap-go is the newcomer's tour of the Go binding of
// libservgap: it imports the CSV tables of a directory (examples/data by
// default), prints the top priorities of each tier and the review
// triggers, and writes the JSON report to a file, the bytes of
// `servgap-report --data DIR --json --level full`.
//
//	go run . [-top N] [-json FILE] [DIR]
//
// Build it against a meson build tree (docs/ffi.md, "Building"):
//
//	export PKG_CONFIG_PATH=$PWD/build/meson-uninstalled
//	export CGO_LDFLAGS=-Wl,-rpath,$PWD/build  # or LD_LIBRARY_PATH=$PWD/build at run time
//	cd examples/go && go run . ../data
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"example.invalid/libservgap/servgap"
)

func main() {
	top := flag.Int("top", 5, "priorities listed per tier")
	jsonPath := flag.String("json", "report.json", "where to write the JSON report")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: %s [-top N] [-json FILE] [DIR]\n", os.Args[0])
		flag.PrintDefaults()
	}
	flag.Parse()
	dir := filepath.Join("..", "data")
	switch flag.NArg() {
	case 0:
	case 1:
		dir = flag.Arg(0)
	default:
		flag.Usage()
		os.Exit(2)
	}
	// Ctrl-C cancels the context, which stops a running import or query.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, dir, *top, *jsonPath); err != nil {
		fmt.Fprintln(os.Stderr, "servgap-go:", err)
		os.Exit(1)
	}
}

// tables are servgap-report's, in its order: names are defined before
// the tables that use them.
var tables = []struct {
	table servgap.CSVTable
	file  string
}{
	{servgap.CSVMetrics, "metrics.csv"},
	{servgap.CSVAccounts, "accounts.csv"},
	{servgap.CSVObservations, "observations.csv"},
	{servgap.CSVImportance, "importance.csv"},
	{servgap.CSVEfforts, "efforts.csv"},
	{servgap.CSVPlans, "plans.csv"},
}

func run(ctx context.Context, dir string, top int, jsonPath string) error {
	h, err := servgap.New()
	if err != nil {
		return err
	}
	defer h.Close()
	if err := load(ctx, h, dir); err != nil {
		return err
	}
	// The query of servgap-report --json --level full: every table, each finding's
	// trend and every plan re-measured.
	res, err := h.QueryContext(ctx, servgap.QueryOptions{
		Flags: servgap.QueryAll | servgap.QueryTrends | servgap.QueryPlans,
	})
	if err != nil {
		return err
	}
	defer res.Close()
	if err := summary(h, res); err != nil {
		return err
	}
	if err := priorities(h, res, top); err != nil {
		return err
	}
	if err := triggers(h, res); err != nil {
		return err
	}
	return writeJSON(res, jsonPath)
}

// load imports the tables of dir; only observations.csv is required.
func load(ctx context.Context, h *servgap.Ctx, dir string) error {
	for _, t := range tables {
		_, err := h.ImportCSVContext(ctx, t.table, filepath.Join(dir, t.file), 0)
		if errors.Is(err, fs.ErrNotExist) && t.table != servgap.CSVObservations {
			continue
		}
		if err != nil {
			return err // a CSV error reads "FILE:LINE:COLUMN: reason"
		}
	}
	return nil
}

func summary(h *servgap.Ctx, res *servgap.Result) error {
	n, err := h.ObservationCount()
	if err != nil {
		return err
	}
	findings, err := res.Count(servgap.TableFindings)
	if err != nil {
		return err
	}
	now, err := res.AnalysisDate()
	if err != nil {
		return err
	}
	fmt.Printf("libservgap %s: %d observations, %d findings, analysis date %s\n",
		servgap.Version(), n, findings, now.Format("2006-01-02"))
	return nil
}

// priorities lists, for each tier, its first findings in rank order: the
// tier's own and its accounts'. An account finding that repeats its
// tier's (a member of the tier finding's group) is left out: the tier
// finding counts it.
func priorities(h *servgap.Ctx, res *servgap.Result, top int) error {
	findings, err := res.Findings()
	if err != nil {
		return err
	}
	tiers, err := h.Count(servgap.KindTier)
	if err != nil {
		return err
	}
	byTier := make([][]servgap.Finding, tiers)
	for _, f := range findings {
		tier, err := tierOf(h, f)
		if err != nil {
			return err
		}
		if f.Root < 0 && tier >= 0 && len(byTier[tier]) < top {
			byTier[tier] = append(byTier[tier], f)
		}
	}
	fmt.Printf("\nTop %d priorities per tier (impact on account health against effort to fix)\n", top)
	for tier, fs := range byTier {
		name, err := h.Name(servgap.KindTier, int32(tier))
		if err != nil {
			return err
		}
		fmt.Printf("\ntier %s\n", visible(name))
		w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintf(w, "  rank\tquadrant\timpact\teffort\tscope\ttouchpoint\tmetric\tgap\tvalue\n")
		for _, f := range fs {
			if err := priorityRow(w, h, f); err != nil {
				return err
			}
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// tierOf returns the tier of a finding's scope, or -1 for an account
// without a tier.
func tierOf(h *servgap.Ctx, f servgap.Finding) (int32, error) {
	if f.ScopeKind == servgap.ScopeTier {
		return f.ScopeID, nil
	}
	a, err := h.AccountInfo(f.ScopeID)
	return a.Tier, err
}

func priorityRow(w *tabwriter.Writer, h *servgap.Ctx, f servgap.Finding) error {
	scope, err := h.Name(f.ScopeKind.Kind(), f.ScopeID)
	if err != nil {
		return err
	}
	touchpoint := "all"
	if f.Touchpoint != servgap.All {
		if touchpoint, err = h.Name(servgap.KindTouchpoint, f.Touchpoint); err != nil {
			return err
		}
	}
	metric := "dim:" + f.Dimension.String()
	if f.Metric != servgap.All {
		m, err := h.MetricInfo(f.Metric)
		if err != nil {
			return err
		}
		metric = m.Name
	}
	_, err = fmt.Fprintf(w, "  %d\t%s\t%.1f\t%.2f\t%s %s\t%s\t%s\t%s\t%+.2f\n", f.Rank, f.Quadrant, f.Impact,
		f.Effort, f.ScopeKind, visible(scope), visible(touchpoint), visible(metric), f.Gap, f.Value)
	return err
}

func triggers(h *servgap.Ctx, res *servgap.Result) error {
	ts, err := res.Triggers()
	if err != nil {
		return err
	}
	fmt.Printf("\nReview triggers (%d)\n", len(ts))
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	for _, t := range ts {
		account, err := h.Name(servgap.KindAccount, t.Account)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", visible(account), t.Kind, t.Date.Format("2006-01-02"),
			visible(t.Detail))
	}
	return w.Flush()
}

// writeJSON streams the JSON report to path: no buffer the report's size.
func writeJSON(res *servgap.Result, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	n, err := res.WriteJSON(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Printf("\nJSON report: %s (%d bytes)\n", path, n)
	return nil
}

// visible makes the control characters of a name from the data visible,
// as servgap-report does: printed raw, ESC [2J would clear the screen.
func visible(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r <= 0x9f:
			fmt.Fprintf(&b, `\u%04x`, r)
		case r == '\\':
			b.WriteString(`\\`)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
