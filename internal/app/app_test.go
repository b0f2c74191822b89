package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"minesafe/internal/app/apptest"
	"minesafe/internal/auth"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

// TestOpenAPICoversEveryRoute fails when a route is registered without its
// path in the OpenAPI document, or the document lists a route that is gone.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	env := apptest.New(t, storetest.SQLite(t))
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	raw := env.Anonymous().Status("GET", "/api/v1/openapi.json", nil, http.StatusOK)
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	registered := map[string]bool{}
	for _, r := range env.App.Router.Routes() {
		if r.Method == "" || r.Path == "/" {
			continue // catch-alls and the web app
		}
		key := strings.ToLower(r.Method) + " " + r.Path
		registered[key] = true
		if _, ok := doc.Paths[r.Path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s %s is missing from the OpenAPI document", r.Method, r.Path)
		}
	}
	for path, ops := range doc.Paths {
		if !strings.HasPrefix(path, "/api/v1/") && path != "/healthz" && path != "/readyz" && path != "/metrics" {
			t.Errorf("path %s is not a full /api/v1 path", path)
		}
		for method := range ops {
			if method == "parameters" || method == "summary" || method == "description" {
				continue
			}
			if !registered[method+" "+path] {
				t.Errorf("OpenAPI lists %s %s, which no route serves", strings.ToUpper(method), path)
			}
		}
	}
}

func TestHealthReadyMetrics(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := apptest.New(t, db)
		c := env.Anonymous()
		c.Status("GET", "/healthz", nil, http.StatusOK)
		c.Status("GET", "/readyz", nil, http.StatusOK)
		c.Status("GET", "/api/v1/auth/me", nil, http.StatusUnauthorized)
		body := string(c.Status("GET", "/metrics", nil, http.StatusOK))
		for _, want := range []string{`minesafe_http_requests_total{code="401",route="GET /api/v1/auth/me"} 1`, "minesafe_http_request_duration_seconds_bucket", "go_sql_open_connections"} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %q", want)
			}
		}
		// Demo mode is not ready until the demo data is loaded.
		env.App.Cfg.Demo = true
		raw := c.Status("GET", "/readyz", nil, http.StatusServiceUnavailable)
		if !strings.Contains(string(raw), "demo data") {
			t.Fatalf("readyz reason %s", raw)
		}
	})
}

func TestLoginCookieTokenAndErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := apptest.New(t, db)
		env.AddUser("root", auth.RoleAdmin, nil, nil)
		anon := env.Anonymous()

		// The session cookie is HttpOnly and SameSite=Lax.
		req, _ := http.NewRequest("POST", env.Server.URL+"/api/v1/auth/login", strings.NewReader(`{"username":"root","password":"`+apptest.Password+`"}`))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		setCookie := resp.Header.Get("Set-Cookie")
		if resp.StatusCode != 200 || !strings.Contains(setCookie, "HttpOnly") || !strings.Contains(setCookie, "SameSite=Lax") {
			t.Fatalf("login %d cookie %q", resp.StatusCode, setCookie)
		}

		// Wrong password and bad bodies.
		raw := anon.Status("POST", "/api/v1/auth/login", map[string]string{"username": "root", "password": "nope-Nope1"}, http.StatusUnauthorized)
		if code, _ := apptest.ErrorOf(raw); code != "unauthenticated" {
			t.Fatalf("code %q", code)
		}
		anon.Status("POST", "/api/v1/auth/login", `{"username":`, http.StatusBadRequest)
		anon.Status("POST", "/api/v1/auth/login", `{"username":"root","password":"x","otp":1}`, http.StatusBadRequest)
		_, fields := apptest.ErrorOf(anon.Status("POST", "/api/v1/auth/login", `{}`, http.StatusUnprocessableEntity))
		if fields["username"] == "" || fields["password"] == "" {
			t.Fatalf("fields %v", fields)
		}
		anon.Status("POST", "/api/v1/auth/login", `{"username":"`+strings.Repeat("x", 2<<20)+`"}`, http.StatusRequestEntityTooLarge)
		anon.Status("GET", "/api/v1/nothing-here", nil, http.StatusNotFound)

		admin := env.Login("root", apptest.Password)
		var me auth.Principal
		admin.JSON("GET", "/api/v1/auth/me", nil, http.StatusOK, &me)
		if me.Username != "root" || me.Role != auth.RoleAdmin {
			t.Fatalf("me %+v", me)
		}

		// A cross-site write with the cookie is refused; same-origin passes.
		admin.Origin = "https://evil.example"
		admin.Status("POST", "/api/v1/users", map[string]any{}, http.StatusForbidden)
		admin.Origin = ""

		// Admin creates a county user through the API; field errors named.
		var u auth.User
		admin.JSON("POST", "/api/v1/users", map[string]any{"username": "chenqi", "role": "county", "regions": []string{"150725"}, "password": "County#2026"}, http.StatusCreated, &u)
		_, fields = apptest.ErrorOf(admin.Status("POST", "/api/v1/users", map[string]any{"username": "bad name", "role": "county", "password": "County#2026"}, http.StatusUnprocessableEntity))
		if fields["username"] == "" || fields["regions"] == "" {
			t.Fatalf("fields %v", fields)
		}

		// The county user may not manage users nor read the audit log.
		county := env.Login("chenqi", "County#2026")
		county.Status("GET", "/api/v1/users", nil, http.StatusForbidden)
		county.Status("GET", "/api/v1/audit", nil, http.StatusForbidden)
		county.Status("GET", apptest.Sprintf("/api/v1/users/%d", u.ID), nil, http.StatusOK)
		county.Status("GET", "/api/v1/users/1", nil, http.StatusNotFound)

		// A token for scripts works as a bearer and stops when revoked.
		var tok struct {
			ID    int64  `json:"id"`
			Token string `json:"token"`
		}
		county.JSON("POST", apptest.Sprintf("/api/v1/users/%d/tokens", u.ID), map[string]string{"name": "backfill"}, http.StatusCreated, &tok)
		script := env.WithToken(tok.Token)
		script.JSON("GET", "/api/v1/auth/me", nil, http.StatusOK, &me)
		if me.Username != "chenqi" || len(me.Regions) != 1 {
			t.Fatalf("token principal %+v", me)
		}
		county.Status("POST", apptest.Sprintf("/api/v1/tokens/%d/revoke", tok.ID), nil, http.StatusNoContent)
		script.Status("GET", "/api/v1/auth/me", nil, http.StatusUnauthorized)
		env.WithToken("msu_forged").Status("GET", "/api/v1/auth/me", nil, http.StatusUnauthorized)

		// The audit log holds the writes.
		var audit struct {
			Items []struct {
				Action     string `json:"action"`
				RecordType string `json:"record_type"`
			} `json:"items"`
			Total int `json:"total"`
		}
		admin.JSON("GET", "/api/v1/audit?record_type=api_token", nil, http.StatusOK, &audit)
		if audit.Total != 2 || audit.Items[0].Action != "revoke" {
			t.Fatalf("audit %+v", audit)
		}
		admin.Status("GET", "/api/v1/audit?from=yesterday", nil, http.StatusUnprocessableEntity)

		// Logout ends the session.
		admin.Status("POST", "/api/v1/auth/logout", nil, http.StatusNoContent)
		admin.Status("GET", "/api/v1/auth/me", nil, http.StatusUnauthorized)
	})
}
