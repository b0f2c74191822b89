// Package app wires configuration, storage, services and the HTTP server.
// It is the only package that knows every capability.
package app

import (
	"flag"
	"fmt"
	"minesafe/internal/export"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config is every setting of the server. Each has a flag and an environment
// variable MINESAFE_<FLAG NAME> (upper case, '-' as '_').
type Config struct {
	DataDir   string
	DB        string
	Addr      string
	LogLevel  string
	LogFormat string

	LoginMaxFailures int
	LoginWindow      time.Duration
	LoginLock        time.Duration
	SessionTTL       time.Duration

	OfflineAfter time.Duration
	StreamWindow time.Duration

	MQTTListen   string // embedded broker's address; none when empty
	MQTTURL      string // external broker to subscribe to; none when empty
	MQTTClientID string
	MQTTUsername string
	MQTTPassword string
	// MQTTAnyPort lets the embedded broker take a free port when
	// MQTTListen is taken (the demo; serve stops with an error instead).
	MQTTAnyPort bool

	PDFFont string // TrueType CJK font embedded in PDF documents

	RetentionRaw time.Duration // raw samples are kept this long; minute statistics for good

	IngestDir  string        // landing folder of MT/T 1201 files (mines' FTP uploads)
	IngestPoll time.Duration // how often the folder is scanned

	// Demo marks the demo mode: /readyz then also requires the demo data.
	Demo bool
}

// Flags binds the common settings to fs.
func (c *Config) Flags(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data-dir", "./data", "folder for the SQLite database and attachments")
	fs.StringVar(&c.DB, "db", "", "database: sqlite:<path> or postgres://user@host:5432/db (default sqlite:<data-dir>/minesafe.db)")
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:8080", "HTTP listen address")
	fs.StringVar(&c.LogLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&c.LogFormat, "log-format", "text", "text or json")
	fs.IntVar(&c.LoginMaxFailures, "login-max-failures", 5, "failed logins within --login-window that lock an account")
	fs.DurationVar(&c.LoginWindow, "login-window", 15*time.Minute, "window in which failed logins count")
	fs.DurationVar(&c.LoginLock, "login-lock", 15*time.Minute, "how long a locked account stays locked")
	fs.DurationVar(&c.SessionTTL, "session-ttl", 12*time.Hour, "idle lifetime of a login session")
	fs.DurationVar(&c.OfflineAfter, "offline-after", 10*time.Minute, "a mine with no data this long is offline")
	fs.DurationVar(&c.StreamWindow, "stream-window", 10*time.Minute, "how long stream events are kept for Last-Event-ID resumes")
	fs.DurationVar(&c.RetentionRaw, "retention-raw", 2*365*24*time.Hour, "how long raw samples are kept (minute statistics are kept for good); monitoring data is a regulated record")
	fs.StringVar(&c.PDFFont, "pdf-font", export.DefaultFont, "TrueType CJK font embedded in PDF documents (Debian package fonts-droid-fallback)")
	fs.StringVar(&c.IngestDir, "ingest-dir", "", "landing folder of MT/T 1201 exchange files to ingest (processed files move to done/ or rejected/)")
	fs.DurationVar(&c.IngestPoll, "ingest-poll", 5*time.Second, "how often the landing folder is scanned")
	fs.StringVar(&c.MQTTListen, "mqtt-listen", "", "run the embedded MQTT broker for gateways on this address, e.g. 127.0.0.1:1883")
	fs.StringVar(&c.MQTTURL, "mqtt-url", "", "subscribe to gateways' samples on an external MQTT broker, e.g. tcp://127.0.0.1:1883")
	fs.StringVar(&c.MQTTClientID, "mqtt-client-id", defaultMQTTClientID(), "client id at the external broker; keep it fixed (it names the persistent session)")
	fs.StringVar(&c.MQTTUsername, "mqtt-username", "", "username at the external broker")
	fs.StringVar(&c.MQTTPassword, "mqtt-password", "", "password at the external broker (prefer the environment variable "+EnvName("mqtt-password")+")")
}

func defaultMQTTClientID() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "node"
	}
	return "minesafe-" + host
}

// DBURL answers --db, defaulting to the SQLite file in the data folder.
func (c *Config) DBURL() string {
	if c.DB != "" {
		return c.DB
	}
	return "sqlite:" + filepath.Join(c.DataDir, "minesafe.db")
}

// EnvName answers the environment variable of a flag.
func EnvName(flagName string) string {
	return "MINESAFE_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// Parse parses args, then fills every flag not given on the command line
// from its environment variable. Flags win over the environment.
func Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		if v, ok := os.LookupEnv(EnvName(f.Name)); ok {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s=%q: %w", EnvName(f.Name), v, e)
			}
		}
	})
	return err
}
