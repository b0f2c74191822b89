package alarm

import (
	_ "embed"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/export"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/rules"
)

// OpenAPI is this package's fragment of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Routes registers the alarm endpoints.
func (s *Service) Routes(r *httpx.Router) {
	r.Handle("GET /api/v1/alarms", s.handleList)
	r.Handle("GET /api/v1/alarms.xlsx", s.handleExport)
	r.Handle("GET /api/v1/alarms/stats", s.handleStats)
	r.Handle("GET /api/v1/alarms/levels", s.handleLevels)
	r.Handle("GET /api/v1/alarms/{id}", s.handleGet)
	r.Handle("GET /api/v1/alarms/{id}/trail", s.handleTrail)
	for _, action := range []string{"acknowledge", "dispose", "verify", "return", "close"} {
		r.Handle("POST /api/v1/alarms/{id}/"+action, s.stepHandler(action))
	}
	r.Handle("GET /api/v1/mines/{id}/alarm-discrepancies", s.handleDiscrepancies)
	r.Handle("GET /api/v1/mines/{id}/maintenance", s.handleListMaintenance)
	r.Handle("POST /api/v1/mines/{id}/maintenance", s.handleAddMaintenance)
	r.Handle("GET /api/v1/rules/warnings", s.handleRules)
	r.Handle("POST /api/v1/rules/warnings", s.handleSetRules)
	r.Handle("GET /api/v1/monitoring/setting-issues", s.handleSettingIssues)
	r.Handle("GET /api/v1/webhooks", s.handleWebhooks)
	r.Handle("POST /api/v1/webhooks", s.handleAddWebhook)
	r.Handle("POST /api/v1/webhooks/{id}/archive", s.handleArchiveWebhook)
	r.Handle("GET /api/v1/webhooks/{id}/deliveries", s.handleDeliveries)
}

var levelNames = []string{"blue", "yellow", "orange", "red"}
var stateNames = []string{StateOpen, StateAcknowledged, StateDisposed, StateVerified, StateClosed}

func oneOf(v string, set []string) bool {
	for _, s := range set {
		if s == v {
			return true
		}
	}
	return false
}

// parseFilter reads the alarm list parameters; bad values are a 422 naming
// each.
func parseFilter(r *http.Request) (Filter, error) {
	lp, err := httpx.ParseList(r, []string{"id", "opened_at", "level", "state", "mine_id"}, "")
	f := Filter{ListParams: lp}
	bad := fail.Fields{}
	if e, ok := fail.As(err); ok {
		for k, v := range e.Fields {
			bad[k] = v
		}
	}
	q := r.URL.Query()
	if v := q.Get("mine_id"); v != "" {
		if f.MineID, err = strconv.ParseInt(v, 10, 64); err != nil {
			bad.Add("mine_id", "must be a mine id")
		}
	}
	f.RegionCode = q.Get("region_code")
	for name, dst := range map[string]*string{"level": &f.Level, "current_level": &f.CurrentLevel} {
		if v := q.Get(name); v != "" {
			if !oneOf(v, levelNames) {
				bad.Add(name, "must be blue, yellow, orange or red")
			}
			*dst = v
		}
	}
	if v := q.Get("state"); v != "" {
		for _, st := range splitComma(v) {
			if !oneOf(st, stateNames) {
				bad.Add("state", "must be open, acknowledged, disposed, verified or closed (comma-separated for several)")
			}
		}
		f.State = v
	}
	f.Kind = q.Get("kind")
	for name, dst := range map[string]**bool{"planned": &f.Planned, "cleared": &f.Cleared} {
		if v := q.Get(name); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				bad.Add(name, "must be true or false")
			}
			*dst = &b
		}
	}
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				bad.Add(name, "must be an RFC 3339 time")
			}
			*dst = t
		}
	}
	return f, bad.Err()
}

func splitComma(v string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(v); i++ {
		if i == len(v) || v[i] == ',' {
			out = append(out, v[start:i])
			start = i + 1
		}
	}
	return out
}

func (s *Service) handleList(w http.ResponseWriter, r *http.Request) {
	f, err := parseFilter(r)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	list, total, err := s.List(r.Context(), auth.FromContext(r.Context()), f)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, httpx.List[Alarm]{Items: list, Total: total})
}

func (s *Service) handleExport(w http.ResponseWriter, r *http.Request) {
	f, err := parseFilter(r)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	f.Limit = 0 // the whole selection
	list, _, err := s.List(r.Context(), auth.FromContext(r.Context()), f)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	cols := []export.Column{export.Col("编号 ID", 8), export.Col("矿山 Mine", 24), export.Col("测点 Point", 30), export.Col("类型 Kind", 12), export.Col("等级 Level", 8), export.Col("当前 Current", 8),
		export.Col("状态 State", 12), export.Col("计划内 Planned", 8), export.Col("开始 Started", 20), export.Col("解除 Cleared", 20), export.Col("峰值 Peak", 10), export.Col("说明 Message", 40),
		export.Col("确认 Acknowledged", 20), export.Col("原因 Cause", 30), export.Col("措施 Measures", 30), export.Col("核查 Verified", 20), export.Col("关闭 Closed", 20)}
	rows := make([][]any, len(list))
	for i, a := range list {
		rows[i] = []any{a.ID, a.MineName, a.PointCode, a.Kind, a.Level, a.CurrentLevel, a.State, a.Planned, a.StartedAt, a.ClearedAt, a.PeakValue, a.Message,
			a.AcknowledgedAt, a.Cause, a.Measures, a.VerifiedAt, a.ClosedAt}
	}
	name := fmt.Sprintf("alarms-%s", s.clk.Now().In(time.FixedZone("CST", 8*3600)).Format("20060102-1504"))
	if err := export.ServeXLSX(w, name, "告警 Alarms", cols, rows); err != nil {
		s.log.Error("export alarms", "err", err)
	}
}

func (s *Service) handleStats(w http.ResponseWriter, r *http.Request) {
	f, err := parseFilter(r)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	st, err := s.Statistics(r.Context(), auth.FromContext(r.Context()), f)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, st)
}

func (s *Service) handleLevels(w http.ResponseWriter, r *http.Request) {
	mines, divs, err := s.Levels(r.Context(), auth.FromContext(r.Context()))
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"mines": mines, "divisions": divs})
}

func (s *Service) handleGet(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	a, err := s.Get(r.Context(), auth.FromContext(r.Context()), id)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, a)
}

func (s *Service) handleTrail(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	trail, err := s.Trail(r.Context(), auth.FromContext(r.Context()), id)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"items": trail, "total": len(trail)})
}

func (s *Service) stepHandler(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := httpx.PathID(r, "id")
		if err != nil {
			httpx.Error(w, r, err)
			return
		}
		var in StepInput
		if r.ContentLength != 0 {
			if err := httpx.Decode(w, r, &in); err != nil {
				httpx.Error(w, r, err)
				return
			}
		}
		a, err := s.Step(r.Context(), auth.FromContext(r.Context()), id, action, in)
		if err != nil {
			httpx.Error(w, r, err)
			return
		}
		httpx.JSON(w, http.StatusOK, a)
	}
}

func (s *Service) handleListMaintenance(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	list, err := s.ListMaintenance(r.Context(), auth.FromContext(r.Context()), id)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, httpx.List[Maintenance]{Items: list, Total: len(list)})
}

func (s *Service) handleAddMaintenance(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	var in MaintenanceInput
	if err := httpx.Decode(w, r, &in); err != nil {
		httpx.Error(w, r, err)
		return
	}
	m, err := s.AddMaintenance(r.Context(), auth.FromContext(r.Context()), id, in)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusCreated, m)
}

func (s *Service) handleRules(w http.ResponseWriter, r *http.Request) {
	a, err := s.Rules(r.Context())
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, a)
}

func (s *Service) handleSetRules(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Note  string    `json:"note"`
		Rules rules.Set `json:"rules"`
	}
	if err := httpx.DecodeLimit(w, r, &in, 4<<20); err != nil {
		httpx.Error(w, r, err)
		return
	}
	a, err := s.SetRules(r.Context(), auth.FromContext(r.Context()), in.Rules, in.Note)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusCreated, a)
}

func (s *Service) handleSettingIssues(w http.ResponseWriter, r *http.Request) {
	var mineID int64
	if v := r.URL.Query().Get("mine_id"); v != "" {
		var err error
		if mineID, err = strconv.ParseInt(v, 10, 64); err != nil {
			httpx.Error(w, r, fail.Invalidf("mine_id", "must be a mine id"))
			return
		}
	}
	list, err := s.SettingIssues(r.Context(), auth.FromContext(r.Context()), mineID)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, httpx.List[SettingIssue]{Items: list, Total: len(list)})
}

func (s *Service) handleWebhooks(w http.ResponseWriter, r *http.Request) {
	list, err := s.Webhooks(r.Context(), auth.FromContext(r.Context()))
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, httpx.List[Webhook]{Items: list, Total: len(list)})
}

func (s *Service) handleAddWebhook(w http.ResponseWriter, r *http.Request) {
	var in WebhookInput
	if err := httpx.Decode(w, r, &in); err != nil {
		httpx.Error(w, r, err)
		return
	}
	h, err := s.AddWebhook(r.Context(), auth.FromContext(r.Context()), in)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusCreated, h)
}

func (s *Service) handleArchiveWebhook(w http.ResponseWriter, r *http.Request) {
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
	if err := s.ArchiveWebhook(r.Context(), auth.FromContext(r.Context()), id, in.Reason); err != nil {
		httpx.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Service) handleDeliveries(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	lp, err := httpx.ParseList(r, nil, "")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	list, total, err := s.Deliveries(r.Context(), auth.FromContext(r.Context()), id, lp.Limit, lp.Offset)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, httpx.List[Delivery]{Items: list, Total: total})
}
