package accident_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minesafe/internal/accident"
	"minesafe/internal/accident/kit/kittest"
	"minesafe/internal/app/apptest"
	"minesafe/internal/auth"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

// mount answers the accident service on env, registering its routes unless
// the app already serves them.
func mount(env *apptest.Env) *accident.Service {
	svc := accident.NewService(env.DB, env.Clock, env.App.Registry, accident.Options{})
	for _, r := range env.App.Router.Routes() {
		if r.Method == "POST" && r.Path == "/api/v1/accidents" {
			return svc
		}
	}
	svc.Routes(env.App.Router)
	return svc
}

type world struct {
	env                   *apptest.Env
	svc                   *accident.Service
	entA, entB            registry.Enterprise
	coalA, metalA, pondA  registry.Mine
	coalB                 registry.Mine
	admin, county, countB *apptest.Client
}

func newWorld(t *testing.T, db *store.DB) *world {
	env := apptest.New(t, db)
	w := &world{env: env, svc: mount(env)}
	w.entA = env.Enterprise("甲煤业", "150725", 1)
	w.entB = env.Enterprise("乙煤业", "150724", 2)
	w.coalA = env.Mine(w.entA, "150725100001", "甲一矿", "150725", registry.KindCoalUnderground)
	w.metalA = env.Mine(w.entA, "150725300001", "甲铜矿", "150725", registry.KindMetalUnderground)
	w.pondA = env.Mine(w.entA, "150725500001", "甲尾矿库", "150725", registry.KindTailingsPond)
	w.coalB = env.Mine(w.entB, "150724200001", "乙露天矿", "150724", registry.KindCoalOpenpit)
	w.admin = env.As("root", auth.RoleAdmin, nil, nil)
	w.county = env.As("chenqi", auth.RoleCounty, []string{"150725"}, nil)
	w.countB = env.As("ewenke", auth.RoleCounty, []string{"150724"}, nil)
	return w
}

func accidentBody(mineID int64, at string, deaths, injuries int, loss int64) map[string]any {
	return map[string]any{"mine_id": mineID, "occurred_at": at, "type": "roof", "deaths": deaths,
		"serious_injuries": injuries, "direct_loss_yuan": loss}
}

func TestAccidentsOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		const wan = 10_000
		// The grade at every boundary, through the API.
		for _, c := range []struct {
			deaths, injuries int
			loss             int64
			want             string
		}{
			{2, 9, 1000*wan - 1, "general"}, {3, 0, 0, "larger"}, {0, 10, 0, "larger"}, {0, 0, 1000 * wan, "larger"},
			{9, 49, 5000*wan - 1, "larger"}, {10, 0, 0, "major"}, {0, 50, 0, "major"}, {0, 0, 5000 * wan, "major"},
			{29, 99, 10000*wan - 1, "major"}, {30, 0, 0, "especially_major"}, {0, 100, 0, "especially_major"}, {0, 0, 10000 * wan, "especially_major"},
		} {
			var a accident.Accident
			w.county.JSON("POST", "/api/v1/accidents", accidentBody(w.coalA.ID, "2026-03-10T08:00:00+08:00", c.deaths, c.injuries, c.loss), http.StatusCreated, &a)
			if a.Grade != c.want || a.GradeRuleVersion != 1 {
				t.Errorf("%d/%d/%d: grade %s v%d, want %s v1", c.deaths, c.injuries, c.loss, a.Grade, a.GradeRuleVersion, c.want)
			}
		}

		// The answer carries the mine, the day in Asia/Shanghai and the link
		// to the hazards open before it.
		var a accident.Accident
		w.admin.JSON("POST", "/api/v1/accidents", map[string]any{"mine_id": w.coalA.ID, "occurred_at": "2025-12-31T16:30:00Z", "type": "gas_explosion",
			"deaths": 1, "serious_injuries": 0, "direct_loss_yuan": 200000, "contractor_involved": true, "narrative": "回风巷瓦斯积聚"}, http.StatusCreated, &a)
		if a.OccurredOn != "2026-01-01" || a.MineName != "甲一矿" || a.RegionCode != "150725" || !a.Coal || a.TypeName != "瓦斯爆炸" || a.GradeName != "一般事故" {
			t.Errorf("answer %+v", a)
		}
		if a.HazardsOpenBeforeURL != fmt.Sprintf("/api/v1/mines/%d/hazards-open-before?date=2026-01-01", w.coalA.ID) {
			t.Errorf("hazards link %q", a.HazardsOpenBeforeURL)
		}
		// A local time without zone is read in Asia/Shanghai.
		var local accident.Accident
		w.admin.JSON("POST", "/api/v1/accidents", accidentBody(w.coalB.ID, "2025-12-31T23:59", 0, 1, 0), http.StatusCreated, &local)
		if local.OccurredOn != "2025-12-31" || local.OccurredAt.Format("2006-01-02T15:04") != "2025-12-31T15:59" {
			t.Errorf("local time: %s %s", local.OccurredOn, local.OccurredAt)
		}

		// Year boundaries are Asia/Shanghai's.
		count := func(c *apptest.Client, query string) int {
			var l struct{ Total int }
			c.JSON("GET", "/api/v1/accidents?"+query, nil, http.StatusOK, &l)
			return l.Total
		}
		if n := count(w.admin, "year=2026&fatal=true&contractor=true"); n != 1 {
			t.Errorf("2026 contractor fatal: %d", n)
		}
		if n := count(w.admin, "year=2025"); n != 1 {
			t.Errorf("2025: %d, want the 23:59 one only", n)
		}
		if n := count(w.admin, "grade=major,especially_major"); n != 7 {
			t.Errorf("重特大: %d", n)
		}
		if n := count(w.admin, "coal=true&region_code=150700"); n != 14 {
			t.Errorf("coal in the city: %d", n)
		}

		// Scope and roles: out of scope reads as missing; only regulators enter.
		w.countB.Status("GET", fmt.Sprintf("/api/v1/accidents/%d", a.ID), nil, http.StatusNotFound)
		if n := count(w.countB, ""); n != 1 {
			t.Errorf("county B sees %d accidents, want its one", n)
		}
		w.countB.Status("POST", "/api/v1/accidents", accidentBody(w.coalA.ID, "2026-03-10T08:00:00+08:00", 0, 0, 0), http.StatusNotFound)
		insp := w.env.As("insp", auth.RoleInspector, []string{"150725"}, nil)
		insp.Status("POST", "/api/v1/accidents", accidentBody(w.coalA.ID, "2026-03-10T08:00:00+08:00", 0, 0, 0), http.StatusForbidden)
		ent := w.env.As("ent", auth.RoleEnterprise, nil, &w.entA.ID)
		ent.Status("POST", "/api/v1/accidents", accidentBody(w.coalA.ID, "2026-03-10T08:00:00+08:00", 0, 0, 0), http.StatusForbidden)
		if n := count(ent, ""); n != 13 {
			t.Errorf("enterprise A sees %d accidents", n)
		}
		raw := w.county.Status("POST", "/api/v1/accidents", map[string]any{"mine_id": w.coalA.ID, "occurred_at": "yesterday", "type": "meteor", "deaths": -1}, http.StatusUnprocessableEntity)
		if _, f := apptest.ErrorOf(raw); f["occurred_at"] == "" || f["type"] == "" || f["deaths"] == "" || f["serious_injuries"] == "" || f["direct_loss_yuan"] == "" {
			t.Errorf("fields %v", f)
		}
		w.county.Status("POST", "/api/v1/accidents", `{"mine_id": "x"}`, http.StatusBadRequest)
		// An accident cannot be recorded before it happens.
		future := w.env.Clock.Now().Add(time.Hour).Format(time.RFC3339)
		raw = w.county.Status("POST", "/api/v1/accidents", accidentBody(w.coalA.ID, future, 0, 0, 0), http.StatusUnprocessableEntity)
		if _, f := apptest.ErrorOf(raw); f["occurred_at"] != "must not be in the future" {
			t.Errorf("future accident: fields %v", f)
		}

		// Corrections grade again; archiving takes it out of the figures.
		var upd accident.Accident
		w.county.JSON("PATCH", fmt.Sprintf("/api/v1/accidents/%d", a.ID), map[string]any{"deaths": 3}, http.StatusOK, &upd)
		if upd.Grade != "larger" || upd.Deaths != 3 {
			t.Errorf("after patch: %s %d", upd.Grade, upd.Deaths)
		}
		w.countB.Status("PATCH", fmt.Sprintf("/api/v1/accidents/%d", a.ID), map[string]any{"deaths": 4}, http.StatusNotFound)
		w.county.Status("POST", fmt.Sprintf("/api/v1/accidents/%d/archive", a.ID), map[string]any{}, http.StatusUnprocessableEntity)
		w.county.Status("POST", fmt.Sprintf("/api/v1/accidents/%d/archive", a.ID), map[string]any{"reason": "重复录入"}, http.StatusOK)
		w.county.Status("POST", fmt.Sprintf("/api/v1/accidents/%d/archive", a.ID), map[string]any{"reason": "again"}, http.StatusConflict)
		if n := count(w.admin, "year=2026&fatal=true&contractor=true"); n != 0 {
			t.Errorf("archived accident still listed: %d", n)
		}
		var trail struct {
			Items []struct{ Action string }
		}
		w.admin.JSON("GET", fmt.Sprintf("/api/v1/accidents/%d/trail", a.ID), nil, http.StatusOK, &trail)
		if len(trail.Items) != 3 || trail.Items[0].Action != "create" || trail.Items[1].Action != "update" || trail.Items[2].Action != "archive" {
			t.Errorf("trail %+v", trail.Items)
		}

		// A new rule version grades new records; old ones keep theirs.
		rule := accident.DefaultGradeRule()
		rule.Tiers[2].MinDeaths = 2
		w.county.Status("POST", "/api/v1/rules/accident-grade", map[string]any{"rule": rule}, http.StatusForbidden)
		w.admin.Status("POST", "/api/v1/rules/accident-grade", map[string]any{"rule": rule, "note": "test"}, http.StatusCreated)
		var two accident.Accident
		w.county.JSON("POST", "/api/v1/accidents", accidentBody(w.coalA.ID, "2026-04-10T08:00:00+08:00", 2, 0, 0), http.StatusCreated, &two)
		if two.Grade != "larger" || two.GradeRuleVersion != 2 {
			t.Errorf("by v2: %s v%d", two.Grade, two.GradeRuleVersion)
		}
		var old accident.Accident
		w.admin.JSON("GET", fmt.Sprintf("/api/v1/accidents/%d", local.ID), nil, http.StatusOK, &old)
		if old.GradeRuleVersion != 1 {
			t.Errorf("old record regraded: v%d", old.GradeRuleVersion)
		}

		// The whole selection as a workbook.
		book := w.admin.Status("GET", "/api/v1/accidents?format=xlsx&year=2026", nil, http.StatusOK)
		rows := sheetRows(t, book)
		if len(rows) != 14 || !strings.HasPrefix(rows[0][0], "编号") {
			t.Errorf("workbook rows %d: %q", len(rows), rows[0])
		}
		w.admin.Status("GET", "/api/v1/accidents?format=pdf", nil, http.StatusUnprocessableEntity)
	})
}

