package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"minesafe/internal/app"
	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/registry"
	"minesafe/internal/telemetry"
)

const mineUsage = `mine <token|revoke-token> [flags]

  token         --mine CODE [--mine CODE]... [--name N]   issues a gateway's ingest token for
                the mines; prints it alone on the last line
  revoke-token  --id ID`

// runMine manages gateways' ingest tokens on the same --db as the server
// (also while it runs; a revocation reaches a running server within 30 s).
func runMine(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, "Usage: minesafe "+mineUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return errors.New("a subcommand is required")
	}
	sub := args[0]
	var cfg app.Config
	fs := newFlags("mine "+sub, mineUsage, stderr)
	cfg.Flags(fs)
	var codes stringList
	var name string
	var id int64
	switch sub {
	case "token":
		fs.Var(&codes, "mine", "code of a mine the token covers (repeatable)")
		fs.StringVar(&name, "name", "", "what the token is for, e.g. the gateway")
	case "revoke-token":
		fs.Int64Var(&id, "id", 0, "ingest token id")
	default:
		fmt.Fprintln(stderr, "Usage: minesafe "+mineUsage)
		return fmt.Errorf("unknown subcommand %q", sub)
	}
	if err := app.Parse(fs, args[1:]); err != nil {
		return err
	}
	if sub == "token" && len(codes) == 0 {
		return errors.New("--mine is required")
	}
	if sub == "revoke-token" && id <= 0 {
		return errors.New("--id is required")
	}
	db, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	reg := registry.NewService(db, clock.Real{})
	tel := telemetry.NewService(db, clock.Real{}, reg, telemetry.Options{Log: slog.New(slog.DiscardHandler)})
	defer tel.Close()
	if sub == "revoke-token" {
		if err := tel.RevokeIngestToken(ctx, auth.System, id); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "ingest token %d revoked\n", id)
		return nil
	}
	ids := make([]int64, len(codes))
	for i, c := range codes {
		m, err := reg.MineByCode(ctx, c)
		if err != nil {
			return err
		}
		ids[i] = m.ID
	}
	t, secret, err := tel.CreateIngestToken(ctx, auth.System, name, ids)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ingest token id %d for mine %s; keep it secret, it is shown once:\n%s\n", t.ID, strings.Join(codes, ", "), secret)
	return nil
}
