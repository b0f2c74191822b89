package enforce_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"minesafe/internal/app/apptest"
	"minesafe/internal/auth"
	"minesafe/internal/enforce"
	"minesafe/internal/fail"
	"minesafe/internal/registry"
	"minesafe/internal/store"
)

// hazards is a fake hazard register: it records the specs it is given and
// answers ids from 1001; fail makes the next call fail with that error.
type hazards struct {
	mu    sync.Mutex
	calls []enforce.HazardSpec
	fail  error
}

func (h *hazards) create(_ context.Context, p *auth.Principal, spec enforce.HazardSpec) (int64, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.fail; err != nil {
		h.fail = nil
		return 0, err
	}
	if p == nil {
		return 0, fail.Unauthenticatedf("no principal")
	}
	h.calls = append(h.calls, spec)
	return int64(1000 + len(h.calls)), nil
}

func (h *hazards) specs() []enforce.HazardSpec {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.calls)
}

type world struct {
	env        *apptest.Env
	svc        *enforce.Service
	hz         *hazards
	ownRoutes  bool // the routes are this test's service's (the app did not wire one)
	entA, entB registry.Enterprise
	mineA      registry.Mine // coal, 陈巴尔虎旗 150725, enterprise A
	mineB      registry.Mine // 鄂温克族自治旗 150724, enterprise B

	admin, city, county, county2, insp, entUserA, entUserB, observer *apptest.Client
}

const today = "2026-06-01" // apptest's clock: 2026-06-01 10:00 Asia/Shanghai

// appService answers the app's own enforcement service once the app wires
// one (then: return env.App.Enforce); until then each test runs its own.
var appService = func(env *apptest.Env) *enforce.Service { return env.App.Enforce }

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	env := apptest.New(t, db)
	w := &world{env: env, hz: &hazards{}, svc: appService(env)}
	if w.svc == nil {
		w.svc = enforce.NewService(env.DB, env.Clock, env.App.Registry, env.App.Alarms, env.App.Telemetry, enforce.Options{
			CreateHazard: w.hz.create, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err := w.svc.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(w.svc.Close)
		w.svc.Routes(env.App.Router)
		w.ownRoutes = true
	}
	w.entA = env.Enterprise("甲煤业有限公司", "150725", 1)
	w.entB = env.Enterprise("乙矿业有限公司", "150724", 2)
	w.mineA = env.Mine(w.entA, "150725100001", "甲一矿", "150725", registry.KindCoalUnderground)
	w.mineB = env.Mine(w.entB, "", "乙一矿", "150724", registry.KindMetalUnderground)
	w.admin = env.As("root", auth.RoleAdmin, nil, nil)
	w.city = env.As("city", auth.RoleCity, nil, nil)
	w.county = env.As("cb", auth.RoleCounty, []string{"150725"}, nil)
	w.county2 = env.As("ewk", auth.RoleCounty, []string{"150724"}, nil)
	w.insp = env.As("insp", auth.RoleInspector, []string{"150725"}, nil)
	w.entUserA = env.As("mineA", auth.RoleEnterprise, nil, &w.entA.ID)
	w.entUserB = env.As("mineB", auth.RoleEnterprise, nil, &w.entB.ID)
	w.observer = env.As("obs", auth.RoleObserver, nil, nil)
	return w
}

var twoInspectors = []enforce.Inspector{{Name: "王明", CertificateNo: "15070001"}, {Name: "李强", CertificateNo: "15070002"}}

// checklist answers every item of a mine kind's checklist ok.
func (w *world) checklist(t *testing.T, kind string) []enforce.CheckAnswer {
	t.Helper()
	var rules struct {
		Rules enforce.Checklists
	}
	w.insp.JSON("GET", "/api/v1/rules/inspection-checklists", nil, http.StatusOK, &rules)
	var out []enforce.CheckAnswer
	for _, it := range rules.Rules[kind] {
		out = append(out, enforce.CheckAnswer{Code: it.Code, Result: "ok"})
	}
	if len(out) == 0 {
		t.Fatalf("no checklist for %s", kind)
	}
	return out
}

// inspection records and submits an inspection of mine A with a hazard and
// a violation, answering it.
func (w *world) inspection(t *testing.T) enforce.Inspection {
	t.Helper()
	var insp enforce.Inspection
	w.insp.JSON("POST", "/api/v1/inspections", enforce.InspectionInput{MineID: w.mineA.ID, Date: today, Place: "11201综采工作面",
		Inspectors: twoInspectors, Checklist: w.checklist(t, w.mineA.Kind), Findings: []enforce.FindingInput{
			{Description: "上隅角甲烷传感器报警值设置为1.5%", BecomesHazard: true, HazardLevel: "general", Deadline: "2026-06-10"},
			{Description: "安全监控系统主机断线48小时未处理", ViolationType: "monitoring_not_working"},
		}}, http.StatusCreated, &insp)
	w.insp.JSON("POST", fmt.Sprintf("/api/v1/inspections/%d/submit", insp.ID), nil, http.StatusOK, &insp)
	return insp
}

func (w *world) decide(t *testing.T, c *apptest.Client, inspectionID int64, in enforce.DecisionInput, want int) enforce.Decision {
	t.Helper()
	var d enforce.Decision
	c.JSON("POST", fmt.Sprintf("/api/v1/inspections/%d/decisions", inspectionID), in, want, &d)
	return d
}

func (w *world) step(t *testing.T, c *apptest.Client, id int64, action string, in any, want int) enforce.Decision {
	t.Helper()
	var d enforce.Decision
	raw := c.Status("POST", fmt.Sprintf("/api/v1/decisions/%d/%s", id, action), in, want)
	if want == http.StatusOK {
		mustJSON(t, raw, &d)
	}
	return d
}

// travel moves the clock and logs everyone in again (sessions end after
// 12 idle hours of the same clock).
func (w *world) travel(t *testing.T, to time.Time) {
	t.Helper()
	w.env.Clock.Set(to)
	for name, c := range map[string]**apptest.Client{"root": &w.admin, "city": &w.city, "cb": &w.county, "ewk": &w.county2, "insp": &w.insp,
		"mineA": &w.entUserA, "mineB": &w.entUserB, "obs": &w.observer} {
		*c = w.env.Login(name, apptest.Password)
	}
}

// fields answers the fields a 422 names.
func fields(raw []byte) map[string]string {
	_, f := apptest.ErrorOf(raw)
	return f
}

func mustJSON(t *testing.T, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
