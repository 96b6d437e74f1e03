package servgap

// Times in Go: time.Time in and out, C's int64 UTC seconds and their
// sentinels inside.

import "time"

// Window is a window of whole UTC days, [From, To). A zero From reaches
// back to the first observation and a zero To has no end (C's TimeMin
// and TimeMax). The ends must be UTC midnights: time.Date(y, m, d, 0, 0,
// 0, 0, time.UTC), or t.UTC().Truncate(24 * time.Hour).
type Window struct {
	From, To time.Time
}

// bounds returns the window in C's form.
func (w Window) bounds() (from, to int64) {
	return unixOr(w.From, TimeMin), unixOr(w.To, TimeMax)
}

// unixOr returns t in UTC seconds, or sentinel for the zero Time.
func unixOr(t time.Time, sentinel int64) int64 {
	if t.IsZero() {
		return sentinel
	}
	return t.Unix()
}

// fromUnix returns C's UTC seconds as a UTC time, and the zero Time for a
// sentinel: TimeNone (an unset date, also TimeMin) and TimeMax.
func fromUnix(s int64) time.Time {
	if s == TimeNone || s == TimeMax {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// windowOf returns C's window as a Window.
func windowOf(from, to int64) Window { return Window{From: fromUnix(from), To: fromUnix(to)} }
