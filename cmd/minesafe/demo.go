package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"minesafe/internal/app"
	"minesafe/internal/demo"
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
	if err := app.Parse(fs, args); err != nil {
		return err
	}
	cfg.Demo = true
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
		fmt.Fprintf(stdout, "\nminesafe demo is running at %s  (database %s)\n%s\n\nDemo accounts:\n", url, a.DB.Redacted(), demo.DemoNote())
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  USERNAME\tPASSWORD\tROLE\tSCOPE")
		for _, u := range demo.Build(a.Clock.Now()).Users {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", u.Username, u.Password, u.Role, demo.ScopeText(u))
		}
		tw.Flush()
		fmt.Fprintln(stdout, "\nPress Ctrl+C to stop.")
		return nil
	})
}
