package hazard

import (
	_ "embed"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/export"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
)

// OpenAPI is this package's fragment of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte

// call is a handler's work: it answers the value to send or the refusal.
type call func(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error)

// serve answers a call's value with status, or its refusal.
func serve(status int, c call) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := c(w, r, auth.FromContext(r.Context()))
		if err != nil {
			httpx.Error(w, r, err)
			return
		}
		if v != nil {
			httpx.JSON(w, status, v)
		}
	}
}

// byID is a call on the record named by the path's {id}.
func byID(c func(w http.ResponseWriter, r *http.Request, p *auth.Principal, id int64) (any, error)) call {
	return func(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
		id, err := httpx.PathID(r, "id")
		if err != nil {
			return nil, err
		}
		return c(w, r, p, id)
	}
}

// body decodes a JSON body; a step may come without one.
func body[T any](w http.ResponseWriter, r *http.Request, optional bool) (T, error) {
	var in T
	if optional && r.ContentLength == 0 {
		return in, nil
	}
	err := httpx.Decode(w, r, &in)
	return in, err
}

// Routes registers the risk register, the catalogues, the rules and the
// hazard loop.
func (s *Service) Routes(r *httpx.Router) {
	r.Handle("GET /api/v1/hazard-criteria", serve(http.StatusOK, s.handleCriteria))
	r.Handle("POST /api/v1/hazard-criteria", serve(http.StatusCreated, func(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
		var d Document
		if err := httpx.DecodeLimit(w, r, &d, 8<<20); err != nil {
			return nil, err
		}
		return s.LoadCriteria(r.Context(), p, d)
	}))
	r.Handle("GET /api/v1/hazard-criteria/versions", serve(http.StatusOK, func(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
		list, err := s.CriteriaVersions(r.Context(), p)
		return httpx.List[CriteriaVersion]{Items: list, Total: len(list)}, err
	}))
	r.Handle("GET /api/v1/hazard-criteria/source", serve(http.StatusOK, func(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
		v, err := versionParam(r.URL.Query())
		if err != nil {
			return nil, err
		}
		return s.CriteriaSource(r.Context(), p, v)
	}))
	r.Handle("GET /api/v1/rules/hazards", serve(http.StatusOK, func(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
		return s.Rules(r.Context(), p)
	}))
	r.Handle("POST /api/v1/rules/hazards", serve(http.StatusCreated, func(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
		in, err := body[struct {
			Note  string `json:"note"`
			Rules Rules  `json:"rules"`
		}](w, r, false)
		if err != nil {
			return nil, err
		}
		return s.SetRules(r.Context(), p, in.Rules, in.Note)
	}))

	r.Handle("GET /api/v1/hazards", serve(http.StatusOK, func(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
		f, err := parseFilter(r)
		if err != nil {
			return nil, err
		}
		list, total, err := s.List(r.Context(), p, f)
		return httpx.List[Hazard]{Items: list, Total: total}, err
	}))
	r.Handle("POST /api/v1/hazards", serve(http.StatusCreated, func(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
		in, err := body[HazardInput](w, r, false)
		if err != nil {
			return nil, err
		}
		return s.Create(r.Context(), p, in)
	}))
	r.Handle("GET /api/v1/hazards.xlsx", serve(http.StatusOK, s.exportHazards))
	r.Handle("GET /api/v1/hazards/supervised.xlsx", serve(http.StatusOK, s.exportSupervised))
	r.Handle("GET /api/v1/hazards/{id}", serve(http.StatusOK, byID(func(w http.ResponseWriter, r *http.Request, p *auth.Principal, id int64) (any, error) {
		return s.Get(r.Context(), p, id)
	})))
	r.Handle("GET /api/v1/hazards/{id}/trail", serve(http.StatusOK, byID(func(w http.ResponseWriter, r *http.Request, p *auth.Principal, id int64) (any, error) {
		trail, err := s.Trail(r.Context(), p, id)
		return map[string]any{"items": trail, "total": len(trail)}, err
	})))
	for _, action := range Actions {
		r.Handle("POST /api/v1/hazards/{id}/"+action, serve(http.StatusOK, byID(func(w http.ResponseWriter, r *http.Request, p *auth.Principal, id int64) (any, error) {
			in, err := body[StepInput](w, r, true)
			if err != nil {
				return nil, err
			}
			return s.Step(r.Context(), p, id, action, in)
		})))
	}
	r.Handle("GET /api/v1/mines/{id}/hazards-open-before", serve(http.StatusOK, byID(func(w http.ResponseWriter, r *http.Request, p *auth.Principal, id int64) (any, error) {
		list, err := s.OpenBefore(r.Context(), p, id, r.URL.Query().Get("date"))
		return httpx.List[OpenHazard]{Items: list, Total: len(list)}, err
	})))

	r.Handle("GET /api/v1/risks", serve(http.StatusOK, func(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
		f, err := parseRiskFilter(r)
		if err != nil {
			return nil, err
		}
		list, total, err := s.ListRisks(r.Context(), p, f)
		return httpx.List[Risk]{Items: list, Total: total}, err
	}))
	r.Handle("GET /api/v1/risks.xlsx", serve(http.StatusOK, s.exportRisks))
	r.Handle("GET /api/v1/risks/picture", serve(http.StatusOK, func(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
		return s.RiskPicture(r.Context(), p, r.URL.Query().Get("region_code"))
	}))
	r.Handle("GET /api/v1/mines/{id}/risks", serve(http.StatusOK, byID(func(w http.ResponseWriter, r *http.Request, p *auth.Principal, id int64) (any, error) {
		if _, err := s.reg.GetMine(r.Context(), p, id); err != nil {
			return nil, err
		}
		f, err := parseRiskFilter(r)
		if err != nil {
			return nil, err
		}
		f.MineID = id
		list, total, err := s.ListRisks(r.Context(), p, f)
		return httpx.List[Risk]{Items: list, Total: total}, err
	})))
	r.Handle("POST /api/v1/mines/{id}/risks", serve(http.StatusCreated, byID(func(w http.ResponseWriter, r *http.Request, p *auth.Principal, id int64) (any, error) {
		in, err := body[RiskInput](w, r, false)
		if err != nil {
			return nil, err
		}
		return s.CreateRisk(r.Context(), p, id, in)
	})))
	r.Handle("GET /api/v1/risks/{id}", serve(http.StatusOK, byID(func(w http.ResponseWriter, r *http.Request, p *auth.Principal, id int64) (any, error) {
		return s.GetRisk(r.Context(), p, id)
	})))
	r.Handle("PATCH /api/v1/risks/{id}", serve(http.StatusOK, byID(func(w http.ResponseWriter, r *http.Request, p *auth.Principal, id int64) (any, error) {
		in, err := body[RiskPatch](w, r, false)
		if err != nil {
			return nil, err
		}
		return s.UpdateRisk(r.Context(), p, id, in)
	})))
	r.Handle("POST /api/v1/risks/{id}/archive", serve(http.StatusOK, byID(func(w http.ResponseWriter, r *http.Request, p *auth.Principal, id int64) (any, error) {
		in, err := body[struct {
			Reason string `json:"reason"`
		}](w, r, false)
		if err != nil {
			return nil, err
		}
		return s.ArchiveRisk(r.Context(), p, id, in.Reason)
	})))
}

