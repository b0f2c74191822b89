package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"minesafe/internal/accident"
	"minesafe/internal/enforce"
	"minesafe/internal/files"
	"minesafe/internal/geo"
	"minesafe/internal/hazard"
	"minesafe/internal/indicator"
	"minesafe/internal/telemetry/tsdb"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"minesafe/internal/alarm"
	"minesafe/internal/auth"
	"minesafe/internal/auth/authapi"
	"minesafe/internal/clock"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/telemetry"
	"minesafe/internal/telemetry/mqttc"
	"minesafe/internal/telemetry/mqttd"
	"minesafe/internal/telemetry/stdfile"
	"minesafe/web"
)

// Version is set at build time (-ldflags "-X minesafe/internal/app.Version=…").
var Version = "dev"

// App is one running minesafe: its database, services and HTTP handler.
type App struct {
	Cfg         Config
	DB          *store.DB
	Clock       clock.Clock
	Log         *slog.Logger
	Metrics     *Metrics
	Router      *httpx.Router
	Auth        *auth.Service
	Registry    *registry.Service
	Telemetry   *telemetry.Service
	Samples     *tsdb.Store
	Files       *stdfile.Door
	Alarms      *alarm.Service
	Attachments *files.Service
	Hazards     *hazard.Service
	Enforce     *enforce.Service
	Accidents   *accident.Service
	Indicators  *indicator.Service

	openapi    []byte
	handler    http.Handler
	broker     *mqttd.Broker     // the embedded MQTT broker, with --mqtt-listen
	subscriber *mqttc.Subscriber // the external broker's client, with --mqtt-url
}

