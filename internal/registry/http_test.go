package registry_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"minesafe/internal/auth"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

// api serves the registry's routes as the principal of each call, the way
// the app's authentication middleware would.
type api struct {
	t  *testing.T
	h  http.Handler
	as *auth.Principal
}

func newAPI(t *testing.T, svc *registry.Service) *api {
	r := httpx.NewRouter(nil)
	svc.Routes(r)
	a := &api{t: t}
	a.h = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if a.as != nil {
			req = req.WithContext(auth.WithPrincipal(req.Context(), a.as))
		}
		r.Mux.ServeHTTP(w, req)
	})
	return a
}

// call sends body (a string is sent as is, anything else as JSON).
func (a *api) call(p *auth.Principal, method, path string, body any) *httptest.ResponseRecorder {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = strings.NewReader(string(j))
	}
	a.as = p
	w := httptest.NewRecorder()
	a.h.ServeHTTP(w, httptest.NewRequest(method, path, rd))
	return w
}

// want checks the status and decodes the answer into out (if not nil).
func (a *api) want(status int, p *auth.Principal, method, path string, body, out any) {
	a.t.Helper()
	w := a.call(p, method, path, body)
	if w.Code != status {
		a.t.Fatalf("%s %s as %s: %d %s, want %d", method, path, p.Name(), w.Code, w.Body, status)
	}
	if out != nil {
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			a.t.Fatalf("%s %s: %v in %s", method, path, err, w.Body)
		}
	}
}

type refusal struct {
	Error struct {
		Code   string            `json:"code"`
		Fields map[string]string `json:"fields"`
	} `json:"error"`
}

func TestHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		a := newAPI(t, f.svc)
		ent := f.enterprise("宝日希勒", chenBarag)
		other := f.enterprise("伊敏", ewenki)
		m1 := f.mine(admin, coal("alpha", chenBarag, ent.ID))
		m3 := f.mine(admin, coal("charlie", ewenki, other.ID))
		own := &auth.Principal{UserID: 9, Username: "bao", Role: auth.RoleEnterprise, EnterpriseID: &ent.ID}
		ewenkiObserver := &auth.Principal{UserID: 10, Username: "obs2", Role: auth.RoleObserver, Regions: []string{ewenki}}
		mine1, mine3 := fmt.Sprintf("/api/v1/mines/%d", m1.ID), fmt.Sprintf("/api/v1/mines/%d", m3.ID)
		ent1, ent2 := fmt.Sprintf("/api/v1/enterprises/%d", ent.ID), fmt.Sprintf("/api/v1/enterprises/%d", other.ID)

		t.Run("regions", func(t *testing.T) {
			a.want(401, nil, "GET", "/api/v1/regions", nil, nil)
			var list httpx.List[registry.Region]
			a.want(200, observer, "GET", "/api/v1/regions", nil, &list)
			if list.Total != 15 || list.Items[0].Code != "150700" || list.Items[0].ParentCode != nil {
				t.Fatalf("%+v", list)
			}
			var r registry.Region
			a.want(200, own, "GET", "/api/v1/regions/150725", nil, &r)
			if r.Name != "陈巴尔虎旗" || r.Level != "county" || *r.SeatLon != 119.43 {
				t.Fatalf("%+v", r)
			}
			a.want(404, own, "GET", "/api/v1/regions/999999", nil, nil)
		})

		t.Run("scope of reads", func(t *testing.T) {
			sees := map[*auth.Principal]int{admin: 2, city: 2, county: 1, inspector: 1, own: 1, rescue: 2, observer: 2, ewenkiObserver: 1}
			for p, n := range sees {
				var list httpx.List[registry.Mine]
				a.want(200, p, "GET", "/api/v1/mines", nil, &list)
				if list.Total != n || len(list.Items) != n {
					t.Errorf("%s sees %d mines, want %d", p.Name(), list.Total, n)
				}
			}
			for _, p := range []*auth.Principal{county, inspector, own} {
				a.want(404, p, "GET", mine3, nil, nil)
				a.want(404, p, "GET", mine3+"/people", nil, nil)
				a.want(404, p, "GET", ent2, nil, nil)
				a.want(200, p, "GET", mine1, nil, nil)
				a.want(200, p, "GET", ent1, nil, nil)
			}
			a.want(404, ewenkiObserver, "GET", mine1, nil, nil)
			var es httpx.List[registry.Enterprise]
			a.want(200, own, "GET", "/api/v1/enterprises", nil, &es)
			if es.Total != 1 || es.Items[0].ID != ent.ID || es.Items[0].MineCount != 1 {
				t.Fatalf("%+v", es)
			}
			a.want(200, admin, "GET", "/api/v1/enterprises?sort=-mine_count&limit=1", nil, &es)
			if es.Total != 2 || len(es.Items) != 1 || es.Items[0].MineCount != 1 {
				t.Fatalf("%+v", es)
			}
			a.want(404, admin, "GET", "/api/v1/mines/abc", nil, nil)
			a.want(404, admin, "GET", "/api/v1/mines/99999", nil, nil)
		})

		t.Run("mine JSON", func(t *testing.T) {
			var m map[string]any
			a.want(200, county, "GET", mine1, nil, &m)
			for _, k := range []string{"id", "code", "name", "enterprise_id", "enterprise_name", "region_code", "region_name", "kind", "status",
				"capacity", "capacity_unit", "mining_depth_m", "lon", "lat", "mining_licence_no", "mining_licence_expiry", "safety_licence_no",
				"safety_licence_expiry", "gas_class", "hydro_type", "rock_burst", "spontaneous_combustion", "std_grade", "std_grade_date",
				"supervisor", "insurance_expiry", "outsourced", "demo", "created_at", "updated_at", "archived_at", "archive_reason", "warnings"} {
				if _, ok := m[k]; !ok {
					t.Errorf("mine JSON lacks %s", k)
				}
			}
			if !strings.HasSuffix(m["created_at"].(string), "Z") {
				t.Errorf("created_at %v not UTC", m["created_at"])
			}
		})

		t.Run("mine writes", func(t *testing.T) {
			body := map[string]any{"name": "delta", "enterprise_id": ent.ID, "region_code": chenBarag, "kind": "coal_underground",
				"status": "constructing", "lon": 119.5, "lat": 49.4, "gas_class": "outburst"}
			var m registry.Mine
			a.want(201, county, "POST", "/api/v1/mines", body, &m)
			if m.Code != "150725100001" || m.Warnings == nil || len(m.Warnings) != 0 {
				t.Fatalf("%+v", m)
			}
			body["region_code"] = ewenki
			a.want(403, county, "POST", "/api/v1/mines", body, nil)
			a.want(403, inspector, "POST", "/api/v1/mines", body, nil)
			a.want(403, rescue, "POST", "/api/v1/mines", `{"bogus":1}`, nil)
			a.want(400, county, "POST", "/api/v1/mines", `{"bogus":1}`, nil)
			body["region_code"], body["lon"] = chenBarag, 200
			var r refusal
			a.want(422, county, "POST", "/api/v1/mines", body, &r)
			if r.Error.Fields["lon"] == "" {
				t.Fatalf("%+v", r)
			}
			body["lon"], body["lat"] = 100.0, 30.0
			a.want(201, county, "POST", "/api/v1/mines", body, &m)
			if len(m.Warnings) != 1 {
				t.Fatalf("far mine warnings %v", m.Warnings)
			}
			a.want(422, county, "POST", "/api/v1/mines", map[string]any{"name": "x", "enterprise_id": ent.ID, "region_code": chenBarag,
				"kind": "metal_underground", "status": "producing", "lon": 119.5, "lat": 49.4, "rock_burst": "weak"}, &r)
			if r.Error.Fields["rock_burst"] == "" {
				t.Fatalf("%+v", r)
			}

			a.want(404, county, "PATCH", mine3, `{"name":"x"}`, nil)
			a.want(404, county, "PATCH", mine3, `{"bogus":1}`, nil)
			a.want(403, inspector, "PATCH", mine1, `{"bogus":1}`, nil)
			a.want(403, own, "PATCH", mine1, `{"name":"x"}`, nil)
			a.want(403, county, "PATCH", mine1, `{"code":"ABCDEF"}`, nil)
			a.want(400, county, "PATCH", mine1, `{"bogus":1}`, nil)
			var got registry.Mine
			a.want(200, county, "PATCH", mine1, `{"capacity":null,"status":"suspended"}`, &got)
			if got.Capacity != nil || got.Status != "suspended" || got.Name != "alpha" || got.GasClass != "low" {
				t.Fatalf("%+v", got)
			}
			a.want(200, admin, "PATCH", mine1, `{"code":"ABCDEF"}`, &got)
			if got.Code != "ABCDEF" {
				t.Fatalf("code %s", got.Code)
			}

			a.want(403, inspector, "POST", mine1+"/archive", `{"reason":"x"}`, nil)
			a.want(404, county, "POST", mine3+"/archive", `{"reason":"x"}`, nil)
			a.want(422, county, "POST", fmt.Sprintf("/api/v1/mines/%d/archive", m.ID), `{}`, nil)
			a.want(200, county, "POST", fmt.Sprintf("/api/v1/mines/%d/archive", m.ID), `{"reason":"entered by mistake"}`, nil)
			a.want(409, county, "POST", fmt.Sprintf("/api/v1/mines/%d/archive", m.ID), `{"reason":"again"}`, nil)
			a.want(409, county, "PATCH", fmt.Sprintf("/api/v1/mines/%d", m.ID), `{"bogus":1}`, nil)
			var list httpx.List[registry.Mine]
			a.want(200, county, "GET", "/api/v1/mines?include_archived=true&sort=-code&limit=2", nil, &list)
			if list.Total != 3 || len(list.Items) != 2 || list.Items[0].Code != "ABCDEF" || list.Items[1].Code != "150725100002" {
				t.Fatalf("%d %+v", list.Total, list.Items)
			}
			a.want(200, county, "GET", "/api/v1/mines?kind=coal_openpit&status=suspended&q=ALP&enterprise_id="+fmt.Sprint(ent.ID), nil, &list)
			if list.Total != 1 || list.Items[0].ID != m1.ID {
				t.Fatalf("%+v", list)
			}
			var bad refusal
			a.want(422, county, "GET", "/api/v1/mines?kind=gold&limit=5000&enterprise_id=x", nil, &bad)
			if len(bad.Error.Fields) != 3 {
				t.Fatalf("%+v", bad)
			}
		})

		t.Run("geojson", func(t *testing.T) {
			w := a.call(county, "GET", "/api/v1/mines.geojson", nil)
			var fc struct {
				Type     string `json:"type"`
				Features []struct {
					Geometry struct {
						Type        string     `json:"type"`
						Coordinates [2]float64 `json:"coordinates"`
					} `json:"geometry"`
					Properties map[string]any `json:"properties"`
				} `json:"features"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &fc); err != nil || w.Code != 200 || w.Header().Get("Content-Type") != "application/geo+json" {
				t.Fatalf("%d %v %s", w.Code, err, w.Body)
			}
			if fc.Type != "FeatureCollection" || len(fc.Features) != 2 || fc.Features[0].Geometry.Type != "Point" {
				t.Fatalf("%+v", fc)
			}
			for _, ft := range fc.Features {
				if ft.Properties["region_code"] != chenBarag || ft.Properties["enterprise_name"] != "宝日希勒" {
					t.Fatalf("%+v", ft.Properties)
				}
			}
			a.want(200, admin, "GET", "/api/v1/mines.geojson?region_code="+ewenki, nil, &fc)
			if len(fc.Features) != 1 || fc.Features[0].Geometry.Coordinates != [2]float64{119.6, 49.3} {
				t.Fatalf("%+v", fc)
			}
		})

		t.Run("enterprise writes", func(t *testing.T) {
			body := registry.EnterpriseInput{Name: "新企业", USCC: f.uscc(), Ownership: "local_soe", RegionCode: chenBarag}
			a.want(201, county, "POST", "/api/v1/enterprises", body, nil)
			var r refusal
			a.want(422, county, "POST", "/api/v1/enterprises", body, &r)
			if !strings.Contains(r.Error.Fields["uscc"], "already registered") {
				t.Fatalf("%+v", r)
			}
			a.want(403, own, "POST", "/api/v1/enterprises", body, nil)
			a.want(200, county, "PATCH", ent1, `{"address":"陈巴尔虎旗巴彦库仁镇"}`, nil)
			a.want(404, county, "PATCH", ent2, `{"address":"x"}`, nil)
			a.want(403, own, "PATCH", ent1, `{"address":"x"}`, nil)
			a.want(404, county, "POST", ent2+"/archive", `{"reason":"x"}`, nil)
			a.want(409, county, "POST", ent1+"/archive", `{"reason":"x"}`, nil)
		})

		t.Run("people", func(t *testing.T) {
			var x registry.Person
			a.want(201, own, "POST", mine1+"/people", `{"role":"safety_deputy","name":"赵六","certificate_expiry":"2020-01-01"}`, &x)
			if !x.CertificateExpired {
				t.Fatalf("%+v", x)
			}
			a.want(404, own, "POST", mine3+"/people", `{"role":"safety_deputy","name":"x"}`, nil)
			a.want(403, inspector, "POST", mine1+"/people", `{"role":"safety_deputy","name":"x"}`, nil)
			a.want(422, own, "POST", mine1+"/people", `{"role":"boss"}`, nil)
			person := fmt.Sprintf("%s/people/%d", mine1, x.ID)
			a.want(200, own, "PATCH", person, `{"phone":"13800000000"}`, &x)
			if x.Phone != "13800000000" || x.Name != "赵六" {
				t.Fatalf("%+v", x)
			}
			a.want(404, own, "PATCH", mine1+"/people/99999", `{"phone":"1"}`, nil)
			a.want(404, admin, "PATCH", fmt.Sprintf("%s/people/%d", mine3, x.ID), `{"phone":"1"}`, nil)
			a.want(403, rescue, "PATCH", person, `{"phone":"1"}`, nil)
			var list httpx.List[registry.Person]
			a.want(200, inspector, "GET", mine1+"/people", nil, &list)
			if list.Total != 1 {
				t.Fatalf("%+v", list)
			}
			var m registry.Mine
			a.want(200, own, "GET", mine1, nil, &m)
			if len(m.People) != 1 {
				t.Fatalf("people %+v", m.People)
			}
			a.want(422, own, "POST", person+"/archive", `{}`, nil)
			a.want(200, own, "POST", person+"/archive", `{"reason":"transferred"}`, nil)
			a.want(409, own, "POST", person+"/archive", `{"reason":"again"}`, nil)
			a.want(200, inspector, "GET", mine1+"/people?include_archived=true&sort=-name", nil, &list)
			if list.Total != 1 || list.Items[0].ArchivedAt == nil {
				t.Fatalf("%+v", list)
			}
		})

		t.Run("rules", func(t *testing.T) {
			var rules registry.TailingsRules
			a.want(200, observer, "GET", "/api/v1/rules/tailings-grade", nil, &rules)
			if rules.Current.Version != 1 || string(rules.Current.Body) != `{"capacity_10k_m3":[50000,10000,1000,100],"dam_height_m":[200,100,60,30]}` {
				t.Fatalf("%+v %s", rules, rules.Current.Body)
			}
			next := `{"capacity_10k_m3":[40000,10000,1000,100],"dam_height_m":[200,100,60,30],"note":"GB 39496-2020 表1 as read"}`
			a.want(403, county, "POST", "/api/v1/rules/tailings-grade", next, nil)
			a.want(422, city, "POST", "/api/v1/rules/tailings-grade", `{"capacity_10k_m3":[1,2,3,4],"dam_height_m":[200,100,60,30]}`, nil)
			a.want(201, city, "POST", "/api/v1/rules/tailings-grade", next, nil)
			a.want(200, observer, "GET", "/api/v1/rules/tailings-grade", nil, &rules)
			if rules.Current.Version != 2 || len(rules.History) != 2 || rules.Current.Note != "GB 39496-2020 表1 as read" {
				t.Fatalf("%+v", rules)
			}
		})
	})
}
