// Package mqttc takes gateways' samples from an external MQTT broker
// (Mosquitto, EMQX): a persistent session (clean session off, a fixed
// client id) subscribed at QoS 1 to every mine's sample topic, acknowledging
// each message only after its samples are committed. What a crash loses
// before the acknowledgement the broker delivers again to the next run.
//
// Which gateway may publish where is the broker's ACL; minesafe checks on
// its own that the topic's mine, the payload's mine and the points agree.
package mqttc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/prometheus/client_golang/prometheus"

	"minesafe/internal/telemetry/mqttdoor"
)

// Config says where and as whom to subscribe.
type Config struct {
	URL      string // tcp://host:1883, ssl://host:8883, ws://host/mqtt …
	ClientID string // fixed: it names the broker-side session that keeps unacknowledged messages
	Username string
	Password string
	Log      *slog.Logger
	Metrics  prometheus.Registerer // may be nil
	// ConnectTimeout bounds connecting and subscribing (default 10 s).
	ConnectTimeout time.Duration
}

// Subscriber is the running client.
type Subscriber struct {
	cfg    Config
	client paho.Client
	door   *mqttdoor.Door
	log    *slog.Logger

	// ctx ends at Close; a batch still waiting for its commit then stays
	// unacknowledged and comes again to the next run.
	ctx    context.Context
	cancel context.CancelFunc
	// slots bound the batches in hand. The message handler runs on the
	// client's dispatch goroutine and waits for a slot, so a busy writer
	// slows reading from the broker instead of piling up goroutines.
	slots chan struct{}
	// redeliver asks the run loop for a new connection: a broker sends
	// unacknowledged messages again only on a new connection.
	redeliver  chan struct{}
	lastStored atomic.Int64 // unix nano of the last stored batch
	subscribed chan error   // the first subscription's outcome, for Start
	done       chan struct{}
	once       sync.Once
}

const (
	maxInHand     = 256
	firstBackoff  = time.Second
	maxBackoff    = 30 * time.Second
	quiesceMillis = 1000
	ackFlush      = 200 * time.Millisecond
)

// Start connects, subscribes and takes messages until Close. A broker that
// cannot be reached or refuses the subscription is an error here; later
// connection losses are retried.
func Start(cfg Config, in mqttdoor.Ingester, mines mqttdoor.MineFinder) (*Subscriber, error) {
	var err error
	if cfg.URL, err = brokerURL(cfg.URL); err != nil {
		return nil, err
	}
	if cfg.ClientID == "" {
		return nil, errors.New("the MQTT client id (--mqtt-client-id) is required: it names the persistent session")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	log := cfg.Log.With("mqtt_broker", cfg.URL, "mqtt_client_id", cfg.ClientID)
	s := &Subscriber{cfg: cfg, log: log, door: mqttdoor.New("external", in, mines, cfg.Metrics, log),
		slots: make(chan struct{}, maxInHand), redeliver: make(chan struct{}, 1),
		subscribed: make(chan error, 1), done: make(chan struct{})}
	s.ctx, s.cancel = context.WithCancel(context.Background())

	o := paho.NewClientOptions().AddBroker(cfg.URL).SetClientID(cfg.ClientID).
		SetUsername(cfg.Username).SetPassword(cfg.Password).
		SetCleanSession(false).   // the broker keeps what is not acknowledged
		SetAutoAckDisabled(true). // acknowledged after the commit, by hand
		SetOrderMatters(true).    // the handler only hands over (see slots)
		SetAutoReconnect(true).SetMaxReconnectInterval(maxBackoff).
		SetConnectTimeout(cfg.ConnectTimeout).SetKeepAlive(30 * time.Second).
		SetDefaultPublishHandler(s.onMessage). // also gets what the session delivers before SUBSCRIBE
		SetOnConnectHandler(s.onConnect).
		SetConnectionLostHandler(func(_ paho.Client, err error) {
			log.Warn("lost the MQTT broker; reconnecting", "err", err)
		})
	s.client = paho.NewClient(o)
	if err := s.connect(); err != nil {
		s.cancel()
		return nil, fmt.Errorf("connect to MQTT broker %s as %q: %w", cfg.URL, cfg.ClientID, err)
	}
	select {
	case err := <-s.subscribed:
		if err != nil {
			s.stop()
			return nil, err
		}
	case <-time.After(cfg.ConnectTimeout):
		s.stop()
		return nil, fmt.Errorf("MQTT broker %s did not answer the subscription to %s within %s", cfg.URL, mqttdoor.TopicFilter, cfg.ConnectTimeout)
	}
	go s.run()
	log.Info("subscribed to the MQTT broker", "topic", mqttdoor.TopicFilter)
	return s, nil
}

// brokerURL checks a broker URL and adds the scheme's usual port when
// none is given.
func brokerURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err == nil && u.Hostname() == "" {
		err = errors.New("no host")
	}
	port := ""
	if err == nil {
		switch u.Scheme {
		case "tcp", "mqtt":
			port = "1883"
		case "ssl", "tls", "mqtts":
			port = "8883"
		case "ws", "wss":
		default:
			err = fmt.Errorf("scheme %q", u.Scheme)
		}
	}
	if err != nil {
		return "", fmt.Errorf("--mqtt-url %q: %v: use tcp://host:1883, ssl://host:8883 or ws://host:port/path", raw, err)
	}
	if u.Port() == "" && port != "" {
		u.Host = net.JoinHostPort(u.Hostname(), port)
	}
	return u.String(), nil
}

