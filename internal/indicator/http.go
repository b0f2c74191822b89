package indicator

import (
	"context"
	_ "embed"
	"fmt"
	"net/http"
	"strings"

	"minesafe/internal/accident/kit"
	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
)

// OpenAPI is this package's fragment of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Routes registers the indicator, dashboard, report, staff,
// standardisation, plan-facts and ledger endpoints.
func (s *Service) Routes(r *httpx.Router) {
	r.Handle("GET /api/v1/indicators", s.handleIndicators)
	r.Handle("GET /api/v1/indicators/base", kit.Get("", func(ctx context.Context, p *auth.Principal, _ int64) (any, error) {
		return s.BaseData(ctx, p)
	}))
	r.Handle("PUT /api/v1/indicators/base", kit.Body(http.StatusOK, "", func(ctx context.Context, p *auth.Principal, _ int64, in BaseInput) (any, error) {
		return s.SetBase(ctx, p, in)
	}))
	r.Handle("GET /api/v1/indicators/insurance", s.handleInsurance)
	r.Handle("GET /api/v1/indicators/certificates", s.handleCertificates)
	s.targets.Routes(r, "/api/v1/rules/plan-targets")
	s.stdRule.Routes(r, "/api/v1/rules/standardisation-grade")
	r.Handle("GET /api/v1/dashboard", s.handleDashboard)
	r.Handle("GET /api/v1/reports/annual", s.handleAnnual)
	r.Handle("GET /api/v1/reports/midterm", s.handleMidterm)

	r.Handle("GET /api/v1/supervision-staff", s.handleStaff)
	r.Handle("POST /api/v1/supervision-staff", kit.Body(http.StatusCreated, "", func(ctx context.Context, p *auth.Principal, _ int64, in StaffInput) (any, error) {
		return s.AddStaff(ctx, p, in)
	}))
	r.Handle("PATCH /api/v1/supervision-staff/{id}", kit.Body(http.StatusOK, "id", func(ctx context.Context, p *auth.Principal, id int64, in StaffPatch) (any, error) {
		return s.UpdateStaff(ctx, p, id, in)
	}))
	r.Handle("POST /api/v1/supervision-staff/{id}/archive", kit.Body(http.StatusOK, "id", func(ctx context.Context, p *auth.Principal, id int64, in reasonBody) (any, error) {
		return s.ArchiveStaff(ctx, p, id, in.Reason)
	}))

	r.Handle("GET /api/v1/standardisation", s.handleStanding)
	r.Handle("POST /api/v1/standardisation/records", kit.Body(http.StatusCreated, "", func(ctx context.Context, p *auth.Principal, _ int64, in StdRecordInput) (any, error) {
		return s.AddStdRecord(ctx, p, in)
	}))
	r.Handle("GET /api/v1/standardisation/records/{id}", kit.Get("id", func(ctx context.Context, p *auth.Principal, id int64) (any, error) {
		return s.GetStdRecord(ctx, p, id)
	}))
	r.Handle("POST /api/v1/standardisation/records/{id}/spot-checks", kit.Body(http.StatusCreated, "id", func(ctx context.Context, p *auth.Principal, id int64, in SpotCheck) (any, error) {
		return s.AddSpotCheck(ctx, p, id, in)
	}))
	r.Handle("POST /api/v1/standardisation/records/{id}/archive", kit.Body(http.StatusOK, "id", func(ctx context.Context, p *auth.Principal, id int64, in reasonBody) (any, error) {
		return s.ArchiveStdRecord(ctx, p, id, in.Reason)
	}))
	r.Handle("GET /api/v1/mines/{id}/standardisation", kit.Get("id", func(ctx context.Context, p *auth.Principal, id int64) (any, error) {
		return s.MineStandardisation(ctx, p, id)
	}))

	r.Handle("GET /api/v1/mines/{id}/plan-facts", kit.Get("id", func(ctx context.Context, p *auth.Principal, id int64) (any, error) {
		return s.GetPlanFacts(ctx, p, id)
	}))
	r.Handle("PUT /api/v1/mines/{id}/plan-facts", s.handlePutFacts)
	r.Handle("GET /api/v1/plan-facts", s.handleFacts)

	r.Handle("GET /api/v1/ledger/tasks", s.handleTasks)
	r.Handle("POST /api/v1/ledger/tasks", kit.Body(http.StatusCreated, "", func(ctx context.Context, p *auth.Principal, _ int64, in TaskInput) (any, error) {
		return s.CreateTask(ctx, p, in)
	}))
	r.Handle("GET /api/v1/ledger/tasks/{id}", kit.Get("id", func(ctx context.Context, p *auth.Principal, id int64) (any, error) {
		return s.GetTask(ctx, p, id)
	}))
	r.Handle("PATCH /api/v1/ledger/tasks/{id}", kit.Body(http.StatusOK, "id", func(ctx context.Context, p *auth.Principal, id int64, in TaskPatch) (any, error) {
		return s.UpdateTask(ctx, p, id, in)
	}))
	r.Handle("POST /api/v1/ledger/tasks/{id}/archive", kit.Body(http.StatusOK, "id", func(ctx context.Context, p *auth.Principal, id int64, in reasonBody) (any, error) {
		return s.ArchiveTask(ctx, p, id, in.Reason)
	}))
	r.Handle("GET /api/v1/ledger/items", s.handleItems)
	for _, action := range []string{"done", "verify", "return"} {
		r.Handle("POST /api/v1/ledger/items/{id}/"+action, s.stepHandler(action))
	}
	r.Handle("POST /api/v1/ledger/items/{id}/raise-hazard", s.handleRaise)
	r.Handle("GET /api/v1/ledger/items/{id}/trail", kit.Get("id", func(ctx context.Context, p *auth.Principal, id int64) (any, error) {
		t, err := s.ItemTrail(ctx, p, id)
		return map[string]any{"items": t, "total": len(t)}, err
	}))
	r.Handle("GET /api/v1/mines/{id}/ledger", kit.Get("id", func(ctx context.Context, p *auth.Principal, id int64) (any, error) {
		return s.MineLedger(ctx, p, id)
	}))
}

