// Package mqttd is the embedded MQTT broker gateways publish samples to
// (mochi-mqtt inside the process). A gateway connects with its ingest token
// as the password and may publish only to minesafe/v1/mines/{code}/samples
// of the mines the token covers. A QoS 1 message is acknowledged (PUBACK)
// only after its samples are committed: the broker calls OnPublish on the
// client's read loop before it writes the PUBACK, and the hook blocks there
// until the group-committing writer answers.
package mqttd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"syscall"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"
	"github.com/prometheus/client_golang/prometheus"

	"minesafe/internal/fail"
	"minesafe/internal/telemetry"
	"minesafe/internal/telemetry/mqttdoor"
)

// Service is what the broker needs of the telemetry service.
type Service interface {
	mqttdoor.Ingester
	ResolveIngestToken(ctx context.Context, secret string) (*telemetry.IngestToken, error)
}

// Options tune the broker.
type Options struct {
	Log     *slog.Logger
	Metrics prometheus.Registerer // may be nil
	// TokenRecheck is how often a connection's token is checked again, so
	// that a revocation also ends open connections (default 30 s).
	TokenRecheck time.Duration
}

// Broker is the running embedded broker.
type Broker struct {
	server   *mqtt.Server
	addr     net.Addr
	svc      Service
	door     *mqttdoor.Door
	log      *slog.Logger
	recheck  time.Duration
	sessions sync.Map // *mqtt.Client → *session, owned by that client's connection goroutine

	// ctx ends at Close, so a QoS 1 publish still waiting for its commit
	// returns unacknowledged (the gateway sends it again).
	ctx    context.Context
	cancel context.CancelFunc
	// qos0 bounds the QoS 0 batches being ingested in the background;
	// when it is full the publishing connection waits (nothing is dropped).
	qos0  chan struct{}
	async sync.WaitGroup
	once  sync.Once
}

// session is a connection's resolved token and when it was last checked.
type session struct {
	secret  string
	tok     *telemetry.IngestToken
	checked time.Time
}

const (
	maxQoS0Flight = 1024
	// sessionExpiry: the broker keeps nothing a gateway needs between
	// connections (gateways only publish), so persistent sessions are
	// forgotten after an hour rather than kept forever.
	sessionExpiry = 3600
)

// Listen opens the broker's TCP listener on addr. With anyPort, a taken
// address gives way to a free port on the same host (the demo must start
// even beside another broker).
func Listen(addr string, anyPort bool) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	if anyPort && errors.Is(err, syscall.EADDRINUSE) {
		if host, _, e := net.SplitHostPort(addr); e == nil {
			if ln, e := net.Listen("tcp", net.JoinHostPort(host, "0")); e == nil {
				return ln, nil
			}
		}
	}
	return nil, fmt.Errorf("MQTT broker cannot listen on %s: %w (choose another address with --mqtt-listen)", addr, err)
}

// Start serves MQTT on ln until Close. mines resolves the mine codes of
// topics (the registry).
func Start(ln net.Listener, svc Service, mines mqttdoor.MineFinder, opt Options) (*Broker, error) {
	log := opt.Log
	if log == nil {
		log = slog.Default()
	}
	if opt.TokenRecheck <= 0 {
		opt.TokenRecheck = 30 * time.Second
	}
	caps := mqtt.NewDefaultServerCapabilities()
	caps.MaximumPacketSize = telemetry.MaxBatchBody + 64<<10 // a batch as large as HTTP takes, plus the header
	caps.MaximumSessionExpiryInterval = sessionExpiry
	server := mqtt.New(&mqtt.Options{
		Capabilities: caps,
		Logger:       slog.New(brokerLog{log.With("component", "mqtt-broker").Handler()}),
		// $SYS topics cost a stop-the-world memory read; nobody may read them.
		SysTopicResendInterval: 3600,
	})
	b := &Broker{server: server, addr: ln.Addr(), svc: svc, log: log, recheck: opt.TokenRecheck,
		door: mqttdoor.New("embedded", svc, mines, opt.Metrics, log), qos0: make(chan struct{}, maxQoS0Flight)}
	if err := server.AddHook(&hook{b: b}, nil); err != nil {
		ln.Close()
		return nil, err
	}
	if err := server.AddListener(listeners.NewNet("gateways", ln)); err != nil {
		ln.Close()
		return nil, err
	}
	b.ctx, b.cancel = context.WithCancel(context.Background())
	if err := server.Serve(); err != nil {
		b.cancel()
		_ = server.Close()
		return nil, err
	}
	return b, nil
}

// Addr is where the broker listens.
func (b *Broker) Addr() net.Addr { return b.addr }

