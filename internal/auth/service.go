package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"minesafe/internal/clock"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/store"
)

// Options tune login protection and sessions.
type Options struct {
	MaxFailures   int           // failed logins within FailureWindow that lock the account
	FailureWindow time.Duration // window in which failures count
	LockDuration  time.Duration // how long a locked account stays locked
	SessionTTL    time.Duration // idle lifetime of a session
}

// DefaultOptions: 5 failures in 15 minutes lock for 15 minutes; sessions
// last 12 hours of inactivity.
var DefaultOptions = Options{MaxFailures: 5, FailureWindow: 15 * time.Minute, LockDuration: 15 * time.Minute, SessionTTL: 12 * time.Hour}

// Service manages users, sessions and tokens.
type Service struct {
	db  *store.DB
	clk clock.Clock
	opt Options
}

// NewService answers the auth service; zero option fields take defaults.
func NewService(db *store.DB, clk clock.Clock, opt Options) *Service {
	if opt.MaxFailures <= 0 {
		opt.MaxFailures = DefaultOptions.MaxFailures
	}
	if opt.FailureWindow <= 0 {
		opt.FailureWindow = DefaultOptions.FailureWindow
	}
	if opt.LockDuration <= 0 {
		opt.LockDuration = DefaultOptions.LockDuration
	}
	if opt.SessionTTL <= 0 {
		opt.SessionTTL = DefaultOptions.SessionTTL
	}
	return &Service{db: db, clk: clk, opt: opt}
}

// User is an account.
type User struct {
	ID           int64      `json:"id"`
	Username     string     `json:"username"`
	DisplayName  string     `json:"display_name"`
	Role         string     `json:"role"`
	Regions      []string   `json:"regions"`
	EnterpriseID *int64     `json:"enterprise_id"`
	Disabled     bool       `json:"disabled"`
	LockedUntil  *time.Time `json:"locked_until"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// Principal answers the user as a caller.
func (u User) Principal() *Principal {
	return &Principal{UserID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, Regions: u.Regions, EnterpriseID: u.EnterpriseID}
}

// UserInput creates a user.
type UserInput struct {
	Username     string   `json:"username"`
	DisplayName  string   `json:"display_name"`
	Role         string   `json:"role"`
	Regions      []string `json:"regions"`
	EnterpriseID *int64   `json:"enterprise_id"`
	Password     string   `json:"password"`
}

// UserPatch changes the fields given.
type UserPatch struct {
	DisplayName  *string   `json:"display_name"`
	Role         *string   `json:"role"`
	Regions      *[]string `json:"regions"`
	EnterpriseID *int64    `json:"enterprise_id"`
	Disabled     *bool     `json:"disabled"`
}

var usernameRE = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]{1,63}$`)

// RequireAdmin refuses anyone but an admin.
func RequireAdmin(by *Principal) error {
	if !by.Is(RoleAdmin) {
		return fail.Forbiddenf("only an admin manages users")
	}
	return nil
}

// validateScope checks role, divisions and enterprise together.
func (s *Service) validateScope(ctx context.Context, q store.Querier, f fail.Fields, role string, regions []string, ent *int64) {
	if !ValidRole(role) {
		f.Add("role", "must be one of %s", strings.Join(Roles, ", "))
		return
	}
	for _, code := range regions {
		var n int
		if err := q.QueryRowContext(ctx, s.db.Q(`SELECT COUNT(*) FROM regions WHERE code = ?`), code).Scan(&n); err != nil || n == 0 {
			f.Add("regions", "unknown division %q", code)
		}
	}
	switch role {
	case RoleCounty, RoleInspector:
		if len(regions) == 0 {
			f.Add("regions", "a %s user needs at least one division", role)
		}
	case RoleEnterprise:
		if ent == nil {
			f.Add("enterprise_id", "an enterprise user needs its enterprise")
		} else {
			var n int
			if err := q.QueryRowContext(ctx, s.db.Q(`SELECT COUNT(*) FROM enterprises WHERE id = ?`), *ent).Scan(&n); err != nil || n == 0 {
				f.Add("enterprise_id", "no enterprise %d", *ent)
			}
		}
	}
	if role != RoleEnterprise && ent != nil {
		f.Add("enterprise_id", "only enterprise users belong to an enterprise")
	}
}