type reasonBody struct {
	Reason string `json:"reason"`
}

// yearArea reads year (default this year) and region_code.
func (s *Service) yearArea(r *http.Request) (*kit.Query, int, string) {
	q := kit.NewQuery(r)
	return q, q.Year("year", kit.ThisYear(s.clk)), q.String("region_code")
}

// xlsxOrErr reads format, adding its problem to q.
func xlsxOrErr(r *http.Request, q *kit.Query) bool {
	x, err := kit.WantsXLSX(r)
	if e, ok := fail.As(err); ok {
		for k, v := range e.Fields {
			q.Bad.Add(k, "%s", v)
		}
	}
	return x
}

// IndicatorRow is one row of the indicator table: an indicator of an area.
type IndicatorRow struct {
	Region string
	Indicator
}

func indicatorRows(set Set) []IndicatorRow {
	var out []IndicatorRow
	for _, x := range set.Indicators() {
		out = append(out, IndicatorRow{set.RegionName, *x})
	}
	for _, d := range set.Divisions {
		for _, x := range d.Indicators() {
			out = append(out, IndicatorRow{d.RegionName, *x})
		}
	}
	return out
}

// indicatorColumns are the indicator table's columns.
func indicatorColumns(year, base, target int) []kit.Column[IndicatorRow] {
	return []kit.Column[IndicatorRow]{
		kit.Col("区域 Area", 16, func(x IndicatorRow) any { return x.Region }),
		kit.Col("指标 Indicator", 26, func(x IndicatorRow) any { return x.Name }),
		kit.Col(fmt.Sprintf("%d年 Value", year), 14, func(x IndicatorRow) any { return x.Value }),
		kit.Col(fmt.Sprintf("%d年基期 Base", base), 14, func(x IndicatorRow) any { return x.Base2025 }),
		kit.Col(fmt.Sprintf("%d年目标 Target", target), 14, func(x IndicatorRow) any { return x.Target2030 }),
		kit.Col("较基期变化% Change", 14, func(x IndicatorRow) any { return x.ChangeVsBasePct }),
		kit.Col("当年进度目标 Pro rata", 14, func(x IndicatorRow) any { return x.TargetForYear }),
		kit.Col("达到进度 On track", 10, func(x IndicatorRow) any { return yesNoNil(x.OnTrack) }),
		kit.Col("基期来源 Base source", 10, func(x IndicatorRow) any { return x.BaseSource }),
		kit.Col("说明 Note", 50, func(x IndicatorRow) any { return x.Note }),
	}
}

