package telemetry

import (
	"context"
	_ "embed"
	"errors"

	"net/http"
	"strconv"
	"strings"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
)

// OpenAPI is this package's fragment of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte

// MaxBatchBody caps an HTTP sample batch (about 100k samples).
const MaxBatchBody = 16 << 20

// Routes registers the network's endpoints.
func (s *Service) Routes(r *httpx.Router) {
	r.Handle("GET /api/v1/mines/{id}/points", s.handleListPoints)
	r.Handle("POST /api/v1/mines/{id}/points", s.handleCreatePoint)
	r.Handle("POST /api/v1/mines/{id}/points/import", s.handleImportPoints)
	r.Handle("GET /api/v1/points/{id}", s.handleGetPoint)
	r.Handle("PATCH /api/v1/points/{id}", s.handleUpdatePoint)
	r.Handle("POST /api/v1/points/{id}/archive", s.handleArchivePoint)
	r.Handle("GET /api/v1/points/{id}/series", s.handleSeries)
	r.Handle("GET /api/v1/mines/{id}/live", s.handleLive)
	r.Handle("GET /api/v1/mines/{id}/rejected-samples", s.handleRejected)
	r.Handle("GET /api/v1/mines/{id}/ingest-tokens", s.handleListTokens)
	r.Handle("POST /api/v1/mines/{id}/ingest-tokens", s.handleCreateToken)
	r.Handle("POST /api/v1/ingest-tokens/{id}/revoke", s.handleRevokeToken)
	r.Public("POST /api/v1/ingest/samples", http.HandlerFunc(s.handleIngestSamples))
	r.Handle("GET /api/v1/stream", s.handleStream)
	r.Handle("GET /api/v1/monitoring/coverage", s.handleCoverage)
	r.Handle("GET /api/v1/catalog/sensors", s.handleSensors)
	r.Handle("GET /api/v1/catalog/locations", s.handleLocations)
}

func (s *Service) handleListPoints(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	lp, err := httpx.ParseList(r, []string{"id", "code", "sensor_type", "location"}, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	pts, total, err := s.ListPoints(r.Context(), auth.FromContext(r.Context()), id, lp, r.URL.Query().Get("sensor_type"))
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, httpx.List[Point]{Items: pts, Total: total})
}

func (s *Service) handleCreatePoint(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	var in PointFields
	if err := httpx.Decode(w, r, &in); err != nil {
		httpx.Error(w, r, err)
		return
	}
	pt, err := s.CreatePoint(r.Context(), auth.FromContext(r.Context()), id, in, "api")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusCreated, pt)
}

func (s *Service) handleGetPoint(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	pt, _, err := s.GetPoint(r.Context(), auth.FromContext(r.Context()), id)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, pt)
}

func (s *Service) handleUpdatePoint(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	var in PointPatch
	if err := httpx.Decode(w, r, &in); err != nil {
		httpx.Error(w, r, err)
		return
	}
	pt, err := s.UpdatePoint(r.Context(), auth.FromContext(r.Context()), id, in)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, pt)
}

func (s *Service) handleArchivePoint(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := httpx.Decode(w, r, &in); err != nil {
		httpx.Error(w, r, err)
		return
	}
	pt, err := s.ArchivePoint(r.Context(), auth.FromContext(r.Context()), id, in.Reason)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, pt)
}

// parseTimeParam reads an RFC 3339 query parameter, or def when absent.
func parseTimeParam(r *http.Request, name string, def time.Time, f fail.Fields) time.Time {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		f.Add(name, "must be an RFC 3339 time with a zone, e.g. 2026-01-02T08:00:00+08:00")
		return def
	}
	return t.UTC()
}

// SeriesAnswer is the answer of /points/{id}/series: raw items (time,
// value, status) without step, buckets (time, min, max, avg, count) with.
type SeriesAnswer struct {
	PointID   int64  `json:"point_id"`
	From      string `json:"from"`
	To        string `json:"to"`
	Step      string `json:"step,omitempty"`
	Items     any    `json:"items"`
	Truncated bool   `json:"truncated,omitempty"`
}

// maxRaw caps a raw series answer; ask for a step beyond it.
const maxRaw = 50000

