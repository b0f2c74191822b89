package simulate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"minesafe/internal/telemetry"
	"minesafe/internal/telemetry/mqttdoor"
)

// RunMQTT publishes the simulated samples to an MQTT broker until ctx ends:
// one message per mine per tick on minesafe/v1/mines/{code}/samples, the
// payload a telemetry.Batch in JSON, the ingest token as the password. The
// first connection must succeed within ConnectTimeout (a wrong URL or token
// fails at once); after that the client reconnects by itself and a
// message that cannot go out is logged and skipped.
func RunMQTT(ctx context.Context, opt Options) error {
	if err := opt.defaults(); err != nil {
		return err
	}
	if opt.URL == "" {
		return errors.New("simulate: an MQTT broker URL is required")
	}
	if opt.QoS > 1 {
		return fmt.Errorf("simulate: QoS %d: use 0 or 1", opt.QoS)
	}
	if opt.ConnectTimeout <= 0 {
		opt.ConnectTimeout = 10 * time.Second
	}
	if opt.Username == "" {
		opt.Username = "minesafe-simulator"
		if len(opt.Mines) == 1 {
			opt.Username = opt.Mines[0].Code
		}
	}
	if opt.ClientID == "" {
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		opt.ClientID = "minesafe-sim-" + hex.EncodeToString(b)
	}
	log := opt.Log.With("broker", opt.URL)
	co := mqtt.NewClientOptions().AddBroker(opt.URL).SetClientID(opt.ClientID).
		SetUsername(opt.Username).SetPassword(opt.Token).
		SetCleanSession(true).SetAutoReconnect(true).SetConnectTimeout(opt.ConnectTimeout).
		SetConnectionLostHandler(func(_ mqtt.Client, err error) { log.Warn("MQTT connection lost; reconnecting", "err", err) }).
		SetReconnectingHandler(func(mqtt.Client, *mqtt.ClientOptions) { log.Info("MQTT reconnecting") })
	c := mqtt.NewClient(co)
	if err := await(ctx, c.Connect(), opt.ConnectTimeout); err != nil {
		return fmt.Errorf("connect to %s: %w", opt.URL, err)
	}
	defer c.Disconnect(250)
	log.Info("simulator publishing", "mines", len(opt.Mines), "period", opt.Period, "qos", opt.QoS)
	sink := func(ctx context.Context, code string, b telemetry.Batch) error {
		payload, err := json.Marshal(b)
		if err != nil {
			return err
		}
		// A tick's worth of waiting at most, so one stuck message cannot
		// hold the others back; paho keeps a QoS 1 message for the
		// reconnection.
		return await(ctx, c.Publish(mqttdoor.Topic(code), opt.QoS, false, payload), opt.Period)
	}
	return run(ctx, New(opt.Mines, opt.Seed, opt.Start), sink, opt)
}

// await waits for a paho token, ctx or the timeout.
func await(ctx context.Context, tok mqtt.Token, timeout time.Duration) error {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-tok.Done():
		return tok.Error()
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return fmt.Errorf("no answer from the broker within %s", timeout)
	}
}
