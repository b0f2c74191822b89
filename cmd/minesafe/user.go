package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"minesafe/internal/app"
	"minesafe/internal/auth"
	"minesafe/internal/clock"
)

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

const userUsage = `user <add|list|passwd|disable|enable|token|revoke-token> [flags]

  add           --username U --role ROLE [--region CODE]... [--enterprise ID] [--display-name N] --password-stdin
  list
  passwd        --username U --password-stdin
  disable       --username U
  enable        --username U
  token         --username U [--name N]      prints a new API token alone on the last line
  revoke-token  --id ID`

// runUser manages users on the same --db as the server (also while it runs).
func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, "Usage: minesafe "+userUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return errors.New("a subcommand is required")
	}
	sub := args[0]
	var cfg app.Config
	fs := newFlags("user "+sub, userUsage, stderr)
	cfg.Flags(fs)
	var username, role, displayName, name string
	var regions stringList
	var enterprise, id int64
	var pwStdin bool
	switch sub {
	case "add":
		fs.StringVar(&username, "username", "", "login name")
		fs.StringVar(&role, "role", "", "one of "+strings.Join(auth.Roles, ", "))
		fs.Var(&regions, "region", "division code the user covers (repeatable)")
		fs.Int64Var(&enterprise, "enterprise", 0, "enterprise id (role enterprise)")
		fs.StringVar(&displayName, "display-name", "", "name shown in the app")
		fs.BoolVar(&pwStdin, "password-stdin", false, "read the password from standard input")
	case "passwd":
		fs.StringVar(&username, "username", "", "login name")
		fs.BoolVar(&pwStdin, "password-stdin", false, "read the password from standard input")
	case "disable", "enable":
		fs.StringVar(&username, "username", "", "login name")
	case "token":
		fs.StringVar(&username, "username", "", "login name")
		fs.StringVar(&name, "name", "", "what the token is for")
	case "revoke-token":
		fs.Int64Var(&id, "id", 0, "token id")
	case "list":
	default:
		fmt.Fprintln(stderr, "Usage: minesafe "+userUsage)
		return fmt.Errorf("unknown subcommand %q", sub)
	}
	if err := app.Parse(fs, args[1:]); err != nil {
		return err
	}
	db, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := auth.NewService(db, clock.Real{}, auth.Options{})
	readPassword := func() (string, error) {
		if !pwStdin {
			return "", errors.New("--password-stdin is required (passwords never go on the command line)")
		}
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	byName := func() (auth.User, error) {
		if username == "" {
			return auth.User{}, errors.New("--username is required")
		}
		return svc.UserByName(ctx, username)
	}
	switch sub {
	case "add":
		pw, err := readPassword()
		if err != nil {
			return err
		}
		in := auth.UserInput{Username: username, Role: role, Regions: regions, DisplayName: displayName, Password: pw}
		if enterprise != 0 {
			in.EnterpriseID = &enterprise
		}
		u, err := svc.AddUser(ctx, auth.System, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added user %s (id %d, role %s)\n", u.Username, u.ID, u.Role)
	case "list":
		return listUsers(ctx, svc, stdout)
	case "passwd":
		u, err := byName()
		if err != nil {
			return err
		}
		pw, err := readPassword()
		if err != nil {
			return err
		}
		if err := svc.SetPassword(ctx, auth.System, u.ID, pw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s changed; its sessions ended\n", u.Username)
	case "disable", "enable":
		u, err := byName()
		if err != nil {
			return err
		}
		off := sub == "disable"
		if _, err := svc.UpdateUser(ctx, auth.System, u.ID, auth.UserPatch{Disabled: &off}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %s %sd\n", u.Username, sub)
	case "token":
		u, err := byName()
		if err != nil {
			return err
		}
		t, secret, err := svc.CreateToken(ctx, auth.System, u.ID, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "token id %d for %s (role %s); keep it secret, it is shown once:\n%s\n", t.ID, u.Username, u.Role, secret)
	case "revoke-token":
		if id <= 0 {
			return errors.New("--id is required")
		}
		if err := svc.RevokeToken(ctx, auth.System, id); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "token %d revoked\n", id)
	}
	return nil
}

func listUsers(ctx context.Context, svc *auth.Service, stdout io.Writer) error {
	users, err := svc.ListUsers(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSERNAME\tROLE\tREGIONS\tENTERPRISE\tSTATE")
	for _, u := range users {
		ent := ""
		if u.EnterpriseID != nil {
			ent = strconv.FormatInt(*u.EnterpriseID, 10)
		}
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Username, u.Role, strings.Join(u.Regions, ","), ent, state)
	}
	return tw.Flush()
}