func yesNoNil(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "是"
	}
	return "否"
}

func (s *Service) handleIndicators(w http.ResponseWriter, r *http.Request) {
	q, year, region := s.yearArea(r)
	xlsxOrErr(r, q)
	if err := q.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	set, err := s.Indicators(r.Context(), auth.FromContext(r.Context()), year, region)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	rows := indicatorRows(set)
	kit.Serve(w, r, s.clk, fmt.Sprintf("indicators-%d", year), "指标 Indicators", indicatorColumns(year, set.BaseYear, set.TargetYear), rows, set)
}

func (s *Service) handleDashboard(w http.ResponseWriter, r *http.Request) {
	q, year, region := s.yearArea(r)
	if err := q.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	d, err := s.Dashboard(r.Context(), auth.FromContext(r.Context()), year, region)
	kit.Answer(w, r, http.StatusOK, d, err)
}

// InsuranceColumns are the insurance table's columns.
var InsuranceColumns = []kit.Column[InsuranceRow]{
	kit.Col("旗区 Division", 14, func(x InsuranceRow) any { return x.RegionName }),
	kit.Col("矿山编码 Code", 16, func(x InsuranceRow) any { return x.MineCode }),
	kit.Col("矿山 Mine", 26, func(x InsuranceRow) any { return x.MineName }),
	kit.Col("类型 Kind", 16, func(x InsuranceRow) any { return x.MineKind }),
	kit.Col("状态 Status", 12, func(x InsuranceRow) any { return x.MineStatus }),
	kit.Col("安责险到期 Expiry", 12, func(x InsuranceRow) any { return x.InsuranceExpiry }),
	kit.Col("有效 Covered", 8, func(x InsuranceRow) any { return yesNoNil(&x.Covered) }),
}

func (s *Service) handleInsurance(w http.ResponseWriter, r *http.Request) {
	q := kit.NewQuery(r)
	covered := q.Bool("covered")
	xlsxOrErr(r, q)
	if err := q.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	rows, err := s.InsuranceRows(r.Context(), auth.FromContext(r.Context()), q.String("region_code"), covered)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	kit.Serve(w, r, s.clk, "insurance", "安责险 Insurance", InsuranceColumns, rows, httpx.List[InsuranceRow]{Items: rows, Total: len(rows)})
}

// CertificateColumns are the certificates table's columns.
var CertificateColumns = []kit.Column[CertificateRow]{
	kit.Col("旗区 Division", 14, func(x CertificateRow) any { return x.RegionName }),
	kit.Col("矿山 Mine", 26, func(x CertificateRow) any { return x.MineName }),
	kit.Col("岗位 Role", 18, func(x CertificateRow) any { return x.Role }),
	kit.Col("姓名 Name", 10, func(x CertificateRow) any { return x.Name }),
	kit.Col("证书编号 Certificate", 20, func(x CertificateRow) any { return x.CertificateNo }),
	kit.Col("有效期至 Expiry", 12, func(x CertificateRow) any { return x.CertificateExpiry }),
	kit.Col("有效 Valid", 8, func(x CertificateRow) any { return yesNoNil(&x.Valid) }),
}