// Open opens the database and applies the migrations.
func Open(ctx context.Context, cfg Config) (*store.DB, error) {
	if strings.HasPrefix(cfg.DBURL(), "sqlite:") {
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("data folder: %w", err)
		}
	}
	db, err := store.Open(ctx, cfg.DBURL())
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// New builds the app on an open, migrated database.
func New(cfg Config, db *store.DB, clk clock.Clock, log *slog.Logger) (*App, error) {
	if clk == nil {
		clk = clock.Real{}
	}
	if log == nil {
		log = slog.Default()
	}
	a := &App{Cfg: cfg, DB: db, Clock: clk, Log: log, Metrics: newMetrics(db.DB)}
	a.Router = httpx.NewRouter(a.Metrics.Observe)
	a.Auth = auth.NewService(db, clk, auth.Options{MaxFailures: cfg.LoginMaxFailures, FailureWindow: cfg.LoginWindow, LockDuration: cfg.LoginLock, SessionTTL: cfg.SessionTTL})
	a.Registry = registry.NewService(db, clk)
	divs, err := geo.Parse(web.DivisionsGeoJSON)
	if err != nil {
		return nil, err
	}
	a.Registry.SetDivisions(divs)
	samples, err := tsdb.Open(db, tsdb.Options{Now: clk.Now, Log: log, Retention: cfg.RetentionRaw})
	if err != nil {
		return nil, fmt.Errorf("sample store: %w", err)
	}
	a.Samples = samples
	a.Telemetry = telemetry.NewService(db, clk, a.Registry, telemetry.Options{
		OfflineAfter: cfg.OfflineAfter, StreamWindow: cfg.StreamWindow, Metrics: a.Metrics.Registry, Log: log, Store: samples})
	a.Files = stdfile.New(a.Telemetry, db, a.Registry, clk, log)
	a.Telemetry.SetStationCheck(a.Files.StationDown)
	a.Alarms = alarm.NewService(db, clk, a.Registry, a.Telemetry, alarm.Options{Log: log})
	a.Alarms.SetReported(a.Files)
	blob, err := files.NewFolder(filepath.Join(cfg.DataDir, "files"))
	if err != nil {
		return nil, err
	}
	a.Attachments = files.NewService(db, clk, blob, files.Options{Log: log})
	a.Hazards = hazard.NewService(db, clk, a.Registry, a.Alarms, a.Attachments, hazard.Options{Publish: a.Telemetry.Hub().Publish, Log: log})
	a.Accidents = accident.NewService(db, clk, a.Registry, accident.Options{Log: log})
	a.Indicators = indicator.NewService(db, clk, a.Registry, a.Accidents, indicator.Options{
		Log: log, FontPath: cfg.PDFFont, Monitoring: a.Telemetry,
		// An overdue task of the plan can raise a hazard in the loop.
		RaiseHazard: func(ctx context.Context, p *auth.Principal, mineID int64, desc, deadline string) (int64, error) {
			h, err := a.Hazards.Create(ctx, p, hazard.HazardInput{MineID: mineID, Level: hazard.LevelGeneral,
				Source: hazard.SourceInspection, Description: desc, Deadline: deadline})
			return h.ID, err
		}})
	a.Enforce = enforce.NewService(db, clk, a.Registry, a.Alarms, a.Telemetry, enforce.Options{Log: log, FontPath: cfg.PDFFont,
		// A finding that becomes a hazard enters the hidden-hazard loop.
		CreateHazard: func(ctx context.Context, p *auth.Principal, sp enforce.HazardSpec) (int64, error) {
			h, err := a.Hazards.Create(ctx, p, hazard.HazardInput{MineID: sp.MineID, Level: sp.Level, Source: "inspection",
				Description: sp.Description, Place: sp.Place, CriterionCode: sp.CriterionCode, Deadline: sp.Deadline})
			return h.ID, err
		}})

	authAPI := authapi.New(a.Auth, db)
	authAPI.Routes(a.Router)
	a.Registry.Routes(a.Router)
	a.Telemetry.Routes(a.Router)
	a.Files.Routes(a.Router)
	a.Alarms.Routes(a.Router)
	a.Attachments.Routes(a.Router)
	a.Hazards.Routes(a.Router)
	a.Enforce.Routes(a.Router)
	a.Accidents.Routes(a.Router)
	a.Indicators.Routes(a.Router)

	doc, err := BuildOpenAPI(map[string][]byte{"auth": authapi.OpenAPI, "registry": registry.OpenAPI, "telemetry": telemetry.OpenAPI,
		"stdfile": stdfile.OpenAPI, "alarm": alarm.OpenAPI, "files": files.OpenAPI, "hazard": hazard.OpenAPI,
		"enforce": enforce.OpenAPI, "accident": accident.OpenAPI, "indicator": indicator.OpenAPI})
	if err != nil {
		return nil, err
	}
	a.openapi = doc
	a.Router.Public("GET /healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.JSON(w, http.StatusOK, map[string]string{"status": "ok", "version": Version})
	}))
	a.Router.Public("GET /readyz", http.HandlerFunc(a.handleReady))
	a.Router.Public("GET /metrics", a.Metrics.Handler())
	a.Router.Public("GET /api/v1/openapi.json", serveJSONBytes(doc))
	a.Router.Public("/", web.Handler())
	a.Router.Public("/api/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.Error(w, r, fail.NotFoundf("no route %s %s", r.Method, r.URL.Path))
	}))

	// Browsers send Origin/Sec-Fetch-Site; a cross-site write with the
	// session cookie is refused. Scripts with bearer tokens send neither.
	cop := http.NewCrossOriginProtection()
	a.handler = cop.Handler(authAPI.Middleware(a.Router.Mux))
	return a, nil
}

