package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"minesafe/internal/store/storetest"
)

// cli runs the command in-process and answers exit code and output.
func cli(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestHelpAndVersion(t *testing.T) {
	if code, out, _ := cli(t, "", "--help"); code != 0 || !strings.Contains(out, "demo") || !strings.Contains(out, "user") {
		t.Fatalf("help %d %q", code, out)
	}
	for _, sub := range []string{"serve", "demo", "migrate", "version"} {
		if code, _, errOut := cli(t, "", sub, "--help"); code != 0 || !strings.Contains(errOut, "Usage: minesafe "+sub) {
			t.Errorf("%s --help: %d %q", sub, code, errOut)
		}
	}
	if code, _, _ := cli(t, "", "user", "--help"); code != 0 {
		t.Errorf("user --help: %d", code)
	}
	if code, _, _ := cli(t, "", "frobnicate"); code != 2 {
		t.Errorf("unknown command exit %d", code)
	}
	if code, out, _ := cli(t, "", "version"); code != 0 || !strings.HasPrefix(out, "minesafe ") {
		t.Errorf("version %d %q", code, out)
	}
}

func TestUserCommandsOnBothDatabases(t *testing.T) {
	dbs := map[string]string{
		"sqlite":   "sqlite:" + filepath.Join(t.TempDir(), "cli.db"),
		"postgres": storetest.PostgresURL(t),
	}
	for name, url := range dbs {
		t.Run(name, func(t *testing.T) {
			if code, out, errOut := cli(t, "", "migrate", "--db", url); code != 0 || !strings.Contains(out, "schema version") {
				t.Fatalf("migrate %d %q %q", code, out, errOut)
			}
			code, _, errOut := cli(t, "Admin#2026x\n", "user", "add", "--db", url, "--username", "boss", "--role", "admin", "--password-stdin")
			if code != 0 {
				t.Fatalf("add: %s", errOut)
			}
			// Refusals say why and change nothing.
			code, _, errOut = cli(t, "weak\n", "user", "add", "--db", url, "--username", "w", "--role", "county", "--password-stdin")
			if code != 1 || !strings.Contains(errOut, "password") || !strings.Contains(errOut, "regions") {
				t.Fatalf("weak add: %d %q", code, errOut)
			}
			if code, _, errOut = cli(t, "", "user", "add", "--db", url, "--username", "x", "--role", "city"); code != 1 || !strings.Contains(errOut, "--password-stdin") {
				t.Fatalf("add without password: %d %q", code, errOut)
			}
			code, _, _ = cli(t, "County#2026x\n", "user", "add", "--db", url, "--username", "chen", "--role", "county", "--region", "150725", "--password-stdin")
			if code != 0 {
				t.Fatal("add county")
			}
			code, out, _ := cli(t, "", "user", "list", "--db", url)
			if code != 0 || !strings.Contains(out, "chen") || !strings.Contains(out, "150725") || strings.Contains(out, " w ") {
				t.Fatalf("list %q", out)
			}
			code, out, _ = cli(t, "", "user", "token", "--db", url, "--username", "chen", "--name", "script")
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if code != 0 || !strings.HasPrefix(lines[len(lines)-1], "msu_") || strings.Contains(lines[len(lines)-1], " ") {
				t.Fatalf("token output %q", out)
			}
			if code, _, errOut = cli(t, "", "user", "revoke-token", "--db", url, "--id", "1"); code != 0 {
				t.Fatalf("revoke %q", errOut)
			}
			if code, _, _ = cli(t, "", "user", "revoke-token", "--db", url, "--id", "1"); code != 1 {
				t.Fatal("revoking twice succeeded")
			}
			if code, _, _ = cli(t, "New#Pass2026\n", "user", "passwd", "--db", url, "--username", "chen", "--password-stdin"); code != 0 {
				t.Fatal("passwd")
			}
			if code, _, _ = cli(t, "", "user", "disable", "--db", url, "--username", "chen"); code != 0 {
				t.Fatal("disable")
			}
			if code, out, _ = cli(t, "", "user", "list", "--db", url); !strings.Contains(out, "disabled") {
				t.Fatalf("list after disable %q", out)
			}
		})
	}
}
