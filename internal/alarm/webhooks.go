package alarm

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/rules"
	"minesafe/internal/store"
)

// WebhookClient sends webhook requests (an *http.Client).
type WebhookClient interface {
	Do(*http.Request) (*http.Response, error)
}

// Webhook is a subscription of another system (an SMS gateway, a duty
// system) to alarm events. Audiences says whose pushes it carries: "mine"
// (new alarms and reminders), "county", "city" (escalations to them); empty
// carries everything. RegionCodes limits it to divisions; MinLevel to alarms
// of at least that level.
type Webhook struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	URL         string    `json:"url"`
	Secret      string    `json:"secret,omitempty"`
	Audiences   []string  `json:"audiences"`
	RegionCodes []string  `json:"region_codes"`
	MinLevel    string    `json:"min_level"`
	Active      bool      `json:"active"`
	CreatedAt   time.Time `json:"created_at"`
}

// Delivery is one push of an event to a webhook.
type Delivery struct {
	ID            int64      `json:"id"`
	WebhookID     int64      `json:"webhook_id"`
	AlarmID       int64      `json:"alarm_id"`
	Event         string     `json:"event"`
	Attempts      int        `json:"attempts"`
	Status        string     `json:"status"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	LastStatus    *int       `json:"last_status"`
	LastError     string     `json:"last_error"`
	CreatedAt     time.Time  `json:"created_at"`
	DeliveredAt   *time.Time `json:"delivered_at"`
}

// Backoff between attempts; after the last the delivery has failed.
var backoff = []time.Duration{10 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute, 30 * time.Minute, time.Hour, 3 * time.Hour}

type webhooks struct {
	db     *store.DB
	clk    clock.Clock
	log    *slog.Logger
	client WebhookClient
	wake   chan struct{}
}

func newWebhooks(db *store.DB, clk clock.Clock, log *slog.Logger, c WebhookClient) *webhooks {
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	return &webhooks{db: db, clk: clk, log: log, client: c, wake: make(chan struct{}, 1)}
}

// Sign answers the X-Minesafe-Signature value of a body.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func audienceOf(event, to string) string {
	switch event {
	case "escalate":
		return to
	case "remind":
		return "mine"
	}
	return "mine"
}

// enqueue writes a delivery for every webhook the event concerns.
func (w *webhooks) enqueue(ctx context.Context, a Alarm, event string) {
	hooks, err := w.list(ctx, false)
	if err != nil {
		w.log.Error("list webhooks", "err", err)
		return
	}
	audience := audienceOf(event, a.EscalatedTo)
	lvl, _ := rules.ParseLevel(a.Level)
	body, _ := json.Marshal(map[string]any{"event": event, "audience": audience, "alarm": a, "sent_at": w.clk.Now()})
	now := w.clk.Now()
	n := 0
	for _, h := range hooks {
		min, _ := rules.ParseLevel(h.MinLevel)
		if !h.Active || lvl < min || (len(h.RegionCodes) > 0 && !slices.Contains(h.RegionCodes, a.RegionCode)) ||
			(len(h.Audiences) > 0 && !slices.Contains(h.Audiences, audience)) {
			continue
		}
		if _, err := w.db.Exec(ctx, `INSERT INTO webhook_deliveries (webhook_id, alarm_id, event, body, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			h.ID, a.ID, event, string(body), now, now); err != nil {
			w.log.Error("queue webhook delivery", "webhook", h.ID, "err", err)
			continue
		}
		n++
	}
	if n > 0 {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
}

func (w *webhooks) run(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.wake:
		}
		if _, err := w.deliverDue(ctx); err != nil && ctx.Err() == nil {
			w.log.Error("deliver webhooks", "err", err)
		}
	}
}

