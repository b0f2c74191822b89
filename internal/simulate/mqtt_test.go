package simulate_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"minesafe/internal/clock"
	"minesafe/internal/simulate"
	"minesafe/internal/telemetry"
	"minesafe/internal/telemetry/mqttdoor"
)

// brokerURL is the Mosquitto the tests publish to (.ci/run starts it).
func brokerURL() string {
	if v := os.Getenv("MINESAFE_TEST_MQTT"); v != "" {
		return v
	}
	return "tcp://127.0.0.1:1883"
}

// subscriber connects to the test broker, or skips the test with a visible
// message (fails under CI=true, where the broker must be up).
func subscriber(t *testing.T) mqtt.Client {
	t.Helper()
	c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(brokerURL()).SetClientID(fmt.Sprintf("minesafe-sim-test-%d", time.Now().UnixNano())).SetConnectTimeout(3 * time.Second))
	tok := c.Connect()
	if !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("an MQTT broker at %s is required under CI: %v", brokerURL(), tok.Error())
		}
		t.Skipf("SKIP mosquitto: no MQTT broker at %s (%v); start one with mosquitto -d or set MINESAFE_TEST_MQTT", brokerURL(), tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(100) })
	return c
}

// One tick publishes one message per mine on its topic, the payload the
// mine's batch.
func TestRunMQTTPublishesOneMessagePerMine(t *testing.T) {
	sub := subscriber(t)
	// A start of its own, so that messages of other publishers on the
	// same topics are told apart by their sample times.
	start := time.Date(2031, 3, 3, 3, 3, 0, 0, time.UTC)
	var mines []simulate.MineSpec
	for _, m := range demoSpecs() {
		if m.Code == "150703100001" || m.Code == "150727500001" {
			mines = append(mines, m)
		}
	}
	want := map[string]telemetry.Batch{}
	for _, b := range simulate.New(mines, 3, start).Snapshot(start) {
		want[mqttdoor.Topic(b.Mine)] = b
	}
	got := make(chan mqtt.Message, 100)
	tok := sub.Subscribe(mqttdoor.TopicFilter, 1, func(_ mqtt.Client, m mqtt.Message) {
		if strings.Contains(string(m.Payload()), start.In(clock.Shanghai).Format(time.RFC3339)) {
			got <- m
		}
	})
	if !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("subscribe: %v", tok.Error())
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- simulate.RunMQTT(ctx, simulate.Options{URL: brokerURL(), Mines: mines, Seed: 3, Start: start, Clock: clock.NewFake(start),
			Period: time.Hour, QoS: 1, Log: quiet})
	}()
	seen := map[string]bool{}
	for len(seen) < len(want) {
		select {
		case m := <-got:
			var b telemetry.Batch
			if err := json.Unmarshal(m.Payload(), &b); err != nil {
				t.Fatalf("payload on %s: %v", m.Topic(), err)
			}
			if seen[m.Topic()] {
				t.Fatalf("two messages on %s in one tick", m.Topic())
			}
			seen[m.Topic()] = true
			if !reflect.DeepEqual(b, want[m.Topic()]) {
				t.Fatalf("on %s got %d samples of %s, want the mine's %d", m.Topic(), len(b.Samples), b.Mine, len(want[m.Topic()].Samples))
			}
		case err := <-done:
			t.Fatalf("RunMQTT ended: %v", err)
		case <-time.After(10 * time.Second):
			t.Fatalf("received %v of %d mines", seen, len(want))
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("RunMQTT: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("RunMQTT did not stop when its context ended")
	}
}

func TestRunMQTTFailsFastWithoutABroker(t *testing.T) {
	mines := demoSpecs()[:1]
	began := time.Now()
	err := simulate.RunMQTT(context.Background(), simulate.Options{URL: "tcp://127.0.0.1:1", Mines: mines, ConnectTimeout: time.Second, Log: quiet})
	if err == nil || time.Since(began) > 5*time.Second {
		t.Fatalf("no broker: %v after %s", err, time.Since(began))
	}
	if err := simulate.RunMQTT(context.Background(), simulate.Options{URL: brokerURL(), Mines: mines, QoS: 2}); err == nil {
		t.Fatal("QoS 2 accepted")
	}
}
