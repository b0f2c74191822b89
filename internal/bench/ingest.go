// Package bench measures the real ingest path and the series query: MQTT
// gateways publishing into a running app (validated, durably stored, judged
// by the rules), with the raw baselines of the same run beside it, so the
// figures say how close the platform comes to what its parts can do.
package bench

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"minesafe/internal/app"
	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/registry"
	"minesafe/internal/simulate"
	"minesafe/internal/store"
	"minesafe/internal/telemetry"
	"minesafe/internal/telemetry/catalog"
	"minesafe/internal/telemetry/mqttdoor"
)

// IngestOptions shape an ingest run.
type IngestOptions struct {
	DB       string        // database URL; empty: a temporary SQLite file
	Gateways int           // MQTT connections, one per mine
	Batch    int           // samples per message
	Duration time.Duration // how long the main phase runs
	Samples  int64         // stop after this many samples instead (0: by duration)
	QoS      byte
	Seed     uint64
	// LatencyRate is the rate (samples/s) of the alarm-latency phase; 0:
	// half the peak the main phase reached.
	LatencyRate float64
	Log         *slog.Logger
}

// IngestReport is what an ingest run measured.
type IngestReport struct {
	DB                      string  `json:"db"`
	Gateways                int     `json:"gateways"`
	Batch                   int     `json:"batch"`
	QoS                     int     `json:"qos"`
	Seconds                 float64 `json:"seconds"`
	SamplesPerSec           float64 `json:"samples_per_sec"`
	MessagesPerSec          float64 `json:"messages_per_sec"`
	StoredSamples           int64   `json:"stored_samples"`
	BytesPerSample          float64 `json:"bytes_per_sample"`
	CPUSeconds              float64 `json:"cpu_seconds"`
	CPUCoresBusy            float64 `json:"cpu_cores_busy"`
	MaxRSSMB                float64 `json:"max_rss_mb"`
	BaselineBroker          float64 `json:"baseline_broker_samples_per_sec"`
	BaselineStore           float64 `json:"baseline_store_samples_per_sec"`
	AlarmLatencyP50ms       float64 `json:"alarm_latency_p50_ms"`
	AlarmLatencyP99ms       float64 `json:"alarm_latency_p99_ms"`
	AlarmsMeasured          int     `json:"alarms_measured"`
	AlarmLatencyRate        float64 `json:"alarm_latency_at_samples_per_sec"`
	EndToEndOfLowerBaseline float64 `json:"end_to_end_of_lower_baseline"`
}

