// Command servgap-go prints a short satisfaction-gap report of the CSV
// tables in a directory (examples/data by default) through the Go binding
// of libservgap: the top findings, SERVQUAL per tier and the review
// triggers.
//
//	go run . [-top N] [DIR]
//
// Build it against a meson build tree (docs/ffi.md):
//
//	export PKG_CONFIG_PATH=$PWD/build/meson-uninstalled LD_LIBRARY_PATH=$PWD/build
//	cd examples/go && go run . ../data
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"example.invalid/libservgap/servgap"
)

func main() {
	top := flag.Int("top", 10, "findings to list")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: %s [-top N] [DIR]\n", os.Args[0])
		flag.PrintDefaults()
	}
	flag.Parse()
	dir := filepath.Join("..", "data")
	if flag.NArg() > 1 {
		flag.Usage()
		os.Exit(2)
	}
	if flag.NArg() == 1 {
		dir = flag.Arg(0)
	}
	if err := run(dir, *top); err != nil {
		fmt.Fprintln(os.Stderr, "servgap-go:", err)
		os.Exit(1)
	}
}

// The tables, in the order that defines names before they are used.
var tables = []struct {
	table servgap.CSVTable
	file  string
}{
	{servgap.CSVMetrics, "metrics.csv"},
	{servgap.CSVAccounts, "accounts.csv"},
	{servgap.CSVObservations, "observations.csv"},
	{servgap.CSVImportance, "importance.csv"},
	{servgap.CSVEfforts, "efforts.csv"},
}

func run(dir string, top int) error {
	ctx, err := servgap.New()
	if err != nil {
		return err
	}
	defer ctx.Close()
	for _, t := range tables {
		path := filepath.Join(dir, t.file)
		if _, err := os.Stat(path); err != nil && t.table != servgap.CSVObservations {
			continue // only the observations are required
		}
		// A CSV error reads "FILE:LINE:COLUMN: reason".
		if _, err := ctx.ImportCSV(t.table, path, 0); err != nil {
			return err
		}
	}

	res, err := ctx.Query(servgap.TimeMin, servgap.TimeMax, servgap.QueryAll)
	if err != nil {
		return err
	}
	defer res.Close()
	n, err := ctx.ObservationCount()
	if err != nil {
		return err
	}
	now, err := res.Now()
	if err != nil {
		return err
	}
	cells, err := res.Count(servgap.TableCells)
	if err != nil {
		return err
	}
	nf, err := res.Count(servgap.TableFindings)
	if err != nil {
		return err
	}
	fmt.Printf("libservgap %s: %d observations, %d cells, %d findings, analysis date %s\n",
		servgap.Version(), n, cells, nf, date(now))

	if err := findings(ctx, res, top); err != nil {
		return err
	}
	if err := servqual(ctx, res); err != nil {
		return err
	}
	return triggers(ctx, res)
}

// scopeName gives "tier:NAME" or "account:NAME".
func scopeName(ctx *servgap.Ctx, kind servgap.ScopeKind, id int32) string {
	k := servgap.KindAccount
	if kind == servgap.ScopeTier {
		k = servgap.KindTier
	}
	name, err := ctx.Name(k, id)
	if err != nil {
		return fmt.Sprintf("%v:%d", kind, id)
	}
	return kind.String() + ":" + name
}

// nameOf gives a touchpoint or metric name, "*" for a roll-up.
func nameOf(ctx *servgap.Ctx, kind servgap.Kind, id int32) string {
	if id == servgap.All {
		return "*"
	}
	name, err := ctx.Name(kind, id)
	if err != nil {
		return fmt.Sprint(id)
	}
	return name
}

func findings(ctx *servgap.Ctx, res *servgap.Result, top int) error {
	fs, err := res.Findings()
	if err != nil {
		return err
	}
	fmt.Printf("\nTop findings (impact on account health against effort to fix):\n")
	fmt.Printf("  %4s %-13s %6s %6s  %-30s %-8s %-22s %-14s %7s\n",
		"rank", "quadrant", "impact", "effort", "scope", "channel", "metric", "gap", "value")
	for _, f := range fs {
		if int(f.Rank) > top {
			break
		}
		metric := nameOf(ctx, servgap.KindMetric, int32(f.Metric))
		if f.Metric == servgap.All {
			metric = "*" + f.Dimension.String()
		}
		fmt.Printf("  %4d %-13s %6.1f %6.2f  %-30s %-8s %-22s %-14s %+7.2f\n",
			f.Rank, f.Quadrant, f.Impact, f.Effort, scopeName(ctx, f.ScopeKind, f.ScopeID),
			nameOf(ctx, servgap.KindTouchpoint, f.Touchpoint), metric, f.Gap, f.Value)
	}
	return nil
}

func servqual(ctx *servgap.Ctx, res *servgap.Result) error {
	rows, err := res.ServQual()
	if err != nil {
		return err
	}
	fmt.Printf("\nSERVQUAL per tier, over all touchpoints (perceived - expected, per dimension):\n")
	fmt.Printf("  %-18s", "tier")
	for d := servgap.Dimension(0); d < servgap.DimCount; d++ {
		fmt.Printf(" %14s", d)
	}
	fmt.Printf(" %10s %10s\n", "unweighted", "weighted")
	for _, q := range rows {
		if q.ScopeKind != servgap.ScopeTier || q.Touchpoint != servgap.All {
			continue
		}
		fmt.Printf("  %-18s", scopeName(ctx, q.ScopeKind, q.ScopeID))
		for d := 0; d < servgap.DimCount; d++ {
			fmt.Printf(" %14s", num(q.DimensionGap[d]))
		}
		fmt.Printf(" %10s %10s\n", num(q.Unweighted), num(q.Weighted))
	}
	return nil
}

func triggers(ctx *servgap.Ctx, res *servgap.Result) error {
	ts, err := res.Triggers()
	if err != nil {
		return err
	}
	fmt.Printf("\nReview triggers (%d):\n", len(ts))
	for _, t := range ts {
		name, err := ctx.Name(servgap.KindAccount, t.Account)
		if err != nil {
			return err
		}
		fmt.Printf("  %-22s %-17s %s\n", name, t.Kind, t.Detail)
	}
	return nil
}

func num(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf("%+.2f", x)
}

func date(t int64) string { return time.Unix(t, 0).UTC().Format("2006-01-02") }
