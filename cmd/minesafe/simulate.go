package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"minesafe/internal/app"
	"minesafe/internal/clock"
	"minesafe/internal/demo"
	"minesafe/internal/simulate"
	"minesafe/internal/simulate/demomines"
)

const simulateUsage = "simulate --mqtt-url tcp://HOST:1883 [--token msi_…] [--period 10s] [--mines CODE,…] [--seed N] [--qos 1]"

// runSimulate publishes simulated monitoring data for the demo mines to an
// MQTT broker. The mines and their points come from the demo data set
// itself (deterministic), so simulator and server agree without asking
// each other.
func runSimulate(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("simulate", simulateUsage, stderr)
	var opt simulate.Options
	var mines, logLevel, logFormat string
	var qos uint
	fs.StringVar(&opt.URL, "mqtt-url", "", "MQTT broker, e.g. tcp://127.0.0.1:1883 (required)")
	fs.StringVar(&opt.Token, "token", "", "ingest token covering the mines (minesafe mine token), sent as the MQTT password")
	fs.StringVar(&opt.Username, "username", "", "MQTT username (default: the mine code with one mine, else minesafe-simulator)")
	fs.StringVar(&opt.ClientID, "client-id", "", "MQTT client id (default: minesafe-sim-<random>)")
	fs.DurationVar(&opt.Period, "period", 10*time.Second,
		"how often each mine's batch goes out; samples keep their points' own periods (coal safety points 10 s), so keep it at most 20s or the platform sees interruptions")
	fs.StringVar(&mines, "mines", "", "comma-separated mine codes (default: every demo mine)")
	fs.Int64Var(&opt.Seed, "seed", 1, "seed of the noise and the random excursions; the same seed and start give the same data")
	fs.UintVar(&qos, "qos", 1, "MQTT QoS, 0 or 1")
	fs.StringVar(&logLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&logFormat, "log-format", "text", "text or json")
	if err := app.Parse(fs, args); err != nil {
		return err
	}
	if opt.URL == "" {
		return errors.New("--mqtt-url is required")
	}
	if qos > 1 {
		return fmt.Errorf("--qos %d: use 0 or 1", qos)
	}
	opt.QoS = byte(qos)
	log, err := app.NewLogger(logLevel, logFormat)
	if err != nil {
		return err
	}
	opt.Log = log
	opt.Clock = clock.Real{}
	opt.Start = opt.Clock.Now()
	if opt.Mines, err = pickMines(demomines.Specs(demo.Build(opt.Start)), mines); err != nil {
		return err
	}
	printScript(stdout, opt)
	return simulate.RunMQTT(ctx, opt)
}

// pickMines answers the mines named in list (all when it is empty).
func pickMines(all []simulate.MineSpec, list string) ([]simulate.MineSpec, error) {
	if strings.TrimSpace(list) == "" {
		return all, nil
	}
	var out []simulate.MineSpec
	var unknown []string
	for code := range strings.SplitSeq(list, ",") {
		code = strings.TrimSpace(code)
		i := slices.IndexFunc(all, func(m simulate.MineSpec) bool { return m.Code == code })
		if i < 0 {
			unknown = append(unknown, code)
			continue
		}
		out = append(out, all[i])
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("--mines: no demo mine has code %s", strings.Join(unknown, ", "))
	}
	return out, nil
}

// printScript says what will be sent and when the scripted episodes come.
func printScript(w io.Writer, opt simulate.Options) {
	sim := simulate.New(opt.Mines, opt.Seed, opt.Start)
	points := 0
	for _, m := range opt.Mines {
		points += len(simulate.PointsFor(m))
	}
	fmt.Fprintf(w, "Simulating %d mines (%d points) to %s every %s, seed %d.\nScripted episodes (times in Asia/Shanghai):\n",
		len(opt.Mines), points, opt.URL, opt.Period, opt.Seed)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, e := range sim.Episodes() {
		every := "once"
		if e.Every > 0 {
			every = "every " + e.Every.String()
		}
		where := e.Mine + " " + e.Point
		if e.Region != "" {
			where = "division " + e.Region
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", e.At(opt.Start, 0).In(clock.Shanghai).Format("15:04:05"), every, e.Kind, where, e.Note)
	}
	tw.Flush()
	fmt.Fprintln(w, "Press Ctrl+C to stop.")
}