// AddUser creates a user (admins only).
func (s *Service) AddUser(ctx context.Context, by *Principal, in UserInput) (User, error) {
	if err := RequireAdmin(by); err != nil {
		return User{}, err
	}
	in.Username = strings.TrimSpace(in.Username)
	f := fail.Fields{}
	if !usernameRE.MatchString(in.Username) {
		f.Add("username", "2–64 letters, digits, '.', '_' or '-', starting with a letter or digit")
	}
	if err := CheckPasswordPolicy(in.Password); err != nil {
		f.Add("password", "%v", err)
	}
	in.Regions = normRegions(in.Regions)
	s.validateScope(ctx, s.db, f, in.Role, in.Regions, in.EnterpriseID)
	if err := f.Err(); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return User{}, err
	}
	now := s.clk.Now()
	var id int64
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		id, err = tx.Insert(ctx, `INSERT INTO users (username, display_name, role, enterprise_id, password_hash, disabled, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, FALSE, ?, ?)`, in.Username, in.DisplayName, in.Role, in.EnterpriseID, hash, now, now)
		if store.IsUniqueViolation(err) {
			return fail.Invalidf("username", "%q is taken", in.Username)
		}
		if err != nil {
			return err
		}
		if err := setRegions(ctx, tx, id, in.Regions); err != nil {
			return err
		}
		ev := events.New(by, now, "user", id, "create").WithDetail(map[string]any{"username": in.Username, "role": in.Role, "regions": in.Regions, "enterprise_id": in.EnterpriseID})
		_, err = events.Append(ctx, tx, ev)
		return err
	})
	if err != nil {
		return User{}, err
	}
	return s.GetUser(ctx, id)
}

func normRegions(in []string) []string {
	out := []string{}
	for _, r := range in {
		r = strings.TrimSpace(r)
		if r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}

func setRegions(ctx context.Context, tx *store.Tx, userID int64, regions []string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM user_regions WHERE user_id = ?`, userID); err != nil {
		return err
	}
	for _, r := range regions {
		if _, err := tx.Exec(ctx, `INSERT INTO user_regions (user_id, region_code) VALUES (?, ?)`, userID, r); err != nil {
			return err
		}
	}
	return nil
}

const userCols = `id, username, display_name, role, enterprise_id, disabled, locked_until, created_at, updated_at`

func scanUser(row interface{ Scan(...any) error }) (User, string, error) {
	var u User
	var hash string
	err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.EnterpriseID, &u.Disabled, &u.LockedUntil, &u.CreatedAt, &u.UpdatedAt, &hash)
	if err != nil {
		return u, "", err
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	if u.LockedUntil != nil {
		t := u.LockedUntil.UTC()
		u.LockedUntil = &t
	}
	return u, hash, nil
}

func (s *Service) loadRegions(ctx context.Context, u *User) error {
	rows, err := s.db.Query(ctx, `SELECT region_code FROM user_regions WHERE user_id = ? ORDER BY region_code`, u.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	u.Regions = []string{}
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return err
		}
		u.Regions = append(u.Regions, r)
	}
	return rows.Err()
}

func (s *Service) userWhere(ctx context.Context, cond string, arg any) (User, string, error) {
	u, hash, err := scanUser(s.db.QueryRow(ctx, `SELECT `+userCols+`, password_hash FROM users WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return u, "", fail.NotFoundf("no such user")
	}
	if err != nil {
		return u, "", err
	}
	return u, hash, s.loadRegions(ctx, &u)
}

// GetUser answers a user by id.
func (s *Service) GetUser(ctx context.Context, id int64) (User, error) {
	u, _, err := s.userWhere(ctx, "id = ?", id)
	return u, err
}

// UserByName answers a user by username.
func (s *Service) UserByName(ctx context.Context, username string) (User, error) {
	u, _, err := s.userWhere(ctx, "username = ?", username)
	return u, err
}

