package main

import (
	"context"
	"fmt"
	"io"
	"net"

	"minesafe/internal/app"
	"minesafe/internal/clock"
)

func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var cfg app.Config
	fs := newFlags("serve", "serve [flags]", stderr)
	cfg.Flags(fs)
	if err := app.Parse(fs, args); err != nil {
		return err
	}
	return serve(ctx, cfg, stdout, nil)
}

// serve opens the database, builds the app, runs before (if any) and
// serves until ctx ends.
func serve(ctx context.Context, cfg app.Config, stdout io.Writer, before func(ctx context.Context, a *app.App, url string) error) error {
	log, err := app.NewLogger(cfg.LogLevel, cfg.LogFormat)
	if err != nil {
		return err
	}
	db, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := app.New(cfg, db, clock.Real{}, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Start(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (choose another with --addr)", cfg.Addr, err)
	}
	url := "http://" + ln.Addr().String()
	if before != nil {
		if err := before(ctx, a, url); err != nil {
			ln.Close()
			return err
		}
	}
	attrs := []any{"url", url, "db", db.Redacted(), "version", app.Version}
	if addr := a.MQTTAddr(); addr != "" {
		attrs = append(attrs, "mqtt_broker", "mqtt://"+addr)
	}
	if cfg.MQTTURL != "" {
		attrs = append(attrs, "mqtt_subscribed_to", cfg.MQTTURL)
	}
	log.Info("minesafe serving", attrs...)
	return a.Serve(ctx, ln)
}

func runMigrate(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var cfg app.Config
	fs := newFlags("migrate", "migrate [--db URL] [--data-dir DIR]", stderr)
	cfg.Flags(fs)
	if err := app.Parse(fs, args); err != nil {
		return err
	}
	db, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database %s at schema version %d\n", db.Redacted(), v)
	return nil
}

func runVersion(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("version", "version", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "minesafe %s\n", app.Version)
	return nil
}
