package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/auth/authapi"
	"minesafe/internal/clock"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/telemetry"
	"minesafe/web"
)

// Version is set at build time (-ldflags "-X minesafe/internal/app.Version=…").
var Version = "dev"

// App is one running minesafe: its database, services and HTTP handler.
type App struct {
	Cfg       Config
	DB        *store.DB
	Clock     clock.Clock
	Log       *slog.Logger
	Metrics   *Metrics
	Router    *httpx.Router
	Auth      *auth.Service
	Registry  *registry.Service
	Telemetry *telemetry.Service

	openapi []byte
	handler http.Handler
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
	a.Telemetry = telemetry.NewService(db, clk, a.Registry, telemetry.Options{
		OfflineAfter: cfg.OfflineAfter, StreamWindow: cfg.StreamWindow, Metrics: a.Metrics.Registry, Log: log})

	authAPI := authapi.New(a.Auth, db)
	authAPI.Routes(a.Router)
	a.Registry.Routes(a.Router)
	a.Telemetry.Routes(a.Router)

	doc, err := BuildOpenAPI(map[string][]byte{"auth": authapi.OpenAPI, "registry": registry.OpenAPI, "telemetry": telemetry.OpenAPI})
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

// Start runs the background work of the services until ctx ends or Close.
func (a *App) Start(ctx context.Context) {
	a.Telemetry.Start(ctx)
}

// Close stops background work after queued samples are committed.
func (a *App) Close() {
	a.Telemetry.Close()
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