// ListUsers answers every user, by username.
func (s *Service) ListUsers(ctx context.Context) ([]User, error) {
	rows, err := s.db.Query(ctx, `SELECT `+userCols+`, password_hash FROM users ORDER BY username`)
	if err != nil {
		return nil, err
	}
	var out []User
	for rows.Next() {
		u, _, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := s.loadRegions(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// UpdateUser changes role, divisions, enterprise, name or disabled (admins).
func (s *Service) UpdateUser(ctx context.Context, by *Principal, id int64, p UserPatch) (User, error) {
	if err := RequireAdmin(by); err != nil {
		return User{}, err
	}
	u, err := s.GetUser(ctx, id)
	if err != nil {
		return User{}, err
	}
	changed := map[string]any{}
	if p.DisplayName != nil {
		u.DisplayName = *p.DisplayName
		changed["display_name"] = u.DisplayName
	}
	if p.Role != nil {
		u.Role = *p.Role
		changed["role"] = u.Role
	}
	if p.Regions != nil {
		u.Regions = normRegions(*p.Regions)
		changed["regions"] = u.Regions
	}
	if p.EnterpriseID != nil {
		u.EnterpriseID = p.EnterpriseID
		changed["enterprise_id"] = *p.EnterpriseID
	}
	if p.Role != nil && *p.Role != RoleEnterprise && p.EnterpriseID == nil {
		u.EnterpriseID = nil
	}
	if p.Disabled != nil {
		if *p.Disabled && u.ID == by.UserID {
			return User{}, fail.Conflictf("self_disable", "you cannot disable your own account")
		}
		u.Disabled = *p.Disabled
		changed["disabled"] = u.Disabled
	}
	f := fail.Fields{}
	s.validateScope(ctx, s.db, f, u.Role, u.Regions, u.EnterpriseID)
	if err := f.Err(); err != nil {
		return User{}, err
	}
	now := s.clk.Now()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET display_name = ?, role = ?, enterprise_id = ?, disabled = ?, updated_at = ? WHERE id = ?`,
			u.DisplayName, u.Role, u.EnterpriseID, u.Disabled, now, id); err != nil {
			return err
		}
		if err := setRegions(ctx, tx, id, u.Regions); err != nil {
			return err
		}
		if u.Disabled {
			if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
				return err
			}
		}
		_, err := events.Append(ctx, tx, events.New(by, now, "user", id, "update").WithDetail(changed))
		return err
	})
	if err != nil {
		return User{}, err
	}
	return s.GetUser(ctx, id)
}

// SetPassword replaces a user's password: an admin for anyone, a user for
// itself. Every session of the user ends.
func (s *Service) SetPassword(ctx context.Context, by *Principal, id int64, pw string) error {
	if !by.Is(RoleAdmin) && by.UserID != id {
		return fail.Forbiddenf("only an admin changes another user's password")
	}
	if err := CheckPasswordPolicy(pw); err != nil {
		return fail.Invalidf("password", "%v", err)
	}
	if _, err := s.GetUser(ctx, id); err != nil {
		return err
	}
	hash, err := HashPassword(pw)
	if err != nil {
		return err
	}
	now := s.clk.Now()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, locked_until = NULL, updated_at = ? WHERE id = ?`, hash, now, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return err
		}
		_, err := events.Append(ctx, tx, events.New(by, now, "user", id, "set_password"))
		return err
	})
}

// Token is an API token's record (the secret itself is shown once).
type Token struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// TokenPrefix starts every user API token, so a leaked one is recognisable.
const TokenPrefix = "msu_"

// IngestTokenPrefix starts every gateway (ingest) token. Those are resolved
// by the monitoring network, not by the auth middleware.
const IngestTokenPrefix = "msi_"

