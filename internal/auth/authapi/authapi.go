// Package authapi is the HTTP face of package auth: the middleware that
// resolves the caller, login and logout, user administration, tokens and the
// audit log.
package authapi

import (
	_ "embed"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/store"
)

// API serves package auth over HTTP.
type API struct {
	s  *auth.Service
	db *store.DB
}

// New answers the API of an auth service.
func New(s *auth.Service, db *store.DB) *API { return &API{s: s, db: db} }

// CookieName is the session cookie.
const CookieName = "minesafe_session"

// Middleware resolves the caller from a bearer token or the session cookie
// and puts the principal in the request context. A bad bearer token is
// refused at once; a stale cookie just leaves the request anonymous.
func (a *API) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := r.Header.Get("Authorization"); h != "" {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				httpx.Error(w, r, fail.Unauthenticatedf("Authorization must be 'Bearer <token>'"))
				return
			}
			if strings.HasPrefix(strings.TrimSpace(secret), auth.IngestTokenPrefix) {
				// A gateway token: the ingest doors check it themselves.
				next.ServeHTTP(w, r)
				return
			}
			p, err := a.s.FromToken(r.Context(), strings.TrimSpace(secret))
			if err != nil {
				httpx.Error(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
			return
		}
		if c, err := r.Cookie(CookieName); err == nil && c.Value != "" {
			if p, err := a.s.FromSession(r.Context(), c.Value); err == nil {
				r = r.WithContext(auth.WithPrincipal(r.Context(), p))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Routes registers login, logout, me, user administration, tokens and the
// audit log.
func (a *API) Routes(r *httpx.Router) {
	r.Public("POST /api/v1/auth/login", http.HandlerFunc(a.handleLogin))
	r.Public("POST /api/v1/auth/logout", http.HandlerFunc(a.handleLogout))
	r.Handle("GET /api/v1/auth/me", a.handleMe)
	r.Handle("GET /api/v1/users", a.handleListUsers)
	r.Handle("POST /api/v1/users", a.handleAddUser)
	r.Handle("GET /api/v1/users/{id}", a.handleGetUser)
	r.Handle("PATCH /api/v1/users/{id}", a.handleUpdateUser)
	r.Handle("POST /api/v1/users/{id}/password", a.handlePassword)
	r.Handle("GET /api/v1/users/{id}/tokens", a.handleListTokens)
	r.Handle("POST /api/v1/users/{id}/tokens", a.handleCreateToken)
	r.Handle("POST /api/v1/tokens/{id}/revoke", a.handleRevokeToken)
	r.Handle("GET /api/v1/audit", a.handleAudit)
}

func remoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func secureRequest(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func (a *API) handleLogin(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := httpx.Decode(w, r, &in); err != nil {
		httpx.Error(w, r, err)
		return
	}
	f := fail.Fields{}
	if in.Username == "" {
		f.Add("username", "required")
	}
	if in.Password == "" {
		f.Add("password", "required")
	}
	if err := f.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	secret, p, err := a.s.Login(r.Context(), in.Username, in.Password, remoteAddr(r))
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: secret, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: secureRequest(r), MaxAge: int(a.s.SessionTTL() / time.Second)})
	httpx.JSON(w, http.StatusOK, p)
}

func (a *API) handleLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(CookieName); err == nil && c.Value != "" {
		if err := a.s.Logout(r.Context(), c.Value); err != nil {
			httpx.Error(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secureRequest(r), MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) handleMe(w http.ResponseWriter, r *http.Request) {
	httpx.JSON(w, http.StatusOK, auth.FromContext(r.Context()))
}

func (a *API) handleListUsers(w http.ResponseWriter, r *http.Request) {
	p := auth.FromContext(r.Context())
	if err := auth.RequireAdmin(p); err != nil {
		httpx.Error(w, r, err)
		return
	}
	users, err := a.s.ListUsers(r.Context())
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, httpx.List[auth.User]{Items: users, Total: len(users)})
}

func (a *API) handleAddUser(w http.ResponseWriter, r *http.Request) {
	p := auth.FromContext(r.Context())
	if err := auth.RequireAdmin(p); err != nil {
		httpx.Error(w, r, err)
		return
	}
	var in auth.UserInput
	if err := httpx.Decode(w, r, &in); err != nil {
		httpx.Error(w, r, err)
		return
	}
	u, err := a.s.AddUser(r.Context(), p, in)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusCreated, u)
}

// userFor answers the path's user if p may see it: admins see all, others
// only themselves (anyone else reads as missing).
func (a *API) userFor(r *http.Request, p *auth.Principal) (auth.User, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return auth.User{}, err
	}
	if !p.Is(auth.RoleAdmin) && p.UserID != id {
		return auth.User{}, fail.NotFoundf("no such user")
	}
	return a.s.GetUser(r.Context(), id)
}

func (a *API) handleGetUser(w http.ResponseWriter, r *http.Request) {
	u, err := a.userFor(r, auth.FromContext(r.Context()))
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, u)
}

