package accident

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"minesafe/internal/accident/kit"
	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
)

// OpenAPI is this package's fragment of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Routes registers the accident and production endpoints.
func (s *Service) Routes(r *httpx.Router) {
	r.Handle("POST /api/v1/accidents", kit.Body(http.StatusCreated, "", func(ctx context.Context, p *auth.Principal, _ int64, in Input) (any, error) {
		return s.Create(ctx, p, in)
	}))
	r.Handle("GET /api/v1/accidents", s.handleList)
	r.Handle("GET /api/v1/accidents/{id}", kit.Get("id", func(ctx context.Context, p *auth.Principal, id int64) (any, error) {
		return s.Get(ctx, p, id)
	}))
	r.Handle("PATCH /api/v1/accidents/{id}", kit.Body(http.StatusOK, "id", func(ctx context.Context, p *auth.Principal, id int64, in Patch) (any, error) {
		return s.Update(ctx, p, id, in)
	}))
	r.Handle("POST /api/v1/accidents/{id}/archive", kit.Body(http.StatusOK, "id", func(ctx context.Context, p *auth.Principal, id int64, in struct {
		Reason string `json:"reason"`
	}) (any, error) {
		return s.Archive(ctx, p, id, in.Reason)
	}))
	r.Handle("GET /api/v1/accidents/{id}/trail", kit.Get("id", func(ctx context.Context, p *auth.Principal, id int64) (any, error) {
		t, err := s.Trail(ctx, p, id)
		return map[string]any{"items": t, "total": len(t)}, err
	}))
	s.grade.Routes(r, "/api/v1/rules/accident-grade")

	r.Handle("POST /api/v1/production", s.handlePostProduction)
	r.Handle("GET /api/v1/production", s.handleListProduction)
	r.Handle("POST /api/v1/production/import", s.handleImport)
	r.Handle("GET /api/v1/production/{id}/trail", kit.Get("id", func(ctx context.Context, p *auth.Principal, id int64) (any, error) {
		t, err := s.ProductionTrail(ctx, p, id)
		return map[string]any{"items": t, "total": len(t)}, err
	}))
}

// ParseFilter reads the accident list's parameters (also the drill-down
// links the indicators answer).
func ParseFilter(r *http.Request) (Filter, error) {
	q := kit.NewQuery(r)
	f := Filter{ListParams: q.List(AccidentSortable(), "-occurred_at"), Year: q.Year("year", 0), From: q.Date("from"), To: q.Date("to"),
		RegionCode: q.String("region_code"), MineID: q.ID("mine_id"), Grades: q.OneOf("grade", Grades, true),
		Types: q.OneOf("type", Types, true), Coal: q.Bool("coal"), Fatal: q.Bool("fatal"), Contractor: q.Bool("contractor")}
	return f, q.Err()
}