func (s *Service) handleCertificates(w http.ResponseWriter, r *http.Request) {
	q := kit.NewQuery(r)
	valid := q.Bool("valid")
	xlsxOrErr(r, q)
	if err := q.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	rows, err := s.CertificateRows(r.Context(), auth.FromContext(r.Context()), q.String("region_code"), valid)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	kit.Serve(w, r, s.clk, "certificates", "持证 Certificates", CertificateColumns, rows, httpx.List[CertificateRow]{Items: rows, Total: len(rows)})
}

// StaffColumns are the staff table's columns.
var StaffColumns = []kit.Column[Staff]{
	kit.Col("区域 Region", 14, func(x Staff) any { return x.RegionName }),
	kit.Col("姓名 Name", 10, func(x Staff) any { return x.Name }),
	kit.Col("单位 Unit", 24, func(x Staff) any { return x.Unit }),
	kit.Col("职务 Position", 14, func(x Staff) any { return x.Position }),
	kit.Col("专业背景 Background", 12, func(x Staff) any { return x.BackgroundName }),
	kit.Col("专业人员 Professional", 8, func(x Staff) any { return yesNoNil(&x.Professional) }),
	kit.Col("学历 Education", 10, func(x Staff) any { return x.Education }),
	kit.Col("入职 Hired", 12, func(x Staff) any { return x.HiredOn }),
	kit.Col("离职 Left", 12, func(x Staff) any { return x.LeftOn }),
}

func (s *Service) handleStaff(w http.ResponseWriter, r *http.Request) {
	q := kit.NewQuery(r)
	f := StaffFilter{ListParams: q.List([]string{"background", "hired_on", "id", "name", "region_code"}, "region_code"), RegionCode: q.String("region_code"),
		AsOf: q.Date("as_of"), Professional: q.Bool("professional")}
	if bg := q.OneOf("background", Backgrounds, false); bg != nil {
		f.Background = bg[0]
	}
	if xlsxOrErr(r, q) {
		f.Limit, f.Offset = 0, 0
	}
	if err := q.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	items, total, err := s.ListStaff(r.Context(), auth.FromContext(r.Context()), f)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	kit.Serve(w, r, s.clk, "supervision-staff", "监管人员 Staff", StaffColumns, items, httpx.List[Staff]{Items: items, Total: total})
}

// StandingColumns are the standardisation table's columns.
var StandingColumns = []kit.Column[MineStandardisation]{
	kit.Col("旗区 Division", 14, func(x MineStandardisation) any { return x.RegionName }),
	kit.Col("矿山编码 Code", 16, func(x MineStandardisation) any { return x.MineCode }),
	kit.Col("矿山 Mine", 26, func(x MineStandardisation) any { return x.MineName }),
	kit.Col("类型 Kind", 16, func(x MineStandardisation) any { return x.MineKind }),
	kit.Col("状态 Status", 12, func(x MineStandardisation) any { return x.MineStatus }),
	kit.Col("规模 Size", 8, func(x MineStandardisation) any { return x.SizeClass }),
	kit.Col("等级 Grade", 8, func(x MineStandardisation) any { return x.GradeName }),
	kit.Col("授予 Awarded", 12, func(x MineStandardisation) any { return x.AwardedOn }),
	kit.Col("有效期至 Expires", 12, func(x MineStandardisation) any { return x.ExpiresOn }),
	kit.Col("存疑 Flagged", 8, func(x MineStandardisation) any { return yesNoNil(&x.Flagged) }),
	kit.Col("抽查到期 Spot check due", 12, func(x MineStandardisation) any { return x.SpotCheckDueOn }),
}