func (s *Service) handleSeries(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	p := auth.FromContext(r.Context())
	if _, _, err := s.GetPoint(r.Context(), p, id); err != nil {
		httpx.Error(w, r, err)
		return
	}
	f := fail.Fields{}
	now := s.clk.Now()
	to := parseTimeParam(r, "to", now, f)
	from := parseTimeParam(r, "from", to.Add(-24*time.Hour), f)
	if !from.Before(to) && !f.Has("from") && !f.Has("to") {
		f.Add("from", "must be before to")
	}
	var step time.Duration
	if v := r.URL.Query().Get("step"); v != "" {
		step, err = parseStep(v, from, to)
		if err != nil {
			f.Add("step", "%v", err)
		}
	}
	if err := f.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	ans := SeriesAnswer{PointID: id, From: from.Format(time.RFC3339), To: to.Format(time.RFC3339)}
	if step > 0 {
		bs, err := s.samples.Buckets(r.Context(), id, from, to, step)
		if err != nil {
			httpx.Error(w, r, err)
			return
		}
		ans.Step, ans.Items = step.String(), bs
	} else {
		raw, err := s.samples.Range(r.Context(), id, from, to, maxRaw+1)
		if err != nil {
			httpx.Error(w, r, err)
			return
		}
		if len(raw) > maxRaw {
			raw, ans.Truncated = raw[:maxRaw], true
		}
		type item struct {
			Time   time.Time `json:"time"`
			Value  float64   `json:"value"`
			Status int       `json:"status"`
		}
		items := make([]item, len(raw))
		for i, sm := range raw {
			items[i] = item{sm.Time, sm.Value, sm.Status}
		}
		ans.Items = items
	}
	httpx.JSON(w, http.StatusOK, ans)
}

// parseStep reads a Go duration ("10m"), whole seconds ("600") or "auto"
// (about 500 buckets over the range).
func parseStep(v string, from, to time.Time) (time.Duration, error) {
	var d time.Duration
	switch {
	case v == "auto":
		d = to.Sub(from) / 500
		if d < time.Second {
			d = time.Second
		}
		return d.Truncate(time.Second), nil
	default:
		if n, err := strconv.Atoi(v); err == nil {
			d = time.Duration(n) * time.Second
		} else if d, err = time.ParseDuration(v); err != nil {
			return 0, errors.New(`must be a duration like "10m", whole seconds, or "auto"`)
		}
	}
	if d < time.Second {
		return 0, errors.New("must be at least 1s")
	}
	if to.Sub(from)/d > 100000 {
		return 0, errors.New("gives more than 100000 buckets: choose a larger step")
	}
	return d, nil
}

// LivePoint is a point with its latest value on /mines/{id}/live.
type LivePoint struct {
	PointID       int64      `json:"point_id"`
	Code          string     `json:"code"`
	SensorType    string     `json:"sensor_type"`
	Unit          string     `json:"unit"`
	Location      string     `json:"location"`
	LocationClass string     `json:"location_class"`
	Time          *time.Time `json:"time"`
	Value         *float64   `json:"value"`
	Status        int        `json:"status"`
	Stale         bool       `json:"stale"`
}

func (s *Service) handleLive(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	ans, err := s.MineLive(r.Context(), auth.FromContext(r.Context()), id)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, ans)
}

// MineLiveAnswer is a mine's live state.
type MineLiveAnswer struct {
	MineStatus
	Points []LivePoint `json:"points"`
}

// MineLive answers the latest value, time and status of every point of a
// mine. A point silent for three of its periods is marked stale.
func (s *Service) MineLive(ctx context.Context, p *auth.Principal, mineID int64) (MineLiveAnswer, error) {
	if _, err := s.reg.GetMine(ctx, p, mineID); err != nil {
		return MineLiveAnswer{}, err
	}
	pts, err := s.selectPoints(ctx, "mine_id = ?", []any{mineID}, "ORDER BY code", false)
	if err != nil {
		return MineLiveAnswer{}, err
	}
	ids := make([]int64, len(pts))
	for i, pt := range pts {
		ids[i] = pt.ID
	}
	latest := s.live.Latest(ids)
	if len(latest) < len(ids) {
		// After a restart the cache fills as data arrives; read the rest.
		var missing []int64
		for _, id := range ids {
			if _, ok := latest[id]; !ok {
				missing = append(missing, id)
			}
		}
		stored, err := s.samples.Latest(ctx, missing)
		if err != nil {
			return MineLiveAnswer{}, err
		}
		for id, sm := range stored {
			latest[id] = sm
		}
	}
	now := s.clk.Now()
	ans := MineLiveAnswer{MineStatus: s.live.Status(mineID), Points: make([]LivePoint, len(pts))}
	for i, pt := range pts {
		lp := LivePoint{PointID: pt.ID, Code: pt.Code, SensorType: pt.SensorType, Unit: pt.Unit, Location: pt.Location, LocationClass: pt.LocationClass, Stale: true}
		if sm, ok := latest[pt.ID]; ok {
			t, v := sm.Time, sm.Value
			lp.Time, lp.Value, lp.Status = &t, &v, sm.Status
			lp.Stale = now.Sub(sm.Time) > 3*time.Duration(pt.PeriodS)*time.Second
		}
		if pt.StationCode != "" && s.stationDown != nil && s.stationDown(mineID, pt.StationCode) {
			lp.Status |= StatusStation
			lp.Stale = true
		}
		ans.Points[i] = lp
	}
	return ans, nil
}

// RejectedSample is one entry of the rejected-sample log.
type RejectedSample struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	Source     string    `json:"source"`
	Point      string    `json:"point"`
	SampleTime string    `json:"sample_time"`
	Value      *float64  `json:"value"`
	ReasonCode string    `json:"reason_code"`
	Reason     string    `json:"reason"`
}