// Close disconnects every gateway and waits for the batches in hand: a QoS
// 1 batch still waiting for its commit goes unacknowledged (the gateway
// sends it again), the QoS 0 ones taken in are committed.
func (b *Broker) Close() {
	b.once.Do(func() {
		b.cancel()
		// Close the listeners with our own client closer first: mochi's
		// closeListenerClients uses Clients.GetByListener, which takes the
		// clients' read lock twice and deadlocks when a disconnecting client
		// waits for the write lock in between (seen under load in tests).
		// A listener closes its clients only once, so Server.Close below
		// no longer calls it.
		b.server.Listeners.CloseAll(func(id string) {
			for _, cl := range b.server.Clients.GetAll() {
				if cl.Net.Listener == id && !cl.Closed() {
					_ = b.server.DisconnectClient(cl, packets.ErrServerShuttingDown)
				}
			}
		})
		_ = b.server.Close() // waits for every connection's goroutine
		b.async.Wait()
	})
}

// authenticate resolves a connection's token. A token that covers one mine
// must come with that mine's code as the username, which catches a gateway
// configured with another mine's token.
func (b *Broker) authenticate(ctx context.Context, username, secret string) (*telemetry.IngestToken, error) {
	tok, err := b.svc.ResolveIngestToken(ctx, secret)
	if err != nil {
		return nil, err
	}
	if len(tok.MineIDs) == 1 {
		if _, err := b.door.Authorize(ctx, username, tok.Covers); err != nil {
			if _, ok := mqttdoor.IsRefusal(err); ok {
				return nil, fail.Unauthenticatedf("the username must be the code of the token's mine, not %q", username)
			}
			return nil, err
		}
	}
	return tok, nil
}

// token answers the session's token, checking it again when due.
func (b *Broker) token(ctx context.Context, s *session) (*telemetry.IngestToken, error) {
	if time.Since(s.checked) < b.recheck {
		return s.tok, nil
	}
	tok, err := b.svc.ResolveIngestToken(ctx, s.secret)
	switch {
	case err == nil:
		s.tok, s.checked = tok, time.Now()
	case fail.Is(err, fail.Unauthenticated):
		return nil, err
	default:
		// The database is unreachable: keep the token known good and try
		// again with the next message rather than cut the gateway off.
		b.door.Log(slog.LevelWarn, "recheck_failed", "recheck ingest token", "err", err)
	}
	return s.tok, nil
}

// ingestLater ingests a QoS 0 batch in the background. Its outcome is
// counted and logged by the door; the connection goes on at once.
func (b *Broker) ingestLater(topic string, payload []byte, allow func(int64) bool) {
	b.qos0 <- struct{}{}
	b.async.Add(1)
	go func() {
		defer func() { <-b.qos0; b.async.Done() }()
		// Not b.ctx: a QoS 0 batch taken in is committed even during Close.
		_, _ = b.door.Handle(context.Background(), topic, payload, allow)
	}()
}

// hook connects the broker to the telemetry service.
type hook struct {
	mqtt.HookBase
	b *Broker
}

func (h *hook) ID() string { return "minesafe-ingest" }

func (h *hook) Provides(x byte) bool {
	switch x {
	case mqtt.OnConnectAuthenticate, mqtt.OnACLCheck, mqtt.OnPublish, mqtt.OnDisconnect:
		return true
	}
	return false
}

const authTimeout = 10 * time.Second

// OnConnectAuthenticate resolves the token once for the connection.
func (h *hook) OnConnectAuthenticate(cl *mqtt.Client, pk packets.Packet) bool {
	ctx, cancel := context.WithTimeout(h.b.ctx, authTimeout)
	defer cancel()
	secret := string(pk.Connect.Password)
	tok, err := h.b.authenticate(ctx, string(pk.Connect.Username), secret)
	if err == nil {
		h.b.sessions.Store(cl, &session{secret: secret, tok: tok, checked: time.Now()})
		return true
	}
	if fail.Is(err, fail.Unauthenticated) {
		// The broker answers CONNACK "not authorised" (3.1.1) or "bad
		// username or password" (5).
		h.b.door.Log(slog.LevelInfo, "connect_refused", "MQTT connection refused", "client", cl.ID, "remote", cl.Net.Remote,
			"username", string(pk.Connect.Username), "reason", err.Error())
		return false
	}
	// The database could not say: "server unavailable" makes the gateway
	// retry instead of doubting its token.
	h.b.door.Log(slog.LevelError, "connect_failed", "MQTT connection: resolve ingest token", "client", cl.ID, "err", err)
	_ = h.b.server.SendConnack(cl, packets.ErrServerUnavailable, false, nil)
	cl.Stop(packets.ErrServerUnavailable)
	return false
}