func (a *API) handleUpdateUser(w http.ResponseWriter, r *http.Request) {
	p := auth.FromContext(r.Context())
	u, err := a.userFor(r, p)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	if err := auth.RequireAdmin(p); err != nil {
		httpx.Error(w, r, err)
		return
	}
	var in auth.UserPatch
	if err := httpx.Decode(w, r, &in); err != nil {
		httpx.Error(w, r, err)
		return
	}
	u, err = a.s.UpdateUser(r.Context(), p, u.ID, in)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, u)
}

func (a *API) handlePassword(w http.ResponseWriter, r *http.Request) {
	p := auth.FromContext(r.Context())
	u, err := a.userFor(r, p)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	var in struct {
		Password        string `json:"password"`
		CurrentPassword string `json:"current_password"`
	}
	if err := httpx.Decode(w, r, &in); err != nil {
		httpx.Error(w, r, err)
		return
	}
	// A user changing its own password proves it knows the current one.
	if !p.Is(auth.RoleAdmin) {
		if err := a.s.VerifyPassword(r.Context(), u.Username, in.CurrentPassword); err != nil {
			httpx.Error(w, r, fail.Invalidf("current_password", "does not match"))
			return
		}
	}
	if err := a.s.SetPassword(r.Context(), p, u.ID, in.Password); err != nil {
		httpx.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) handleListTokens(w http.ResponseWriter, r *http.Request) {
	p := auth.FromContext(r.Context())
	u, err := a.userFor(r, p)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	ts, err := a.s.ListTokens(r.Context(), p, u.ID)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, httpx.List[auth.Token]{Items: ts, Total: len(ts)})
}

func (a *API) handleCreateToken(w http.ResponseWriter, r *http.Request) {
	p := auth.FromContext(r.Context())
	u, err := a.userFor(r, p)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	var in struct {
		Name string `json:"name"`
	}
	if err := httpx.Decode(w, r, &in); err != nil {
		httpx.Error(w, r, err)
		return
	}
	t, secret, err := a.s.CreateToken(r.Context(), p, u.ID, in.Name)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusCreated, struct {
		auth.Token
		Secret string `json:"token"`
	}{t, secret})
}

func (a *API) handleRevokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err == nil {
		err = a.s.RevokeToken(r.Context(), auth.FromContext(r.Context()), id)
	}
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) handleAudit(w http.ResponseWriter, r *http.Request) {
	if err := auth.RequireAdmin(auth.FromContext(r.Context())); err != nil {
		httpx.Error(w, r, fail.Forbiddenf("only an admin reads the audit log"))
		return
	}
	lp, err := httpx.ParseList(r, nil, "")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	q := r.URL.Query()
	f := events.Filter{RecordType: q.Get("record_type"), Action: q.Get("action"), Limit: lp.Limit, Offset: lp.Offset}
	bad := fail.Fields{}
	for name, dst := range map[string]*int64{"record_id": &f.RecordID, "actor_id": &f.ActorID} {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				bad.Add(name, "must be an integer")
			}
			*dst = n
		}
	}
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				bad.Add(name, "must be an RFC 3339 time")
			}
			*dst = t
		}
	}
	if err := bad.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	list, total, err := events.List(r.Context(), a.db, f)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, httpx.List[events.Event]{Items: list, Total: total})
}

// OpenAPI is this package's fragment of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte
