package bench

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/hooks/auth"
	"github.com/mochi-mqtt/server/v2/listeners"

	"minesafe/internal/telemetry"
)

// baselineSeconds is how long each baseline runs.
const baselineSeconds = 5

// brokerBaseline measures the embedded broker alone: the same number of
// connections publish the same size of messages to a subscriber that only
// counts them.
func brokerBaseline(ctx context.Context, opt IngestOptions) (float64, error) {
	srv := mqtt.New(&mqtt.Options{InlineClient: false})
	if err := srv.AddHook(new(auth.AllowHook), nil); err != nil {
		return 0, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	addr := ln.Addr().String()
	ln.Close()
	if err := srv.AddListener(listeners.NewTCP(listeners.Config{ID: "bench", Address: addr})); err != nil {
		return 0, err
	}
	if err := srv.Serve(); err != nil {
		return 0, err
	}
	defer srv.Close()
	var got atomic.Int64
	sub := paho.NewClient(paho.NewClientOptions().AddBroker("tcp://" + addr).SetClientID("bench-counter").SetOrderMatters(false))
	if t := sub.Connect(); !t.WaitTimeout(10*time.Second) || t.Error() != nil {
		return 0, fmt.Errorf("counter: %v", t.Error())
	}
	defer sub.Disconnect(100)
	if t := sub.Subscribe("bench/#", opt.QoS, func(paho.Client, paho.Message) { got.Add(1) }); !t.WaitTimeout(10*time.Second) || t.Error() != nil {
		return 0, fmt.Errorf("subscribe: %v", t.Error())
	}
	payload := make([]byte, opt.Batch*80) // about the size of a real batch
	deadline := time.Now().Add(baselineSeconds * time.Second)
	start := time.Now()
	var wg sync.WaitGroup
	var sent atomic.Int64
	for g := 0; g < opt.Gateways; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			c := paho.NewClient(paho.NewClientOptions().AddBroker("tcp://" + addr).SetClientID("bench-pub-" + strconv.Itoa(g)))
			if t := c.Connect(); !t.WaitTimeout(10*time.Second) || t.Error() != nil {
				return
			}
			defer c.Disconnect(100)
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t := c.Publish("bench/"+strconv.Itoa(g), opt.QoS, false, payload)
				if opt.QoS > 0 {
					t.WaitTimeout(30 * time.Second)
				}
				sent.Add(1)
			}
		}(g)
	}
	wg.Wait()
	// Let the counter catch up with what was sent, briefly.
	for i := 0; i < 50 && got.Load() < sent.Load(); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	return round(float64(got.Load()*int64(opt.Batch))/time.Since(start).Seconds(), 0), nil
}

// storeBaseline measures bare batched appends into the same store from as
// many goroutines as gateways, on point ids no real point has.
func storeBaseline(ctx context.Context, s telemetry.SampleStore, opt IngestOptions) (float64, error) {
	deadline := time.Now().Add(baselineSeconds * time.Second)
	base := time.Now().Add(-24 * time.Hour)
	start := time.Now()
	var wg sync.WaitGroup
	var n atomic.Int64
	errc := make(chan error, opt.Gateways)
	for g := 0; g < opt.Gateways; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			batch := make([]telemetry.Sample, opt.Batch)
			tick := 0
			for time.Now().Before(deadline) && ctx.Err() == nil {
				for i := range batch {
					batch[i] = telemetry.Sample{PointID: int64(9_000_000 + g*1000 + i%50), Time: base.Add(time.Duration(tick+i/50) * time.Second), Value: 0.25 + float64(i%7)/100}
				}
				tick += opt.Batch / 50
				if _, err := s.Append(ctx, batch); err != nil {
					errc <- err
					return
				}
				n.Add(int64(opt.Batch))
			}
		}(g)
	}
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return 0, err
	}
	return round(float64(n.Load())/time.Since(start).Seconds(), 0), nil
}