// OnACLCheck lets a gateway publish to the sample topics of its mines and
// read nothing. A refused publish is answered by the broker: QoS 0 is
// dropped, QoS 1 gets PUBACK "not authorized" (MQTT 5) or a disconnect
// (3.1.1, which has no negative PUBACK); either way it is counted here.
func (h *hook) OnACLCheck(cl *mqtt.Client, topic string, write bool) bool {
	if !write {
		return false
	}
	s, ok := h.b.session(cl)
	if !ok {
		return false
	}
	code, ok := mqttdoor.MineOfTopic(topic)
	if !ok {
		h.b.door.Count(&mqttdoor.Refusal{Code: mqttdoor.RefusedTopic, Reason: "not a sample topic"}, topic)
		return false
	}
	_, err := h.b.door.Authorize(h.b.ctx, code, s.tok.Covers)
	if r, refused := mqttdoor.IsRefusal(err); refused {
		h.b.door.Count(r, topic)
		return false
	}
	// A storage error is met again, and answered, in OnPublish.
	return true
}

// OnPublish ingests the batch before the broker acknowledges it.
func (h *hook) OnPublish(cl *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	s, ok := h.b.session(cl)
	if !ok {
		return pk, packets.ErrRejectPacket
	}
	tok, err := h.b.token(h.b.ctx, s)
	if err != nil {
		h.b.log.Info("MQTT connection closed: its ingest token was revoked", "client", cl.ID)
		_ = h.b.server.DisconnectClient(cl, packets.ErrNotAuthorized)
		return pk, packets.ErrRejectPacket
	}
	if pk.FixedHeader.Qos == 0 {
		h.b.ingestLater(pk.TopicName, pk.Payload, tok.Covers)
		return pk, packets.CodeSuccessIgnore
	}
	_, err = h.b.door.Handle(h.b.ctx, pk.TopicName, pk.Payload, tok.Covers)
	r, refused := mqttdoor.IsRefusal(err)
	switch {
	case err == nil:
		// Committed: the broker now writes the PUBACK. Ignore: the
		// samples are not routed to other clients (none may read).
		return pk, packets.CodeSuccessIgnore
	case refused && cl.Properties.ProtocolVersion == 5:
		return pk, reasonCode(r) // the broker writes a PUBACK with this reason
	case refused && r.Code != mqttdoor.RefusedNotAuthorized && r.Code != mqttdoor.RefusedUnknownMine:
		// 3.1.1 cannot say no. A bad payload would come again forever if
		// left unacknowledged, so it is acknowledged; it was counted and
		// logged.
		return pk, packets.CodeSuccessIgnore
	case refused:
		_ = h.b.server.DisconnectClient(cl, packets.ErrNotAuthorized)
		return pk, packets.ErrRejectPacket
	default:
		// Not stored: no PUBACK. Closing the connection makes the gateway
		// send the message again when it reconnects.
		_ = h.b.server.DisconnectClient(cl, packets.ErrServerUnavailable)
		return pk, packets.ErrRejectPacket
	}
}

// OnDisconnect forgets the connection's session.
func (h *hook) OnDisconnect(cl *mqtt.Client, _ error, _ bool) {
	h.b.sessions.Delete(cl)
}

func (b *Broker) session(cl *mqtt.Client) (*session, bool) {
	v, ok := b.sessions.Load(cl)
	if !ok {
		return nil, false
	}
	return v.(*session), true
}

// reasonCode is the MQTT 5 PUBACK reason of a refusal.
func reasonCode(r *mqttdoor.Refusal) packets.Code {
	code := packets.ErrPayloadFormatInvalid
	switch r.Code {
	case mqttdoor.RefusedNotAuthorized, mqttdoor.RefusedUnknownMine:
		code = packets.ErrNotAuthorized
	case mqttdoor.RefusedTopic:
		code = packets.ErrTopicNameInvalid
	}
	return packets.Code{Code: code.Code, Reason: r.Reason}
}

// brokerLog passes on what the broker logs at error level, except its line
// for a hook's refusal of a publish, which the door has already logged with
// its reason. The broker's routine lines (clients coming and going) would
// drown the application's.
type brokerLog struct{ slog.Handler }

func (h brokerLog) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelError && h.Handler.Enabled(ctx, l)
}

func (h brokerLog) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "publish packet error" {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h brokerLog) WithAttrs(as []slog.Attr) slog.Handler { return brokerLog{h.Handler.WithAttrs(as)} }
func (h brokerLog) WithGroup(n string) slog.Handler       { return brokerLog{h.Handler.WithGroup(n)} }