func (s *Service) handleStanding(w http.ResponseWriter, r *http.Request) {
	q := kit.NewQuery(r)
	f := StdFilter{RegionCode: q.String("region_code"), AsOf: q.Date("as_of")}
	if v := q.OneOf("class", []string{"coal", "noncoal"}, false); v != nil {
		f.Class = v[0]
	}
	if v := q.OneOf("grade", append(StdGrades[:len(StdGrades):len(StdGrades)], "none"), false); v != nil {
		f.Grade = v[0]
	}
	if v := q.OneOf("status", mineStatuses, false); v != nil {
		f.Status = v[0]
	}
	xlsxOrErr(r, q)
	if err := q.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	rows, err := s.Standing(r.Context(), auth.FromContext(r.Context()), f)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	kit.Serve(w, r, s.clk, "standardisation", "标准化 Standardisation", StandingColumns, rows, httpx.List[MineStandardisation]{Items: rows, Total: len(rows)})
}

// FactsColumns are the plan facts table's columns.
var FactsColumns = []kit.Column[PlanFacts]{
	kit.Col("旗区 Division", 14, func(x PlanFacts) any { return x.RegionName }),
	kit.Col("矿山编码 Code", 16, func(x PlanFacts) any { return x.MineCode }),
	kit.Col("矿山 Mine", 26, func(x PlanFacts) any { return x.MineName }),
	kit.Col("类型 Kind", 16, func(x PlanFacts) any { return x.MineKind }),
	kit.Col("提升机 Hoist", 12, func(x PlanFacts) any { return x.HoistType }),
	kit.Col("规模 Size", 8, func(x PlanFacts) any { return x.SizeClass }),
	kit.Col("高风险 High risk", 8, func(x PlanFacts) any { return yesNoNil(x.HighRisk) }),
	kit.Col("偏远 Remote", 8, func(x PlanFacts) any { return yesNoNil(x.Remote) }),
	kit.Col("供电回路 Circuits", 8, func(x PlanFacts) any { return intOrEmpty(x.PowerCircuits) }),
	kit.Col("备用电源(h) Backup", 10, func(x PlanFacts) any { return x.BackupPowerHours }),
	kit.Col("未知 Missing", 30, func(x PlanFacts) any { return strings.Join(x.Missing, ", ") }),
}

// handlePutFacts refuses in the API's order without kit.Body: a PUT
// replaces every fact, so an empty input is a write, not a probe.
func (s *Service) handlePutFacts(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	p := auth.FromContext(r.Context())
	if _, err := s.reg.GetMine(r.Context(), p, id); err != nil {
		httpx.Error(w, r, err)
		return
	}
	if err := mayKeepFacts(p); err != nil {
		httpx.Error(w, r, err)
		return
	}
	var in PlanFactsInput
	if err := httpx.Decode(w, r, &in); err != nil {
		httpx.Error(w, r, err)
		return
	}
	f, err := s.PutPlanFacts(r.Context(), p, id, in)
	kit.Answer(w, r, http.StatusOK, f, err)
}

func intOrEmpty(v *int) any {
	if v == nil {
		return ""
	}
	return *v
}

func (s *Service) handleFacts(w http.ResponseWriter, r *http.Request) {
	q := kit.NewQuery(r)
	f := FactsFilter{RegionCode: q.String("region_code"), Missing: q.Bool("missing")}
	if v := q.OneOf("kind", mineKinds, false); v != nil {
		f.Kind = v[0]
	}
	if strings.HasSuffix(f.RegionCode, "00") {
		f.RegionCode = "" // the city: every division
	}
	xlsxOrErr(r, q)
	if err := q.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	rows, err := s.ListPlanFacts(r.Context(), auth.FromContext(r.Context()), f)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	kit.Serve(w, r, s.clk, "plan-facts", "规划事实 Plan facts", FactsColumns, rows, httpx.List[PlanFacts]{Items: rows, Total: len(rows)})
}

