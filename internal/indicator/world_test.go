package indicator_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"minesafe/internal/accident"
	"minesafe/internal/accident/kit/kittest"
	"minesafe/internal/alarm"
	"minesafe/internal/app"
	"minesafe/internal/app/apptest"
	"minesafe/internal/auth"
	"minesafe/internal/auth/authapi"
	"minesafe/internal/hazard"
	"minesafe/internal/httpx"
	"minesafe/internal/indicator"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/telemetry"
)

// world is a small city: two divisions, a state-owned and a private
// enterprise, coal, metal and pond records, and the users who act.
type world struct {
	env                         *apptest.Env
	acc                         *accident.Service
	ind                         *indicator.Service
	soe, priv, entB             registry.Enterprise
	coalA, openpit, metalA      registry.Mine
	pondA, coalB                registry.Mine
	admin, city, county, countB *apptest.Client
	entUser, observer           *apptest.Client
	raised                      []string
	monitoring                  fakeMonitoring
}

type fakeMonitoring struct{ cov telemetry.Coverage }

func (f *fakeMonitoring) MonitoringCoverage(ctx context.Context, p *auth.Principal) (telemetry.Coverage, error) {
	return f.cov, nil
}

func has(env *apptest.Env, method, path string) bool {
	for _, r := range env.App.Router.Routes() {
		if r.Method == method && r.Path == path {
			return true
		}
	}
	return false
}

func newWorld(t *testing.T, db *store.DB) *world {
	env := apptest.New(t, db)
	w := &world{env: env}
	w.acc = accident.NewService(env.DB, env.Clock, env.App.Registry, accident.Options{})
	w.ind = indicator.NewService(env.DB, env.Clock, env.App.Registry, w.acc, indicator.Options{
		Monitoring: &w.monitoring,
		RaiseHazard: func(ctx context.Context, p *auth.Principal, mineID int64, description, deadline string) (int64, error) {
			w.raised = append(w.raised, fmt.Sprintf("%d|%s|%s", mineID, deadline, description))
			return int64(100 + len(w.raised)), nil
		},
	})
	if !has(env, "POST", "/api/v1/accidents") {
		w.acc.Routes(env.App.Router)
	}
	if !has(env, "GET", "/api/v1/dashboard") {
		w.ind.Routes(env.App.Router)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := w.ind.Start(ctx); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { cancel(); w.ind.Close() })

	reg := env.App.Registry
	var err error
	w.soe, err = reg.CreateEnterprise(ctx, auth.System, registry.EnterpriseInput{Name: "国能某煤业", USCC: apptest.USCC(11), Ownership: "central_soe", RegionCode: "150725"})
	if err != nil {
		t.Fatal(err)
	}
	w.priv = env.Enterprise("甲矿业", "150725", 12)
	w.entB = env.Enterprise("乙煤业", "150724", 13)
	w.coalA = env.Mine(w.soe, "150725100001", "甲一煤矿", "150725", registry.KindCoalUnderground)
	w.openpit = env.Mine(w.soe, "150725200001", "宝日希勒露天煤矿", "150725", registry.KindCoalOpenpit)
	w.metalA = env.Mine(w.priv, "150725300001", "甲铜矿", "150725", registry.KindMetalUnderground)
	w.pondA = env.Mine(w.priv, "150725500001", "甲尾矿库", "150725", registry.KindTailingsPond)
	w.coalB = env.Mine(w.entB, "150724100001", "乙一煤矿", "150724", registry.KindCoalUnderground)
	w.admin = env.As("root", auth.RoleAdmin, nil, nil)
	w.city = env.As("cityuser", auth.RoleCity, nil, nil)
	w.county = env.As("chenqi", auth.RoleCounty, []string{"150725"}, nil)
	w.countB = env.As("ewenke", auth.RoleCounty, []string{"150724"}, nil)
	w.entUser = env.As("jia", auth.RoleEnterprise, nil, &w.priv.ID)
	w.observer = env.As("obs", auth.RoleObserver, nil, nil)
	return w
}

// travel moves the clock and logs everyone in again (sessions idle out).
func (w *world) travel(at time.Time) {
	w.env.Clock.Set(at)
	for _, c := range []struct {
		c    **apptest.Client
		name string
	}{{&w.admin, "root"}, {&w.city, "cityuser"}, {&w.county, "chenqi"}, {&w.countB, "ewenke"}, {&w.entUser, "jia"}, {&w.observer, "obs"}} {
		*c.c = w.env.Login(c.name, apptest.Password)
	}
}

func (w *world) accident(t *testing.T, mineID int64, at string, deaths, injuries int) {
	t.Helper()
	w.admin.Status("POST", "/api/v1/accidents", map[string]any{"mine_id": mineID, "occurred_at": at, "type": "roof",
		"deaths": deaths, "serious_injuries": injuries, "direct_loss_yuan": 0}, http.StatusCreated)
}

func (w *world) production(t *testing.T, mineID int64, month string, tonnes float64) {
	t.Helper()
	st, raw := w.admin.Do("POST", "/api/v1/production", map[string]any{"mine_id": mineID, "month": month, "tonnes": tonnes})
	if st != http.StatusCreated && st != http.StatusOK {
		t.Fatalf("production: %d %s", st, raw)
	}
}

func TestOpenAPI(t *testing.T) {
	r := httpx.NewRouter(nil)
	indicator.NewService(nil, nil, nil, nil, indicator.Options{}).Routes(r)
	kittest.CheckFragment(t, r, string(indicator.OpenAPI))
}

func f64(v float64) *float64 { return &v }

func near(a *float64, b float64) bool {
	if a == nil {
		return false
	}
	d := *a - b
	return d < 1e-9 && d > -1e-9
}

// TestOpenAPIMerges checks that the fragments merge into the app's
// document beside the others without a path or component defined twice.
func TestOpenAPIMerges(t *testing.T) {
	_, err := app.BuildOpenAPI(map[string][]byte{"auth": authapi.OpenAPI, "registry": registry.OpenAPI, "telemetry": telemetry.OpenAPI,
		"alarm": alarm.OpenAPI, "hazard": hazard.OpenAPI, "accident": accident.OpenAPI, "indicator": indicator.OpenAPI})
	if err != nil {
		t.Fatal(err)
	}
}
