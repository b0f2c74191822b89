package bench

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"time"

	"minesafe/internal/telemetry"
)

// QueryOptions shape a query run.
type QueryOptions struct {
	DB      string
	Days    int // length of the seeded series (30)
	PeriodS int // its period (10 s)
	Runs    int // how many times the chart is asked for
	Log     *slog.Logger
}

// QueryReport is what a query run measured.
type QueryReport struct {
	DB      string  `json:"db"`
	Samples int     `json:"samples"`
	Buckets int     `json:"buckets"`
	Runs    int     `json:"runs"`
	P50ms   float64 `json:"p50_ms"`
	P99ms   float64 `json:"p99_ms"`
	Seeding float64 `json:"seed_seconds"`
}

// Query seeds one point with Days of PeriodS samples and times the
// bucketed chart of the whole range, about 500 buckets, as the web app asks
// for it.
func Query(ctx context.Context, opt QueryOptions) (QueryReport, error) {
	if opt.Days <= 0 {
		opt.Days = 30
	}
	if opt.PeriodS <= 0 {
		opt.PeriodS = 10
	}
	if opt.Runs <= 0 {
		opt.Runs = 50
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	e, err := start(ctx, opt.DB, opt.Log)
	if err != nil {
		return QueryReport{}, err
	}
	defer e.close()
	rep := QueryReport{DB: e.db.Redacted(), Runs: opt.Runs}
	mines, _, err := e.fixtures(ctx, 1)
	if err != nil {
		return rep, err
	}
	pts, err := e.a.Telemetry.MinePoints(ctx, mustMine(ctx, e, mines[0].code))
	if err != nil || len(pts) == 0 {
		return rep, fmt.Errorf("bench point: %v", err)
	}
	point := pts[0].ID
	to := time.Now().Truncate(time.Second)
	from := to.Add(-time.Duration(opt.Days) * 24 * time.Hour)
	n := opt.Days * 86400 / opt.PeriodS
	t0 := time.Now()
	batch := make([]telemetry.Sample, 0, 5000)
	for i := 0; i < n; i++ {
		at := from.Add(time.Duration(i*opt.PeriodS) * time.Second)
		// A realistic methane trace: shifts, noise at the sensor's precision.
		v := math.Round((0.25+0.1*math.Sin(float64(i)/2880)+float64(i%7)/100)*100) / 100
		batch = append(batch, telemetry.Sample{PointID: point, Time: at, Value: v})
		if len(batch) == cap(batch) || i == n-1 {
			if _, err := e.a.Telemetry.Samples().Append(ctx, batch); err != nil {
				return rep, err
			}
			batch = batch[:0]
		}
	}
	if c, ok := e.a.Telemetry.Samples().(interface {
		Compact(context.Context) (int, error)
	}); ok {
		if _, err := c.Compact(ctx); err != nil {
			return rep, err
		}
	}
	rep.Samples, rep.Seeding = n, round(time.Since(t0).Seconds(), 1)
	step := to.Sub(from) / 500
	var took []time.Duration
	for r := 0; r < opt.Runs; r++ {
		q0 := time.Now()
		bs, err := e.a.Telemetry.Samples().Buckets(ctx, point, from, to, step)
		if err != nil {
			return rep, err
		}
		took = append(took, time.Since(q0))
		rep.Buckets = len(bs)
	}
	slices.Sort(took)
	at := func(q float64) float64 {
		i := int(math.Ceil(q*float64(len(took)))) - 1
		return round(float64(took[max(i, 0)])/float64(time.Millisecond), 2)
	}
	rep.P50ms, rep.P99ms = at(0.5), at(0.99)
	return rep, nil
}

func mustMine(ctx context.Context, e *env, code string) int64 {
	m, err := e.a.Registry.MineByCode(ctx, code)
	if err != nil {
		return 0
	}
	return m.ID
}
