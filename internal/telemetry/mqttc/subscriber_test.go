package mqttc_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"minesafe/internal/clock"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
	"minesafe/internal/telemetry"
	"minesafe/internal/telemetry/mqttc"
	"minesafe/internal/telemetry/mqttdoor"
	"minesafe/internal/telemetry/mqttdoor/doortest"
)

// network is the telemetry service on a database, its sample store made
// to fail on demand, and a unique client id whose session is removed from
// the broker when the test ends.
type network struct {
	url      string
	clientID string
	reg      *registry.Service
	tel      *telemetry.Service
	store    *flakyStore
	metrics  *prometheus.Registry
	mine     doortest.Mine
}

// flakyStore commits and then reports failure for the next failAfter
// appends: the worst case, a crash between the commit and the
// acknowledgement.
type flakyStore struct {
	telemetry.SampleStore
	failAfter atomic.Int32
}

func (f *flakyStore) Append(ctx context.Context, s []telemetry.Sample) ([]telemetry.Duplicate, error) {
	d, err := f.SampleStore.Append(ctx, s)
	if err == nil && f.failAfter.Add(-1) >= 0 {
		return nil, errors.New("storage failed after the commit")
	}
	return d, err
}

func newNetwork(t *testing.T, db *store.DB) *network {
	n := &network{url: doortest.Mosquitto(t), clientID: fmt.Sprintf("minesafe-test-%x", rand.Uint64()), metrics: prometheus.NewRegistry()}
	n.store = &flakyStore{SampleStore: telemetry.NewSQLSamples(db)}
	n.reg = registry.NewService(db, clock.Real{})
	n.tel = telemetry.NewService(db, clock.Real{}, n.reg, telemetry.Options{Store: n.store, Log: slog.New(slog.DiscardHandler)})
	t.Cleanup(n.tel.Close)
	n.mine = doortest.Mines(t, n.reg, n.tel, 1, 3)[0]
	t.Cleanup(func() { doortest.ForgetSession(t, n.url, n.clientID) })
	return n
}

func (n *network) start(t *testing.T) *mqttc.Subscriber {
	t.Helper()
	s, err := mqttc.Start(mqttc.Config{URL: n.url, ClientID: n.clientID, Log: slog.New(slog.DiscardHandler), Metrics: n.metrics},
		n.tel, n.reg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func (n *network) batch(start time.Duration, size int) []byte {
	b, _ := doortest.Batch(n.mine, time.Now().Add(-start), size)
	return doortest.Payload(b)
}

func (n *network) count(t *testing.T) int64 {
	t.Helper()
	c, err := n.tel.Samples().Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// counted answers minesafe_mqtt_messages_total{door="external",result}.
func (n *network) counted(t *testing.T, result string) float64 {
	t.Helper()
	fams, err := n.metrics.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != "minesafe_mqtt_messages_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "result" && l.GetValue() == result {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("%s: not within 10 s", what)
}

// TestSubscriberStoresAndResumes: samples published to Mosquitto are
// stored; a refused batch is acknowledged (never delivered again); what is
// published while minesafe is down comes with the persistent session.
func TestSubscriberStoresAndResumes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		n := newNetwork(t, db)
		sub := n.start(t)
		topic := mqttdoor.Topic(n.mine.Code)
		doortest.Publish(t, n.url, topic, n.batch(time.Hour, 30))
		waitFor(t, "30 samples stored", func() bool { return n.count(t) == 30 })

		other := doortest.Mines(t, n.reg, n.tel, 1, 1)[0]
		b, _ := doortest.Batch(other, time.Now().Add(-time.Hour), 3)
		doortest.Publish(t, n.url, topic, doortest.Payload(b)) // another mine's batch on this mine's topic
		doortest.Publish(t, n.url, mqttdoor.Topic("999999999999"), n.batch(time.Hour, 3))
		waitFor(t, "refusals counted", func() bool {
			return n.counted(t, mqttdoor.RefusedMineMismatch) == 1 && n.counted(t, mqttdoor.RefusedUnknownMine) == 1
		})

		sub.Close()
		doortest.Publish(t, n.url, topic, n.batch(50*time.Minute, 20)) // while minesafe is down
		n.start(t)
		waitFor(t, "the batch sent while down stored", func() bool { return n.count(t) == 50 })
		time.Sleep(300 * time.Millisecond) // room for a wrongly redelivered refusal to show
		if n.counted(t, mqttdoor.RefusedMineMismatch) != 1 || n.counted(t, mqttdoor.RefusedUnknownMine) != 1 {
			t.Fatal("a refused batch was delivered again: it was not acknowledged")
		}
		if n.count(t) != 50 {
			t.Fatalf("%d samples stored, want 50", n.count(t))
		}
	})
}

// TestRedeliveryAfterStorageFailure: a batch whose commit is not confirmed
// is not acknowledged; the subscriber reconnects, the broker delivers it
// again under the same session, and it is stored once.
func TestRedeliveryAfterStorageFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		n := newNetwork(t, db)
		n.store.failAfter.Store(1)
		n.start(t)
		doortest.Publish(t, n.url, mqttdoor.Topic(n.mine.Code), n.batch(time.Hour, 20))
		waitFor(t, "failed once, then stored on redelivery", func() bool {
			return n.counted(t, "failed") == 1 && n.counted(t, "ingested") == 1
		})
		if c := n.count(t); c != 20 {
			t.Fatalf("%d samples stored, want 20 (once each)", c)
		}
	})
}