func (s *Service) handleCriteria(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := r.URL.Query()
	v, err := versionParam(q)
	if err != nil {
		return nil, err
	}
	if ind := q.Get("industry"); ind != "" {
		return s.Criteria(r.Context(), p, ind, v)
	}
	// Without an industry: all four, for a screen that shows them side by side.
	all := map[string]Catalogue{}
	for _, ind := range Industries {
		c, err := s.Criteria(r.Context(), p, ind, v)
		if err != nil {
			return nil, err
		}
		all[ind] = c
	}
	return map[string]any{"version": all[IndustryCoal].Version, "industries": all}, nil
}

func versionParam(q url.Values) (int, error) {
	v := q.Get("version")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, fail.Invalidf("version", "must be a version number, 1 or more")
	}
	return n, nil
}

// params reads the filters every list shares, collecting each problem.
type params struct {
	q   url.Values
	bad fail.Fields
}

func newParams(r *http.Request, sortable []string) (params, httpx.ListParams) {
	lp, err := httpx.ParseList(r, sortable, "")
	ps := params{q: r.URL.Query(), bad: fail.Fields{}}
	if e, ok := fail.As(err); ok {
		for k, v := range e.Fields {
			ps.bad[k] = v
		}
	}
	return ps, lp
}

func (ps params) id(name string) int64 {
	v := ps.q.Get(name)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		ps.bad.Add(name, "must be an id")
	}
	return n
}

