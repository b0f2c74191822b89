package simulate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"minesafe/internal/clock"
	"minesafe/internal/telemetry"
	"minesafe/internal/telemetry/mqttdoor"
)

// Options tune a run of the simulator.
type Options struct {
	Mines  []MineSpec
	Seed   int64
	Period time.Duration // how often batches go out (default 10 s); samples keep their points' own periods
	Start  time.Time     // when the script starts (default: the clock's time when the run begins)
	Clock  clock.Clock   // default: the wall clock
	Log    *slog.Logger  // default: slog.Default()

	// MQTT (RunMQTT only).
	URL            string        // broker, e.g. tcp://127.0.0.1:1883
	Username       string        // default: the mine's code when there is one mine (the embedded broker asks it of a single-mine token), else "minesafe-simulator"
	Token          string        // the ingest token, sent as the password
	ClientID       string        // default: minesafe-sim-<random>
	QoS            byte          // 0 or 1 (the zero value is QoS 0)
	ConnectTimeout time.Duration // for the first connection (default 10 s); later ones retry for ever
}

// maxCatchUp is the longest gap a run fills with the samples it missed
// (the process was stopped in a debugger, the laptop slept); after a longer
// one it sends each point's latest sample only, as a gateway would.
const maxCatchUp = 5 * time.Minute

func (o *Options) defaults() error {
	if len(o.Mines) == 0 {
		return errors.New("simulate: no mines to simulate")
	}
	if o.Period <= 0 {
		o.Period = 10 * time.Second
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Start.IsZero() {
		o.Start = o.Clock.Now()
	}
	return nil
}

// Sink takes one mine's batch; an error is logged (when a mine's failures
// start, then every ten minutes while they last) and the run goes on.
type Sink func(ctx context.Context, mineCode string, b telemetry.Batch) error

// Run sends the simulated samples to sink every Period until ctx ends,
// which is not an error. The first tick sends each point's latest sample;
// every later one the samples due since the tick before.
func Run(ctx context.Context, sink Sink, opt Options) error {
	if err := opt.defaults(); err != nil {
		return err
	}
	return run(ctx, New(opt.Mines, opt.Seed, opt.Start), sink, opt)
}

func run(ctx context.Context, sim *Sim, sink Sink, opt Options) error {
	tick := time.NewTicker(opt.Period)
	defer tick.Stop()
	log := sinkLog{log: opt.Log, failing: map[string]time.Time{}}
	var last time.Time
	for {
		now := opt.Clock.Now().Truncate(time.Second)
		var batches []telemetry.Batch
		switch {
		case last.IsZero() || now.Sub(last) > maxCatchUp:
			batches = sim.Snapshot(now)
		case now.After(last):
			batches = sim.Batches(last, now)
		}
		if now.After(last) {
			last = now
		}
		for _, b := range batches {
			if ctx.Err() != nil {
				return nil
			}
			log.note(b.Mine, sink(ctx, b.Mine, b))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// sinkLog logs a mine's delivery failures when they start, then at most
// every failureLogEvery while they last (with the latest error), and when
// they stop: not at every tick.
type sinkLog struct {
	log     *slog.Logger
	failing map[string]time.Time // mine → when its failure was last logged
}

const failureLogEvery = 10 * time.Minute

func (l *sinkLog) note(mine string, err error) {
	last, failing := l.failing[mine]
	switch {
	case err != nil && (!failing || time.Since(last) >= failureLogEvery):
		l.log.Warn("simulated batch not delivered", "mine", mine, "err", err)
		l.failing[mine] = time.Now()
	case err == nil && failing:
		l.log.Info("simulated batches delivered again", "mine", mine)
		delete(l.failing, mine)
	}
}

// IngestSink feeds batches straight into the telemetry service, as if they
// had come through a door named source (no broker in between). A batch
// with refused samples is an error naming the first refusal: the simulator
// must never send what the platform refuses.
func IngestSink(in mqttdoor.Ingester, mines mqttdoor.MineFinder, source string) Sink {
	var mu sync.Mutex
	ids := map[string]int64{}
	return func(ctx context.Context, code string, b telemetry.Batch) error {
		mu.Lock()
		id, ok := ids[code]
		mu.Unlock()
		if !ok {
			m, err := mines.MineByCode(ctx, code)
			if err != nil {
				return err
			}
			id = m.ID
			mu.Lock()
			ids[code] = id
			mu.Unlock()
		}
		res, err := in.Ingest(ctx, id, b, source)
		if err != nil {
			return err
		}
		if n := len(res.Rejected); n > 0 {
			r := res.Rejected[0]
			return fmt.Errorf("%d of %d samples refused, first %s: %s (%s)", n, len(b.Samples), r.Point, r.Reason, r.Code)
		}
		return nil
	}
}
