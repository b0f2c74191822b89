// Package mqttdoor is what the two MQTT doors share: the topic and payload
// of a gateway's message, and how one message becomes an ingest call or a
// refusal that is counted and logged. mqttd (the embedded broker) and mqttc
// (the client of an external broker) differ only in how a message arrives
// and how it is acknowledged.
package mqttdoor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"minesafe/internal/fail"
	"minesafe/internal/registry"
	"minesafe/internal/telemetry"
)

const (
	topicPrefix = "minesafe/v1/mines/"
	topicSuffix = "/samples"
	// TopicFilter matches the sample topic of every mine.
	TopicFilter = topicPrefix + "+" + topicSuffix
)

// Topic answers the topic a gateway publishes a mine's samples to.
func Topic(mineCode string) string { return topicPrefix + mineCode + topicSuffix }

// MineOfTopic answers the mine code of a sample topic.
func MineOfTopic(topic string) (string, bool) {
	code, ok := strings.CutPrefix(topic, topicPrefix)
	if !ok {
		return "", false
	}
	code, ok = strings.CutSuffix(code, topicSuffix)
	if !ok || code == "" || strings.ContainsAny(code, "/+#") {
		return "", false
	}
	return code, true
}

// Refusal codes: what is wrong with a whole message. A refused message can
// never be ingested, so it is acknowledged (or answered with a reason code)
// rather than left for redelivery.
const (
	RefusedTopic         = "bad_topic"      // not minesafe/v1/mines/{mine code}/samples
	RefusedUnknownMine   = "unknown_mine"   // no mine has the topic's code
	RefusedNotAuthorized = "not_authorized" // the sender's token does not cover the mine
	RefusedMalformed     = "malformed"      // the payload is not a sample batch
	RefusedMineMismatch  = "mine_mismatch"  // the payload names another mine than the topic
)

// Refusal is a message refused as a whole, with the reason.
type Refusal struct {
	Code   string
	Reason string
}

func (r *Refusal) Error() string { return r.Reason }

func refuse(code, format string, a ...any) *Refusal {
	return &Refusal{Code: code, Reason: fmt.Sprintf(format, a...)}
}

// IsRefusal answers the refusal inside err, if any.
func IsRefusal(err error) (*Refusal, bool) {
	var r *Refusal
	ok := errors.As(err, &r)
	return r, ok
}

// Ingester stores a mine's batch durably (the telemetry service).
type Ingester interface {
	Ingest(ctx context.Context, mineID int64, b telemetry.Batch, source string) (telemetry.Result, error)
}

// MineFinder finds a mine by its code (the registry).
type MineFinder interface {
	MineByCode(ctx context.Context, code string) (registry.Mine, error)
}

// Door turns MQTT messages into ingest calls.
type Door struct {
	ingest   Ingester
	mines    MineFinder
	log      *slog.Logger
	messages *prometheus.CounterVec
	cache    mineCache
	quiet    quietLog
}

// New answers a door named for its metrics ("embedded" or "external").
// reg may be nil.
func New(name string, in Ingester, mines MineFinder, reg prometheus.Registerer, log *slog.Logger) *Door {
	if log == nil {
		log = slog.Default()
	}
	d := &Door{ingest: in, mines: mines, log: log.With("door", "mqtt-"+name)}
	d.cache.m = map[string]cachedMine{}
	d.quiet.last = map[string]time.Time{}
	d.quiet.left = map[string]int{}
	d.messages = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name:        "minesafe_mqtt_messages_total",
		Help:        "MQTT sample messages by result: ingested, failed (storage; not acknowledged), interrupted (by shutdown; not acknowledged) or the refusal code.",
		ConstLabels: prometheus.Labels{"door": name},
	}, []string{"result"})
	if reg != nil {
		if err := reg.Register(d.messages); err != nil {
			var are prometheus.AlreadyRegisteredError
			if !errors.As(err, &are) {
				panic(err)
			}
			d.messages = are.ExistingCollector.(*prometheus.CounterVec)
		}
	}
	return d
}

// Handle ingests one message published to topic. allow, when not nil, says
// whether the sender may send for a mine. Handle answers a *Refusal for a
// message that can never be ingested, another error when storage failed or
// ctx ended (the message must not be acknowledged: it is to come again), or
// the ingest result once the accepted samples are committed.
func (d *Door) Handle(ctx context.Context, topic string, payload []byte, allow func(mineID int64) bool) (telemetry.Result, error) {
	res, err := d.handle(ctx, topic, payload, allow)
	switch r, refused := IsRefusal(err); {
	case err == nil:
		d.messages.WithLabelValues("ingested").Inc()
	case refused:
		d.Count(r, topic)
	case ctx.Err() != nil:
		// Shutting down: not a storage failure worth an alarm.
		d.messages.WithLabelValues("interrupted").Inc()
		d.Log(slog.LevelInfo, "interrupted", "MQTT batch left unacknowledged at shutdown, to come again", "topic", topic)
	default:
		d.messages.WithLabelValues("failed").Inc()
		d.Log(slog.LevelError, "failed", "MQTT batch not stored; it is not acknowledged, so it comes again", "topic", topic, "err", err)
	}
	return res, err
}

