// Package apptest starts a whole minesafe app on a test database behind a
// real HTTP server, with clients that log in like a browser or a script.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"minesafe/internal/app"
	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/store"
)

// Env is one running app.
type Env struct {
	T      testing.TB
	App    *app.App
	DB     *store.DB
	Clock  *clock.Fake
	Server *httptest.Server
}

// Password every test user gets.
const Password = "Test#2026pw"

// New starts the app on db with a fake clock set to a fixed day.
func New(t testing.TB, db *store.DB) *Env {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 6, 1, 2, 0, 0, 0, time.UTC))
	var cfg app.Config
	cfg.LoginMaxFailures, cfg.LoginWindow, cfg.LoginLock, cfg.SessionTTL = 5, 15*time.Minute, 15*time.Minute, 12*time.Hour
	cfg.DataDir = t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(cfg, db, clk, log)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := a.Start(ctx); err != nil {
		t.Fatalf("start app: %v", err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		srv.Close()
		cancel()
		a.Close()
	})
	return &Env{T: t, App: a, DB: db, Clock: clk, Server: srv}
}

// AddUser creates a user with Password and answers it.
func (e *Env) AddUser(username, role string, regions []string, enterpriseID *int64) auth.User {
	e.T.Helper()
	u, err := e.App.Auth.AddUser(context.Background(), auth.System, auth.UserInput{
		Username: username, Role: role, Regions: regions, EnterpriseID: enterpriseID, Password: Password})
	if err != nil {
		e.T.Fatalf("add user %s: %v", username, err)
	}
	return u
}

// As logs in a new user of the role and answers its client.
func (e *Env) As(username, role string, regions []string, enterpriseID *int64) *Client {
	e.T.Helper()
	e.AddUser(username, role, regions, enterpriseID)
	return e.Login(username, Password)
}

// Client talks to the app as one caller.
type Client struct {
	e     *Env
	http  *http.Client
	token string
	// Origin, when set, is sent as the Origin header (a browser would).
	Origin string
}

// Anonymous answers a client without credentials.
func (e *Env) Anonymous() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{e: e, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// Login answers a client holding a session cookie of username.
func (e *Env) Login(username, password string) *Client {
	e.T.Helper()
	c := e.Anonymous()
	st, body := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": password})
	if st != http.StatusOK {
		e.T.Fatalf("login %s: %d %s", username, st, body)
	}
	return c
}

// WithToken answers a client that sends a bearer token.
func (e *Env) WithToken(token string) *Client {
	c := e.Anonymous()
	c.token = token
	return c
}

// Do sends a request with body marshalled as JSON (a string or []byte is
// sent as is) and answers the status and body.
func (c *Client) Do(method, path string, body any) (int, []byte) {
	c.e.T.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.e.T.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.e.Server.URL+path, rd)
	if err != nil {
		c.e.T.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.Origin != "" {
		req.Header.Set("Origin", c.Origin)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.e.T.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

// JSON sends a request, requires the status and decodes the answer into out.
func (c *Client) JSON(method, path string, body any, want int, out any) {
	c.e.T.Helper()
	st, raw := c.Do(method, path, body)
	if st != want {
		c.e.T.Fatalf("%s %s: status %d, want %d: %s", method, path, st, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			c.e.T.Fatalf("%s %s: decode %s: %v", method, path, raw, err)
		}
	}
}

// Status sends a request and requires the status, answering the body.
func (c *Client) Status(method, path string, body any, want int) []byte {
	c.e.T.Helper()
	st, raw := c.Do(method, path, body)
	if st != want {
		c.e.T.Fatalf("%s %s: status %d, want %d: %s", method, path, st, want, raw)
	}
	return raw
}

// ErrorOf decodes the error envelope of a refused answer.
func ErrorOf(raw []byte) (code string, fields map[string]string) {
	var b struct {
		Error struct {
			Code   string            `json:"code"`
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	_ = json.Unmarshal(raw, &b)
	return b.Error.Code, b.Error.Fields
}

// Sprintf is fmt.Sprintf, for building paths.
var Sprintf = fmt.Sprintf

// HTTP answers the client's http.Client (its cookie jar holds the session).
func (c *Client) HTTP() *http.Client { return c.http }

// Upload posts a file as the multipart field "file".
func (c *Client) Upload(path, name string, data []byte) (int, []byte) {
	c.e.T.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.Server.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.e.T.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}