func sheetRows(t *testing.T, book []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatalf("workbook: %v", err)
	}
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestProductionOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ent := w.env.As("ent", auth.RoleEnterprise, nil, &w.entA.ID)
		var x accident.Production
		ent.JSON("POST", "/api/v1/production", map[string]any{"mine_id": w.coalA.ID, "month": "2026-01", "tonnes": 120000.5}, http.StatusCreated, &x)
		if x.Replaced || x.Tonnes != 120000.5 || !x.Coal || x.MineName != "甲一矿" {
			t.Errorf("first post %+v", x)
		}
		w.county.JSON("POST", "/api/v1/production", map[string]any{"mine_id": w.coalA.ID, "month": "2026-01", "tonnes": 130000}, http.StatusOK, &x)
		if !x.Replaced || x.PreviousTonnes == nil || *x.PreviousTonnes != 120000.5 || x.Tonnes != 130000 {
			t.Errorf("replacement %+v", x)
		}
		var trail struct {
			Items []struct {
				Action string
				Detail map[string]any
			}
		}
		w.admin.JSON("GET", fmt.Sprintf("/api/v1/production/%d/trail", x.ID), nil, http.StatusOK, &trail)
		if len(trail.Items) != 2 || trail.Items[1].Action != "replace" || trail.Items[1].Detail["previous_tonnes"] != 120000.5 {
			t.Errorf("trail %+v", trail.Items)
		}
		ent.Status("POST", "/api/v1/production", map[string]any{"mine_id": w.coalB.ID, "month": "2026-01", "tonnes": 1}, http.StatusNotFound)
		obs := w.env.As("obs", auth.RoleObserver, nil, nil)
		obs.Status("POST", "/api/v1/production", map[string]any{"mine_id": w.coalB.ID, "month": "2026-01", "tonnes": 1}, http.StatusForbidden)
		raw := w.admin.Status("POST", "/api/v1/production", map[string]any{"mine_id": w.pondA.ID, "month": "2026-13", "tonnes": -1}, http.StatusUnprocessableEntity)
		if _, f := apptest.ErrorOf(raw); f["mine_id"] == "" || f["month"] == "" || f["tonnes"] == "" {
			t.Errorf("fields %v", f)
		}

		// Import from a workbook: good rows kept, bad rows refused with reasons.
		book := excelize.NewFile()
		rows := [][]any{
			{"矿山编码", "月份", "产量(吨)", "备注"},
			{w.coalA.Code, "2026-02", 110000, ""},
			{w.coalA.Code, "2026年1月", "125,000", "更正"},
			{w.metalA.Code, "2026/2", 5000, ""},
			{w.coalB.Code, "2026-02", 900000, ""}, // another division: refused for the county
			{"NOPE", "2026-02", 1, ""},
			{w.coalA.Code, "2026-02", "many", ""},
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			book.SetSheetRow("Sheet1", cell, &r)
		}
		var buf bytes.Buffer
		book.WriteTo(&buf)
		var res accident.ImportResult
		st, body := w.county.Upload("/api/v1/production/import", "p.xlsx", buf.Bytes())
		if st != http.StatusOK {
			t.Fatalf("import: %d %s", st, body)
		}
		json.Unmarshal(body, &res)
		if res.Created != 2 || res.Replaced != 1 || len(res.Rejected) != 3 || res.Rejected[0].Line != 5 {
			t.Errorf("import %+v", res)
		}
		st, _ = w.county.Upload("/api/v1/production/import", "p.txt", []byte("x"))
		if st != http.StatusUnprocessableEntity {
			t.Errorf("a .txt file: %d", st)
		}
		var list struct {
			Total     int
			SumTonnes float64 `json:"sum_tonnes"`
		}
		w.admin.JSON("GET", "/api/v1/production?year=2026&coal=true", nil, http.StatusOK, &list)
		if list.Total != 2 || list.SumTonnes != 235000 {
			t.Errorf("coal 2026: %+v", list)
		}

		// The figures the indicators are made of.
		w.admin.Status("POST", "/api/v1/accidents", accidentBody(w.coalA.ID, "2026-02-01T10:00:00+08:00", 3, 0, 0), http.StatusCreated)
		w.admin.Status("POST", "/api/v1/accidents", accidentBody(w.metalA.ID, "2026-02-01T10:00:00+08:00", 1, 0, 0), http.StatusCreated)
		w.admin.Status("POST", "/api/v1/accidents", accidentBody(w.coalB.ID, "2025-02-01T10:00:00+08:00", 10, 0, 0), http.StatusCreated)
		ctx := context.Background()
		tally, err := w.svc.Tally(ctx, auth.System, 2025, 2026)
		if err != nil {
			t.Fatal(err)
		}
		a := tally[2026]["150725"]
		if a == nil || a.Accidents != 2 || a.Deaths != 4 || a.LargerAccidents != 1 || a.CoalDeaths != 3 || a.CoalOutputTonnes != 235000 {
			t.Errorf("2026 陈巴尔虎旗 %+v", a)
		}
		if b := tally[2025]["150724"]; b == nil || b.MajorOrWorseAccidents != 1 || b.CoalDeaths != 10 {
			t.Errorf("2025 鄂温克旗 %+v", b)
		}
		scoped, _ := w.svc.Tally(ctx, &auth.Principal{Role: auth.RoleCounty, Regions: []string{"150724"}}, 2025, 2026)
		if scoped[2026]["150725"] != nil {
			t.Error("tally ignores scope")
		}
		acc, prod, err := w.svc.RecordsIn(ctx, 2025)
		if err != nil || !acc || prod {
			t.Errorf("records in 2025: %v %v %v", acc, prod, err)
		}
	})
}

// TestOpenAPI checks that the fragment documents every registered route and
// defines every component it refers to (except the base document's and the
// audit API's Event).
func TestOpenAPI(t *testing.T) {
	r := httpx.NewRouter(nil)
	accident.NewService(nil, nil, nil, accident.Options{}).Routes(r)
	kittest.CheckFragment(t, r, string(accident.OpenAPI))
}
