package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"minesafe/internal/app"
	"minesafe/internal/bench"
)

const benchUsage = `bench <ingest|query> [flags]

  ingest  [--db URL] [--gateways 50] [--batch 300] [--duration 30s] [--samples N] [--qos 1] [--json]
  query   [--db URL] [--days 30] [--runs 50] [--json]

Without --db a temporary SQLite database is used. With --db give an empty database.`

// runBench measures the real ingest path and the series query.
func runBench(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "ingest" && args[0] != "query") {
		fmt.Fprintln(stderr, "Usage: minesafe "+benchUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return errors.New("bench ingest or bench query")
	}
	fs := newFlags("bench "+args[0], benchUsage, stderr)
	db := fs.String("db", "", "database URL (default: a temporary SQLite file)")
	asJSON := fs.Bool("json", false, "print the figures as one JSON object on the last line")
	var out any
	switch args[0] {
	case "ingest":
		var o bench.IngestOptions
		fs.IntVar(&o.Gateways, "gateways", 50, "MQTT connections, one per mine")
		fs.IntVar(&o.Batch, "batch", 300, "samples per message")
		fs.DurationVar(&o.Duration, "duration", 30*time.Second, "length of the main phase")
		fs.Int64Var(&o.Samples, "samples", 0, "stop after this many samples instead of the duration (a long run)")
		qos := fs.Uint("qos", 1, "MQTT QoS, 0 or 1")
		seed := fs.Uint64("seed", 1, "seed of the data set")
		fs.Float64Var(&o.LatencyRate, "latency-rate", 0, "samples/s of the alarm-latency phase (default: half the peak reached)")
		if err := app.Parse(fs, args[1:]); err != nil {
			return err
		}
		if *qos > 1 {
			return fmt.Errorf("--qos %d: use 0 or 1", *qos)
		}
		if o.Samples > 0 {
			o.Duration = 24 * time.Hour
		}
		o.DB, o.QoS, o.Seed = *db, byte(*qos), *seed
		fmt.Fprintf(stderr, "bench ingest: %d gateways, %d-sample messages, QoS %d…\n", o.Gateways, o.Batch, o.QoS)
		rep, err := bench.Ingest(ctx, o)
		if err != nil {
			return err
		}
		out = rep
		if !*asJSON {
			fmt.Fprintf(stdout, "database          %s\n", rep.DB)
			fmt.Fprintf(stdout, "end to end        %.0f samples/s, %.0f messages/s over %.1f s (%d samples stored)\n", rep.SamplesPerSec, rep.MessagesPerSec, rep.Seconds, rep.StoredSamples)
			fmt.Fprintf(stdout, "baselines         broker alone %.0f samples/s; bare store appends %.0f samples/s; end to end = %.2f of the lower\n", rep.BaselineBroker, rep.BaselineStore, rep.EndToEndOfLowerBaseline)
			fmt.Fprintf(stdout, "storage           %.2f bytes per stored sample\n", rep.BytesPerSample)
			fmt.Fprintf(stdout, "resources         %.1f CPU s (%.2f cores busy, clients included), max RSS %.0f MB\n", rep.CPUSeconds, rep.CPUCoresBusy, rep.MaxRSSMB)
			fmt.Fprintf(stdout, "alarm latency     p50 %.1f ms, p99 %.1f ms over %d alarms at %.0f samples/s\n", rep.AlarmLatencyP50ms, rep.AlarmLatencyP99ms, rep.AlarmsMeasured, rep.AlarmLatencyRate)
		}
	case "query":
		var o bench.QueryOptions
		fs.IntVar(&o.Days, "days", 30, "length of the seeded 10-second series, in days")
		fs.IntVar(&o.Runs, "runs", 50, "how many times the chart is asked for")
		if err := app.Parse(fs, args[1:]); err != nil {
			return err
		}
		o.DB = *db
		rep, err := bench.Query(ctx, o)
		if err != nil {
			return err
		}
		out = rep
		if !*asJSON {
			fmt.Fprintf(stdout, "database   %s\nseeded     %d samples of one point in %.1f s\nchart      %d buckets: p50 %.1f ms, p99 %.1f ms over %d runs\n",
				rep.DB, rep.Samples, rep.Seeding, rep.Buckets, rep.P50ms, rep.P99ms, rep.Runs)
		}
	}
	if *asJSON {
		b, err := json.Marshal(out)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, string(b))
	}
	return nil
}