// Start runs the background work of the services until ctx ends or Close,
// and the MQTT doors that are configured. Call Close also when it fails.
func (a *App) Start(ctx context.Context) error {
	a.Samples.Start(ctx)
	a.Telemetry.Start(ctx)
	if err := a.Alarms.Start(ctx); err != nil {
		return fmt.Errorf("alarms: %w", err)
	}
	if err := a.Hazards.Start(ctx); err != nil {
		return fmt.Errorf("hazards: %w", err)
	}
	if err := a.Enforce.Start(ctx); err != nil {
		return fmt.Errorf("enforcement: %w", err)
	}
	if err := a.Indicators.Start(ctx); err != nil {
		return fmt.Errorf("indicators: %w", err)
	}
	if a.Cfg.IngestDir != "" {
		if err := os.MkdirAll(a.Cfg.IngestDir, 0o750); err != nil {
			return fmt.Errorf("--ingest-dir: %w", err)
		}
		go func() {
			if err := a.Files.Watch(ctx, a.Cfg.IngestDir, a.Cfg.IngestPoll); err != nil && ctx.Err() == nil {
				a.Log.Error("landing folder watcher stopped", "dir", a.Cfg.IngestDir, "err", err)
			}
		}()
	}
	if a.Cfg.MQTTListen != "" {
		ln, err := mqttd.Listen(a.Cfg.MQTTListen, a.Cfg.MQTTAnyPort)
		if err != nil {
			return err
		}
		a.broker, err = mqttd.Start(ln, a.Telemetry, a.Registry, mqttd.Options{Log: a.Log, Metrics: a.Metrics.Registry})
		if err != nil {
			return fmt.Errorf("MQTT broker: %w", err)
		}
	}
	if a.Cfg.MQTTURL != "" {
		var err error
		a.subscriber, err = mqttc.Start(mqttc.Config{URL: a.Cfg.MQTTURL, ClientID: a.Cfg.MQTTClientID,
			Username: a.Cfg.MQTTUsername, Password: a.Cfg.MQTTPassword, Log: a.Log, Metrics: a.Metrics.Registry},
			a.Telemetry, a.Registry)
		if err != nil {
			return err
		}
	}
	return nil
}

// Close stops the doors first, so that what they hold is committed (or
// left unacknowledged) before the writer stops, then background work after
// queued samples are committed.
func (a *App) Close() {
	if a.subscriber != nil {
		a.subscriber.Close()
	}
	if a.broker != nil {
		a.broker.Close()
	}
	a.Indicators.Close()
	a.Enforce.Close()
	a.Hazards.Close()
	a.Telemetry.Close() // drains the writer into the store
	a.Samples.Close()
	a.Alarms.Close()
}

// MQTTAddr answers where the embedded MQTT broker listens, or "".
func (a *App) MQTTAddr() string {
	if a.broker == nil {
		return ""
	}
	return a.broker.Addr().String()
}

// Handler is the app's HTTP handler.
func (a *App) Handler() http.Handler { return a.handler }

// OpenAPI answers the merged OpenAPI document.
func (a *App) OpenAPI() []byte { return a.openapi }

// Ready answers nil when the app can serve: database reachable, migrations
// current and, in demo mode, the demo data loaded.
func (a *App) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := a.DB.PingContext(ctx); err != nil {
		return fmt.Errorf("database unreachable: %v", err)
	}
	v, err := a.DB.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if v != a.DB.LatestVersion() {
		return fmt.Errorf("schema at version %d, binary expects %d: run minesafe migrate", v, a.DB.LatestVersion())
	}
	if a.Cfg.Demo {
		var loaded string
		err := a.DB.QueryRow(ctx, `SELECT value FROM app_meta WHERE key = 'demo_loaded'`).Scan(&loaded)
		if err != nil || loaded == "" {
			return errors.New("demo data not loaded yet")
		}
	}
	return nil
}

func (a *App) handleReady(w http.ResponseWriter, r *http.Request) {
	if err := a.Ready(r.Context()); err != nil {
		httpx.JSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready", "reason": err.Error()})
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// Serve listens on ln until ctx ends, then shuts down gracefully.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

// NewLogger builds the logger of --log-level and --log-format.
func NewLogger(level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(os.Stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: use text or json", format)
}
