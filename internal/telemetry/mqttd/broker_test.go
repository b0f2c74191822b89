package mqttd_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	pahopackets "github.com/eclipse/paho.mqtt.golang/packets"
	"github.com/mochi-mqtt/server/v2/packets"
	"github.com/prometheus/client_golang/prometheus"

	"minesafe/internal/app/apptest"
	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
	"minesafe/internal/telemetry"
	"minesafe/internal/telemetry/mqttd"
	"minesafe/internal/telemetry/mqttdoor"
	"minesafe/internal/telemetry/mqttdoor/doortest"
)

// world is an app with two mines, their gateways' tokens and the broker.
type world struct {
	env          *apptest.Env
	broker       *mqttd.Broker
	mineA, mineB doortest.Mine
	tokA, tokAB  string
}

func newWorld(t *testing.T, db *store.DB) *world {
	env := apptest.New(t, db)
	ms := doortest.Mines(t, env.App.Registry, env.App.Telemetry, 2, 4)
	w := &world{env: env, mineA: ms[0], mineB: ms[1]}
	w.tokA = doortest.Token(t, env.App.Telemetry, w.mineA)
	w.tokAB = doortest.Token(t, env.App.Telemetry, w.mineA, w.mineB)
	w.broker = startBroker(t, env.App.Telemetry, env.App.Registry, env.App.Metrics.Registry)
	return w
}

func startBroker(t *testing.T, tel *telemetry.Service, reg *registry.Service, metrics prometheus.Registerer) *mqttd.Broker {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b, err := mqttd.Start(ln, tel, reg, mqttd.Options{Log: slog.New(slog.DiscardHandler), Metrics: metrics, TokenRecheck: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close) // before the services' cleanup: the broker stops first
	return b
}

var clientSeq atomic.Int64

// connect answers a connected MQTT 3.1.1 client, or the CONNACK refusal.
func (w *world) connect(t *testing.T, username, password string) (paho.Client, error) {
	t.Helper()
	o := paho.NewClientOptions().AddBroker("tcp://" + w.broker.Addr().String()).
		SetClientID(fmt.Sprintf("gw-%d", clientSeq.Add(1))).SetUsername(username).SetPassword(password).
		SetAutoReconnect(false).SetConnectTimeout(5 * time.Second)
	c := paho.NewClient(o)
	tok := c.Connect()
	if !tok.WaitTimeout(10 * time.Second) {
		t.Fatal("no CONNACK")
	}
	if tok.Error() != nil {
		return nil, tok.Error()
	}
	t.Cleanup(func() { c.Disconnect(100) })
	return c, nil
}

func (w *world) mustConnect(t *testing.T, username, password string) paho.Client {
	t.Helper()
	c, err := w.connect(t, username, password)
	if err != nil {
		t.Fatalf("connect as %s: %v", username, err)
	}
	return c
}

// publish sends at QoS qos and waits for the PUBACK (QoS 1).
func publish(t *testing.T, c paho.Client, topic string, qos byte, payload []byte) error {
	t.Helper()
	tok := c.Publish(topic, qos, false, payload)
	if !tok.WaitTimeout(10 * time.Second) {
		t.Fatalf("publish to %s: no answer", topic)
	}
	return tok.Error()
}

func (w *world) count(t *testing.T) int64 {
	t.Helper()
	n, err := w.env.App.Telemetry.Samples().Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (w *world) metric(t *testing.T, result string) string {
	t.Helper()
	body := string(w.env.Anonymous().Status("GET", "/metrics", nil, http.StatusOK))
	prefix := `minesafe_mqtt_messages_total{door="embedded",result="` + result + `"} `
	for _, l := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(l, prefix); ok {
			return v
		}
	}
	return "0"
}

func (w *world) payload(m doortest.Mine, n int) []byte {
	b, _ := doortest.Batch(m, w.env.Clock.Now().Add(-time.Hour), n)
	return doortest.Payload(b)
}

func TestConnectNeedsTheMinesToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		for _, c := range []struct{ user, pass string }{
			{w.mineA.Code, "msi_nothing"},     // unknown token
			{w.mineA.Code, ""},                // none
			{w.mineB.Code, w.tokA},            // a one-mine token under another mine's name
			{"gateway-7", w.tokA},             // … or under any other name
			{w.mineA.Code, "msu_user_tokens"}, // not an ingest token
		} {
			if _, err := w.connect(t, c.user, c.pass); !errors.Is(err, pahopackets.ErrorRefusedNotAuthorised) {
				t.Errorf("connect %s/%s: %v, want CONNACK not authorised", c.user, c.pass, err)
			}
		}
		c := w.mustConnect(t, w.mineA.Code, w.tokA)
		w.mustConnect(t, "gateway-7", w.tokAB) // a token for several mines: any name

		// Revoking the token ends its open connections at their next publish.
		if err := publish(t, c, mqttdoor.Topic(w.mineA.Code), 1, w.payload(w.mineA, 3)); err != nil {
			t.Fatal(err)
		}
		tok, err := w.env.App.Telemetry.ResolveIngestToken(context.Background(), w.tokA)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.env.App.Telemetry.RevokeIngestToken(context.Background(), auth.System, tok.ID); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond) // past the test's recheck interval
		b, _ := doortest.Batch(w.mineA, w.env.Clock.Now().Add(-time.Minute), 3)
		if err := publish(t, c, mqttdoor.Topic(w.mineA.Code), 1, doortest.Payload(b)); err == nil {
			t.Fatal("a revoked token's publish was acknowledged")
		}
		if n := w.count(t); n != 3 {
			t.Fatalf("%d samples stored, want the 3 sent before the revocation", n)
		}
		if _, err := w.connect(t, w.mineA.Code, w.tokA); !errors.Is(err, pahopackets.ErrorRefusedNotAuthorised) {
			t.Fatalf("reconnect with a revoked token: %v", err)
		}
	})
}

func TestPubackAfterCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		c := w.mustConnect(t, w.mineA.Code, w.tokA)
		if err := publish(t, c, mqttdoor.Topic(w.mineA.Code), 1, w.payload(w.mineA, 50)); err != nil {
			t.Fatal(err)
		}
		// No waiting: the PUBACK came after the commit.
		if n := w.count(t); n != 50 {
			t.Fatalf("%d samples stored when the PUBACK arrived, want 50", n)
		}
		// QoS 0 is taken in the background, but taken.
		b, _ := doortest.Batch(w.mineA, w.env.Clock.Now().Add(-30*time.Minute), 10)
		if err := publish(t, c, mqttdoor.Topic(w.mineA.Code), 0, doortest.Payload(b)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, func() bool { return w.count(t) == 60 && w.metric(t, "ingested") == "2" })
	})
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatal("condition not met within 5 s")
}

// TestTopicIsolation: a gateway publishes only for its own mines, and the
// payload must name the topic's mine. With MQTT 3.1.1 a QoS 1 publish to
// another mine's topic ends the connection (3.1.1 has no negative PUBACK);
// MQTT 5 gets PUBACK "not authorized" (0x87) and keeps the connection. A
// bad payload is acknowledged under 3.1.1 (it would come again forever
// otherwise) and answered "payload format invalid" (0x99) under MQTT 5;
// every refusal is counted by reason.
func TestTopicIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		topicA, topicB := mqttdoor.Topic(w.mineA.Code), mqttdoor.Topic(w.mineB.Code)

		c := w.mustConnect(t, w.mineA.Code, w.tokA)
		if err := publish(t, c, topicA, 1, w.payload(w.mineB, 5)); err != nil { // payload of B on A's topic
			t.Fatalf("mismatch under 3.1.1 not acknowledged: %v", err)
		}
		if err := publish(t, c, topicA, 1, []byte(`{"mine":`)); err != nil {
			t.Fatalf("malformed under 3.1.1 not acknowledged: %v", err)
		}
		if err := publish(t, c, topicB, 0, w.payload(w.mineB, 5)); err != nil {
			t.Fatal(err)
		}
		if !c.IsConnectionOpen() {
			t.Fatal("QoS 0 to a foreign topic closed the connection")
		}
		if sub := c.Subscribe(mqttdoor.TopicFilter, 1, nil); !sub.WaitTimeout(5*time.Second) ||
			sub.(*paho.SubscribeToken).Result()[mqttdoor.TopicFilter] != 0x80 {
			t.Fatal("a gateway could subscribe")
		}
		_ = publish(t, c, topicB, 1, w.payload(w.mineB, 5))
		waitFor(t, func() bool { return !c.IsConnectionOpen() })

		v5 := dialV5(t, w.broker.Addr().String(), w.mineA.Code, w.tokA)
		for i, x := range []struct {
			topic   string
			payload []byte
			want    byte
		}{
			{topicB, w.payload(w.mineB, 5), packets.ErrNotAuthorized.Code},
			{topicA, w.payload(w.mineB, 5), packets.ErrPayloadFormatInvalid.Code},
			{topicA, []byte("not json"), packets.ErrPayloadFormatInvalid.Code},
			{"minesafe/v1/mines/" + w.mineA.Code + "/other", w.payload(w.mineA, 5), packets.ErrNotAuthorized.Code},
			{topicA, w.payload(w.mineA, 5), packets.CodeSuccess.Code},
		} {
			if got := v5.publish(t, uint16(i+1), x.topic, x.payload); got != x.want {
				t.Errorf("MQTT 5 publish %d to %s: reason %#x, want %#x", i, x.topic, got, x.want)
			}
		}
		if n := w.count(t); n != 5 {
			t.Fatalf("stored %d samples, want only the 5 of the last publish", n)
		}
		for result, want := range map[string]string{"not_authorized": "3", "mine_mismatch": "2", "malformed": "2", "bad_topic": "1", "ingested": "1"} {
			if got := w.metric(t, result); got != want {
				t.Errorf("%s counted %s, want %s", result, got, want)
			}
		}
	})
}

