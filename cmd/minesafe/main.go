// Command minesafe is the mine-safety supervision platform: one binary that
// serves the API and the web app, runs the demo, migrates the database and
// manages users.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

var commands = map[string]command{
	"serve":    {"run the server", runServe},
	"demo":     {"load the demo data set (once) and run the server with it", runDemo},
	"migrate":  {"apply database migrations and exit", runMigrate},
	"user":     {"manage users and API tokens (add, list, passwd, disable, enable, token, revoke-token)", runUser},
	"mine":     {"manage gateways' ingest tokens (token, revoke-token)", runMine},
	"simulate": {"publish simulated monitoring data of the demo mines to an MQTT broker", runSimulate},
	"bench":    {"measure the ingest path (bench ingest) and the 30-day chart query (bench query)", runBench},
	"version":  {"print the version", runVersion},
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "minesafe — 矿山安全监管一张图平台 (mine-safety supervision platform)")
	fmt.Fprintln(w, "\nUsage: minesafe <command> [flags]   (minesafe <command> --help for its flags)\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nEvery flag can also be set by an environment variable MINESAFE_<FLAG> (e.g. MINESAFE_DB).")
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "minesafe: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cmd.run(ctx, args[1:], stdin, stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "minesafe %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

// newFlags answers a flag set that prints its usage to stderr.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("minesafe "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: minesafe %s\n\nFlags (each also MINESAFE_<FLAG>):\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}