func (s *Subscriber) connect() error {
	t := s.client.Connect()
	if !t.WaitTimeout(s.cfg.ConnectTimeout + time.Second) {
		return errors.New("no answer")
	}
	return t.Error()
}

// onConnect subscribes on every connection; with a persistent session
// the broker already has the subscription, and subscribing again is
// harmless.
func (s *Subscriber) onConnect(c paho.Client) {
	t := c.Subscribe(mqttdoor.TopicFilter, 1, nil)
	var err error
	switch {
	case !t.WaitTimeout(s.cfg.ConnectTimeout):
		err = errors.New("no answer to SUBSCRIBE")
	case t.Error() != nil:
		err = t.Error()
	case t.(*paho.SubscribeToken).Result()[mqttdoor.TopicFilter] > 2:
		err = fmt.Errorf("MQTT broker %s refused the subscription to %s: allow user %q to read it in the broker's ACL",
			s.cfg.URL, mqttdoor.TopicFilter, s.cfg.Username)
	}
	if err != nil {
		s.log.Error("subscribe", "err", err)
	}
	select {
	case s.subscribed <- err:
	default: // only Start waits, for the first one
	}
}

// onMessage runs on the client's dispatch goroutine: it takes a slot and
// hands the message to a worker.
func (s *Subscriber) onMessage(_ paho.Client, m paho.Message) {
	if s.ctx.Err() != nil {
		return // closing: left unacknowledged for the next run
	}
	select {
	case s.slots <- struct{}{}:
	case <-s.ctx.Done():
		return
	}
	go s.ingest(m)
}

func (s *Subscriber) ingest(m paho.Message) {
	defer func() { <-s.slots }()
	_, err := s.door.Handle(s.ctx, m.Topic(), m.Payload(), nil)
	if _, refused := mqttdoor.IsRefusal(err); err == nil || refused {
		// Stored, or refused for good (counted and logged by the door):
		// either way the broker may forget it.
		m.Ack()
		if err == nil {
			s.lastStored.Store(time.Now().UnixNano())
		}
		return
	}
	select {
	case s.redeliver <- struct{}{}:
	default:
	}
}

// run reconnects after a storage failure, waiting longer while failures
// go on, so the broker delivers the unacknowledged messages again.
func (s *Subscriber) run() {
	defer close(s.done)
	backoff := firstBackoff
	var since time.Time
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-s.redeliver:
		}
		if time.Unix(0, s.lastStored.Load()).After(since) {
			backoff = firstBackoff // storage worked since the last round
		}
		since = time.Now()
		for {
			select {
			case <-s.ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, maxBackoff)
			s.log.Info("reconnecting to the MQTT broker to have unstored messages delivered again")
			s.client.Disconnect(quiesceMillis)
			err := s.connect()
			if err == nil {
				break
			}
			s.log.Warn("reconnect to the MQTT broker", "err", err)
		}
	}
}

// Close stops taking messages, waits for the batches in hand and
// disconnects. Whatever was not acknowledged stays with the broker.
func (s *Subscriber) Close() {
	s.once.Do(func() {
		s.cancel()
		<-s.done
		s.stop()
	})
}

// stop ends the batches in hand (ctx is cancelled) and disconnects.
func (s *Subscriber) stop() {
	s.cancel()
	for range cap(s.slots) { // every worker has given its slot back
		s.slots <- struct{}{}
	}
	// paho writes PUBACKs and the DISCONNECT from two channels in one
	// select, so a DISCONNECT can overtake the last acknowledgements and the
	// broker would deliver those messages again. Give the queued PUBACKs a
	// moment to go out first.
	time.Sleep(ackFlush)
	s.client.Disconnect(quiesceMillis)
}