func TestPublishReachesTheStream(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		admin := w.env.As("root", auth.RoleAdmin, nil, nil)
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/stream?mine_id=%d", w.env.Server.URL, w.mineA.ID), nil)
		resp, err := admin.HTTP().Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("stream: %v %v", err, resp)
		}
		defer resp.Body.Close()
		events := make(chan string, 16)
		go func() {
			sc := bufio.NewScanner(resp.Body)
			var typ string
			for sc.Scan() {
				if v, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
					typ = v
				} else if v, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
					events <- typ + " " + v
				}
			}
			close(events)
		}()
		c := w.mustConnect(t, w.mineA.Code, w.tokA)
		b, _ := doortest.Batch(w.mineA, w.env.Clock.Now().Add(-time.Minute), 1)
		*b.Samples[0].Value = 0.73
		if err := publish(t, c, mqttdoor.Topic(w.mineA.Code), 1, doortest.Payload(b)); err != nil {
			t.Fatal(err)
		}
		timeout := time.After(5 * time.Second)
		for {
			select {
			case ev, ok := <-events:
				if !ok {
					t.Fatal("stream ended")
				}
				if strings.HasPrefix(ev, "sample ") && strings.Contains(ev, `"value":0.73`) &&
					strings.Contains(ev, fmt.Sprintf(`"point_id":%d`, w.mineA.Points[0].ID)) {
					return
				}
			case <-timeout:
				t.Fatal("no sample event within 5 s")
			}
		}
	})
}

// countingStore counts the commits of the sample store.
type countingStore struct {
	telemetry.SampleStore
	commits atomic.Int64
}

func (c *countingStore) Append(ctx context.Context, s []telemetry.Sample) ([]telemetry.Duplicate, error) {
	c.commits.Add(1)
	return c.SampleStore.Append(ctx, s)
}