func (ps params) oneOf(name string, allowed []string) string {
	v := ps.q.Get(name)
	oneOf(ps.bad, name, v, allowed, false)
	return v
}

func (ps params) boolean(name string) *bool {
	v := ps.q.Get(name)
	if v == "" {
		return nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		ps.bad.Add(name, "must be true or false")
	}
	return &b
}

func parseFilter(r *http.Request) (Filter, error) {
	ps, lp := newParams(r, []string{"id", "reported_at", "deadline", "level", "state", "mine_id"})
	f := Filter{ListParams: lp, MineID: ps.id("mine_id"), RegionCode: ps.q.Get("region_code"), Level: ps.oneOf("level", hazardLevels),
		Source: ps.oneOf("source", sources), Overdue: ps.boolean("overdue"), Supervised: ps.boolean("supervised"),
		EscalatedTo: ps.oneOf("escalated_to", []string{"county", "city"})}
	if v := ps.q.Get("state"); v != "" {
		f.States = strings.Split(v, ",")
		for _, st := range f.States {
			if !slices.Contains(states, st) {
				ps.bad.Add("state", "must be among %s (comma-separated for several)", strings.Join(states, ", "))
			}
		}
	}
	return f, ps.bad.Err()
}

func parseRiskFilter(r *http.Request) (RiskFilter, error) {
	ps, lp := newParams(r, []string{"id", "mine_id", "score", "review_date", "level"})
	f := RiskFilter{ListParams: lp, MineID: ps.id("mine_id"), RegionCode: ps.q.Get("region_code"), Level: ps.oneOf("level", riskLevels),
		HazardType: ps.oneOf("hazard_type", HazardTypes), ControlLevel: ps.oneOf("control_level", controlLevels), ReviewDue: ps.boolean("review_due")}
	return f, ps.bad.Err()
}

// serveXLSX answers a workbook named after prefix and the moment it was
// made (Asia/Shanghai). A failure half-way is only logged: the download has
// begun and its status is sent.
func (s *Service) serveXLSX(w http.ResponseWriter, prefix, sheet string, cols []export.Column, rows [][]any) (any, error) {
	name := prefix + "-" + s.clk.Now().In(clock.Shanghai).Format("20060102-1504")
	if err := export.ServeXLSX(w, name, sheet, cols, rows); err != nil {
		s.opt.Log.Error("export", "name", name, "err", err)
	}
	return nil, nil
}

func named(names map[string]string, v string) string {
	if n, ok := names[v]; ok {
		return n + " " + v
	}
	return v
}

func yuan(v *int64) any {
	if v == nil {
		return ""
	}
	return *v
}