// AccidentColumns are the accident table's columns in Excel and reports.
var AccidentColumns = []kit.Column[Accident]{
	kit.Col("编号 ID", 8, func(a Accident) any { return a.ID }),
	kit.Col("发生时间 Occurred", 20, func(a Accident) any { return a.OccurredAt }),
	kit.Col("旗区 Division", 14, func(a Accident) any { return a.RegionName }),
	kit.Col("矿山 Mine", 26, func(a Accident) any { return a.MineName }),
	kit.Col("类型 Type", 12, func(a Accident) any { return a.TypeName }),
	kit.Col("等级 Grade", 12, func(a Accident) any { return a.GradeName }),
	kit.Col("死亡 Deaths", 8, func(a Accident) any { return a.Deaths }),
	kit.Col("重伤 Serious injuries", 8, func(a Accident) any { return a.SeriousInjuries }),
	kit.Col("直接经济损失(元) Loss", 16, func(a Accident) any { return a.DirectLossYuan }),
	kit.Col("外包单位 Contractor", 8, func(a Accident) any { return yesNo(a.ContractorInvolved) }),
	kit.Col("煤矿 Coal", 6, func(a Accident) any { return yesNo(a.Coal) }),
	kit.Col("规则版本 Rule", 6, func(a Accident) any { return a.GradeRuleVersion }),
	kit.Col("经过 Narrative", 50, func(a Accident) any { return a.Narrative }),
	kit.Col("归档 Archived", 20, func(a Accident) any { return a.ArchivedAt }),
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func (s *Service) handleList(w http.ResponseWriter, r *http.Request) {
	f, err := ParseFilter(r)
	xlsx, ferr := kit.WantsXLSX(r)
	if err == nil {
		err = ferr
	}
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	if xlsx {
		f.Limit, f.Offset = 0, 0
	}
	items, total, err := s.List(r.Context(), auth.FromContext(r.Context()), f)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	kit.Serve(w, r, s.clk, "accidents", "事故 Accidents", AccidentColumns, items, httpx.List[Accident]{Items: items, Total: total})
}

func (s *Service) handlePostProduction(w http.ResponseWriter, r *http.Request) {
	var in ProductionInput
	bad := httpx.Decode(w, r, &in)
	if bad != nil {
		in = ProductionInput{}
	}
	x, err := s.PostProduction(r.Context(), auth.FromContext(r.Context()), in)
	if e, ok := fail.As(err); bad != nil && (err == nil || ok && e.Kind > fail.Conflict) {
		err = bad
	}
	status := http.StatusCreated
	if x.Replaced {
		status = http.StatusOK
	}
	kit.Answer(w, r, status, x, err)
}

// ParseProductionFilter reads the production list's parameters.
func ParseProductionFilter(r *http.Request) (ProductionFilter, error) {
	q := kit.NewQuery(r)
	f := ProductionFilter{ListParams: q.List(ProductionSortable(), "month"), Year: q.Year("year", 0),
		RegionCode: q.String("region_code"), MineID: q.ID("mine_id"), Coal: q.Bool("coal")}
	for name, dst := range map[string]*string{"from": &f.From, "to": &f.To} {
		if v := q.String(name); v != "" {
			if !kit.ValidMonth(v) {
				q.Bad.Add(name, "must be a month YYYY-MM")
			}
			*dst = v
		}
	}
	return f, q.Err()
}

// ProductionColumns are the production table's columns.
var ProductionColumns = []kit.Column[Production]{
	kit.Col("月份 Month", 10, func(x Production) any { return x.Month }),
	kit.Col("旗区 Division", 14, func(x Production) any { return x.RegionName }),
	kit.Col("矿山编码 Mine code", 16, func(x Production) any { return x.MineCode }),
	kit.Col("矿山 Mine", 26, func(x Production) any { return x.MineName }),
	kit.Col("煤矿 Coal", 6, func(x Production) any { return yesNo(x.Coal) }),
	kit.Col("产量(吨) Tonnes", 14, func(x Production) any { return x.Tonnes }),
	kit.Col("来源 Source", 8, func(x Production) any { return x.Source }),
	kit.Col("备注 Note", 30, func(x Production) any { return x.Note }),
	kit.Col("更新 Updated", 20, func(x Production) any { return x.UpdatedAt }),
}

func (s *Service) handleListProduction(w http.ResponseWriter, r *http.Request) {
	f, err := ParseProductionFilter(r)
	xlsx, ferr := kit.WantsXLSX(r)
	if err == nil {
		err = ferr
	}
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	if xlsx {
		f.Limit, f.Offset = 0, 0
	}
	items, total, sum, err := s.ListProduction(r.Context(), auth.FromContext(r.Context()), f)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	kit.Serve(w, r, s.clk, "production", "产量 Production", ProductionColumns, items, struct {
		httpx.List[Production]
		SumTonnes float64 `json:"sum_tonnes"`
	}{httpx.List[Production]{Items: items, Total: total}, sum})
}

// MaxImportFile caps an uploaded production sheet.
const MaxImportFile = 8 << 20

func (s *Service) handleImport(w http.ResponseWriter, r *http.Request) {
	p := auth.FromContext(r.Context())
	if err := mayEnterProduction(p); err != nil {
		httpx.Error(w, r, err)
		return
	}
	name, data, err := readUpload(w, r)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	rows, err := importRows(name, data)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	res, err := s.ImportProduction(r.Context(), p, rows)
	kit.Answer(w, r, http.StatusOK, res, err)
}

// readUpload answers the multipart field "file".
func readUpload(w http.ResponseWriter, r *http.Request) (string, []byte, error) {
	tooLarge := &fail.Error{Kind: fail.TooLarge, Code: "too_large", Message: fmt.Sprintf("file larger than %d bytes", MaxImportFile)}
	r.Body = http.MaxBytesReader(w, r.Body, MaxImportFile+1<<20)
	if err := r.ParseMultipartForm(MaxImportFile); err != nil {
		if strings.Contains(err.Error(), "too large") {
			return "", nil, tooLarge
		}
		return "", nil, fail.BadRequestf("expected a multipart form with a field 'file': %v", err)
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return "", nil, fail.BadRequestf("the multipart field 'file' is missing")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxImportFile+1))
	if err != nil {
		return "", nil, err
	}
	if len(data) > MaxImportFile {
		return "", nil, tooLarge
	}
	return filepath.Base(hdr.Filename), data, nil
}

