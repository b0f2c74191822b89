// Package clock is the one source of "now", so deadlines, escalation timers
// and daily jobs can be tested with a clock the test moves.
package clock

import (
	"sync"
	"time"
)

// Clock answers the current time.
type Clock interface {
	Now() time.Time
}

// Real is the wall clock, in UTC.
type Real struct{}

// Now answers time.Now in UTC.
func (Real) Now() time.Time { return time.Now().UTC() }

// Fake is a clock that only moves when told to. Safe for concurrent use.
type Fake struct {
	mu sync.Mutex
	t  time.Time
}

// NewFake answers a fake clock set to t.
func NewFake(t time.Time) *Fake { return &Fake{t: t.UTC()} }

// Now answers the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Advance moves the clock forward by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

// Set moves the clock to t.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	f.t = t.UTC()
	f.mu.Unlock()
}

// Shanghai is the zone in which days, months and years are counted for
// deadlines and indicators. It is fixed (UTC+8, no DST) so it needs no tzdata.
var Shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

// EndOfDay answers the instant a deadline date ends: 24:00 Asia/Shanghai.
func EndOfDay(date string) (time.Time, error) {
	d, err := time.ParseInLocation("2006-01-02", date, Shanghai)
	if err != nil {
		return time.Time{}, err
	}
	return d.AddDate(0, 0, 1).UTC(), nil
}

// Today answers the date (YYYY-MM-DD) in Asia/Shanghai at t.
func Today(t time.Time) string { return t.In(Shanghai).Format("2006-01-02") }