// Count counts and logs a refusal made outside Handle (by an ACL check).
func (d *Door) Count(r *Refusal, topic string) {
	d.messages.WithLabelValues(r.Code).Inc()
	d.Log(slog.LevelWarn, r.Code, "MQTT message refused", "topic", topic, "code", r.Code, "reason", r.Reason)
}

// Log logs at most one line a second of each kind, saying how many of the
// kind were left out meanwhile.
func (d *Door) Log(level slog.Level, kind, msg string, args ...any) {
	d.quiet.log(d.log, level, kind, msg, args...)
}

func (d *Door) handle(ctx context.Context, topic string, payload []byte, allow func(int64) bool) (telemetry.Result, error) {
	code, ok := MineOfTopic(topic)
	if !ok {
		return telemetry.Result{}, refuse(RefusedTopic, "topic %q is not %s", topic, TopicFilter)
	}
	id, err := d.Authorize(ctx, code, allow)
	if err != nil {
		return telemetry.Result{}, err
	}
	b, err := Decode(payload, code)
	if err != nil {
		return telemetry.Result{}, err
	}
	res, err := d.ingest.Ingest(ctx, id, b, telemetry.SourceMQTT)
	if fe, ok := fail.As(err); ok {
		// The service refused the batch itself (the mine is gone): it
		// will not do better next time.
		code := RefusedMalformed
		if fe.Kind == fail.NotFound {
			code = RefusedUnknownMine
		}
		return telemetry.Result{}, refuse(code, "%s", fe.Message)
	}
	return res, err
}

// Authorize answers the id of the mine with code if allow (when not nil)
// lets the sender send for it: a *Refusal otherwise, or a storage error.
func (d *Door) Authorize(ctx context.Context, code string, allow func(int64) bool) (int64, error) {
	id, err := d.cache.id(ctx, d.mines, code)
	switch {
	case err != nil:
		return 0, err
	case id == 0:
		return 0, refuse(RefusedUnknownMine, "no mine has code %q", code)
	case allow != nil && !allow(id):
		return 0, refuse(RefusedNotAuthorized, "the ingest token does not cover mine %q", code)
	}
	return id, nil
}

// Decode reads a sample batch, which must name the topic's mine.
func Decode(payload []byte, topicMine string) (telemetry.Batch, error) {
	var b telemetry.Batch
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return b, refuse(RefusedMalformed, "payload is not a sample batch: %v", err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		return b, refuse(RefusedMalformed, "payload must hold one JSON value")
	}
	switch m := strings.TrimSpace(b.Mine); m {
	case "":
		return b, refuse(RefusedMalformed, "mine (the mine code) is required")
	case topicMine:
		return b, nil
	default:
		return b, refuse(RefusedMineMismatch, "payload mine %q is not the topic's mine %q", m, topicMine)
	}
}

// mineCache keeps mine codes resolved for mineTTL, so a message costs no
// query of its own; a mine registered (or re-coded) meanwhile is seen
// within mineTTL.
type mineCache struct {
	mu sync.Mutex
	m  map[string]cachedMine
}

type cachedMine struct {
	id int64 // 0: no such mine
	at time.Time
}

const (
	mineTTL      = 30 * time.Second
	maxCodesKept = 100000 // beyond it the cache starts afresh (codes sent by a confused gateway)
)

func (c *mineCache) id(ctx context.Context, mines MineFinder, code string) (int64, error) {
	now := time.Now()
	c.mu.Lock()
	e, ok := c.m[code]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < mineTTL {
		return e.id, nil
	}
	m, err := mines.MineByCode(ctx, code)
	if err != nil && !fail.Is(err, fail.NotFound) {
		return 0, err
	}
	c.mu.Lock()
	if len(c.m) >= maxCodesKept {
		c.m = map[string]cachedMine{}
	}
	c.m[code] = cachedMine{id: m.ID, at: now}
	c.mu.Unlock()
	return m.ID, nil
}

// quietLog writes at most one line a second of each kind, saying how many
// were left out, so a gateway sending garbage cannot flood the log. The
// counters count every message.
type quietLog struct {
	mu   sync.Mutex
	last map[string]time.Time
	left map[string]int
}

func (q *quietLog) log(l *slog.Logger, level slog.Level, kind, msg string, args ...any) {
	now := time.Now()
	q.mu.Lock()
	if now.Sub(q.last[kind]) < time.Second {
		q.left[kind]++
		q.mu.Unlock()
		return
	}
	q.last[kind] = now
	left := q.left[kind]
	q.left[kind] = 0
	q.mu.Unlock()
	if left > 0 {
		args = append(args, "similar_left_out", left)
	}
	l.Log(context.Background(), level, msg, args...)
}