// deliverDue sends the deliveries whose time has come and answers how many
// it tried.
func (w *webhooks) deliverDue(ctx context.Context) (int, error) {
	now := w.clk.Now()
	rows, err := w.db.Query(ctx, `SELECT d.id, d.body, d.event, d.attempts, h.url, h.secret FROM webhook_deliveries d JOIN webhooks h ON h.id = d.webhook_id
		WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.id LIMIT 50`, now)
	if err != nil {
		return 0, err
	}
	type job struct {
		id                    int64
		body, event, url, key string
		attempts              int
	}
	var jobs []job
	for rows.Next() {
		var j job
		if err := rows.Scan(&j.id, &j.body, &j.event, &j.attempts, &j.url, &j.key); err != nil {
			rows.Close()
			return 0, err
		}
		jobs = append(jobs, j)
	}
	rows.Close()
	for _, j := range jobs {
		status, err := w.post(ctx, j.url, j.key, j.event, j.id, []byte(j.body))
		attempts := j.attempts + 1
		now := w.clk.Now()
		switch {
		case err == nil:
			_, err = w.db.Exec(ctx, `UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, last_status = ?, last_error = '', delivered_at = ? WHERE id = ?`, attempts, status, now, j.id)
		case attempts > len(backoff):
			_, err = w.db.Exec(ctx, `UPDATE webhook_deliveries SET status = 'failed', attempts = ?, last_status = ?, last_error = ? WHERE id = ?`, attempts, status, err.Error(), j.id)
		default:
			_, err = w.db.Exec(ctx, `UPDATE webhook_deliveries SET attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?`,
				attempts, status, err.Error(), now.Add(backoff[attempts-1]), j.id)
		}
		if err != nil {
			return 0, err
		}
	}
	return len(jobs), nil
}

func (w *webhooks) post(ctx context.Context, target, secret, event string, id int64, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "minesafe-webhook/1")
	req.Header.Set("X-Minesafe-Event", event)
	req.Header.Set("X-Minesafe-Delivery", fmt.Sprint(id))
	req.Header.Set("X-Minesafe-Signature", Sign(secret, body))
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("answered %s", resp.Status)
	}
	return resp.StatusCode, nil
}

