package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"minesafe/internal/store/storetest"
	"minesafe/internal/telemetry/mqttdoor/doortest"
)

func TestMineTokenCommands(t *testing.T) {
	dbs := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "cli.db") },
		"postgres": func(t *testing.T) string { return storetest.PostgresURL(t) },
	}
	for name, open := range dbs {
		t.Run(name, func(t *testing.T) {
			url := open(t)
			_, reg, tel := services(t, url)
			ms := doortest.Mines(t, reg, tel, 2, 1)
			code, out, errOut := cli(t, "", "mine", "token", "--db", url, "--mine", ms[0].Code, "--mine", ms[1].Code, "--name", "gw-1")
			lines := strings.Split(strings.TrimSpace(out), "\n")
			secret := lines[len(lines)-1]
			if code != 0 || !strings.HasPrefix(secret, "msi_") || strings.Contains(secret, " ") {
				t.Fatalf("token: %d %q %q", code, out, errOut)
			}
			ctx := context.Background()
			tok, err := tel.ResolveIngestToken(ctx, secret)
			if err != nil || !tok.Covers(ms[0].ID) || !tok.Covers(ms[1].ID) || tok.Name != "gw-1" {
				t.Fatalf("issued token %+v: %v", tok, err)
			}
			// Refusals say why.
			if code, _, errOut = cli(t, "", "mine", "token", "--db", url, "--mine", "000000000000"); code != 1 || !strings.Contains(errOut, "000000000000") {
				t.Fatalf("unknown mine: %d %q", code, errOut)
			}
			if code, _, errOut = cli(t, "", "mine", "token", "--db", url); code != 1 || !strings.Contains(errOut, "--mine is required") {
				t.Fatalf("no mine: %d %q", code, errOut)
			}
			if code, _, _ = cli(t, "", "mine", "frobnicate"); code != 1 {
				t.Fatal("unknown subcommand accepted")
			}
			if code, _, _ = cli(t, "", "mine", "--help"); code != 0 {
				t.Fatal("mine --help")
			}
			// Revoked: the token no longer resolves (in a fresh process, as
			// a running server sees it within its cache time).
			id := strings.Fields(strings.TrimPrefix(lines[0], "ingest token id "))[0]
			if code, out, errOut = cli(t, "", "mine", "revoke-token", "--db", url, "--id", id); code != 0 || !strings.Contains(out, "revoked") {
				t.Fatalf("revoke: %d %q", code, errOut)
			}
			if code, _, errOut = cli(t, "", "mine", "revoke-token", "--db", url, "--id", id); code != 1 || !strings.Contains(errOut, "already revoked") {
				t.Fatalf("revoke twice: %d %q", code, errOut)
			}
			_, _, fresh := services(t, url)
			if _, err := fresh.ResolveIngestToken(ctx, secret); err == nil {
				t.Fatal("a revoked token still resolves")
			}
		})
	}
}