// TestManyPublishersShareCommits: 20 gateways publishing at once are all
// acknowledged, every sample is stored exactly once, and they share
// commits (a commit per message would be 500).
func TestManyPublishersShareCommits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		st := &countingStore{SampleStore: telemetry.NewSQLSamples(db)}
		reg := registry.NewService(db, clock.Real{})
		tel := telemetry.NewService(db, clock.Real{}, reg, telemetry.Options{Store: st, Log: slog.New(slog.DiscardHandler)})
		t.Cleanup(tel.Close)
		ms := doortest.Mines(t, reg, tel, 2, 4)
		w := &world{mineA: ms[0], mineB: ms[1], tokAB: doortest.Token(t, tel, ms...)}
		w.broker = startBroker(t, tel, reg, nil)

		const conns, msgs, per = 20, 25, 10
		start := time.Now().Add(-2 * time.Hour)
		var wg sync.WaitGroup
		errs := make(chan error, conns)
		for g := range conns {
			c := w.mustConnect(t, "gw", w.tokAB)
			mine := ms[g%2]
			wg.Go(func() {
				for i := range msgs {
					// Each connection and message has its own milliseconds.
					b, _ := doortest.Batch(mine, start.Add(time.Duration((g*msgs+i)*per)*time.Millisecond), per)
					tok := c.Publish(mqttdoor.Topic(mine.Code), 1, false, doortest.Payload(b))
					if !tok.WaitTimeout(20*time.Second) || tok.Error() != nil {
						errs <- fmt.Errorf("connection %d message %d: %v", g, i, tok.Error())
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		var stored, distinct int
		db.QueryRow(context.Background(), `SELECT COUNT(*) FROM samples`).Scan(&stored)
		db.QueryRow(context.Background(), `SELECT COUNT(*) FROM (SELECT DISTINCT point_id, t FROM samples) d`).Scan(&distinct)
		if stored != conns*msgs*per || distinct != stored {
			t.Fatalf("stored %d samples (%d distinct), want %d", stored, distinct, conns*msgs*per)
		}
		n := st.commits.Load()
		t.Logf("%d messages in %d commits", conns*msgs, n)
		if n >= conns*msgs {
			t.Fatalf("%d commits for %d messages: none shared", n, conns*msgs)
		}
	})
}

// v5 is a bare MQTT 5 client (paho's Go client speaks 3.1.1), built on
// the broker's own packet codec.
type v5 struct {
	conn net.Conn
	r    *bufio.Reader
}

func dialV5(t *testing.T, addr, username, password string) *v5 {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	c := &v5{conn: conn, r: bufio.NewReader(conn)}
	c.write(t, packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Connect}, ProtocolVersion: 5,
		Connect: packets.ConnectParams{ProtocolName: []byte("MQTT"), Clean: true, Keepalive: 30, ClientIdentifier: "v5-gateway",
			UsernameFlag: true, Username: []byte(username), PasswordFlag: true, Password: []byte(password)}})
	if ack := c.read(t); ack.FixedHeader.Type != packets.Connack || ack.ReasonCode != 0 {
		t.Fatalf("MQTT 5 connect: %+v", ack)
	}
	return c
}

func (c *v5) write(t *testing.T, pk packets.Packet) {
	t.Helper()
	var buf bytes.Buffer
	var err error
	switch pk.FixedHeader.Type {
	case packets.Connect:
		err = pk.ConnectEncode(&buf)
	case packets.Publish:
		err = pk.PublishEncode(&buf)
	}
	if err == nil {
		_, err = c.conn.Write(buf.Bytes())
	}
	if err != nil {
		t.Fatal(err)
	}
}

func (c *v5) read(t *testing.T) packets.Packet {
	t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	hb, err := c.r.ReadByte()
	pk := packets.Packet{ProtocolVersion: 5}
	if err == nil {
		err = pk.FixedHeader.Decode(hb)
	}
	if err == nil {
		pk.FixedHeader.Remaining, _, err = packets.DecodeLength(c.r)
	}
	body := make([]byte, pk.FixedHeader.Remaining)
	if err == nil {
		_, err = io.ReadFull(c.r, body)
	}
	if err == nil {
		switch pk.FixedHeader.Type {
		case packets.Connack:
			err = pk.ConnackDecode(body)
		case packets.Puback:
			err = pk.PubackDecode(body)
		case packets.Disconnect:
			err = pk.DisconnectDecode(body)
		}
	}
	if err != nil {
		t.Fatalf("MQTT 5 read: %v", err)
	}
	return pk
}

// publish sends at QoS 1 and answers the PUBACK's reason code.
func (c *v5) publish(t *testing.T, id uint16, topic string, payload []byte) byte {
	t.Helper()
	c.write(t, packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Publish, Qos: 1}, ProtocolVersion: 5,
		PacketID: id, TopicName: topic, Payload: payload})
	ack := c.read(t)
	if ack.FixedHeader.Type != packets.Puback || ack.PacketID != id {
		t.Fatalf("MQTT 5 publish %d: got %+v", id, ack)
	}
	return ack.ReasonCode
}
