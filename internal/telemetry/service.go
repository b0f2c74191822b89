package telemetry

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/registry"
	"minesafe/internal/store"
)

// Options tune the network.
type Options struct {
	OfflineAfter time.Duration // a mine with no data this long is offline (default 10 min)
	StreamWindow time.Duration // how long events are kept for Last-Event-ID resumes (default 10 min)
	Store        SampleStore   // default: the row-per-sample SQL store
	Bus          Bus           // default: the in-process bus
	Metrics      prometheus.Registerer
	Log          *slog.Logger
}

// Service is the monitoring data network of one node.
type Service struct {
	db       *store.DB
	clk      clock.Clock
	reg      *registry.Service
	log      *slog.Logger
	opt      Options
	samples  SampleStore
	writer   *Writer
	bus      Bus
	hub      *Hub
	live     *Live
	points   pointCache
	tokens   tokenCache
	watchers pointWatchers
	// stationDown is set once at wiring, before serving.
	stationDown StationCheck
	metrics     ingestMetrics
	cancel      context.CancelFunc
}

type ingestMetrics struct {
	accepted *prometheus.CounterVec
	rejected *prometheus.CounterVec
}

// NewService builds the network; Start runs its background work.
func NewService(db *store.DB, clk clock.Clock, reg *registry.Service, opt Options) *Service {
	if opt.OfflineAfter <= 0 {
		opt.OfflineAfter = 10 * time.Minute
	}
	if opt.StreamWindow <= 0 {
		opt.StreamWindow = 10 * time.Minute
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Store == nil {
		opt.Store = NewSQLSamples(db)
	}
	if opt.Bus == nil {
		opt.Bus = NewLocalBus(opt.Log)
	}
	s := &Service{db: db, clk: clk, reg: reg, log: opt.Log, opt: opt, samples: opt.Store, bus: opt.Bus}
	s.points.m = map[int64]*pointSet{}
	s.tokens.m = map[string]cachedToken{}
	s.metrics = ingestMetrics{
		accepted: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "minesafe_ingest_samples_accepted_total", Help: "Samples accepted, by door."}, []string{"source"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "minesafe_ingest_samples_rejected_total", Help: "Samples refused, by mine and reason."}, []string{"mine", "reason"}),
	}
	if opt.Metrics != nil {
		opt.Metrics.MustRegister(s.metrics.accepted, s.metrics.rejected)
	}
	s.writer = NewWriter(s.samples, 0)
	s.hub = NewHub(opt.StreamWindow, clk.Now)
	s.live = NewLive(s.hub, opt.OfflineAfter, clk.Now)
	s.bus.Subscribe("live", s.live.OnCommitted)
	return s
}

// Hub is the event stream's hub (other capabilities publish alarms on it).
func (s *Service) Hub() *Hub { return s.hub }

// Bus is the bus of committed batches (the rules subscribe to it).
func (s *Service) Bus() Bus { return s.bus }

// Live is the live cache.
func (s *Service) Live() *Live { return s.live }

// Samples is the sample store.
func (s *Service) Samples() SampleStore { return s.samples }

// Start seeds the live cache from storage and runs the once-a-second flush.
func (s *Service) Start(ctx context.Context) {
	ctx, s.cancel = context.WithCancel(ctx)
	go func() {
		if err := s.seedLive(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("seed live cache", "err", err)
		}
	}()
	go s.live.Run(ctx)
}

func (s *Service) seedLive(ctx context.Context) error {
	mines, _, err := s.reg.ListMines(ctx, auth.System, registry.MineFilter{})
	if err != nil {
		return err
	}
	for _, m := range mines {
		pts, err := s.selectPoints(ctx, "mine_id = ?", []any{m.ID}, "", false)
		if err != nil {
			return err
		}
		ids := make([]int64, len(pts))
		for i, p := range pts {
			ids[i] = p.ID
		}
		latest, err := s.samples.Latest(ctx, ids)
		if err != nil {
			return err
		}
		s.live.Seed(m.ID, latest)
	}
	return nil
}

// Close stops background work after queued samples are committed.
func (s *Service) Close() {
	if s.cancel != nil {
		s.cancel()
	}
	s.writer.Close()
	s.bus.Close()
}
