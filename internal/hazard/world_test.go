package hazard_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"minesafe/internal/app/apptest"
	"minesafe/internal/auth"
	"minesafe/internal/files"
	"minesafe/internal/hazard"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/store"
)

// TestOpenAPI checks that the fragment documents every registered route and
// defines every component it refers to (except the base document's and
// the other fragments' Error, Event and File).
func TestOpenAPI(t *testing.T) {
	r := httpx.NewRouter(nil)
	hazard.NewService(nil, nil, nil, nil, nil, hazard.Options{}).Routes(r)
	doc := string(hazard.OpenAPI)
	documented := map[string]bool{}
	path := ""
	for _, line := range strings.Split(doc, "\n") {
		switch {
		case strings.HasPrefix(line, "  /"):
			path = strings.TrimSuffix(strings.TrimSpace(line), ":")
		case strings.HasPrefix(line, "    ") && !strings.HasPrefix(line, "     ") && path != "":
			documented[strings.ToUpper(strings.TrimSuffix(strings.TrimSpace(line), ":"))+" "+path] = true
		case !strings.HasPrefix(line, " ") && line != "":
			path = ""
		}
	}
	for _, rt := range r.Routes() {
		if !documented[rt.Method+" "+rt.Path] {
			t.Errorf("%s %s is not in openapi.yaml", rt.Method, rt.Path)
		}
		delete(documented, rt.Method+" "+rt.Path)
	}
	for k := range documented {
		if !strings.HasPrefix(k, "PARAMETERS ") {
			t.Errorf("openapi.yaml lists %s, which no route serves", k)
		}
	}
	for _, ref := range regexp.MustCompile(`#/components/(\w+)/(\w+)`).FindAllStringSubmatch(doc, -1) {
		if ref[2] == "Error" || ref[2] == "Event" || ref[2] == "File" || ref[1] == "parameters" {
			continue
		}
		if !regexp.MustCompile(`(?m)^    ` + ref[2] + `:`).MatchString(doc) {
			t.Errorf("%s/%s is referred to but not defined", ref[1], ref[2])
		}
	}
}

// world is an app with two enterprises: A's coal mine and metal mine in
// 陈巴尔虎旗 (150725), B's coal mine in 鄂温克族自治旗 (150724), and a caller of
// every kind.
type world struct {
	env                          *apptest.Env
	svc                          *hazard.Service
	entA, entB                   registry.Enterprise
	coal, metal, coalB           registry.Mine
	admin, city, county, county2 *apptest.Client
	insp, mineA, mineB, observer *apptest.Client
}

// services answers the app's hazard service. Until the app wires it, the
// test builds it (and the files service) on the app and adds their routes.
func services(t *testing.T, env *apptest.Env) *hazard.Service {
	v := reflect.ValueOf(env.App).Elem()
	for i := 0; i < v.NumField(); i++ {
		if !v.Type().Field(i).IsExported() {
			continue
		}
		if h, ok := v.Field(i).Interface().(*hazard.Service); ok && h != nil {
			return h
		}
	}
	blob, err := files.NewFolder(filepath.Join(env.App.Cfg.DataDir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	fs := files.NewService(env.DB, env.Clock, blob, files.Options{})
	svc := hazard.NewService(env.DB, env.Clock, env.App.Registry, env.App.Alarms, fs, hazard.Options{Publish: env.App.Telemetry.Hub().Publish})
	if err := svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	fs.Routes(env.App.Router)
	svc.Routes(env.App.Router)
	return svc
}

func newWorld(t *testing.T, db *store.DB) *world {
	env := apptest.New(t, db)
	w := &world{env: env, svc: services(t, env)}
	w.entA = env.Enterprise("甲矿业", "150725", 1)
	w.entB = env.Enterprise("乙矿业", "150724", 2)
	w.coal = env.Mine(w.entA, "", "甲一煤矿", "150725", registry.KindCoalUnderground)
	w.metal = env.Mine(w.entA, "", "甲二铁矿", "150725", registry.KindMetalUnderground)
	w.coalB = env.Mine(w.entB, "", "乙一煤矿", "150724", registry.KindCoalOpenpit)
	as := func(username, role string, regions []string, ent *int64) *apptest.Client {
		// Tokens, not sessions: the tests move the clock by days, past the
		// idle lifetime of a session.
		u := env.AddUser(username, role, regions, ent)
		_, secret, err := env.App.Auth.CreateToken(context.Background(), auth.System, u.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		return env.WithToken(secret)
	}
	w.admin = as("root", auth.RoleAdmin, nil, nil)
	w.city = as("city", auth.RoleCity, []string{"150700"}, nil)
	w.county = as("cb", auth.RoleCounty, []string{"150725"}, nil)
	w.county2 = as("ewk", auth.RoleCounty, []string{"150724"}, nil)
	w.insp = as("insp", auth.RoleInspector, []string{"150725"}, nil)
	w.mineA = as("mineA", auth.RoleEnterprise, nil, &w.entA.ID)
	w.mineB = as("mineB", auth.RoleEnterprise, nil, &w.entB.ID)
	w.observer = as("obs", auth.RoleObserver, nil, nil)
	return w
}

// day answers the date d days after the fake clock's today (Shanghai).
func (w *world) day(d int) string {
	return w.env.Clock.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, d).Format(time.DateOnly)
}

func (w *world) report(c *apptest.Client, in map[string]any, want int) hazard.Hazard {
	var h hazard.Hazard
	st, raw := c.Do("POST", "/api/v1/hazards", in)
	if st != want {
		w.env.T.Fatalf("report %v: %d %s", in, st, raw)
	}
	if want == http.StatusCreated {
		c.JSON("GET", fmt.Sprintf("/api/v1/hazards/%d", idOf(raw)), nil, http.StatusOK, &h)
	}
	return h
}

func idOf(raw []byte) int64 {
	var v struct{ ID int64 }
	_ = json.Unmarshal(raw, &v)
	return v.ID
}

// step takes a step and requires the status; on success it answers the
// hazard, otherwise the error code.
func step(t *testing.T, c *apptest.Client, id int64, action string, body any, want int) (hazard.Hazard, string) {
	t.Helper()
	st, raw := c.Do("POST", fmt.Sprintf("/api/v1/hazards/%d/%s", id, action), body)
	if st != want {
		t.Fatalf("%s hazard %d: %d, want %d: %s", action, id, st, want, raw)
	}
	var h hazard.Hazard
	if st == http.StatusOK {
		if err := json.Unmarshal(raw, &h); err != nil {
			t.Fatal(err)
		}
		return h, ""
	}
	code, _ := apptest.ErrorOf(raw)
	return h, code
}