func newSecret(prefix string) (string, string) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	secret := prefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	return secret, hashSecret(secret)
}

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateToken issues an API token for a user, scoped like the user: an admin
// for anyone, a user for itself. It answers the secret once.
func (s *Service) CreateToken(ctx context.Context, by *Principal, userID int64, name string) (Token, string, error) {
	if !by.Is(RoleAdmin) && by.UserID != userID {
		return Token{}, "", fail.Forbiddenf("only an admin issues tokens for another user")
	}
	u, err := s.GetUser(ctx, userID)
	if err != nil {
		return Token{}, "", err
	}
	if u.Disabled {
		return Token{}, "", fail.Conflictf("disabled", "user %s is disabled", u.Username)
	}
	secret, hash := newSecret(TokenPrefix)
	now := s.clk.Now()
	t := Token{UserID: userID, Name: name, CreatedAt: now}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		t.ID, err = tx.Insert(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)`, userID, name, hash, now)
		if err != nil {
			return err
		}
		_, err = events.Append(ctx, tx, events.New(by, now, "api_token", t.ID, "create").WithDetail(map[string]any{"user_id": userID, "name": name}))
		return err
	})
	return t, secret, err
}

// ListTokens answers a user's tokens (admins, or the user itself).
func (s *Service) ListTokens(ctx context.Context, by *Principal, userID int64) ([]Token, error) {
	if !by.Is(RoleAdmin) && by.UserID != userID {
		return nil, fail.NotFoundf("no such user")
	}
	rows, err := s.db.Query(ctx, `SELECT id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = ? ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Token{}
	for rows.Next() {
		var t Token
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &t.LastUsedAt, &t.RevokedAt); err != nil {
			return nil, err
		}
		t.CreatedAt = t.CreatedAt.UTC()
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken ends a token at once (admins, or the token's user).
func (s *Service) RevokeToken(ctx context.Context, by *Principal, id int64) error {
	var owner int64
	var revoked *time.Time
	err := s.db.QueryRow(ctx, `SELECT user_id, revoked_at FROM api_tokens WHERE id = ?`, id).Scan(&owner, &revoked)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !by.Is(RoleAdmin) && by.UserID != owner) {
		return fail.NotFoundf("no such token")
	}
	if err != nil {
		return err
	}
	if revoked != nil {
		return fail.Conflictf("revoked", "token %d was revoked at %s", id, revoked.UTC().Format(time.RFC3339))
	}
	now := s.clk.Now()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ?`, now, id); err != nil {
			return err
		}
		_, err := events.Append(ctx, tx, events.New(by, now, "api_token", id, "revoke"))
		return err
	})
}

// ErrBadCredentials is the one answer for a wrong username or password, so
// the two cannot be told apart.
var ErrBadCredentials = fail.Unauthenticatedf("wrong username or password")

// Login checks credentials with lockout and answers a new session secret.
func (s *Service) Login(ctx context.Context, username, password, remote string) (string, *Principal, error) {
	now := s.clk.Now()
	u, hash, err := s.userWhere(ctx, "username = ?", username)
	if fail.Is(err, fail.NotFound) {
		// Hash anyway so timing does not reveal which usernames exist.
		_, _ = CheckPassword(dummyHash, password)
		s.recordFailure(ctx, username, remote, now, nil)
		return "", nil, ErrBadCredentials
	}
	if err != nil {
		return "", nil, err
	}
	if u.LockedUntil != nil && now.Before(*u.LockedUntil) {
		return "", nil, &fail.Error{Kind: fail.Unauthenticated, Code: "account_locked",
			Message: fmt.Sprintf("too many failed logins: account locked until %s", u.LockedUntil.Format(time.RFC3339))}
	}
	ok, err := CheckPassword(hash, password)
	if err != nil || !ok {
		s.recordFailure(ctx, username, remote, now, &u)
		return "", nil, ErrBadCredentials
	}
	if u.Disabled {
		return "", nil, &fail.Error{Kind: fail.Unauthenticated, Code: "account_disabled", Message: "this account is disabled"}
	}
	secret, sh := newSecret("mss_")
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)`,
			sh, u.ID, now, now.Add(s.opt.SessionTTL), now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE username = ?`, username); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at < ?`, now); err != nil {
			return err
		}
		ev := events.New(u.Principal(), now, "user", u.ID, "login").WithDetail(map[string]string{"remote": remote})
		_, err := events.Append(ctx, tx, ev)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return secret, u.Principal(), nil
}

var dummyHash, _ = HashPassword("not a real password")