func (w *webhooks) list(ctx context.Context, withArchived bool) ([]Webhook, error) {
	q := `SELECT id, name, url, secret, roles, region_codes, min_level, active, created_at FROM webhooks`
	if !withArchived {
		q += ` WHERE archived_at IS NULL`
	}
	rows, err := w.db.Query(ctx, q+` ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Webhook{}
	for rows.Next() {
		var h Webhook
		var aud, regions string
		if err := rows.Scan(&h.ID, &h.Name, &h.URL, &h.Secret, &aud, &regions, &h.MinLevel, &h.Active, &h.CreatedAt); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(aud), &h.Audiences)
		_ = json.Unmarshal([]byte(regions), &h.RegionCodes)
		h.CreatedAt = h.CreatedAt.UTC()
		out = append(out, h)
	}
	return out, rows.Err()
}

// WebhookInput creates a webhook.
type WebhookInput struct {
	Name        string   `json:"name"`
	URL         string   `json:"url"`
	Secret      string   `json:"secret"`
	Audiences   []string `json:"audiences"`
	RegionCodes []string `json:"region_codes"`
	MinLevel    string   `json:"min_level"`
}

func mayManageWebhooks(p *auth.Principal) error {
	if !p.Is(auth.RoleAdmin, auth.RoleCity) {
		return fail.Forbiddenf("only an admin or the city regulator manages webhooks")
	}
	return nil
}

// AddWebhook registers a webhook; a secret is made when none is given and
// shown only in this answer.
func (s *Service) AddWebhook(ctx context.Context, p *auth.Principal, in WebhookInput) (Webhook, error) {
	if err := mayManageWebhooks(p); err != nil {
		return Webhook{}, err
	}
	f := fail.Fields{}
	u, err := url.Parse(in.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		f.Add("url", "must be an http or https URL")
	}
	if strings.TrimSpace(in.Name) == "" {
		f.Add("name", "required")
	}
	if in.MinLevel == "" {
		in.MinLevel = "blue"
	}
	if l, err := rules.ParseLevel(in.MinLevel); err != nil || l == rules.None {
		f.Add("min_level", "must be blue, yellow, orange or red")
	}
	for _, a := range in.Audiences {
		if !slices.Contains([]string{"mine", "county", "city"}, a) {
			f.Add("audiences", "each must be mine, county or city")
		}
	}
	if in.Audiences == nil {
		in.Audiences = []string{}
	}
	if in.RegionCodes == nil {
		in.RegionCodes = []string{}
	}
	if err := f.Err(); err != nil {
		return Webhook{}, err
	}
	if in.Secret == "" {
		b := make([]byte, 24)
		_, _ = rand.Read(b)
		in.Secret = hex.EncodeToString(b)
	}
	aud, _ := json.Marshal(in.Audiences)
	regions, _ := json.Marshal(in.RegionCodes)
	now := s.clk.Now()
	h := Webhook{Name: in.Name, URL: in.URL, Secret: in.Secret, Audiences: in.Audiences, RegionCodes: in.RegionCodes, MinLevel: in.MinLevel, Active: true, CreatedAt: now}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		h.ID, err = tx.Insert(ctx, `INSERT INTO webhooks (name, url, secret, roles, region_codes, min_level, active, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, TRUE, ?, ?)`,
			in.Name, in.URL, in.Secret, string(aud), string(regions), in.MinLevel, now, p.ActorID())
		if err != nil {
			return err
		}
		_, err = events.Append(ctx, tx, events.New(p, now, "webhook", h.ID, "create").WithDetail(map[string]any{"name": in.Name, "url": in.URL}))
		return err
	})
	return h, err
}

// Webhooks answers the webhooks without their secrets.
func (s *Service) Webhooks(ctx context.Context, p *auth.Principal) ([]Webhook, error) {
	if err := mayManageWebhooks(p); err != nil {
		return nil, err
	}
	hs, err := s.hooks.list(ctx, false)
	for i := range hs {
		hs[i].Secret = ""
	}
	return hs, err
}

// ArchiveWebhook stops a webhook.
func (s *Service) ArchiveWebhook(ctx context.Context, p *auth.Principal, id int64, reason string) error {
	if err := mayManageWebhooks(p); err != nil {
		return err
	}
	if strings.TrimSpace(reason) == "" {
		return fail.Invalidf("reason", "required")
	}
	now := s.clk.Now()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE webhooks SET archived_at = ?, archive_reason = ?, active = FALSE WHERE id = ? AND archived_at IS NULL`, now, reason, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fail.NotFoundf("no such webhook")
		}
		e := events.New(p, now, "webhook", id, "archive")
		e.Reason = reason
		_, err = events.Append(ctx, tx, e)
		return err
	})
}

// Deliveries answers a webhook's delivery log, newest first.
func (s *Service) Deliveries(ctx context.Context, p *auth.Principal, webhookID int64, limit, offset int) ([]Delivery, int, error) {
	if err := mayManageWebhooks(p); err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = ?`, webhookID).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.db.Query(ctx, `SELECT id, webhook_id, alarm_id, event, attempts, status, next_attempt_at, last_status, last_error, created_at, delivered_at
		FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`, webhookID, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []Delivery{}
	for rows.Next() {
		var d Delivery
		if err := rows.Scan(&d.ID, &d.WebhookID, &d.AlarmID, &d.Event, &d.Attempts, &d.Status, &d.NextAttemptAt, &d.LastStatus, &d.LastError, &d.CreatedAt, &d.DeliveredAt); err != nil {
			return nil, 0, err
		}
		d.NextAttemptAt, d.CreatedAt, d.DeliveredAt = d.NextAttemptAt.UTC(), d.CreatedAt.UTC(), utcp(d.DeliveredAt)
		out = append(out, d)
	}
	return out, total, rows.Err()
}

// DeliverDue sends the webhook deliveries that are due now (tests; the
// service's own worker does it every second).
func (s *Service) DeliverDue(ctx context.Context) (int, error) { return s.hooks.deliverDue(ctx) }