// TaskColumns are the ledger's task table columns.
var TaskColumns = []kit.Column[Task]{
	kit.Col("编码 Code", 24, func(x Task) any { return x.Code }),
	kit.Col("任务 Task", 36, func(x Task) any { return x.Title }),
	kit.Col("层级 Level", 8, func(x Task) any { return x.Level }),
	kit.Col("期限 Deadline", 12, func(x Task) any { return x.Deadline }),
	kit.Col("应完成 Items", 8, func(x Task) any { return x.Summary.Items }),
	kit.Col("已完成 Done", 8, func(x Task) any { return x.Summary.Done + x.Summary.Verified }),
	kit.Col("已核验 Verified", 8, func(x Task) any { return x.Summary.Verified }),
	kit.Col("逾期 Overdue", 8, func(x Task) any { return x.Summary.Overdue }),
	kit.Col("完成率% Completion", 10, func(x Task) any { return x.Summary.CompletionPct }),
	kit.Col("待定 Undetermined", 8, func(x Task) any { return x.Summary.Undetermined }),
	kit.Col("规划依据 Plan", 40, func(x Task) any { return x.PlanRef }),
}

func (s *Service) handleTasks(w http.ResponseWriter, r *http.Request) {
	q := kit.NewQuery(r)
	archived := q.Bool("include_archived")
	xlsxOrErr(r, q)
	if err := q.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	tasks, err := s.Tasks(r.Context(), auth.FromContext(r.Context()), q.String("region_code"), archived != nil && *archived)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	kit.Serve(w, r, s.clk, "ledger-tasks", "任务台账 Tasks", TaskColumns, tasks, httpx.List[Task]{Items: tasks, Total: len(tasks)})
}

// ItemColumns are the ledger items table's columns.
var ItemColumns = []kit.Column[Item]{
	kit.Col("任务 Task", 34, func(x Item) any { return x.TaskTitle }),
	kit.Col("旗区 Division", 14, func(x Item) any { return x.RegionName }),
	kit.Col("矿山 Mine", 26, func(x Item) any { return x.MineName }),
	kit.Col("年度 Period", 8, func(x Item) any { return x.Period }),
	kit.Col("期限 Deadline", 12, func(x Item) any { return x.Deadline }),
	kit.Col("状态 State", 10, func(x Item) any { return x.State }),
	kit.Col("逾期 Overdue", 8, func(x Item) any { return yesNoNil(&x.Overdue) }),
	kit.Col("佐证 Evidence", 40, func(x Item) any { return x.Evidence }),
	kit.Col("完成 Done at", 20, func(x Item) any { return x.DoneAt }),
	kit.Col("核验 Verified at", 20, func(x Item) any { return x.VerifiedAt }),
	kit.Col("隐患 Hazard", 8, func(x Item) any { return intOrEmpty64(x.HazardID) }),
}

func intOrEmpty64(v *int64) any {
	if v == nil {
		return ""
	}
	return *v
}

func (s *Service) handleItems(w http.ResponseWriter, r *http.Request) {
	q := kit.NewQuery(r)
	f := ItemFilter{TaskID: q.ID("task_id"), MineID: q.ID("mine_id"), RegionCode: q.String("region_code"), Overdue: q.Bool("overdue")}
	if v := q.OneOf("state", []string{ItemPending, ItemDone, ItemVerified}, false); v != nil {
		f.State = v[0]
	}
	if v := q.String("period"); v != "" {
		f.Period = q.Year("period", 0)
	}
	if all := q.Bool("all"); all != nil {
		f.All = *all
	}
	xlsxOrErr(r, q)
	if err := q.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	items, err := s.Items(r.Context(), auth.FromContext(r.Context()), f)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	kit.Serve(w, r, s.clk, "ledger-items", "台账事项 Items", ItemColumns, items, httpx.List[Item]{Items: items, Total: len(items)})
}

// stepHandler takes a step of an item's loop; the body is optional.
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
		it, err := s.Step(r.Context(), auth.FromContext(r.Context()), id, action, in)
		kit.Answer(w, r, http.StatusOK, it, err)
	}
}

func (s *Service) handleRaise(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	var in RaiseInput
	if r.ContentLength != 0 {
		if err := httpx.Decode(w, r, &in); err != nil {
			httpx.Error(w, r, err)
			return
		}
	}
	it, err := s.RaiseHazard(r.Context(), auth.FromContext(r.Context()), id, in)
	kit.Answer(w, r, http.StatusOK, it, err)
}