func (s *Service) handleRejected(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	if _, err := s.reg.GetMine(r.Context(), auth.FromContext(r.Context()), id); err != nil {
		httpx.Error(w, r, err)
		return
	}
	lp, err := httpx.ParseList(r, nil, "")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	var total int
	if err := s.db.QueryRow(r.Context(), `SELECT COUNT(*) FROM rejected_samples WHERE mine_id = ?`, id).Scan(&total); err != nil {
		httpx.Error(w, r, err)
		return
	}
	rows, err := s.db.Query(r.Context(), `SELECT id, at, source, point, sample_time, value, reason_code, reason FROM rejected_samples
		WHERE mine_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`, id, lp.Limit, lp.Offset)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	defer rows.Close()
	items := []RejectedSample{}
	for rows.Next() {
		var x RejectedSample
		if err := rows.Scan(&x.ID, &x.At, &x.Source, &x.Point, &x.SampleTime, &x.Value, &x.ReasonCode, &x.Reason); err != nil {
			httpx.Error(w, r, err)
			return
		}
		x.At = x.At.UTC()
		items = append(items, x)
	}
	httpx.JSON(w, http.StatusOK, httpx.List[RejectedSample]{Items: items, Total: total})
}

func (s *Service) handleListTokens(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	ts, err := s.ListIngestTokens(r.Context(), auth.FromContext(r.Context()), id)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, httpx.List[IngestToken]{Items: ts, Total: len(ts)})
}

func (s *Service) handleCreateToken(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	var in struct {
		Name string `json:"name"`
	}
	if err := httpx.Decode(w, r, &in); err != nil {
		httpx.Error(w, r, err)
		return
	}
	t, secret, err := s.CreateIngestToken(r.Context(), auth.FromContext(r.Context()), in.Name, []int64{id})
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusCreated, struct {
		IngestToken
		Token string `json:"token"`
	}{t, secret})
}

func (s *Service) handleRevokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err == nil {
		err = s.RevokeIngestToken(r.Context(), auth.FromContext(r.Context()), id)
	}
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// Sender is who sends data: a gateway's ingest token or a user (back-fill).
type Sender struct {
	Token *IngestToken
	User  *auth.Principal
}

// Authorize checks that the sender may send for a mine: 403 otherwise.
func (s *Service) Authorize(ctx context.Context, snd Sender, mineCode string) (registry.Mine, error) {
	m, err := s.reg.MineByCode(ctx, mineCode)
	if snd.Token != nil {
		if err != nil || !snd.Token.Covers(m.ID) {
			return registry.Mine{}, fail.Forbiddenf("this ingest token does not cover mine %q", mineCode)
		}
		return m, nil
	}
	if err == nil {
		if _, err = s.reg.GetMine(ctx, snd.User, m.ID); err == nil {
			if err := mayEditPoints(snd.User); err != nil {
				return registry.Mine{}, fail.Forbiddenf("role %s may not send monitoring data", snd.User.Role)
			}
			return m, nil
		}
	}
	return registry.Mine{}, fail.Forbiddenf("your scope does not cover mine %q", mineCode)
}

// SenderOf resolves the bearer of an ingest request: an ingest token or a
// user (the auth middleware has already resolved user tokens and cookies).
func (s *Service) SenderOf(r *http.Request) (Sender, error) {
	h := r.Header.Get("Authorization")
	if secret, ok := strings.CutPrefix(h, "Bearer "); ok && strings.HasPrefix(strings.TrimSpace(secret), auth.IngestTokenPrefix) {
		t, err := s.ResolveIngestToken(r.Context(), strings.TrimSpace(secret))
		return Sender{Token: t}, err
	}
	if p := auth.FromContext(r.Context()); p != nil {
		return Sender{User: p}, nil
	}
	return Sender{}, fail.Unauthenticatedf("send an ingest token: Authorization: Bearer msi_…")
}

func (s *Service) handleIngestSamples(w http.ResponseWriter, r *http.Request) {
	snd, err := s.SenderOf(r)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	var b Batch
	if err := httpx.DecodeLimit(w, r, &b, MaxBatchBody); err != nil {
		httpx.Error(w, r, err)
		return
	}
	if strings.TrimSpace(b.Mine) == "" {
		httpx.Error(w, r, fail.BadRequestf("mine (the mine code) is required"))
		return
	}
	m, err := s.Authorize(r.Context(), snd, b.Mine)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	res, err := s.Ingest(r.Context(), m.ID, b, SourceHTTP)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, res)
}

func (s *Service) handleSensors(w http.ResponseWriter, r *http.Request) {
	httpx.JSON(w, http.StatusOK, sensorList())
}

func (s *Service) handleLocations(w http.ResponseWriter, r *http.Request) {
	httpx.JSON(w, http.StatusOK, locationList())
}
