package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"minesafe/internal/app"
	"minesafe/internal/auth"
	"minesafe/internal/demo"
	"minesafe/internal/demo/records"
	"minesafe/internal/simulate"
	"minesafe/internal/simulate/demomines"
	"minesafe/internal/telemetry/mqttdoor"
)

func runDemo(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var cfg app.Config
	fs := newFlags("demo", "demo [--db URL] [--data-dir DIR] [--addr HOST:PORT]", stderr)
	cfg.Flags(fs)
	// The demo keeps its data apart from a real ./data folder.
	if err := fs.Set("data-dir", "./demo-data"); err != nil {
		return err
	}
	fs.Lookup("data-dir").DefValue = "./demo-data"
	fs.Lookup("mqtt-listen").DefValue = demoMQTT + " (or a free port when taken)"
	noSim := fs.Bool("no-simulator", false, "do not run the in-process simulator (the map then shows only data you send)")
	if err := app.Parse(fs, args); err != nil {
		return err
	}
	cfg.Demo = true
	// The demo always has gateways' door open; it must start beside a
	// broker already on 1883, so it then takes a free port.
	if cfg.MQTTListen == "" {
		cfg.MQTTListen, cfg.MQTTAnyPort = demoMQTT, true
	}
	return serve(ctx, cfg, stdout, func(ctx context.Context, a *app.App, url string) error {
		sum, err := demo.Load(ctx, a.DB, a.Registry, a.Auth, a.Clock.Now())
		if err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
		if sum.Loaded {
			fmt.Fprintf(stdout, "Loaded the demo data set: %d enterprises, %d mines (%d tailings ponds), %d people on duty, %d users.\n",
				sum.Enterprises, sum.Mines, sum.Ponds, sum.People, sum.Users)
		} else {
			fmt.Fprintln(stdout, "Reusing the demo data already in the database.")
		}
		points, err := demo.LoadPoints(ctx, a.DB, a.Registry, a.Telemetry)
		if err != nil {
			return fmt.Errorf("load demo points: %w", err)
		}
		if points > 0 {
			fmt.Fprintf(stdout, "Defined %d monitoring points on the demo mines.\n", points)
		}
		rec, err := records.Load(ctx, a, a.Clock.Now())
		if err != nil {
			return fmt.Errorf("load demo records: %w", err)
		}
		if rec.Loaded {
			fmt.Fprintln(stdout, rec.Line())
		}
		token, err := demoToken(ctx, a)
		if err != nil {
			return fmt.Errorf("demo ingest token: %w", err)
		}
		if !*noSim {
			specs := demomines.Specs(demo.Build(a.Clock.Now()))
			go func() {
				err := simulate.Run(ctx, simulate.IngestSink(a.Telemetry, a.Registry, "simulator"),
					simulate.Options{Mines: specs, Seed: 1, Start: a.Clock.Now(), Clock: a.Clock, Log: a.Log})
				if err != nil && ctx.Err() == nil {
					a.Log.Error("simulator stopped", "err", err)
				}
			}()
			fmt.Fprintf(stdout, "The simulator feeds %d demo mines in-process (--no-simulator to switch it off).\n", len(specs))
		}
		fmt.Fprintf(stdout, "\nminesafe demo is running at %s  (database %s)\n%s\n\nDemo accounts:\n", url, a.DB.Redacted(), demo.DemoNote())
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  USERNAME\tPASSWORD\tROLE\tSCOPE")
		for _, u := range demo.Build(a.Clock.Now()).Users {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", u.Username, u.Password, u.Role, demo.ScopeText(u))
		}
		tw.Flush()
		printMQTT(stdout, a, cfg, token)
		fmt.Fprintln(stdout, "\nPress Ctrl+C to stop.")
		return nil
	})
}

const demoMQTT = "127.0.0.1:1883"

// demoToken issues a fresh ingest token covering every demo mine (for
// `minesafe simulate` or a real gateway) and revokes the previous demo's.
func demoToken(ctx context.Context, a *app.App) (string, error) {
	var prev string
	if err := a.DB.QueryRow(ctx, `SELECT value FROM app_meta WHERE key = 'demo_token_id'`).Scan(&prev); err == nil {
		if id, err := strconv.ParseInt(prev, 10, 64); err == nil {
			_ = a.Telemetry.RevokeIngestToken(ctx, auth.System, id) // already revoked is fine
		}
	}
	var ids []int64
	for _, m := range demo.Build(a.Clock.Now()).Mines {
		mm, err := a.Registry.MineByCode(ctx, m.Code)
		if err != nil {
			return "", err
		}
		ids = append(ids, mm.ID)
	}
	t, secret, err := a.Telemetry.CreateIngestToken(ctx, auth.System, "demo", ids)
	if err != nil {
		return "", err
	}
	_, err = a.DB.Exec(ctx, `INSERT INTO app_meta (key, value) VALUES ('demo_token_id', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, fmt.Sprint(t.ID))
	return secret, err
}

// printMQTT tells how gateways reach the embedded broker.
func printMQTT(w io.Writer, a *app.App, cfg app.Config, token string) {
	addr := a.MQTTAddr()
	if addr == "" {
		return
	}
	fmt.Fprintf(w, "\nMQTT broker for gateways: mqtt://%s", addr)
	if addr != cfg.MQTTListen {
		fmt.Fprintf(w, "  (%s was taken, so a free port was chosen)", cfg.MQTTListen)
	}
	fmt.Fprintf(w, "\n  topic %s, username the mine code, password an ingest token from\n  minesafe mine token --db '%s' --mine <mine code>\n",
		mqttdoor.Topic("<mine code>"), a.DB.Redacted())
	fmt.Fprintf(w, "  This run's token covering every demo mine (for minesafe simulate --token):\n  %s\n", token)
}