// Ingest runs the benchmark: set up mines shaped like the simulator's
// coal mines, publish from Gateways connections until Duration or Samples,
// then measure storage, the alarm latency at half the peak rate, and the
// baselines.
func Ingest(ctx context.Context, opt IngestOptions) (IngestReport, error) {
	if opt.Gateways <= 0 {
		opt.Gateways = 50
	}
	if opt.Batch <= 0 {
		opt.Batch = 300
	}
	if opt.Duration <= 0 && opt.Samples <= 0 {
		opt.Duration = 30 * time.Second
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	rep := IngestReport{Gateways: opt.Gateways, Batch: opt.Batch, QoS: int(opt.QoS)}
	env, err := start(ctx, opt.DB, opt.Log)
	if err != nil {
		return rep, err
	}
	defer env.close()
	rep.DB = env.db.Redacted()
	mines, token, err := env.fixtures(ctx, opt.Gateways)
	if err != nil {
		return rep, err
	}
	before, err := dbSize(ctx, env.db, env.path)
	if err != nil {
		return rep, err
	}

	var ru0 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	t0 := time.Now()
	// Sample times lie in the past (never "ahead of the clock"); the latency
	// phase uses later ones, so its samples are new, not resends.
	sent, msgs, err := publish(ctx, env.a.MQTTAddr(), token, mines, opt, time.Now().Add(-30*24*time.Hour).Truncate(time.Second), 0, nil)
	elapsed := time.Since(t0).Seconds()
	var ru1 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	if err != nil {
		return rep, err
	}
	rep.Seconds = round(elapsed, 2)
	rep.SamplesPerSec = round(float64(sent)/elapsed, 0)
	rep.MessagesPerSec = round(float64(msgs)/elapsed, 0)
	rep.CPUSeconds = round(cpu(ru1)-cpu(ru0), 2)
	rep.CPUCoresBusy = round(rep.CPUSeconds/elapsed, 2)
	rep.MaxRSSMB = round(float64(ru1.Maxrss)/1024, 1)
	if rep.StoredSamples, err = env.a.Telemetry.Samples().Count(ctx); err != nil {
		return rep, err
	}
	if c, ok := env.a.Telemetry.Samples().(interface {
		Compact(context.Context) (int, error)
	}); ok {
		if _, err := c.Compact(ctx); err != nil {
			return rep, fmt.Errorf("compact: %w", err)
		}
	}
	after, err := dbSize(ctx, env.db, env.path)
	if err != nil {
		return rep, err
	}
	if rep.StoredSamples > 0 {
		rep.BytesPerSample = round(float64(after-before)/float64(rep.StoredSamples), 2)
	}

	// Alarm latency at half the peak rate, with methane excursions.
	lat := &latencies{}
	env.latency.Store(lat)
	half := rep.SamplesPerSec / 2
	if opt.LatencyRate > 0 {
		half = opt.LatencyRate
	}
	rep.AlarmLatencyRate = round(half, 0)
	lopt := opt
	lopt.Duration, lopt.Samples = 10*time.Second, 0
	if _, _, err := publish(ctx, env.a.MQTTAddr(), token, mines, lopt, time.Now().Add(-time.Hour).Truncate(time.Second), half, excursion); err != nil {
		return rep, err
	}
	time.Sleep(500 * time.Millisecond)
	rep.AlarmLatencyP50ms, rep.AlarmLatencyP99ms, rep.AlarmsMeasured = lat.percentiles()

	if rep.BaselineBroker, err = brokerBaseline(ctx, opt); err != nil {
		return rep, fmt.Errorf("broker baseline: %w", err)
	}
	if rep.BaselineStore, err = storeBaseline(ctx, env.a.Telemetry.Samples(), opt); err != nil {
		return rep, fmt.Errorf("store baseline: %w", err)
	}
	if low := math.Min(rep.BaselineBroker, rep.BaselineStore); low > 0 {
		rep.EndToEndOfLowerBaseline = round(rep.SamplesPerSec/low, 2)
	}
	return rep, nil
}

func cpu(r syscall.Rusage) float64 {
	return float64(r.Utime.Sec+r.Stime.Sec) + float64(r.Utime.Usec+r.Stime.Usec)/1e6
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// env is a running app on the bench database.
type env struct {
	a       *app.App
	db      *store.DB
	path    string // the SQLite file, for its size
	dir     string
	cancel  context.CancelFunc
	latency atomic.Pointer[latencies]
}

func start(ctx context.Context, dbURL string, log *slog.Logger) (*env, error) {
	dir, err := os.MkdirTemp("", "minesafe-bench-")
	if err != nil {
		return nil, err
	}
	e := &env{dir: dir}
	if dbURL == "" {
		e.path = filepath.Join(dir, "bench.db")
		dbURL = "sqlite:" + e.path
	} else if p, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		e.path = p
	}
	var cfg app.Config
	cfg.DataDir, cfg.DB = dir, dbURL
	cfg.OfflineAfter, cfg.StreamWindow = time.Hour, time.Minute
	cfg.MQTTListen = "127.0.0.1:0"
	cfg.LoginMaxFailures, cfg.LoginWindow, cfg.LoginLock, cfg.SessionTTL = 5, time.Minute, time.Minute, time.Hour
	if e.db, err = app.Open(ctx, cfg); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if e.a, err = app.New(cfg, e.db, clock.Real{}, log); err != nil {
		e.db.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	e.a.Alarms.SetLatency(func(d time.Duration) {
		if l := e.latency.Load(); l != nil {
			l.add(d)
		}
	})
	var runCtx context.Context
	runCtx, e.cancel = context.WithCancel(ctx)
	if err := e.a.Start(runCtx); err != nil {
		e.close()
		return nil, err
	}
	return e, nil
}

func (e *env) close() {
	if e.cancel != nil {
		e.cancel()
	}
	if e.a != nil {
		e.a.Close()
	}
	e.db.Close()
	os.RemoveAll(e.dir)
}

// gateway is one bench mine with its points and their signal.
type gateway struct {
	code   string
	points []benchPoint
	ch4    []int // indexes of coal-face methane points, for excursions
}

type benchPoint struct {
	code      string
	base, amp float64
	prec      int
	sw        bool
}

// fixtures registers one producing underground coal mine per gateway with
// the simulator's point plan, and a token covering them all.
func (e *env) fixtures(ctx context.Context, n int) ([]gateway, string, error) {
	sys := auth.System
	body := "91150700MA00000BE"
	c, _ := registry.USCCCheckChar(body)
	ent, err := e.a.Registry.CreateEnterprise(ctx, sys, registry.EnterpriseInput{Name: "基准测试煤业", USCC: body + string(c), Ownership: "private", RegionCode: "150725"})
	if err != nil {
		return nil, "", err
	}
	var ids []int64
	var gws []gateway
	for i := 0; i < n; i++ {
		lon, lat := 119.4+float64(i)*0.001, 49.3
		code := fmt.Sprintf("150725199%03d", i)
		m, err := e.a.Registry.CreateMine(ctx, sys, registry.MineInput{MineFields: registry.MineFields{Code: code, Name: fmt.Sprintf("基准矿%03d", i),
			EnterpriseID: ent.ID, RegionCode: "150725", Kind: registry.KindCoalUnderground, Status: "producing"}, Lon: &lon, Lat: &lat})
		if err != nil {
			return nil, "", err
		}
		plan := simulate.PointsFor(simulate.SpecOf(m))
		if _, _, err := e.a.Telemetry.UpsertPoints(ctx, sys, m.ID, plan, "bench"); err != nil {
			return nil, "", err
		}
		gw := gateway{code: code}
		for _, p := range plan {
			st, _ := catalog.Sensor(p.SensorType)
			bp := benchPoint{code: p.Code, prec: st.Precision, sw: p.ValueType == telemetry.ValueSwitch}
			bp.base = st.Min + (st.Max-st.Min)*0.08
			bp.amp = math.Max(st.Noise*3, math.Pow(10, -float64(st.Precision)))
			if p.SensorType == "methane" {
				bp.base, bp.amp = 0.25, 0.05
				if p.LocationClass == "coal_face" {
					gw.ch4 = append(gw.ch4, len(gw.points))
				}
			}
			if p.SensorType == "o2" {
				bp.base, bp.amp = 20.7, 0.1
			}
			gw.points = append(gw.points, bp)
		}
		gws = append(gws, gw)
		ids = append(ids, m.ID)
	}
	_, secret, err := e.a.Telemetry.CreateIngestToken(ctx, sys, "bench", ids)
	return gws, secret, err
}

// excursion decides, per message, whether a coal-face methane point of the
// batch reads 1.2 % (opening an orange alarm) or falls back (clearing it).
type excursionFn func(msg int64) (on bool, active bool)

func excursion(msg int64) (bool, bool) { return msg%4 == 0, msg%2 == 0 }

// publish drives the gateways: each connection publishes batches of its
// mine's samples, one tick (1 s) per round of its points, in time order,
// until the duration or the sample budget runs out. rate > 0 paces the
// whole run at that many samples per second.
func publish(ctx context.Context, addr, token string, gws []gateway, opt IngestOptions, base time.Time, rate float64, exc excursionFn) (int64, int64, error) {
	var sent, msgs atomic.Int64
	deadline := time.Now().Add(opt.Duration)
	var wg sync.WaitGroup
	errs := make(chan error, len(gws))
	perGW := rate / float64(len(gws))
	for gi := range gws {
		wg.Add(1)
		go func(gi int) {
			defer wg.Done()
			gw := gws[gi]
			o := paho.NewClientOptions().AddBroker("tcp://" + addr).SetClientID(fmt.Sprintf("bench-%d-%d", gi, time.Now().UnixNano())).
				SetUsername(gw.code).SetPassword(token).SetAutoReconnect(false).SetConnectTimeout(10 * time.Second).
				SetWriteTimeout(30 * time.Second).SetCleanSession(true)
			c := paho.NewClient(o)
			if t := c.Connect(); !t.WaitTimeout(10*time.Second) || t.Error() != nil {
				errs <- fmt.Errorf("gateway %s: connect: %v", gw.code, t.Error())
				return
			}
			defer c.Disconnect(100)
			rng := rand.New(rand.NewPCG(opt.Seed, uint64(gi)))
			topic := mqttdoor.Topic(gw.code)
			var tick, idx int64
			buf := make([]byte, 0, opt.Batch*96)
			started := time.Now()
			var mine int64
			for time.Now().Before(deadline) && ctx.Err() == nil {
				if opt.Samples > 0 && sent.Load() >= opt.Samples {
					break
				}
				var on bool
				active := false
				if exc != nil {
					on, active = exc(mine)
				}
				buf = append(buf[:0], `{"mine":"`...)
				buf = append(buf, gw.code...)
				buf = append(buf, `","samples":[`...)
				for i := 0; i < opt.Batch; i++ {
					p := gw.points[idx%int64(len(gw.points))]
					t := base.Add(time.Duration(tick) * time.Second)
					v := p.base + (rng.Float64()*2-1)*p.amp
					if p.sw {
						v = 1
					}
					if active && len(gw.ch4) > 0 && int(idx%int64(len(gw.points))) == gw.ch4[0] {
						v = 0.3
						if on {
							v = 1.2
						}
					}
					if i > 0 {
						buf = append(buf, ',')
					}
					buf = append(buf, `{"point":"`...)
					buf = append(buf, p.code...)
					buf = append(buf, `","time":"`...)
					buf = t.UTC().AppendFormat(buf, time.RFC3339)
					buf = append(buf, `","value":`...)
					buf = strconv.AppendFloat(buf, v, 'f', p.prec, 64)
					buf = append(buf, '}')
					idx++
					if idx%int64(len(gw.points)) == 0 {
						tick++
					}
				}
				buf = append(buf, "]}"...)
				pt := c.Publish(topic, opt.QoS, false, slices.Clone(buf))
				if opt.QoS > 0 {
					if !pt.WaitTimeout(60*time.Second) || pt.Error() != nil {
						errs <- fmt.Errorf("gateway %s: publish: %v", gw.code, pt.Error())
						return
					}
				}
				mine++
				sent.Add(int64(opt.Batch))
				msgs.Add(1)
				if perGW > 0 {
					// Pace: this gateway's samples so far at its share of the rate.
					want := started.Add(time.Duration(float64(mine*int64(opt.Batch)) / perGW * float64(time.Second)))
					if d := time.Until(want); d > 0 {
						time.Sleep(d)
					}
				}
			}
			if opt.QoS == 0 {
				c.Publish(topic, 1, false, []byte(`{"mine":"`+gw.code+`","samples":[]}`)).WaitTimeout(30 * time.Second)
			}
		}(gi)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return sent.Load(), msgs.Load(), err
	}
	return sent.Load(), msgs.Load(), nil
}

// dbSize answers the database's size in bytes: the SQLite file after a
// checkpoint (so the WAL counts once it is in the file), or PostgreSQL's
// database size.
func dbSize(ctx context.Context, db *store.DB, path string) (int64, error) {
	if db.Dialect == store.SQLite {
		if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			return 0, err
		}
		st, err := os.Stat(path)
		if err != nil {
			return 0, err
		}
		return st.Size(), nil
	}
	var n int64
	err := db.QueryRowContext(ctx, `SELECT pg_database_size(current_database())`).Scan(&n)
	return n, err
}

type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

func (l *latencies) percentiles() (float64, float64, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return 0, 0, 0
	}
	s := slices.Clone(l.d)
	slices.Sort(s)
	at := func(q float64) float64 {
		i := int(math.Ceil(q*float64(len(s)))) - 1
		return round(float64(s[max(i, 0)])/float64(time.Millisecond), 2)
	}
	return at(0.5), at(0.99), len(s)
}