// importRows reads the first sheet of an .xlsx file (or a .csv file) whose
// header row names the columns 矿山编码 (mine_code), 月份 (month), 产量
// (tonnes) and optionally 备注 (note), in any order.
func importRows(name string, data []byte) ([]ImportRow, error) {
	var table [][]string
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx":
		x, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			return nil, fail.Invalidf("file", "not a readable .xlsx workbook: %v", err)
		}
		defer x.Close()
		sheets := x.GetSheetList()
		if len(sheets) == 0 {
			return nil, fail.Invalidf("file", "the workbook has no sheet")
		}
		if table, err = x.GetRows(sheets[0]); err != nil {
			return nil, fail.Invalidf("file", "%v", err)
		}
	case ".csv":
		rd := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
		rd.FieldsPerRecord = -1
		var err error
		if table, err = rd.ReadAll(); err != nil {
			return nil, fail.Invalidf("file", "not a readable CSV file: %v", err)
		}
	default:
		return nil, fail.Invalidf("file", "must be an .xlsx or .csv file")
	}
	if len(table) == 0 {
		return nil, fail.Invalidf("file", "the sheet is empty")
	}
	col := map[string]int{"code": -1, "month": -1, "tonnes": -1, "note": -1}
	for i, h := range table[0] {
		h = strings.ToLower(strings.TrimSpace(h))
		for key, words := range map[string][]string{"code": {"code", "编码", "代码"}, "month": {"month", "月份"}, "tonnes": {"tonne", "产量"}, "note": {"note", "备注"}} {
			for _, wd := range words {
				if strings.Contains(h, wd) && col[key] < 0 {
					col[key] = i
				}
			}
		}
	}
	if col["code"] < 0 || col["month"] < 0 || col["tonnes"] < 0 {
		return nil, fail.Invalidf("file", "the first row must name the columns 矿山编码 (mine_code), 月份 (month) and 产量 (tonnes)")
	}
	cell := func(row []string, key string) string {
		if i := col[key]; i >= 0 && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	var out []ImportRow
	for i, row := range table[1:] {
		r := ImportRow{Line: i + 2, MineCode: cell(row, "code"), Month: cell(row, "month"), Tonnes: cell(row, "tonnes"), Note: cell(row, "note")}
		if r.MineCode == "" && r.Month == "" && r.Tonnes == "" {
			continue // blank rows at the end of a sheet
		}
		out = append(out, r)
	}
	return out, nil
}