// recordFailure counts a failed login and locks the account when the count
// within the window reaches the limit.
func (s *Service) recordFailure(ctx context.Context, username, remote string, now time.Time, u *User) {
	_ = s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO login_failures (username, at, remote_addr) VALUES (?, ?, ?)`, username, now, remote); err != nil {
			return err
		}
		if u == nil {
			return nil
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM login_failures WHERE username = ? AND at > ?`, username, now.Add(-s.opt.FailureWindow)).Scan(&n); err != nil {
			return err
		}
		if n < s.opt.MaxFailures {
			return nil
		}
		until := now.Add(s.opt.LockDuration)
		if _, err := tx.Exec(ctx, `UPDATE users SET locked_until = ? WHERE id = ?`, until, u.ID); err != nil {
			return err
		}
		// The failures that caused the lock are spent.
		if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE username = ?`, username); err != nil {
			return err
		}
		ev := events.New(System, now, "user", u.ID, "lock").WithDetail(map[string]any{"until": until, "failures": n})
		_, err := events.Append(ctx, tx, ev)
		return err
	})
}

// VerifyPassword tells (nil) whether pw is the user's password, without
// counting a failure or starting a session.
func (s *Service) VerifyPassword(ctx context.Context, username, pw string) error {
	_, hash, err := s.userWhere(ctx, "username = ?", username)
	if err != nil {
		return err
	}
	if ok, err := CheckPassword(hash, pw); err != nil || !ok {
		return ErrBadCredentials
	}
	return nil
}

// SessionTTL is the idle lifetime of a session.
func (s *Service) SessionTTL() time.Duration { return s.opt.SessionTTL }

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, secret string) error {
	_, err := s.db.Exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashSecret(secret))
	return err
}

// FromSession answers the principal of a live session, extending it.
func (s *Service) FromSession(ctx context.Context, secret string) (*Principal, error) {
	now := s.clk.Now()
	h := hashSecret(secret)
	var userID int64
	var expires time.Time
	err := s.db.QueryRow(ctx, `SELECT user_id, expires_at FROM sessions WHERE token_hash = ?`, h).Scan(&userID, &expires)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !now.Before(expires)) {
		return nil, fail.Unauthenticatedf("session expired or unknown: log in again")
	}
	if err != nil {
		return nil, err
	}
	p, err := s.activePrincipal(ctx, userID)
	if err != nil {
		return nil, err
	}
	// Slide the expiry, at most once a minute to spare the database.
	if expires.Sub(now) < s.opt.SessionTTL-time.Minute {
		_, _ = s.db.Exec(ctx, `UPDATE sessions SET expires_at = ?, last_seen_at = ? WHERE token_hash = ?`, now.Add(s.opt.SessionTTL), now, h)
	}
	return p, nil
}

// FromToken answers the principal of a live API token.
func (s *Service) FromToken(ctx context.Context, secret string) (*Principal, error) {
	var id, userID int64
	var revoked, lastUsed *time.Time
	err := s.db.QueryRow(ctx, `SELECT id, user_id, revoked_at, last_used_at FROM api_tokens WHERE token_hash = ?`, hashSecret(secret)).Scan(&id, &userID, &revoked, &lastUsed)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && revoked != nil) {
		return nil, fail.Unauthenticatedf("unknown or revoked token")
	}
	if err != nil {
		return nil, err
	}
	p, err := s.activePrincipal(ctx, userID)
	if err != nil {
		return nil, err
	}
	p.TokenID = id
	now := s.clk.Now()
	if lastUsed == nil || now.Sub(*lastUsed) > time.Minute {
		_, _ = s.db.Exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now, id)
	}
	return p, nil
}

func (s *Service) activePrincipal(ctx context.Context, userID int64) (*Principal, error) {
	u, err := s.GetUser(ctx, userID)
	if fail.Is(err, fail.NotFound) {
		return nil, fail.Unauthenticatedf("the account no longer exists")
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, &fail.Error{Kind: fail.Unauthenticated, Code: "account_disabled", Message: "this account is disabled"}
	}
	return u.Principal(), nil
}