func (s *Service) exportHazards(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	f, err := parseFilter(r)
	if err != nil {
		return nil, err
	}
	f.Limit = 0 // the whole selection
	list, _, err := s.List(r.Context(), p, f)
	if err != nil {
		return nil, err
	}
	cols := []export.Column{export.Col("编号 ID", 8), export.Col("矿山 Mine", 24), export.Col("等级 Level", 10), export.Col("来源 Source", 14),
		export.Col("类型 Type", 10), export.Col("地点 Place", 20), export.Col("隐患描述 Description", 40), export.Col("判定依据 Criterion", 40),
		export.Col("状态 State", 14), export.Col("整改期限 Deadline", 12), export.Col("逾期 Overdue", 8), export.Col("责任 Responsibility", 20),
		export.Col("措施 Measures", 30), export.Col("资金(元) Funds", 12), export.Col("预案 Contingency", 20), export.Col("整改情况 Evidence", 30),
		export.Col("登记 Reported", 20), export.Col("登记人 By", 12), export.Col("验收 Verified", 20), export.Col("销号 Closed", 20),
		export.Col("上报至 Escalated", 10), export.Col("挂牌督办 Supervised", 10)}
	rows := make([][]any, len(list))
	for i, h := range list {
		crit := ""
		if h.CriterionCode != "" {
			crit = h.CriterionCode + " " + h.CriterionText
		}
		rows[i] = []any{h.ID, h.MineName, named(levelNames, h.Level), named(sourceNames, h.Source), named(hazardTypeNames, h.HazardType), h.Place,
			h.Description, crit, named(stateNames, h.State), h.Deadline, h.Overdue, h.Responsibility, h.Measures, yuan(h.FundsYuan), h.Contingency,
			h.Evidence, h.ReportedAt, h.ReportedBy, h.VerifiedAt, h.ClosedAt, h.EscalatedTo, h.Supervised}
	}
	return s.serveXLSX(w, "hazards", "隐患 Hazards", cols, rows)
}

// exportSupervised writes the public list (公示) of the major hazards under
// supervision (挂牌督办) in the caller's scope: what a regulator publishes.
func (s *Service) exportSupervised(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	yes := true
	list, _, err := s.List(r.Context(), p, Filter{Level: LevelMajor, Supervised: &yes, ListParams: httpx.ListParams{SortField: "reported_at"},
		States: []string{StateReported, StatePlanned, StateRectifying, StateRectified, StateVerified}})
	if err != nil {
		return nil, err
	}
	cols := []export.Column{export.Col("序号 No.", 6), export.Col("矿山 Mine", 24), export.Col("属地 Division", 10), export.Col("重大隐患 Hazard", 40),
		export.Col("判定依据 Criterion", 40), export.Col("整改责任 Responsibility", 20), export.Col("整改措施 Measures", 30), export.Col("整改期限 Deadline", 12),
		export.Col("督办日期 Supervised", 20), export.Col("督办原因 Reason", 30), export.Col("状态 State", 14)}
	rows := make([][]any, len(list))
	for i, h := range list {
		rows[i] = []any{i + 1, h.MineName, h.RegionCode, h.Description, h.CriterionCode + " " + h.CriterionText, h.Responsibility, h.Measures, h.Deadline,
			h.SupervisedAt, h.SupervisionReason, named(stateNames, h.State)}
	}
	return s.serveXLSX(w, "major-hazards-supervised", "挂牌督办 Supervised", cols, rows)
}

func (s *Service) exportRisks(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	f, err := parseRiskFilter(r)
	if err != nil {
		return nil, err
	}
	f.Limit = 0
	list, _, err := s.ListRisks(r.Context(), p, f)
	if err != nil {
		return nil, err
	}
	cols := []export.Column{export.Col("编号 ID", 8), export.Col("矿山 Mine", 24), export.Col("地点 Place", 20), export.Col("类型 Type", 10),
		export.Col("风险描述 Description", 36), export.Col("方法 Method", 8), export.Col("L", 6), export.Col("S", 6), export.Col("E", 6), export.Col("C", 6),
		export.Col("分值 Score", 8), export.Col("等级 Level", 12), export.Col("管控措施 Measures", 36), export.Col("管控层级 Control", 12),
		export.Col("责任人 Responsible", 12), export.Col("复核日期 Review", 12), export.Col("规则版本 Rules", 8)}
	rows := make([][]any, len(list))
	for i, k := range list {
		rows[i] = []any{k.ID, k.MineName, k.Place, named(hazardTypeNames, k.HazardType), k.Description, strings.ToUpper(k.Method), k.L, k.S, k.E, k.C,
			k.Score, named(levelNames, k.Level), k.Measures, named(controlLevelNames, k.ControlLevel), k.Responsible, k.ReviewDate, k.RulesVersion}
	}
	return s.serveXLSX(w, "risks", "风险 Risks", cols, rows)
}
